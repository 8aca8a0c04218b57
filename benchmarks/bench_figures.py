"""Measure the figure engine against the Recognizers-Text specification suites.

Prints JSON: for every spec file, span precision / recall, value accuracy on the
matched spans and throughput, once over all cases and once over the cases the
reference Python package was run on (cases not tagged NotSupported for python);
then throughput on the sample articles. Matching rules: docs/figures.md.

    python benchmarks/bench_figures.py [--suite ../shared/benchmarks/recognizers-text]
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

from annotator.text.figures import lex as lex  # noqa: E402
from annotator.text.figures import currencies, units  # noqa: E402
from annotator.text.figures import extract_figures  # noqa: E402
from annotator.text.figures.numerals import fold  # noqa: E402

# Which of our kinds each model is compared with.
KINDS = {
    # the suite marks the number inside "$20", "百分之五十五" and "第零十"
    "NumberModel": {"number", "count", "money", "percent", "ordinal"},
    "PercentModel": {"percent"},
    "CurrencyModel": {"money"},
    "NumberRangeModel": {"range"},
}
LOWER = lex.LOWER_STRICT | lex.LOWER_INCL
UPPER = lex.UPPER_STRICT | lex.UPPER_INCL

REFERENCE = {  # span P/R of recognizers-text-suite 1.0.2a2 (python), from the suite README
    "Number_Chinese_NumberModel": (0.969, 0.954),
    "Number_Chinese_PercentModel": (0.987, 0.919),
    "NumberWithUnit_Chinese_CurrencyModel": (0.914, 0.914),
    "Number_English_NumberModel": (0.851, 0.844),
    "Number_English_PercentModel": (1.0, 1.0),
    "NumberWithUnit_English_CurrencyModel": (0.977, 0.985),
}


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


_PERCENT_LEFT = ["百分之"]
_PERCENT_RIGHT = ["%", "percent", "per cent", "个百分点", "百分点"]
_LEFT_WORDS = _alt(
    list(lex.EN_QUALIFIERS) + list(lex.ZH_QUALIFIERS) + list(currencies.PREFIX_CURRENCIES) + ["有", "第", "比", "the"]
    + _PERCENT_LEFT
)
_RIGHT_WORDS = _alt(
    list(units.ZH_CLASSIFIERS) + list(currencies.ZH_SUFFIX_CURRENCIES) + list(currencies.EN_SUFFIX_CURRENCIES)
    + list(lex.ZH_SUFFIX_QUALIFIERS) + list(lex.EN_SUFFIX_QUALIFIERS) + ["多", "余", "大", "小", "低", "高"]
    + _PERCENT_RIGHT
)
EXTRA_LEFT = re.compile(rf"(?:\s|{_LEFT_WORDS})*", re.I)
EXTRA_RIGHT = re.compile(rf"(?:\s|{_RIGHT_WORDS})*", re.I)


def span_matches(text: str, ours: tuple[int, int], theirs: tuple[int, int]) -> bool:
    """Equal spans, or ours covers theirs and the extra is only qualifier, currency,
    classifier or percent words (which the suite leaves outside some of its spans)."""
    (os_, oe), (ts, te) = ours, theirs
    if (os_, oe) == (ts, te):
        return True
    if os_ > ts or oe < te:
        return False
    text = fold(text)  # 個 -> 个, full-width -> ASCII; same length, same offsets
    return bool(EXTRA_LEFT.fullmatch(text[os_:ts]) and EXTRA_RIGHT.fullmatch(text[te:oe]))


def _interval(f) -> tuple:
    if f.kind == "range":
        return (f.value, f.value_max)
    q = f.qualifier or ""
    if q in LOWER:
        return (f.value, None)
    if q in UPPER:
        return (None, f.value)
    return (f.value, f.value)


def _parse_interval(s: str) -> tuple:
    lo, hi = s.strip("[]()").split(",")
    return (float(lo) if lo else None, float(hi) if hi else None)


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def value_ok(model: str, f, res: dict) -> bool:
    v = res.get("value")
    if model == "NumberRangeModel":
        want = _parse_interval(v)
        got = _interval(f)
        return _close(got[0], want[0]) and _close(got[1], want[1])
    if v in (None, "null"):
        return False
    want = float(str(v).rstrip("%"))
    return _close(f.value, want)


def ours_for(model: str, figs) -> list:
    kinds = KINDS[model]
    out = []
    for f in figs:
        if f.kind in kinds or model == "NumberRangeModel" and (f.qualifier in LOWER | UPPER | {"exactly"}) and f.kind != "range":
            out.append(f)
    return out


def python_supported(case: dict) -> bool:
    tags = (str(case.get("NotSupported", "")) + str(case.get("NotSupportedByDesign", ""))).lower()
    return "python" not in tags


def score(path: Path, cases: list, lang: str) -> dict:
    model = path.stem.split("_")[-1]
    tp = n_ours = n_theirs = val_ok = 0
    nbytes = 0
    t0 = time.perf_counter()
    results = [extract_figures(c["Input"], lang) for c in cases]
    elapsed = time.perf_counter() - t0
    misses, extras = [], []
    for case, figs in zip(cases, results):
        text = case["Input"]
        nbytes += len(text.encode("utf-8"))
        ours = ours_for(model, figs)
        theirs = case.get("Results", [])
        n_ours += len(ours)
        n_theirs += len(theirs)
        used: set[int] = set()
        for r in theirs:
            span = (r["Start"], r["End"] + 1)
            hit = next(
                (i for i, f in enumerate(ours) if i not in used and span_matches(text, (f.start, f.end), span)),
                None,
            )
            if hit is None:
                misses.append((text, r["Text"]))
                continue
            used.add(hit)
            tp += 1
            val_ok += value_ok(model, ours[hit], r.get("Resolution") or {})
        extras.extend((text, f.text) for i, f in enumerate(ours) if i not in used)
    return {
        "cases": len(cases),
        "expected": n_theirs,
        "found": n_ours,
        "precision": round(tp / n_ours, 3) if n_ours else 1.0,
        "recall": round(tp / n_theirs, 3) if n_theirs else 1.0,
        "value_accuracy": round(val_ok / tp, 3) if tp else None,
        "mb_per_s": round(nbytes / 1e6 / elapsed, 3) if elapsed else None,
        "_misses": misses,
        "_extras": extras,
    }


def bench_suite(suite: Path, verbose: bool) -> list[dict]:
    rows = []
    for path in sorted(suite.glob("*.json")):
        if "DateTime" in path.name:
            continue
        cases = json.loads(path.read_text(encoding="utf-8-sig"))
        lang = "zh" if "_Chinese_" in path.name else "en"
        row = {"file": path.name}
        for label, subset in (("all", cases), ("reference_cases", [c for c in cases if python_supported(c)])):
            if not subset:
                row[label] = None
                continue
            s = score(path, subset, lang)
            if verbose and label == "all":
                row["misses"] = [f"{t!r} -> {x!r}" for t, x in s["_misses"]]
                row["extras"] = [f"{t!r} -> {x!r}" for t, x in s["_extras"]]
            row[label] = {k: v for k, v in s.items() if not k.startswith("_")}
        ref = REFERENCE.get(path.stem)
        if ref:
            row["reference_p_r"] = list(ref)
        rows.append(row)
    return rows


def bench_samples(samples: Path, repeat: int) -> list[dict]:
    rows = []
    by_lang: dict[str, str] = {}
    for p in sorted(samples.glob("*.txt")):
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # encoding samples of the import tests, not article text
        lang = "zh" if re.search(r"[\u4e00-\u9fff]{20}", text) else "en"
        by_lang[lang] = by_lang.get(lang, "") + text + "\n\n"
    for lang, text in sorted(by_lang.items()):
        big = text * max(1, 2_000_000 // max(1, len(text.encode("utf-8"))))
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            figs = extract_figures(big)
            times.append(time.perf_counter() - t0)
        mb = len(big.encode("utf-8")) / 1e6
        rows.append(
            {
                "samples": lang,
                "megabytes": round(mb, 2),
                "figures": len(figs),
                "median_s": round(statistics.median(times), 3),
                "mb_per_s": round(mb / statistics.median(times), 2),
            }
        )
    return rows


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", type=Path, default=ROOT.parent / "shared" / "benchmarks" / "recognizers-text")
    ap.add_argument("--samples", type=Path, default=ROOT / "samples")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--verbose", action="store_true", help="list missed and extra spans")
    args = ap.parse_args(argv)
    extract_figures("warm up: “一”")  # reads the word dictionary once, outside the timings
    out = {"suite": bench_suite(args.suite, args.verbose) if args.suite.is_dir() else None}
    out["samples"] = bench_samples(args.samples, args.repeat) if args.samples.is_dir() else None
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
