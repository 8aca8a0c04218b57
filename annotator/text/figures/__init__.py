"""Figures stated in Chinese and English text: public API of the extraction engine.

Pipeline (all on a same-length folded copy, so offsets are offsets into the input):
masks (links, codes, names) -> dates and years -> numeric cores (atoms) grown into
candidates (scan, money) -> ranges, bounded ranges and changes joined
here -> Figure objects.
See docs/figures.md for the surface and value conventions.
"""

from __future__ import annotations

import bisect
import re
from typing import Optional

from annotator.domain import Figure
from annotator.text.figures import lex as lex
from annotator.text import checks
from annotator.text.figures.dates import date_iso, era_before, find_dates, lower_copy, uses_minguo
from annotator.text.figures.describe import describe_value
from annotator.text.figures.masks import find_masks
from annotator.text.figures.reading import reading_of
from annotator.text.figures.region import bare_yuan, yuan_currency
from annotator.text.figures.atoms import find_atoms
from annotator.text.figures.scan import Cand, Grower
from annotator.text.figures.numerals import clean_float, fold

__all__ = ["extract_figures", "figure_to_dict", "date_iso", "describe_value"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_RANGE_GAP = re.compile(r"\s*(?:-|~|～|至|到|—|–|to|through|thru)\s*", re.I)
_AND_GAP = re.compile(r"\s*(?:and(?:\s+the)?|和|与|及|至)\s*", re.I)
_BETWEEN_BEFORE = re.compile(r"(?:(?<![A-Za-z])between\s+(?:the\s+)?(?:ages?\s+of\s+)?|(?:位于|介于|在)\s*)$", re.I)
_BETWEEN_AFTER = re.compile(r"\s*(?:之间|间)")
_FROM_BEFORE = re.compile(r"(?:(?<![A-Za-z])from\s+|[由从]\s*)$", re.I)
_ZH_FROM_WITH_DATE = re.compile(r"[由从]\s*@\s*的?\s*$")
_EN_CHANGE_GAP = re.compile(r"\s*,?\s*(?:in\s+@\s*,?\s*)?(?:to|up\s+to|down\s+to)\s+(?:a\s+|an\s+)?$", re.I)
_ZH_CHANGE_GAP = re.compile(
    r"\s*(?:[增减降升提扩缩涨跌下上回攀跃飙猛骤大][\u4e00-\u9fff]{0,3}?)?(?:至|到|为)\s*(?:@\s*的?)?\s*$"
)
_ZH_CHANGE_VERB = re.compile(r"[增减降升提扩缩涨跌下上回攀跃飙]")
_EN_CHANGE_VERB = re.compile(
    r"(?<![A-Za-z])(?:ris|rose|increas|grow|grew|climb|jump|surg|soar|fall|fell|drop|declin"
    r"|decreas|reduc|cut|slid|slip|shrank|shrink|expand|rais|lift|boost|doubl|tripl|went up"
    r"|gone up|go up|went down|move|chang|narrow|widen|plung|tumbl|slump|dip|edg|up|down)",
    re.I,
)
_COORD_GAP = re.compile(r"\s*(?:及|和|与|、|或|以及|and|or)\s*", re.I)
_BOUND_JOIN = re.compile(r"\s*(?:,|，|、|and|but|&|且|并且|并|同时|的同时|而且|而)?\s*", re.I)


def _date_cands(n: str, low: str, masks, minguo: bool = False) -> list[Cand]:
    out = []
    for h in find_dates(n, low, minguo):
        if masks.overlaps(h.start, h.end):
            continue
        c = Cand(h.start, h.end, h.kind, h.value, h.value_max, warnings=list(h.warnings), core=(h.start, h.end))
        c.unit = "year" if h.years else ("date" if h.kind in ("date", "range") else None)
        out.append(c)
    return out


def _gap(n: str, between: list[Cand], a: Cand, b: Cand) -> str:
    """Text between two candidates with the dates/years between them replaced by '@'."""
    parts, pos = [], a.end
    for c in between:
        if c.start >= a.end and c.end <= b.start:
            parts.append(n[pos : c.start])
            parts.append("@")
            pos = c.end
    parts.append(n[pos : b.start])
    return "".join(parts)


_INF = float("inf")
# The most non-space text any of the gap patterns above can match ("，in@，down to an").
_GAP_MAX = 16


def _compatible(a: Cand, b: Cand) -> bool:
    if a.kind in ("year", "date") or b.kind in ("year", "date"):
        return a.kind == b.kind
    plain = lambda c: c.kind == "number" and c.unit is None and c.currency is None  # noqa: E731
    if a.ordinal or b.ordinal:  # 一至三季度: the quarter written once covers both
        return (a.ordinal and b.ordinal) or (plain(a) and b.unit == "季度")
    if a.kind == b.kind and a.unit == b.unit and a.currency == b.currency:
        return True
    return plain(a) or plain(b)


def _has_unit(c: Cand) -> bool:
    return bool(c.unit or c.currency or c.kind in ("percent", "money", "count"))


def _share_units(n: str, cands: list[Cand]) -> None:
    """3.1万及5.5万港元, 13%和15%: the unit written once covers both numbers."""
    for a, b in zip(cands, cands[1:]):
        if a.bare and not _has_unit(a) and _has_unit(b) and b.kind in ("money", "percent", "count"):
            if _COORD_GAP.fullmatch(n[a.end : b.start]):
                a.kind, a.unit, a.currency, a.bare = b.kind, b.unit, b.currency, False
                a.weak = False


def _merge_range(n: str, a: Cand, b: Cand, start: int, end: int) -> Cand:
    lead = b if _has_unit(b) else a
    kind = "range"
    unit = lead.unit
    if a.kind == "year":
        unit = "year"
    elif a.kind == "date":
        unit = "date"
    elif lead.kind == "percent":
        unit = lead.unit
    high = b.value
    if a.kind == b.kind == "date":
        high = _fill_date(a.value, b.value)
    r = Cand(start, end, kind, a.value, high, unit=unit, currency=lead.currency, core=(a.start, b.end))
    r.warnings = a.warnings + b.warnings
    if a.kind == "money" or b.kind == "money":
        r.currency = a.currency or b.currency
    if a.qualifier and a.qualifier not in lex.BOUNDING:
        r.qualifier = a.qualifier
    return r


def _fill_date(low: Optional[float], high: Optional[float]) -> Optional[float]:
    """The high end of a date range takes the parts it leaves out from the low end:
    7月25日至29日 is 7-25 to 7-29, 2019年3月至5月 ends in 2019-05."""
    if low is None or high is None:
        return high
    lo, hi = int(low), int(high)
    if hi < 100 and lo % 10000 >= 100:  # a day only, after a month
        hi += lo // 100 * 100
    elif hi < 10000 and lo >= 10000:  # month (and day), after a year
        hi += lo // 10000 * 10000
    return float(hi)


def _join_pairs(n: str, cands: list[Cand]) -> list[Cand]:
    """Join neighbours into changes, ranges and comparison-bounded ranges. Weak
    candidates (a lone 一 or "two") take part: 一到五 is a range."""
    vals = sorted(cands, key=lambda c: c.start)
    out: list[Cand] = []
    changes: list[tuple[Cand, Cand]] = []
    used: set[int] = set()
    for idx, a in enumerate(vals):
        if idx in used:
            continue
        if idx + 1 < len(vals) and idx + 1 not in used and _far_apart(n, a, vals[idx + 1]):
            continue  # the common case, settled without building gaps
        for jdx in range(idx + 1, min(idx + 4, len(vals))):
            b = vals[jdx]
            if jdx in used:
                continue
            between = vals[idx + 1 : jdx]
            if any(c.kind not in ("date", "year") for c in between):
                break
            gap = _gap(n, between, a, b)
            if len(gap) > _GAP_MAX and len("".join(gap.split())) > _GAP_MAX:
                continue  # more words between them than any joining pattern has
            res = _try_change(n, a, b, gap) or _try_range(n, a, b, gap, bool(between))
            if res is None:
                continue
            if res == "change":
                changes.append((a, b))
            else:
                out.append(res)
                a._merged = b._merged = True  # type: ignore[attr-defined]
            used.update((idx, jdx))
            break
    for a, b in changes:
        a.kind, b.kind = "change", "change"
        a.role, b.role = "from", "to"
        a.weak = b.weak = False
        a._partner, b._partner = b, a  # type: ignore[attr-defined]
    kept = [c for c in vals if not getattr(c, "_merged", False)]
    return kept + out


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


_HOUR_UNITS = frozenset(("小时", "个小时", "钟头", "个钟头"))


def _plain(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


def _join_durations(n: str, cands: list[Cand]) -> list[Cand]:
    """One span of time written in two units: 2分35秒 is 155 seconds, 1小时20分钟 80
    minutes, 3分钟45秒 225 seconds (not a bare 2 and 35 seconds)."""
    out: list[Cand] = []
    for c in cands:
        a = out[-1] if out else None
        if a is not None and a.value is not None and c.value is not None and a.kind in ("number", "count") \
                and c.kind == "count" and a.value_max is None and c.value_max is None:
            tail = n[a.end : c.start]
            if c.unit == "秒" and (a.unit == "分钟" and tail == "" or a.unit is None and tail == "分"):
                a.notes.append(f"{n[a.start:c.end]} -> {_plain(a.value)} × 60 + {_plain(c.value)} = "
                               f"{_plain(a.value * 60 + c.value)} 秒")
                a.end, a.kind, a.unit, a.value = c.end, "count", "秒", a.value * 60 + c.value
                a.weak = a.bare = False
                continue
            if c.unit in ("分钟", "分") and a.unit in _HOUR_UNITS and tail == "":
                a.notes.append(f"{n[a.start:c.end]} -> {_plain(a.value)} × 60 + {_plain(c.value)} = "
                               f"{_plain(a.value * 60 + c.value)} 分钟")
                a.end, a.kind, a.unit, a.value = c.end, "count", "分钟", a.value * 60 + c.value
                a.weak = False
                continue
        out.append(c)
    return out


def _far_apart(n: str, a: Cand, b: Cand) -> bool:
    """Whether a and the next candidate b have more text between them than any joining
    pattern allows, with no date between that a later candidate could join across."""
    if b.kind in ("date", "year") or b.start - a.end <= _GAP_MAX:
        return False
    return len("".join(n[a.end : b.start].split())) > _GAP_MAX


def _try_change(n: str, a: Cand, b: Cand, gap: str):
    if a.kind in ("year", "date") or b.kind in ("year", "date") or a.ordinal or b.ordinal:
        return None
    if not _compatible(a, b):
        return None
    head = n[max(0, a.start - 60) : a.start]
    head_dates = re.sub(r"\d{4}\s*年", "@", head)
    if _EN_CHANGE_GAP.fullmatch(gap + " ") or _EN_CHANGE_GAP.fullmatch(gap):
        if _FROM_BEFORE.search(head) and _EN_CHANGE_VERB.search(head[-40:]):
            return "change"
        return None
    if _ZH_CHANGE_GAP.fullmatch(gap) and _ZH_CHANGE_VERB.search(gap):
        if _FROM_BEFORE.search(head) or _ZH_FROM_WITH_DATE.search(head_dates):
            return "change"
    return None


def _try_range(n: str, a: Cand, b: Cand, gap: str, dates_between: bool):
    if dates_between or not _compatible(a, b):
        return None
    if a.kind in ("money",) and b.kind == "money" and a.currency and b.currency and a.currency != b.currency:
        return None
    start, end = a.start, b.end
    between = _BETWEEN_BEFORE.search(n, max(0, a.start - 24), a.start)
    if _RANGE_GAP.fullmatch(gap):
        if gap.strip() in ("-", "–", "—") and a.bare and b.bare and a.kind == b.kind == "number":
            if n[a.start : a.end].startswith("0") or n[b.start : b.end].startswith("0"):
                return None
        if a.qualifier in lex.BOUNDING or b.qualifier in lex.BOUNDING:
            return None
        frm = _FROM_BEFORE.search(n, max(0, a.start - 6), a.start)
        if frm and gap.strip().lower() in ("to", "至", "到"):
            start = frm.start()
        elif between:
            start = between.start()
        after = _BETWEEN_AFTER.match(n, end) if between else None
        return _merge_range(n, a, b, start, after.end() if after else end)
    after = _BETWEEN_AFTER.match(n, end)
    if _AND_GAP.fullmatch(gap) and (between or (after and gap.strip() in ("和", "与", "及"))):
        if not (gap.strip().lower() in ("和", "与", "及") and not after):
            return _merge_range(n, a, b, between.start() if between else start, after.end() if after else end)
    if _BOUND_JOIN.fullmatch(gap) and a.qualifier in lex.BOUNDING and b.qualifier in lex.BOUNDING:
        lows = lex.LOWER_STRICT | lex.LOWER_INCL
        highs = lex.UPPER_STRICT | lex.UPPER_INCL
        lo, hi = (a, b) if a.qualifier in lows and b.qualifier in highs else (b, a)
        if not (lo.qualifier in lows and hi.qualifier in highs):
            return None
        if lo.value is None or hi.value is None or lo.value >= hi.value:
            return None
        r = _merge_range(n, lo, hi, a.start, b.end)
        left = "(" if lo.qualifier in lex.LOWER_STRICT else "["
        right = ")" if hi.qualifier in lex.UPPER_STRICT else "]"
        r.value, r.value_max, r.qualifier = lo.value, hi.value, left + right
        r.unit = lo.unit or hi.unit
        return r
    return None


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


def _to_figures(text: str, cands: list[Cand], dollar: Optional[str]) -> list[Figure]:
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


def _dollar_currency(low: str) -> Optional[str]:
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
        cands = _join_durations(n, cands)
    cands = _join_pairs(n, cands)
    cands.sort(key=lambda c: c.start)
    _share_units(n, cands)
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
