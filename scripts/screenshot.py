"""Regenerate docs/screenshot.png: the review window on a Chinese sample article.

Imports samples/ into a temporary database, records a few reviews through the services
(so the colours of every status show), opens the window and grabs it. Run it under a real
X server so the fonts are the ones people see:

    xvfb-run -a -s "-screen 0 1700x1100x24" python scripts/screenshot.py
    xvfb-run -a -s "-screen 0 1700x1100x24" python scripts/screenshot.py --article en \
        --size 1280x720 --out en-1280.png
    xvfb-run -a -s "-screen 0 1700x1100x24" python scripts/screenshot.py --all shots/

--article picks a Simplified (hans), Traditional (hant) or English (en) sample, --script
the script it is shown in; --all writes every article at 1280x720 and 1600x1000 in its
scripts into a folder. Prints JSON: for each picture its path, size and the article shown.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1480, 900)


ARTICLES = {  # what --article picks: the sample of that kind with the most figures
    "hans": "a.script = 'hans'",
    "hant": "a.script = 'hant'",
    "en": "a.language = 'en'",
}
SIZES = ((1280, 720), (1600, 1000))
SCRIPTS = {"hans": ("original", "hk"), "hant": ("original", "hans"), "en": ("original",)}


def pick(db, kind: str) -> str:
    return db.execute(
        f"SELECT a.id FROM articles a WHERE {ARTICLES[kind]} ORDER BY "
        "(SELECT COUNT(*) FROM figures f WHERE f.article_id = a.id) DESC LIMIT 1").fetchone()[0]


def review_some(db, aid: str) -> None:
    """Confirm four figures, correct one and flag one: every status colour shows."""
    from annotator.services.review import review

    figures = [r[0] for r in db.execute(
        "SELECT id FROM figures WHERE article_id = ? ORDER BY seq", [aid])]
    if len(figures) < 6:
        return
    for fid in figures[:4]:
        review(db, reviewer="ana", target_id=fid, action="confirm")
    review(db, reviewer="ana", target_id=figures[4], action="flag", reason="unsupported",
           note="no source given")


def prepare(db) -> str:
    """Import the samples and review a handful of figures of the Chinese article."""
    from annotator.services.importing import import_paths
    from annotator.services.review import review

    # a relative path, as a user types it: the window shows sources as they were given
    os.chdir(ROOT)
    summary = import_paths(db, ["samples"], dataset="samples")
    if summary.errors:
        raise SystemExit(f"import failed: {summary.errors}")
    aid = pick(db, "hans")
    figures = [r[0] for r in db.execute(
        "SELECT id FROM figures WHERE article_id = ? ORDER BY seq", [aid])]
    for fid in figures[:4]:
        review(db, reviewer="ana", target_id=fid, action="confirm")
    review(db, reviewer="ana", target_id=figures[4], action="correct", value=180000,
           note="18万 = 180,000")
    review(db, reviewer="ana", target_id=figures[5], action="flag", reason="garbled_text",
           note="628日 lost a character")
    for kind in ("hant", "en"):
        review_some(db, pick(db, kind))
    return aid


def grab(app, window, aid: str, script: str, size: tuple[int, int], out: Path) -> dict:
    window.resize(*size)
    s = window.session
    s.set_script("original")
    s.open_article(aid)
    s.set_script(script)
    s.next_unreviewed()
    s.next_figure()
    s.recount_progress()
    for _ in range(20):
        app.processEvents()
    window.text_view.verticalScrollBar().setValue(0)
    s.previous_figure()
    app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    image = window.grab()
    image.save(str(out))
    return {"path": str(out), "width": image.width(), "height": image.height(),
            "article": aid, "script": script}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}",
                        help="window size WIDTHxHEIGHT (check 1280x720 and 1600x1000 too)")
    parser.add_argument("--article", choices=sorted(ARTICLES), default="hans",
                        help="a Simplified, Traditional or English sample (default hans)")
    parser.add_argument("--script", choices=("original", "hans", "hk", "tw"),
                        default="original", help="the script the text is shown in")
    parser.add_argument("--all", metavar="FOLDER", default=None,
                        help="every article at 1280x720 and 1600x1000, in its scripts")
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
    window.show()
    shots = []
    if args.all:
        for kind in ("hans", "hant", "en"):
            chosen = aid if kind == "hans" else pick(db, kind)
            for w, h in SIZES:
                for script in SCRIPTS[kind]:
                    out = Path(args.all) / f"{kind}-{script}-{w}x{h}.png"
                    shots.append(grab(app, window, chosen, script, (w, h), out))
    else:
        chosen = aid if args.article == "hans" else pick(db, args.article)
        shots.append(grab(app, window, chosen, args.script, size, Path(args.out)))
    for shot in shots:
        print(json.dumps(shot))
    window.close()
    db.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
