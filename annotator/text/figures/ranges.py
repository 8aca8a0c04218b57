"""Ranges, bounded ranges and changes: neighbouring candidates joined into one figure.

- a range: 6万至6.5万, 3-5 days, between 10 and 20, 5月20日至31日 (the end takes the
  month it leaves out), 一到五;
- a bounded range: "more than 10 but less than 20", 超过3成且不足5成 -> (10, 20);
- a change: "rose from 5% to 7%", 从5.5%减至3.2% (two figures, roles from and to);
- shared units: 3.1万及5.5万港元, 13%和15% (the unit written once covers both);
- one span in two units: 2分35秒 is 155 秒, 1小时20分钟 80 分钟.

The words that join them are the patterns below (_RANGE_GAP, _AND_GAP, _EN_CHANGE_GAP,
_ZH_CHANGE_GAP ...): a new joining word is an alternative there and a test in
tests/core/test_figures_zh.py or test_figures_en.py.
"""

from __future__ import annotations

import re

from annotator.text.figures import lex as lex
from annotator.text.figures.scan import Cand

__all__ = ["join_durations", "join_pairs", "share_units"]

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
# The most non-space text any of the gap patterns above can match ("，in@，down to an").
_GAP_MAX = 16


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


def share_units(n: str, cands: list[Cand]) -> None:
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


def _fill_date(low: float | None, high: float | None) -> float | None:
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


def join_pairs(n: str, cands: list[Cand]) -> list[Cand]:
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


_HOUR_UNITS = frozenset(("小时", "个小时", "钟头", "个钟头"))


def _plain(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


def join_durations(n: str, cands: list[Cand]) -> list[Cand]:
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
    between = _BETWEEN_BEFORE.search(n, max(0, a.start - 24), a.start)
    if _RANGE_GAP.fullmatch(gap):
        return _dash_range(n, a, b, gap, between)
    return _and_range(n, a, b, gap, between) or _bounded_range(n, a, b, gap)


def _dash_range(n: str, a: Cand, b: Cand, gap: str, between) -> Cand | None:
    """6万至6.5万, 3-5, from 10 to 20, between 10-20 (but not 010-020 or "over 3 to 5")."""
    start, end = a.start, b.end
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


def _and_range(n: str, a: Cand, b: Cand, gap: str, between) -> Cand | None:
    """between 10 and 20, 介于3与5之间, 10000与20000间."""
    start, end = a.start, b.end
    after = _BETWEEN_AFTER.match(n, end)
    if _AND_GAP.fullmatch(gap) and (between or (after and gap.strip() in ("和", "与", "及"))):
        if not (gap.strip().lower() in ("和", "与", "及") and not after):
            return _merge_range(n, a, b, between.start() if between else start, after.end() if after else end)
    return None


def _bounded_range(n: str, a: Cand, b: Cand, gap: str) -> Cand | None:
    """more than 10 but less than 20, 超过3成且不足5成: the interval (10, 20)."""
    if not (_BOUND_JOIN.fullmatch(gap) and a.qualifier in lex.BOUNDING and b.qualifier in lex.BOUNDING):
        return None
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
