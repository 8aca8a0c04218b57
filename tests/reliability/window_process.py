"""The real review window in a process of its own, for the shared-database torture test.

    python -m tests.reliability.window_process DB --reviewer win --seed 1 --stop STOPFILE

Offscreen, under the database-file guard (tests/dbguard.py). It reviews on a timer as a
reviewer at the keyboard would (confirm and move on, now and then undo or redo), while
its own background jobs run as they do for a person: the checkpoints after each pause,
and a search, an export and the dataset overview on a timer of their own. Every decision
the window acknowledges (its service returned, so it is committed) is printed as
`ack EVENT_ID ...`; the test later looks for each in the database.

It also watches its own descriptors: a `-wal` or `-shm` file this process holds open that
is deleted from the folder means another process believed it was the last user and
removed the log under the window; that prints `wal-deleted` (and is a failure).
The window closes normally when STOPFILE appears, printing `closed`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests import dbguard  # noqa: E402

REVIEW_MS = 40
JOB_MS = 450
WATCH_MS = 50


def deleted_logs(db_path: Path) -> list[str]:
    found = []
    prefix = str(db_path.resolve())
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(prefix) and target.endswith(" (deleted)"):
            found.append(target)
    return found


def _jobs(window, db_path: Path, out_dir: Path, rng: random.Random):
    from annotator.services.export import records as export
    from annotator.services import search, team

    def run_search(db, _p, _c):
        return len(search.search(db, rng.choice(["人才", "創科", "billion", "2028", "香港"])))

    def run_export(db, _p, _c):
        return export.export(db, str(out_dir / "window-export.jsonl")).records

    def run_overview(db, _p, _c):
        names = [r[0] for r in db.execute("SELECT name FROM datasets")]
        return [team.dataset_overview(db, n) for n in names]

    kinds = [run_search, run_export, run_overview]

    def start() -> None:
        fn = rng.choice(kinds)
        window.jobs.start(db_path, fn, failed=lambda m: print(f"job-failed {fn.__name__} {m}",
                                                               flush=True))

    return start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--reviewer", default="win")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stop", required=True)
    args = parser.parse_args()
    dbguard.install()

    from PySide6.QtCore import QSettings, QTimer

    from annotator.gui.app import application
    from annotator.gui.main_window import MainWindow
    from annotator.storage.db import open_db

    db_path = Path(args.db)
    stop = Path(args.stop)
    rng = random.Random(args.seed)
    out_dir = Path(tempfile.mkdtemp(prefix="window-"))
    app = application()
    db = open_db(db_path, check=False)
    settings = QSettings(str(out_dir / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(db, args.reviewer, db_path=db_path, settings=settings)
    window.resize(1280, 720)
    window.show()

    session = window.session
    shown_apply = session.apply

    def apply(changes, *a, **kw):
        shown_apply(changes, *a, **kw)
        if changes.events:
            print("ack " + " ".join(changes.events), flush=True)

    session.apply = apply
    problems: list[str] = []

    def review_step() -> None:
        roll = rng.random()
        acts = window.commands.actions
        if roll < 0.08:
            acts["undo"].trigger()
        elif roll < 0.12:
            acts["redo"].trigger()
        elif roll < 0.2:
            session.open_row(rng.randrange(max(1, session.articles.rowCount())))
        else:
            if session.figure_id is None or not window.commands.confirm():
                session.open_row(rng.randrange(max(1, session.articles.rowCount())))

    def watch() -> None:
        gone = deleted_logs(db_path)
        if gone and not problems:
            problems.extend(gone)
            print("wal-deleted " + " ".join(gone), flush=True)
        if stop.exists():
            window.close()
            app.quit()

    timers = []
    for ms, fn in ((REVIEW_MS, review_step), (JOB_MS, _jobs(window, db_path, out_dir, rng)),
                   (WATCH_MS, watch)):
        t = QTimer()
        t.setInterval(ms)
        t.timeout.connect(fn)
        t.start()
        timers.append(t)
    print("ready", flush=True)
    app.exec()
    window.jobs.wait()
    db.close()
    found = dbguard.violations()
    for v in found:
        print(f"guard {v}", flush=True)
    print("closed", flush=True)
    return 97 if (found or problems) else 0


if __name__ == "__main__":
    sys.exit(main())
