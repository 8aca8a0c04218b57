"""Measure the figures an import stores against the annotated real-news development set.

Each article of `benchmarks/realnews_dev.jsonl` names a file of the real-news corpus
(`../shared/realnews/` next to the repository; `--corpus DIR` or `$ANNOTATOR_REALNEWS`
to point elsewhere). The file is read the way `annotator import` reads it
(`annotator.readers.read_file`) and analysed by the import's own text half
(`annotator.text.pipeline.analyse`), so the figures compared are the ones a reviewer
would see: those of the claims, outside boilerplate, with their warnings.

Gold figures are located by their context (unique in the article) and then their
surface inside it; a reported figure matches a gold one when their spans overlap
(each matches at most one). Prints JSON per language (en, zh-hans, zh-hant) and
overall: precision, recall, value / unit / currency / kind accuracy of the matched
figures, the false-warning rate on right figures, per-warning-code precision, and the
errors by class (spurious, missed, wrong value, wrong unit, wrong currency, wrong kind,
false warning) with their surfaces.

A gold figure marked `optional` (a borderline figure: "the two of them", a page's
date stamp, a headline in a "most read" list) costs nothing when missed and is not
spurious when reported; it is left out of every rate. A reported figure overlapping a
`not_figures` entry is spurious and carries that entry's reason.

`benchmarks/realnews_holdout.jsonl` (`--set holdout`) is annotated the same way on
other articles of the corpus, written before the engine was tuned on the development
set and never used to tune it: the rules are general when its rates stay close.

    python benchmarks/bench_realnews.py [--set dev|holdout] [--corpus DIR] [--gold FILE]
                                        [--examples N] [--summary]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOLD = ROOT / "benchmarks" / "realnews_dev.jsonl"
SETS = {"dev": GOLD, "holdout": ROOT / "benchmarks" / "realnews_holdout.jsonl"}
LANGUAGES = ("en", "zh-hans", "zh-hant")
ERROR_CLASSES = ("spurious", "missed", "wrong_value", "wrong_unit", "wrong_currency",
                 "wrong_kind", "false_warning")


def default_corpus() -> Path:
    env = os.environ.get("ANNOTATOR_REALNEWS")
    return Path(env) if env else ROOT.parent / "shared" / "realnews"


# ---------------------------------------------------------------- matching (pure)

@dataclass
class Reported:
    """One figure as the engine reported it (only what scoring needs)."""

    start: int
    end: int
    text: str
    kind: str
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    currency: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class ArticleResult:
    file: str
    group: str                                   # en, zh-hans, zh-hant
    gold: int = 0                                # non-optional gold figures
    reported: int = 0                            # reported, less those matching optional gold
    matched: int = 0
    value_ok: int = 0
    unit_total: int = 0
    unit_ok: int = 0
    currency_total: int = 0
    currency_ok: int = 0
    kind_ok: int = 0
    warned: int = 0                              # matched right figures carrying a false warning
    warning_true: Counter = field(default_factory=Counter)
    warning_false: Counter = field(default_factory=Counter)
    warning_on_spurious: Counter = field(default_factory=Counter)
    errors: dict = field(default_factory=lambda: defaultdict(list))


def locate(text: str, context: str, surface: str) -> tuple[int, int] | None:
    """The span of `surface` inside the one occurrence of `context`; None if the context
    is missing, not unique, or does not hold the surface."""
    at = text.find(context)
    if at < 0 or text.find(context, at + 1) >= 0:
        return None
    i = context.find(surface)
    if i < 0:
        return None
    return at + i, at + i + len(surface)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def norm_unit(unit: str | None) -> str | None:
    """Compare units the way the engine stores them: folded (個 -> 个), case-folded,
    without an English plural s (`years` = `year`) or spaces."""
    if not unit:
        return None
    from annotator.text.figures.numerals import fold

    u = re.sub(r"\s+", " ", fold(unit).strip().casefold())
    if re.fullmatch(r"[a-z][a-z ]*[a-z]", u) and u.endswith("s") and not u.endswith("ss"):
        u = u[:-1]
    return u


def _snippet(text: str, start: int, end: int, width: int = 15) -> str:
    return text[max(0, start - width):end + width].replace("\n", " ")


def match_article(text: str, record: dict, reported: list[Reported],
                  group: str | None = None) -> ArticleResult:
    """Score one article's reported figures against its gold record."""
    res = ArticleResult(record["file"] + (f":{record['record']}" if record.get("record") else ""),
                        group or group_of(record))
    gold, optional = [], []
    for g in record.get("figures", []):
        span = locate(text, g["context"], g["surface"])
        if span is None:
            res.errors["missed"].append({"surface": g["surface"], "context": g["context"],
                                         "why": "gold context not found in the imported text"})
            if not g.get("optional"):
                res.gold += 1
            continue
        (optional if g.get("optional") else gold).append((span, g))
    res.gold += len(gold)
    nots = []
    for n in record.get("not_figures", []):
        span = locate(text, n["context"], n["surface"])
        if span is not None:
            nots.append((span, n))

    used: set[int] = set()

    def assign(entries) -> dict[int, int]:
        pairs = sorted(((_overlap(gs, (r.start, r.end)), gi, ri)
                        for gi, (gs, _) in enumerate(entries)
                        for ri, r in enumerate(reported)
                        if ri not in used and _overlap(gs, (r.start, r.end)) > 0),
                       key=lambda p: (-p[0], p[1], p[2]))
        out: dict[int, int] = {}
        for _, gi, ri in pairs:
            if gi in out or ri in used:
                continue
            out[gi] = ri
            used.add(ri)
        return out

    matched = assign(gold)
    matched_optional = assign(optional)
    res.reported = len(reported) - len(matched_optional)
    res.matched = len(matched)

    for gi, ri in matched.items():
        (gs, g), r = gold[gi], reported[ri]
        where = {"surface": g["surface"], "found": r.text, "context": g["context"]}
        vmax_ok = ("value_max" not in g and g.get("kind") != "range") or _same_number(
            g.get("value_max"), r.value_max)
        if _same_number(g.get("value"), r.value) and vmax_ok:
            res.value_ok += 1
        else:
            res.errors["wrong_value"].append({**where, "gold": [g.get("value"), g.get("value_max")],
                                              "got": [r.value, r.value_max], "got_kind": r.kind})
        if g.get("unit"):
            res.unit_total += 1
            if norm_unit(g["unit"]) == norm_unit(r.unit):
                res.unit_ok += 1
            else:
                res.errors["wrong_unit"].append({**where, "gold": g["unit"], "got": r.unit})
        if g.get("currency"):
            res.currency_total += 1
            if g["currency"] == r.currency:
                res.currency_ok += 1
            else:
                res.errors["wrong_currency"].append({**where, "gold": g["currency"],
                                                     "got": r.currency})
        if g.get("kind") == r.kind:
            res.kind_ok += 1
        else:
            res.errors["wrong_kind"].append({**where, "gold": g.get("kind"), "got": r.kind})
        expected = set(g.get("warnings", []))
        false = [w for w in r.warnings if w not in expected]
        for w in r.warnings:
            (res.warning_true if w in expected else res.warning_false)[w] += 1
        if false:
            res.warned += 1
            res.errors["false_warning"].append({**where, "warnings": false})

    for ri, r in enumerate(reported):
        if ri in used:
            continue
        span = (r.start, r.end)
        entry = {"surface": r.text, "kind": r.kind, "value": r.value,
                 "context": _snippet(text, r.start, r.end)}
        hit = next((n for ns, n in nots if _overlap(ns, span) > 0), None)
        if hit is not None:
            entry["not_figure"] = hit["why"]
        elif any(_overlap(gs, span) > 0 for gs, _ in gold):
            entry["fragment_of"] = next(g["surface"] for gs, g in gold if _overlap(gs, span) > 0)
        elif any(_overlap(gs, span) > 0 for gs, _ in optional):
            continue  # a second piece of an optional figure: neither right nor wrong
        res.errors["spurious"].append(entry)
        for w in r.warnings:
            res.warning_on_spurious[w] += 1

    for gi, (gs, g) in enumerate(gold):
        if gi not in matched:
            res.errors["missed"].append({"surface": g["surface"], "kind": g.get("kind"),
                                         "context": g["context"]})
    return res


