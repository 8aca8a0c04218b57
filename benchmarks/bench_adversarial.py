"""How the text analysis scales on pathological input that scraping really produces
(long runs of spaces, digits, separators, numerals, emoji) and on some it could.

    python benchmarks/bench_adversarial.py [--sizes 5000,10000,20000,40000] [--limit 20]

For each pattern, the whole analysis of one import (annotator.text.pipeline.analyse) is
timed on texts of growing size made by repeating the pattern; the growth exponent between
the smallest and largest size measured says whether the cost is linear (about 1) or worse
(2 = quadratic). A pattern stops growing once one run takes more than --limit seconds.
Prints one JSON object: per pattern, seconds per size and the exponent; `superlinear`
lists the patterns whose exponent exceeds 1.5.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time

PATTERNS = {
    "spaces": " ",
    "newlines": "\n",
    "crlf_blank_lines": "\r\n",
    "tabs_and_ideographic_spaces": "\t\u3000",
    "digits": "1234567890",
    "digit_commas": "1,",
    "digit_dots": "1.",
    "digit_dashes": "1-2-",
    "digit_slashes": "1/2/",
    "digit_spaces": "1 ",
    "percent": "5% ",
    "dollars": "$1 ",
    "chinese_numerals": "一二三四五六七八九十百千万亿",
    "chinese_dates": "2024年1月1日",
    "chinese_amounts": "增长5.02万人，",
    "english_number_words": "one hundred and ",
    "emoji": "😀",
    "astral_han": "𠮷",
    "markup": "<b>1</b>",
    "underscores": "_a",
    "brackets": "[ ",
    "sentence": "The fund grew 12% to 3,400 members. ",
}


def measure(pattern: str, sizes: list[int], limit: float) -> dict:
    from annotator.text.pipeline import analyse

    out: dict = {"seconds": {}}
    for n in sizes:
        text = (pattern * (n // len(pattern) + 1))[:n]
        t0 = time.perf_counter()
        analyse(text)
        dt = time.perf_counter() - t0
        out["seconds"][n] = round(dt, 4)
        if dt > limit:
            out["stopped_at"] = n
            break
    done = sorted(out["seconds"])
    if len(done) >= 2:
        a, b = done[0], done[-1]
        ta, tb = max(out["seconds"][a], 1e-4), max(out["seconds"][b], 1e-4)
        out["exponent"] = round(math.log(tb / ta) / math.log(b / a), 2)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Analysis cost on pathological input")
    ap.add_argument("--sizes", default="5000,10000,20000,40000")
    ap.add_argument("--limit", type=float, default=20.0, help="seconds; stop growing a pattern")
    ap.add_argument("--only", default=None, help="comma-separated pattern names")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    from annotator.text.pipeline import analyse

    analyse("warm up 5% 一二三 2024年")  # dictionaries loaded before timing
    names = args.only.split(",") if args.only else list(PATTERNS)
    result = {name: measure(PATTERNS[name], sizes, args.limit) for name in names}
    slow = [n for n, r in result.items() if r.get("exponent", 0) > 1.5 or "stopped_at" in r]
    print(json.dumps({"sizes": sizes, "patterns": result, "superlinear": slow}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
