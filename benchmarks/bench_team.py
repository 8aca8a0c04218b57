"""Time the team operations on two reviewers' databases of growing size.

Each reviewer database holds the same N synthetic articles (five figures each) and one
decision per figure; the reviewers disagree on one figure in ten. Measured: merging
both into an empty database, merging again (nothing new), the agreement statistics,
the conflicts list, the content hash, a sign-off and a signed JSONL export.
Prints JSON with the median seconds of --repeat runs per size.

Usage: python benchmarks/bench_team.py [--sizes 200 2000] [--repeat 3]
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

from annotator.domain import Claim, Figure, RawArticle  # noqa: E402
from annotator.services import signoff, team  # noqa: E402
from annotator.services.export import signed as signed_export  # noqa: E402
from annotator.services.export import verify as verifier  # noqa: E402
from annotator.storage import articles as repo  # noqa: E402
from annotator.storage import reviews as rv  # noqa: E402
from annotator.storage.db import open_db, write_tx  # noqa: E402
from annotator.storage.states import Touched, refresh_figures  # noqa: E402


def _article(i: int) -> tuple[RawArticle, list[Claim]]:
    s1 = f"第{i}篇：香港整体人力短缺达{i % 90 + 10}万人。"
    s2 = f"Only {i + 200} people were hired and {i % 50}% left in {2000 + i % 25}."
    s3 = f"预算为{i + 3}亿元。"
    text = f"{s1}\n{s2}\n{s3}\n"
    claims = []
    for sentence, figs in ((s1, [(f"{i % 90 + 10}万人", "count", (i % 90 + 10) * 10000)]),
                           (s2, [(f"{i + 200} people", "count", i + 200),
                                 (f"{i % 50}%", "percent", i % 50),
                                 (f"{2000 + i % 25}", "year", 2000 + i % 25)]),
                           (s3, [(f"{i + 3}亿元", "money", (i + 3) * 1e8)])):
        start = text.index(sentence)
        figures = []
        for surface, kind, value in figs:
            fs = text.index(surface, start)
            figures.append(Figure(surface, fs, fs + len(surface), kind, float(value)))
        claims.append(Claim(start, start + len(sentence), sentence, figures))
    return RawArticle(source=f"bench/{i}.txt", text=text), claims


def build_reviewer(path: Path, reviewer: str, n: int) -> None:
    d = open_db(path)
    with write_tx(d):
        for i in range(n):
            raw, claims = _article(i)
            aid = repo.insert_article(d, raw, language="zh", script="hans", boilerplate=[],
                                      claims=claims)
            repo.add_to_dataset(d, "bench", aid)
        fids = [r[0] for r in d.execute("SELECT id FROM figures ORDER BY rowid")]
        for k, fid in enumerate(fids):
            disagree = reviewer == "ben" and k % 10 == 0
            new = {"status": "corrected", "value": 1.0} if disagree else {"status": "confirmed"}
            rv.append_event(d, reviewer=reviewer, action="correct" if disagree else "confirm",
                            target_type="figure", target_id=fid, old_state=dict(rv.UNREVIEWED),
                            new_state=new, batch=rv.new_batch())
        refresh_figures(d, fids, Touched())
    d.close()


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def run_once(tmp: Path, ana: Path, ben: Path, k: int) -> dict:
    lead = open_db(tmp / f"lead{k}.db")
    out: dict[str, float] = {}
    out["merge_first"] = _timed(lambda: team.merge(lead, ana))
    out["merge_second_with_conflicts"] = _timed(lambda: team.merge(lead, ben))
    out["merge_again_nothing_new"] = _timed(lambda: team.merge(lead, ben))
    out["agreement"] = _timed(lambda: team.agreement(lead, "bench"))
    found: list = []
    out["conflicts_list"] = _timed(lambda: found.extend(team.conflicts(lead, "bench")))
    with write_tx(lead):
        for c in found:
            team.adjudicate_pick(lead, reviewer="lead", target_id=c.figure_id, pick="ben")
    out["content_hash"] = _timed(lambda: signoff.content_hash(lead, "bench"))
    out["sign"] = _timed(lambda: signoff.sign(lead, dataset="bench", reviewer="ana"))
    signoff.sign(lead, dataset="bench", reviewer="ben")
    out["export_signed_jsonl"] = _timed(
        lambda: signed_export.export_signed(lead, tmp / f"out{k}.jsonl", dataset="bench",
                                            reviewer="lead"))
    manifest = signed_export.manifest_path(tmp / f"out{k}.jsonl")
    out["manifest_bytes"] = manifest.stat().st_size
    out["verify_jsonl"] = _timed(lambda: verifier.verify(manifest, {}))
    out["conflicts_found"] = len(found)
    lead.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    results = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            build_reviewer(tmp / "ana.db", "ana", n)
            build_reviewer(tmp / "ben.db", "ben", n)
            runs = [run_once(tmp, tmp / "ana.db", tmp / "ben.db", k) for k in range(args.repeat)]
        medians = {key: round(statistics.median(r[key] for r in runs), 4) for key in runs[0]}
        results.append({"articles": n, "figures": n * 5, "events_per_reviewer": n * 5,
                        "median_seconds": medians, "repeat": args.repeat})
    print(json.dumps({"benchmark": "team", "results": results}, indent=2))


if __name__ == "__main__":
    main()
