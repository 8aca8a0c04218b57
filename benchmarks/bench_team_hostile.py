"""Team views and decisions when one figure has thousands of reviewers.

    python benchmarks/bench_team_hostile.py [--reviewers 4000] [--repeat 3]

Builds a database with the hand-made five-figure article and --reviewers reviewers who
each decided figure 0 (every fifth corrects it, the rest confirm) and figure 1 (all
confirm), written as events the way `review` writes them. Then measures, as the median
seconds of --repeat runs:

- agreement: `team.agreement` over the dataset;
- overview: `team.dataset_overview` (what the window's dataset view computes);
- decision: one more reviewer's `review` of figure 0 (read the figure's events, append,
  recompute its state);
- undo: that reviewer's `undo`.

Prints one JSON object, with the peak RSS of the process in MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from annotator.services import review as svc  # noqa: E402
from annotator.services import team  # noqa: E402
from annotator.storage import reviews as rv  # noqa: E402
from annotator.storage.db import now_iso, open_db, write_tx  # noqa: E402
from annotator.storage.states import Touched, refresh_figures  # noqa: E402
from tests.core.factories import figure_ids, make_article  # noqa: E402


def build(path: Path, reviewers: int) -> tuple[object, list[str]]:
    db = open_db(path)
    f = figure_ids(db, make_article(db))
    events = []
    for i in range(reviewers):
        name = f"r{i:05d}"
        state = ({"status": "corrected", "value": 180001 + i % 3} if i % 5 == 0
                 else {"status": "confirmed"})
        for fid, new in ((f[0], state), (f[1], {"status": "confirmed"})):
            events.append(rv.Event(rv.new_batch(), now_iso(), name, "correct" if new["status"] == "corrected" else "confirm",
                                   "figure", fid, dict(rv.UNREVIEWED), new, None, None,
                                   rv.new_batch()))
    with write_tx(db):
        rv.insert_events(db, events)
        refresh_figures(db, f[:2], Touched())
    return db, f


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reviewers", type=int, default=4000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        db, f = build(Path(tmp) / "hostile.db", args.reviewers)
        built = time.perf_counter() - t
        out = {"reviewers": args.reviewers,
               "events": db.execute("SELECT COUNT(*) FROM events").fetchone()[0],
               "build_s": round(built, 3)}
        out["agreement_s"] = round(timed(lambda: team.agreement(db, "ds"), args.repeat), 4)
        out["pairs_reported"] = len(team.agreement(db, "ds").pairs)
        out["overview_s"] = round(timed(lambda: team.dataset_overview(db, "ds"), args.repeat), 4)
        n = iter(range(10 ** 6))

        def decide():
            svc.review(db, reviewer=f"late{next(n)}", target_id=f[0], action="confirm")

        out["decision_s"] = round(timed(decide, args.repeat), 4)
        out["undo_s"] = round(timed(lambda: svc.undo(db, reviewer="late0"), 1), 4)
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        db.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
