"""Import throughput and memory, end to end, on the synthetic corpus.

    python benchmarks/bench_import.py --sizes 1000,10000 [--runs 1] [--workdir DIR]

For each size: builds the corpus (benchmarks/make_corpus.py), then runs
`annotator import` in a fresh process on a fresh database and measures wall time and peak
RSS of that process and its children. Prints one JSON object per size and a summary with
the cost ratio between the largest and the smallest size (scaled by article count).
Targets (the import issue): 10,000 articles (about 40 MB) at >= 1 MB/s, peak RSS < 500 MB,
and 10x the articles costs <= 11x the time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def corpus(n: int, workdir: Path) -> tuple[Path, int]:
    out = workdir / f"corpus-{n}"
    path = out / f"corpus-{n}.jsonl"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(n), "--out", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
    return path, path.stat().st_size


def run_import(path: Path, db: Path) -> dict:
    if db.exists():
        db.unlink()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "annotator", "import", str(path), "--db", str(db),
                           "--dataset", "bench"], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        raise SystemExit(f"import failed: {proc.stderr[-2000:]}")
    return {"seconds": seconds, "peak_rss_mb": round(max(peak_kb, before) / 1024, 1),
            "summary": proc.stdout.strip().splitlines()[-1]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Import benchmark")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=1, help="runs per size (median reported)")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        path, size = corpus(n, workdir)
        runs = [run_import(path, workdir / f"bench-{n}.db") for _ in range(args.runs)]
        secs = statistics.median(r["seconds"] for r in runs)
        db_size = (workdir / f"bench-{n}.db").stat().st_size
        row = {"articles": n, "mb": round(size / 1e6, 2), "seconds": round(secs, 2),
               "mb_per_s": round(size / 1e6 / secs, 2),
               "articles_per_s": round(n / secs, 1),
               "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
               "db_bytes_per_article": round(db_size / n),
               "runs": args.runs, "summary": runs[-1]["summary"]}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if len(results) >= 2:
        a, b = results[0], results[-1]
        scale = b["articles"] / a["articles"]
        print(json.dumps({"size_ratio": scale,
                          "time_ratio": round(b["seconds"] / a["seconds"], 2),
                          "cost_ratio_per_article": round(b["seconds"] / a["seconds"] / scale, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
