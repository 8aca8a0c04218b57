"""Correctness and speed of Chinese script conversion (annotator.text.chinese).

Correctness: OpenCC's own test cases, one exact-match test per (case, configuration) pair for
the ten configurations the project uses. Speed: MB/s of UTF-8 input for s2t and s2twp on a
few MB of real text (samples/001 and its Traditional conversion, repeated), converted per
paragraph as the application does, and the time to convert one article. Prints JSON.

Usage: python benchmarks/bench_convert.py [--cases PATH] [--mb 4] [--repeat 5]
(run from the repository root; the default cases file is
../shared/benchmarks/opencc/testcases.json)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.text import chinese  # noqa: E402

DEFAULT_CASES = ROOT.parent / "shared" / "benchmarks" / "opencc" / "testcases.json"
ARTICLE = ROOT / "samples" / "001_1bdd7b1565627bd6.txt"


def load_cases(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r",(\s*[}\]])", r"\1", text)  # the upstream file has trailing commas
    return json.loads(text)["cases"]


def correctness(cases: list[dict]) -> dict:
    per_config = {c: {"passed": 0, "total": 0} for c in chinese.CONFIGS}
    failures = []
    for case in cases:
        for config, expected in case["expected"].items():
            if config not in per_config:
                continue
            per_config[config]["total"] += 1
            try:
                got = chinese.convert(case["input"], config)
            except chinese.UnsupportedConfig:
                got = None
            if got == expected:
                per_config[config]["passed"] += 1
            elif len(failures) < 5:
                failures.append({"id": case["id"], "config": config,
                                 "expected": expected[:60], "got": (got or "")[:60]})
    passed = sum(v["passed"] for v in per_config.values())
    total = sum(v["total"] for v in per_config.values())
    return {"passed": passed, "total": total, "share": round(passed / total, 4),
            "per_config": per_config, "first_failures": failures}


def corpus(megabytes: float) -> str:
    simplified = ARTICLE.read_text(encoding="utf-8")
    both = simplified + "\n" + chinese.convert(simplified, "s2t") + "\n"
    copies = max(1, int(megabytes * 1e6 / len(both.encode("utf-8"))))
    return both * copies


def throughput(text: str, config: str, repeat: int) -> float:
    size = len(text.encode("utf-8")) / 1e6
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        chinese.convert_paragraphs(text, config)
        times.append(time.perf_counter() - started)
    return round(size / statistics.median(times), 2)


def article_ms(function, config: str, n: int) -> float:
    text = ARTICLE.read_text(encoding="utf-8")
    times = []
    for _ in range(n):
        started = time.perf_counter()
        function(text, config)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--mb", type=float, default=4.0, help="size of the speed corpus")
    parser.add_argument("--repeat", type=int, default=5, help="runs per speed figure")
    args = parser.parse_args()
    text = corpus(args.mb)
    out = {
        "backend": chinese.backend(),
        "correctness": correctness(load_cases(args.cases)),
        "corpus_mb": round(len(text.encode("utf-8")) / 1e6, 2),
        "mb_per_s_median": {c: throughput(text, c, args.repeat) for c in ("s2t", "s2twp")},
        "article": {"chars": len(ARTICLE.read_text(encoding="utf-8")),
                    "convert_ms_median_of_50":
                        {c: article_ms(chinese.convert, c, 50) for c in ("s2t", "s2twp")},
                    "convert_with_offsets_ms_median_of_50":
                        {c: article_ms(chinese.convert_with_offsets, c, 50)
                         for c in ("s2t", "s2twp")}},
    }
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