def group_of(record: dict) -> str:
    if record.get("language") == "zh":
        return "zh-" + (record.get("script") or "hans")
    return record.get("language") or "?"


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def summarise(results: list[ArticleResult]) -> dict:
    """Rates over a list of article results."""
    tot = Counter()
    wt, wf, ws = Counter(), Counter(), Counter()
    for r in results:
        for k in ("gold", "reported", "matched", "value_ok", "unit_total", "unit_ok",
                  "currency_total", "currency_ok", "kind_ok", "warned"):
            tot[k] += getattr(r, k)
        wt.update(r.warning_true)
        wf.update(r.warning_false)
        ws.update(r.warning_on_spurious)
    tp = tot["matched"]
    codes = sorted(set(wt) | set(wf) | set(ws))
    errors = Counter()
    for r in results:
        for cls, items in r.errors.items():
            errors[cls] += len(items)
    return {
        "articles": len(results),
        "gold_figures": tot["gold"],
        "reported": tot["reported"],
        "matched": tp,
        "precision": _rate(tp, tot["reported"]),
        "recall": _rate(tp, tot["gold"]),
        "value_accuracy": _rate(tot["value_ok"], tp),
        "unit_accuracy": _rate(tot["unit_ok"], tot["unit_total"]),
        "unit_checked": tot["unit_total"],
        "currency_accuracy": _rate(tot["currency_ok"], tot["currency_total"]),
        "currency_checked": tot["currency_total"],
        "kind_accuracy": _rate(tot["kind_ok"], tp),
        "false_warning_rate": _rate(tot["warned"], tp),
        "warning_precision": {c: {"right": wt[c], "wrong": wf[c], "on_spurious": ws[c],
                                  "precision": _rate(wt[c], wt[c] + wf[c] + ws[c])}
                              for c in codes},
        "errors": {c: errors[c] for c in ERROR_CLASSES},
    }


