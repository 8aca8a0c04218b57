"""Time syncing through a hub (annotator.services.sync, annotator.services.live).

1. A source replica holds N/5/2 synthetic articles (five figures each) and two reviewers'
   decisions on every figure: N signed events. It pushes them to an empty hub (timed).
2. An empty replica syncs everything (articles and events) from the hub (timed, with the
   articles' and the events' phases apart); so does a replica that already holds the
   same articles (imported the same files) but none of the events.
3. The delay from a decision in one replica to its arrival in another's database, both
   syncing a small dataset of their own in the background as the window does
   (LISTEN/NOTIFY), on the same hub: median and p95 of --samples decisions. (The window shows an arrival at its next check for changes,
   which it makes once a second.)

Without --hub it starts a throwaway PostgreSQL cluster (tests/hub/pgserver.py).
Prints JSON.

Usage: python benchmarks/bench_sync.py [--events 100000] [--samples 40] [--hub URL]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_team import _article  # noqa: E402

from annotator.services import live, sync  # noqa: E402
from annotator.services import review as svc  # noqa: E402
from annotator.storage import articles as repo  # noqa: E402
from annotator.storage import hub  # noqa: E402
from annotator.storage import reviews as rv  # noqa: E402
from annotator.storage.db import open_db, write_tx  # noqa: E402


def build(path: Path, n_articles: int, *, events: bool) -> None:
    d = open_db(path)
    with write_tx(d):
        for i in range(n_articles):
            raw, claims = _article(i)
            aid = repo.insert_article(d, raw, language="zh", script="hans", boilerplate=[],
                                      claims=claims)
            repo.add_to_dataset(d, "bench", aid)
        if events:
            fids = [r[0] for r in d.execute("SELECT id FROM figures ORDER BY rowid")]
            for reviewer in ("ana", "ben"):
                for k, fid in enumerate(fids):
                    correct = reviewer == "ben" and k % 10 == 0
                    rv.append_event(d, reviewer=reviewer,
                                    action="correct" if correct else "confirm",
                                    target_type="figure", target_id=fid,
                                    old_state=dict(rv.UNREVIEWED),
                                    new_state={"status": "corrected", "value": 1.0}
                                    if correct else {"status": "confirmed"},
                                    batch=rv.new_batch())
            svc.refresh_figures(d, fids, svc.Changes())
    d.close()


def timed_sync(path: Path, url: str) -> dict:
    d = open_db(path)
    marks: dict[str, float] = {}
    t0 = time.perf_counter()

    def progress(phase: str, n: int) -> None:
        marks[phase] = time.perf_counter() - t0

    s = sync.sync(d, url, progress=progress)
    total = time.perf_counter() - t0
    d.close()
    out = {"seconds": round(total, 2), "events": s.pulled_events + s.pushed_events,
           "articles": s.pulled_articles + s.pushed_articles}
    if "articles" in marks:
        out["articles_phase_seconds"] = round(marks["articles"], 2)
        out["events_phase_seconds"] = round(total - marks["articles"], 2)
    if out["events"]:
        out["events_per_second"] = round(out["events"] / total)
    return out


def delay(tmp: Path, url: str, samples: int) -> dict:
    """Two replicas of a small dataset of its own, on the same hub (holding the events
    above), each syncing that dataset in the background."""
    a_path, b_path = tmp / "live_a.db", tmp / "live_b.db"
    d = open_db(a_path)
    with write_tx(d):
        for i in range(samples // 5 + 1):
            raw, claims = _article(10_000_000 + i)
            aid = repo.insert_article(d, raw, language="zh", script="hans", boilerplate=[],
                                      claims=claims)
            repo.add_to_dataset(d, "live", aid)
    sync.sync(d, url, dataset="live")
    d.close()
    d = open_db(b_path)
    sync.sync(d, url, dataset="live")
    d.close()
    a = live.LiveSync(a_path, url, dataset="live")
    b = live.LiveSync(b_path, url, dataset="live")
    a.start()
    b.start()
    delays = []
    try:
        deadline = time.monotonic() + 30
        while not (a.state.online and b.state.online) and time.monotonic() < deadline:
            time.sleep(0.05)
        ada = open_db(a_path)
        watch = open_db(b_path, check=False)
        fids = [r[0] for r in ada.execute("SELECT id FROM figures ORDER BY rowid LIMIT ?",
                                          [samples])]
        for fid in fids:
            time.sleep(0.3)
            t0 = time.perf_counter()
            ev = svc.review(ada, reviewer="cy", target_id=fid, action="confirm").events[0]
            while watch.execute("SELECT 1 FROM events WHERE id = ?", [ev]).fetchone() is None:
                if time.perf_counter() - t0 > 30:
                    raise SystemExit(f"event {ev} did not arrive in 30 s: {a.state} {b.state}")
                time.sleep(0.002)
            delays.append(time.perf_counter() - t0)
        ada.close()
        watch.close()
    finally:
        a.stop()
        b.stop()
    delays.sort()
    return {"samples": len(delays), "median_ms": round(statistics.median(delays) * 1000, 1),
            "p95_ms": round(delays[int(0.95 * (len(delays) - 1))] * 1000, 1),
            "max_ms": round(delays[-1] * 1000, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--hub", default=None, help="an empty PostgreSQL database (default: a "
                                                "throwaway cluster)")
    args = ap.parse_args()
    server = None
    if args.hub is None:
        from tests.hub import pgserver

        server = pgserver.PgServer(pgserver.server_bin())
        server.start()
        url = server.create_database("bench")
    else:
        url = args.hub
    hub.init(url)
    result: dict = {"events": args.events}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-sync-") as folder:
            tmp = Path(folder)
            n_articles = max(1, args.events // 10)
            t = time.perf_counter()
            build(tmp / "source.db", n_articles, events=True)
            build(tmp / "same_articles.db", n_articles, events=False)
            result["build_seconds"] = round(time.perf_counter() - t, 1)
            result["articles"] = n_articles
            result["push_to_empty_hub"] = timed_sync(tmp / "source.db", url)
            print(json.dumps(result), file=sys.stderr)
            result["pull_into_empty_replica"] = timed_sync(tmp / "empty.db", url)
            result["pull_into_replica_with_the_articles"] = timed_sync(
                tmp / "same_articles.db", url)
            result["nothing_new"] = timed_sync(tmp / "empty.db", url)
            print(json.dumps(result), file=sys.stderr)
            result["decision_to_other_replica"] = delay(tmp, url, args.samples)
    finally:
        if server is not None:
            server.remove()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
