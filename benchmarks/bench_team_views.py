"""The window's team views on a 10,000-figure dataset with two reviewers (offscreen).

    python benchmarks/bench_team_views.py [--articles 2000] [--repeat 5]

Builds two reviewers' databases with bench_team.py's synthetic articles (five figures
each; the reviewers disagree on one figure in ten) and merges them into a lead's
database, then measures, as median seconds of --repeat runs:

- overview_service: `team.dataset_overview` (what the dataset view's worker runs), before
  and after sign-off (signed adds the content hash);
- overview_shown: Ctrl+D to the numbers on screen, worker included;
- overview_fill: filling the view from a computed overview (GUI thread);
- conflicts_reload: reading every conflict and listing it in the conflicts view (GUI thread);
- take: T on a conflict: adjudicated, written, the row gone, the next one open;
- signoff_state / refused_check: what the window reads on the GUI thread for the lock
  (after a write, and before asking E/F);
- sign_in_worker: Dataset > Sign off until it reports back.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_team import build_reviewer  # noqa: E402

DATASET = "bench"


class Answers:
    """Dialogs that answer yes and never show."""

    def confirm(self, *_a):
        return True

    def error(self, *_a):
        pass

    def info(self, *_a):
        pass


def build(tmp: Path, articles: int) -> Path:
    from annotator.services import team
    from annotator.storage.db import open_db

    build_reviewer(tmp / "ana.db", "ana", articles)
    build_reviewer(tmp / "ben.db", "ben", articles)
    lead = open_db(tmp / "lead.db")
    team.merge(lead, tmp / "ana.db")
    team.merge(lead, tmp / "ben.db")
    lead.close()
    return tmp / "lead.db"


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return round(statistics.median(times), 4)


def _wait(app, flag: list, timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not flag and time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def measure(path: Path, repeat: int) -> dict:
    from PySide6.QtCore import QSettings

    from annotator.gui.app import application
    from annotator.gui.main_window import MainWindow
    from annotator.services import review, signoff, team
    from annotator.storage.db import open_db, write_tx
    from annotator.storage.reviews import dataset_figure_ids

    app = application()
    db = open_db(path)
    out: dict = {"figures": len(dataset_figure_ids(db, DATASET))}
    out["overview_service_unsigned"] = _median(lambda: team.dataset_overview(db, DATASET),
                                               repeat)
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    w = MainWindow(db, "lead", db_path=path, settings=settings, dialogs=Answers())
    w.show()
    app.processEvents()

    dialog = w.open_dataset_view()

    def shown_once():
        seen: list = []
        dialog.overviewShown.connect(seen.append)
        dialog.refresh()
        _wait(app, seen)
        dialog.overviewShown.disconnect(seen.append)

    w.jobs.wait()
    app.processEvents()
    out["overview_shown"] = _median(shown_once, repeat)
    overview = dialog.overview
    out["overview_fill"] = _median(lambda: dialog.show_overview(overview), repeat)

    conflicts = w.open_conflicts_view()
    out["conflicts_listed"] = conflicts.model.rowCount()
    out["conflicts_reload"] = _median(conflicts.reload, repeat)
    conflicts.activateWindow()
    takes = []
    for _ in range(repeat):
        t = time.perf_counter()
        conflicts.take("ben")
        app.processEvents()
        takes.append(time.perf_counter() - t)
    out["take"] = round(statistics.median(takes), 4)
    out["signoff_state"] = _median(w.session.refresh_signoff, repeat)
    fid = dataset_figure_ids(db, DATASET)[0]
    out["refused_check"] = _median(lambda: w.commands.refused(fid), repeat)

    with write_tx(db):  # settle the rest so the dataset can be signed
        for c in team.conflicts(db, DATASET):
            team.adjudicate_pick(db, reviewer="lead", target_id=c.figure_id, pick="ana")
    signoff.sign(db, dataset=DATASET, reviewer="ana")
    done: list = []
    w.team.signFinished.connect(lambda ok, _text: done.append(ok))
    t = time.perf_counter()
    w.team.start_sign_off(DATASET)
    _wait(app, done)
    out["sign_in_worker"] = round(time.perf_counter() - t, 4)
    out["locked_after_sign"] = w.session.locked and done == [True]
    out["overview_service_signed"] = _median(lambda: team.dataset_overview(db, DATASET),
                                             repeat)
    try:
        review.review(db, reviewer="lead", target_id=fid, action="confirm")
        out["locked_refuses"] = False
    except review.ReviewError:
        out["locked_refuses"] = True
    w.close()
    db.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=2000, help="five figures each")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as name:
        path = build(Path(name), args.articles)
        result = measure(path, args.repeat)
    seconds = {k: v for k, v in result.items() if isinstance(v, float)}
    other = {k: v for k, v in result.items() if k not in seconds}
    print(json.dumps({"benchmark": "team_views", "articles": args.articles,
                      "repeat": args.repeat, **other, "median_seconds": seconds}, indent=2))


if __name__ == "__main__":
    main()
