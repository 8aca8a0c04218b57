"""Throughput of find_claims, the figure engine's share of every import.

Reads a corpus (a JSONL file of objects with "text", or a folder of .jsonl / .txt
files, as benchmarks/make_corpus.py writes them) and the sample articles, finds the
boilerplate once, then times find_claims over all texts `--repeat` times. Prints JSON
with the median and every run, in MB/s of UTF-8 text, and a digest of all claims and
figures: a speed-up must leave the digest unchanged.

    python benchmarks/make_corpus.py 1000 --out corpus/
    python benchmarks/bench_claims.py corpus/ [--repeat 5] [--profile 25]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.text.claims import find_claims  # noqa: E402
from annotator.text.clean import find_boilerplate  # noqa: E402
from annotator.text.figures import figure_to_dict  # noqa: E402


def read_corpus(path: Path) -> list[str]:
    files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.suffix in (".jsonl", ".txt"))
    texts = []
    for p in files:
        if p.suffix == ".jsonl":
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    texts.append(json.loads(line).get("text") or "")
        else:
            texts.append(p.read_text(encoding="utf-8"))
    return texts


def digest(results) -> str:
    h = hashlib.sha256()
    for claims in results:
        for c in claims:
            row = [c.start, c.end, [figure_to_dict(f) for f in c.figures]]
            h.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return h.hexdigest()[:16]


def measure(texts: list[str], repeat: int) -> dict:
    boiler = [find_boilerplate(t) for t in texts]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    runs, results = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        results = [find_claims(t, b) for t, b in zip(texts, boiler)]
        runs.append(time.perf_counter() - t0)
    med = statistics.median(runs)
    return {
        "texts": len(texts),
        "megabytes": round(mb, 3),
        "claims": sum(len(r) for r in results),
        "figures": sum(len(c.figures) for r in results for c in r),
        "median_s": round(med, 3),
        "mb_per_s": round(mb / med, 2),
        "runs_mb_per_s": [round(mb / t, 2) for t in runs],
        "digest": digest(results),
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="?", help="JSONL file or folder of a corpus")
    ap.add_argument("--samples", type=Path, default=ROOT / "samples")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="profile one pass over the corpus and print the top N functions to stderr")
    args = ap.parse_args(argv)
    find_claims("warm up: “一”。")  # reads the word dictionary once, outside the timings
    out = {}
    samples = [p.read_text(encoding="utf-8") for p in sorted(args.samples.glob("00*.txt"))]
    if samples:
        out["samples"] = measure(samples * 20, args.repeat)
    if args.corpus:
        texts = read_corpus(args.corpus)
        out["corpus"] = measure(texts, args.repeat)
        if args.profile:
            boiler = [find_boilerplate(t) for t in texts]
            prof = cProfile.Profile()
            prof.enable()
            for t, b in zip(texts, boiler):
                find_claims(t, b)
            prof.disable()
            pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(args.profile)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
