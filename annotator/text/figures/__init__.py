"""Figures stated in Chinese and English text: public API of the extraction engine.

Pipeline (all on a same-length folded copy, so offsets are offsets into the input):
masks (links, codes, names) -> dates and years -> numeric cores (atoms) grown into
candidates (scan, money) -> ranges, bounded ranges and changes joined (ranges)
-> Figure objects, here.
See docs/figures.md for the surface and value conventions.
"""

from __future__ import annotations

import bisect
import re

from annotator.domain import Figure
from annotator.text import checks
from annotator.text.figures.dates import date_iso, era_before, find_dates, lower_copy, uses_minguo
from annotator.text.figures.describe import describe_value
from annotator.text.figures.masks import find_masks
from annotator.text.figures.reading import reading_of
from annotator.text.figures.region import bare_yuan, yuan_currency
from annotator.text.figures.atoms import find_atoms
from annotator.text.figures.scan import Cand, Grower
from annotator.text.figures.numerals import clean_float, fold
from annotator.text.figures import ranges

__all__ = ["extract_figures", "figure_to_dict", "date_iso", "describe_value"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _date_cands(n: str, low: str, masks, minguo: bool = False) -> list[Cand]:
    out = []
    for h in find_dates(n, low, minguo):
        if masks.overlaps(h.start, h.end):
            continue
        c = Cand(h.start, h.end, h.kind, h.value, h.value_max, warnings=list(h.warnings), core=(h.start, h.end))
        c.unit = "year" if h.years else ("date" if h.kind in ("date", "range") else None)
        out.append(c)
    return out


_INF = float("inf")


def _era_years(text: str, n: str, cands: list[Cand]) -> None:
    """光緒十七年 is the year 1891 (the 17th of the Guangxu era), not a count of years."""
    for c in cands:
        if c.value is None or c.value_max is not None or c.value != int(c.value) or c.value < 1:
            continue
        if not (c.kind == "count" and c.unit == "年" or c.kind == "year"):
            continue
        era = era_before(n, c.start)
        if era is None:
            continue
        at, name, first = era
        year = first + int(c.value) - 1
        c.notes.append(f"{text[at:c.end]} -> {first} + {int(c.value)} − 1 = {year} "
                       f"(the {text[at:at + len(name)]} era)")
        c.start, c.kind, c.unit, c.value, c.weak = at, "year", None, float(year), False


def _drop_overlaps(cands: list[Cand], keep_weak: bool) -> list[Cand]:
    """Earliest-starting, then longest, candidate wins an overlap."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Cand] = []
    for c in cands:
        if (c.weak and not keep_weak) or (out and c.start < out[-1].end):
            continue
        out.append(c)
    return out


_REGION_NAMES = {"HKD": "a Hong Kong", "TWD": "a Taiwan", "MOP": "a Macau"}


def _to_figures(text: str, cands: list[Cand], dollar: str | None) -> list[Figure]:
    figs: list[Figure] = []
    index: dict[int, int] = {}
    yuan = yuan_currency(text) if any(c.currency == "CNY" for c in cands) else None
    for c in cands:
        currency = c.currency
        notes = c.notes
        if currency == "$":
            currency = dollar
            notes = notes + [f"$ -> {dollar} (the dollar this article names)" if dollar
                             else "$ -> no currency (the article names several dollars)"]
        elif currency == "CNY" and yuan and bare_yuan(text, c.start, c.end):
            currency = yuan
            notes = notes + [f"元 in {_REGION_NAMES[yuan]} article -> {yuan}"]
        elif currency == "¥":
            currency = "CNY" if "￥" in text[c.start : c.end] or _CJK.search(text) else "JPY"
            notes = notes + [f"¥ -> {currency} ({'Chinese text' if currency == 'CNY' else 'no Chinese text'})"]
        f = Figure(
            text=text[c.start : c.end],
            start=c.start,
            end=c.end,
            kind=c.kind,
            value=clean_float(c.value),
            value_max=clean_float(c.value_max),
            unit=c.unit,
            currency=currency,
            qualifier=c.qualifier,
            warnings=list(c.warnings),
            role=c.role,
        )
        f.warnings = _unique_codes(f.warnings + checks.check_figure(text, f))
        f.reading = notes  # type: ignore[assignment]  # the steps, read into words below
        index[id(c)] = len(figs)
        figs.append(f)
    for c in cands:
        partner = getattr(c, "_partner", None)
        if partner is not None and id(partner) in index:
            figs[index[id(c)]].link = index[id(partner)]
        elif c.role:
            f = figs[index[id(c)]]
            f.kind, f.role = ("number" if f.unit is None else "count"), None
    for f in figs:
        f.reading = reading_of(f, f.reading)  # type: ignore[arg-type]
    return figs


def _unique_codes(warnings: list) -> list:
    seen: set[str] = set()
    return [w for w in warnings if not (w.code in seen or seen.add(w.code))]


_OTHER_DOLLAR_WORDS = (
    "hkd", "hong kong dollar", "港元", "港币", "canadian dollar", "australian dollar",
    "singapore dollar", "taiwan dollar",
)
_OTHER_DOLLAR_SIGN = re.compile(r"(?:hk\s?|c\s|[cas]|nt|nz|mex)\Z")


def _dollar_currency(low: str) -> str | None:
    """A bare $ is a US dollar unless the text names another dollar currency. Plain
    substring tests on the lower-cased copy: a case-insensitive alternation scanned
    the whole text at a tenth of the speed."""
    if any(w in low for w in _OTHER_DOLLAR_WORDS):
        return None
    i = low.find("$")
    while i != -1:
        if _OTHER_DOLLAR_SIGN.search(low, max(0, i - 4), i):
            return None
        i = low.find("$", i + 1)
    return "USD"


def extract_figures(text: str, lang: str = "auto") -> list[Figure]:
    """Every figure in `text`, sorted by start, without overlaps.

    `lang` "zh" or "en" turns off the other language's numeral words; "auto" reads
    both, which is what mixed articles (English names in Chinese text) need.
    """
    if not isinstance(text, str) or not text:
        return []
    n = fold(text)
    low = lower_copy(n)
    masks = find_masks(text, n)
    cands = _date_cands(n, low, masks, uses_minguo(text))
    taken = [(c.start, c.end) for c in cands]
    grower = Grower(n)
    mode = lang if lang in ("zh", "en") else "auto"
    for atom in find_atoms(n, mode, low, text):
        if masks.overlaps(atom.start, atom.end) or _covered_sorted(taken, atom.start, atom.end):
            continue
        c = grower.grow(atom)
        if c is None:
            continue
        if _covered_sorted(taken, c.start, c.end):
            c.start, c.end = _trim_to_free(taken, c, atom)  # a date next to it keeps its text
        cands.append(c)
    if "年" in n:
        _era_years(text, n, cands)
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    cands = _drop_overlaps(cands, keep_weak=True)
    if "秒" in n or "分钟" in n:
        cands = ranges.join_durations(n, cands)
    cands = ranges.join_pairs(n, cands)
    cands.sort(key=lambda c: c.start)
    ranges.share_units(n, cands)
    figs = _to_figures(text, _drop_overlaps(cands, keep_weak=False), _dollar_currency(low))
    return [f for f in figs if f.text and text[f.start : f.end] == f.text]


def _covered_sorted(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    if not spans:
        return False
    i = bisect.bisect_right(spans, (s, _INF)) - 1
    for k in (i, i + 1):
        if 0 <= k < len(spans) and spans[k][0] < e and s < spans[k][1]:
            return True
    return False


def _trim_to_free(spans, c: Cand, atom) -> tuple[int, int]:
    """Shrink a grown candidate back off a date it ran into (the atom itself is free)."""
    s, e = c.start, c.end
    for a, b in spans:
        if a < e and s < b:
            if b <= atom.start:
                s = max(s, b)
            elif a >= atom.end:
                e = min(e, a)
    return s, e


def figure_to_dict(f: Figure) -> dict:
    """JSON-ready form; dates also carry their ISO-style text under "iso"."""
    d = {
        "text": f.text,
        "start": f.start,
        "end": f.end,
        "kind": f.kind,
        "value": f.value,
        "value_max": f.value_max,
        "unit": f.unit,
        "currency": f.currency,
        "qualifier": f.qualifier,
        "warnings": [{"code": w.code, "message": w.message} for w in f.warnings],
        "role": f.role,
        "link": f.link,
        "reading": f.reading,
    }
    if f.kind == "date" or (f.kind == "range" and f.unit == "date"):
        d["iso"] = date_iso(f.value)
        if f.value_max is not None:
            d["iso_max"] = date_iso(f.value_max)
    return d
