"""A child process for the crash and concurrency tests: a reviewer (or a reader, or an
exporter) working on a database until it is killed.

    python -m tests.reliability.driver review DB --reviewer ana --seed 3 [--count N]
    python -m tests.reliability.driver read DB --seconds 5
    python -m tests.reliability.driver export DB OUT

`review` prints `ok EVENT_ID ...` (the events of one decision) only after the service
returned, that is after COMMIT: a printed id is an acknowledged decision. `busy` is
printed when the database stayed locked past the busy timeout (nothing was written).
`read` checks, in one snapshot at a time, that no half-written review is visible, and
prints `read N` per snapshot. `export` exports the database to OUT again and again.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from annotator.storage.db import DatabaseBusy, open_db


def targets(db) -> tuple[list[str], list[str]]:
    """Figure ids, and ids of claims with several figures (one decision, many events)."""
    figures = [r[0] for r in db.execute("SELECT id FROM figures ORDER BY id")]
    claims = [r[0] for r in db.execute(
        "SELECT claim_id FROM figures GROUP BY claim_id HAVING COUNT(*) > 1 ORDER BY claim_id")]
    return figures, claims


def _decision(rng: random.Random, figures: list[str], claims: list[str]) -> dict:
    action = rng.choice(["confirm", "confirm", "correct", "flag", "clear", "undo", "redo"])
    if action in ("undo", "redo"):
        return {"action": action}
    if action == "correct":
        return {"action": action, "target_id": rng.choice(figures),
                "value": round(rng.uniform(0, 1e6), 2), "note": f"n{rng.randrange(1000)}"}
    target = rng.choice(claims) if claims and rng.random() < 0.3 else rng.choice(figures)
    extra = {"reason": rng.choice(["wrong_figure", "outdated", "other"])} if action == "flag" else {}
    return {"action": action, "target_id": target, **extra}


def review_loop(db_path: str, reviewer: str, seed: int, count: int, pause: float) -> None:
    from annotator.services import review as svc

    db = open_db(db_path)
    figures, claims = targets(db)
    rng = random.Random(seed)
    print("ready", flush=True)
    done = 0
    while count <= 0 or done < count:
        d = _decision(rng, figures, claims)
        try:
            if d["action"] == "undo":
                changes = svc.undo(db, reviewer=reviewer)
            elif d["action"] == "redo":
                changes = svc.redo(db, reviewer=reviewer)
            else:
                changes = svc.review(db, reviewer=reviewer, **d)
        except svc.ReviewError:
            continue  # nothing to undo, a claim's several figures given one value ...
        except DatabaseBusy:
            print("busy", flush=True)
            continue
        print("ok " + " ".join(changes.events), flush=True)
        done += 1
        if pause:
            time.sleep(pause)


def read_loop(db_path: str, seconds: float) -> None:
    from tests.reliability.invariants import review_state_errors

    db = open_db(db_path, check=False, migrate=False)
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        db.execute("BEGIN")  # one snapshot: what a window would show at one moment
        try:
            problems = review_state_errors(db)
        finally:
            db.execute("COMMIT")
        if problems:
            print("bad " + "; ".join(problems[:5]), flush=True)
            sys.exit(1)
        n += 1
        print(f"read {n}", flush=True)


def export_loop(db_path: str, out: str) -> None:
    from annotator.services.export import records as exporter

    db = open_db(db_path, check=False, migrate=False)
    n = 0
    while True:
        exporter.export(db, out)
        n += 1
        print(f"exported {n}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("review")
    r.add_argument("db")
    r.add_argument("--reviewer", default="ana")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--count", type=int, default=0, help="decisions to make (0: until killed)")
    r.add_argument("--pause", type=float, default=0.0)
    rd = sub.add_parser("read")
    rd.add_argument("db")
    rd.add_argument("--seconds", type=float, default=5.0)
    ex = sub.add_parser("export")
    ex.add_argument("db")
    ex.add_argument("out")
    args = ap.parse_args(argv)
    if args.mode == "review":
        review_loop(args.db, args.reviewer, args.seed, args.count, args.pause)
    elif args.mode == "read":
        read_loop(args.db, args.seconds)
    else:
        export_loop(args.db, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
