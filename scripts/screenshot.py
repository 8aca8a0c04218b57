"""Regenerate docs/screenshot.png: the review window on a Chinese sample article.

Imports samples/ into a temporary database, records a few reviews through the services
(so the colours of every status show), opens the window and grabs it. Run it under a real
X server so the fonts are the ones people see:

    xvfb-run -a -s "-screen 0 1600x1000x24" python scripts/screenshot.py

Prints JSON: the output path, its size, and the article shown.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1480, 900)


def prepare(db) -> str:
    """Import the samples and review a handful of figures of the Chinese article."""
    from annotator.services.importing import import_paths
    from annotator.services.review import review

    # a relative path, as a user types it: the window shows sources as they were given
    os.chdir(ROOT)
    summary = import_paths(db, ["samples"], dataset="samples")
    if summary.errors:
        raise SystemExit(f"import failed: {summary.errors}")
    aid = db.execute(
        "SELECT a.id FROM articles a WHERE a.script = 'hans' ORDER BY "
        "(SELECT COUNT(*) FROM figures f WHERE f.article_id = a.id) DESC LIMIT 1").fetchone()[0]
    figures = [r[0] for r in db.execute(
        "SELECT id FROM figures WHERE article_id = ? ORDER BY seq", [aid])]
    for fid in figures[:4]:
        review(db, reviewer="ana", target_id=fid, action="confirm")
    review(db, reviewer="ana", target_id=figures[4], action="correct", value=180000,
           note="18万 = 180,000")
    review(db, reviewer="ana", target_id=figures[5], action="flag", reason="garbled_text",
           note="628日 lost a character")
    return aid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}",
                        help="window size WIDTHxHEIGHT (check 1280x720 and 1600x1000 too)")
    args = parser.parse_args(argv)
    size = tuple(int(v) for v in args.size.lower().split("x"))
    from PySide6.QtCore import QSettings

    from annotator.gui.app import application
    from annotator.storage.db import open_db

    app = application()
    from annotator.gui.main_window import MainWindow

    tmp = Path(tempfile.mkdtemp(prefix="annotator-shot-"))
    db = open_db(tmp / "samples.db")
    aid = prepare(db)
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(db, "ana", db_path=tmp / "samples.db", settings=settings)
    window.resize(*size)
    window.show()
    s = window.session
    s.open_article(aid)
    s.next_unreviewed()
    s.next_figure()
    s.recount_progress()
    for _ in range(20):
        app.processEvents()
    window.text_view.verticalScrollBar().setValue(0)
    s.previous_figure()
    app.processEvents()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    image = window.grab()
    image.save(str(out))
    print(json.dumps({"path": str(out), "width": image.width(), "height": image.height(),
                      "article": aid}))
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