def error_list(results: list[ArticleResult], limit: int | None) -> dict:
    out = {}
    for cls in ERROR_CLASSES:
        items = [{"file": r.file, **e} for r in results for e in r.errors.get(cls, [])]
        if cls == "spurious":
            # the commonest reasons first, so the biggest fixes are on top
            why = Counter(e.get("not_figure") or ("fragment" if "fragment_of" in e else "unlisted")
                          for e in items)
            out["spurious_by_reason"] = dict(why.most_common())
        out[cls] = items if limit is None else items[:limit]
    return out


# ---------------------------------------------------------------- the engine

def reported_figures(text: str) -> list[Reported]:
    """The figures an import stores for this text: those of its claims."""
    from annotator.text.pipeline import analyse

    out = []
    for c in analyse(text).claims:
        for f in c.figures:
            out.append(Reported(f.start, f.end, f.text, f.kind, f.value, f.value_max,
                                f.unit, f.currency, tuple(w.code for w in f.warnings)))
    return out


def imported_text(corpus: Path, record: dict) -> str:
    """The article text exactly as `annotator import` stores it."""
    from annotator.domain import RawArticle
    from annotator.readers import read_file

    items = [i for i in read_file(corpus / record["file"]) if isinstance(i, RawArticle)]
    n = record.get("record") or 1
    if len(items) < n:
        raise ValueError(f"{record['file']}: no article {n} (the reader gave {len(items)})")
    return items[n - 1].text


def load_gold(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run(corpus: Path, gold_path: Path, examples: int | None) -> dict:
    records = load_gold(gold_path)
    t0 = time.perf_counter()
    results, failures = [], []
    for rec in records:
        try:
            text = imported_text(corpus, rec)
        except (OSError, ValueError) as e:
            failures.append({"file": rec["file"], "error": str(e)})
            continue
        results.append(match_article(text, rec, reported_figures(text)))
    by_group = {g: summarise([r for r in results if r.group == g]) for g in LANGUAGES}
    return {
        "corpus_articles": len(records),
        "failed_to_read": failures,
        "per_language": by_group,
        "overall": summarise(results),
        "error_examples": error_list(results, examples),
        "seconds": round(time.perf_counter() - t0, 2),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=None,
                    help="the real-news folder (default: $ANNOTATOR_REALNEWS, else "
                         "../shared/realnews next to the repository)")
    ap.add_argument("--set", dest="set_name", choices=sorted(SETS), default="dev",
                    help="the annotated set: dev (the development set, default) or holdout "
                         "(articles kept out of tuning)")
    ap.add_argument("--gold", type=Path, default=None,
                    help="an annotated file of the same format instead of --set")
    ap.add_argument("--examples", type=int, default=None,
                    help="at most this many examples per error class (default: all)")
    ap.add_argument("--summary", action="store_true", help="rates only, no error lists")
    args = ap.parse_args(argv)
    corpus = args.corpus or default_corpus()
    if not corpus.is_dir():
        print(f"skipped: real-news corpus not found at {corpus} "
              "(use --corpus DIR or set ANNOTATOR_REALNEWS)", file=sys.stderr)
        return 0
    out = run(corpus, args.gold or SETS[args.set_name], args.examples)
    if args.summary:
        out.pop("error_examples")
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
