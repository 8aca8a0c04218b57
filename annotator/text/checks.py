"""Automatic checks on figures: malformed dates, broken digit grouping, impossible
shares, inverted ranges, and the same quantity stated twice with different values.

Every warning has a stable `code` (the GUI filters and the exports count by it) and
a `message` written for the reviewer who has to decide what the source meant.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from collections.abc import Iterable

from annotator.domain import Figure, FigureWarning
from annotator.text.figures.dates import find_dates
from annotator.text.figures.numerals import fold, parse_arabic

_GROUPED = re.compile(r"(?<![\d.])\d{1,4}(?:,\d{1,4})+(?:\.\d+)?(?![\d,])")
_SHARE_ZH = re.compile(r"(?:比重|占比|占全|占总|所占|份额|比例|占|率为|构成)")
_SHARE_EN = re.compile(
    r"\b(?:share|shares|proportion|ratio|accounted\s+for|accounts\s+for|account\s+for|of\s+the\s+total|of\s+all)\b",
    re.I,
)
_ZH_KEY = re.compile(r"[\u4e00-\u9fff]{2,}")
_EN_WORD = re.compile(r"[A-Za-z]{3,}")
_EN_STOP = {
    "the", "and", "for", "with", "from", "that", "this", "than", "more", "over", "about",
    "around", "nearly", "almost", "least", "some", "was", "were", "are", "has", "have",
    "had", "will", "would", "reach", "reached", "reaches", "rose", "fell", "total", "of",
    "per", "cent", "percent", "only", "just", "approximately", "roughly", "estimated",
}
_ZH_TRIM = re.compile(r"(?:超过了?|超出|逾|约为?|大约|近|将近|接近|达到?|高达|多达|仅|只有|为|是|有|共|至|到|的|了|约有)+$")


def _date_warnings(f: Figure) -> list[FigureWarning]:
    return [FigureWarning(code, message) for code, message in _date_warnings_of(f.text)]


@lru_cache(maxsize=8192)
def _date_warnings_of(surface: str) -> tuple:
    """(code, message) pairs; cached because the same date surfaces recur across articles."""
    return tuple((w.code, w.message) for hit in find_dates(fold(surface)) for w in hit.warnings)


def _grouping_warnings(f: Figure) -> list[FigureWarning]:
    if "," not in f.text and "，" not in f.text:
        return []  # no group separator (after folding, "，" is the only other comma)
    out = []
    for m in _GROUPED.finditer(fold(f.text)):
        _, bad = parse_arabic(m.group())
        if bad:
            out.append(
                FigureWarning(
                    "number.bad_grouping",
                    f"'{m.group()}' has digit groups that are not three digits long; "
                    "a separator may be misplaced, or two numbers may have run together.",
                )
            )
    return out


def _share_over_100(text: str, f: Figure) -> list[FigureWarning]:
    values = [v for v in (f.value, f.value_max) if v is not None]
    if f.unit != "%" or not values or max(values) <= 100:
        return []
    if f.kind not in ("percent", "range", "change"):
        return []
    before = fold(text[max(0, f.start - 24) : f.start])  # 佔比 is 占比
    after = fold(text[f.end : f.end + 12])
    if _SHARE_ZH.search(before) or _SHARE_EN.search(before) or _SHARE_EN.search(after):
        return [
            FigureWarning(
                "percent.over_100",
                f"A share cannot exceed 100%, but this one is {max(values):g}%; "
                "a digit or the decimal point may be wrong.",
            )
        ]
    return []


def _inverted(f: Figure) -> list[FigureWarning]:
    if f.kind == "range" and f.value is not None and f.value_max is not None and f.value > f.value_max:
        if f.unit == "date" and f.value_max < 10000:
            return []  # 12月28日至1月3日 runs into the next year
        return [
            FigureWarning(
                "range.inverted",
                f"The range runs from {f.value:g} down to {f.value_max:g}; the ends may be swapped "
                "or one of them mistyped.",
            )
        ]
    return []


def check_figure(text: str, f: Figure) -> list[FigureWarning]:
    """Warnings for one figure, read from its own surface and the text around it."""
    out: list[FigureWarning] = []
    if f.kind == "date" or (f.kind == "range" and f.unit == "date"):
        out.extend(_date_warnings(f))
    if f.kind not in ("date", "year"):
        out.extend(_grouping_warnings(f))
    out.extend(_share_over_100(text, f))
    out.extend(_inverted(f))
    return _unique(out)


def _unique(warnings: Iterable[FigureWarning]) -> list[FigureWarning]:
    seen, out = set(), []
    for w in warnings:
        if w.code not in seen:
            seen.add(w.code)
            out.append(w)
    return out


# Words of change or comparison that end a subject without naming it: after
# 同比增长 or 分别下降 the thing that grew is further back, or not written at all.
_ZH_CHANGE_TAIL = re.compile(
    r"(?:同比|环比|分别|较上年|较去年|比上年|比去年|累计|共计|合计|增长|增加|上升|提高|提升|下降|下跌|减少|降低|回落|增幅|降幅|上涨|为|达)+$"
)
_RESPECTIVE = re.compile(r"分别|各自|respectively", re.I)
_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(?:\s|$)")
# A figure's own surface never holds these, so a stop at one is a stop at a clause.
_CLAUSE_STOP = ("，", ",", "。", "：", ":", "；", ";", "、", "（", "(", "\n")


def _subject_key(text: str, f: Figure, floor: int = 0) -> tuple[str, str]:
    """The words right before a figure that say what it counts (e.g. 就业人数, youth
    unemployment rate), folded for comparing and as written for the message; empty
    when they are too short to be trusted. Read on the folded copy so that the
    qualifiers trimmed off (约, 超过) are trimmed in Traditional text too (約, 超過).
    Nothing before `floor` (the end of the figure before) counts: in 下降3%和0.7% the
    words before 3% are not the subject of 0.7%."""
    lo = max(floor, f.start - 40, 0)
    before = text[lo : f.start]
    folded = fold(before)
    cut = max(folded.rfind(c) for c in _CLAUSE_STOP) + 1
    tail = folded[cut:]
    cut += len(tail) - len(tail.lstrip())
    if _RESPECTIVE.search(tail):
        return "", ""  # A和B分别增长10.4%、17.3%: each value has its own subject
    zh = _ZH_CHANGE_TAIL.sub("", _ZH_TRIM.sub("", tail.strip()))
    keys = list(_ZH_KEY.finditer(zh))
    if keys and len(keys[-1].group()) >= 4:
        # the whole run back to the clause's start: 东莞规模以上工业增加值 and
        # 高技术制造业规模以上工业增加值 are different subjects
        end = keys[-1].end()
        start = max(keys[-1].start(), end - 16)
        return zh[start:end], before[cut + start : cut + end]
    words = [w.lower() for w in _EN_WORD.findall(tail[-36:]) if w.lower() not in _EN_STOP]
    if len(words) >= 2:
        key = " ".join(words[-3:])
        return key, key
    return "", ""


def _sentence_of(text: str, pos: int) -> int:
    """Start of the sentence holding pos (a cheap stand-in for sentences.py)."""
    best = 0
    for m in _SENTENCE_END.finditer(text, max(0, pos - 400), pos):
        best = m.end()
    return best


def check_article(text: str, figures: list[Figure]) -> None:
    """Flag a quantity stated twice with different values: the same kind, unit and
    currency, the same subject words just before it, the same period (the date or
    year written before it in its sentence, if any), in different sentences.
    Conservative on purpose, because a false alarm costs a reviewer's trust: a bare
    number (a case number, a ratio's term) has no unit to compare; two values in one
    sentence are a list (分别下降3%和0.7%, a 20% and 16% improvement); words of change
    alone (同比增长) name no subject."""
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    written: dict[str, str] = {}
    sentence: dict[int, int] = {}
    ordered = sorted(figures, key=lambda f: f.start)
    prev_end = 0
    period: tuple = (None, -1)  # the last date or year, and the sentence it is in
    for f in ordered:
        floor, prev_end = prev_end, max(prev_end, f.end)
        sent = _sentence_of(text, f.start)
        if f.kind in ("date", "year") or (f.kind == "range" and f.unit in ("date", "year")):
            period = ((f.value, f.value_max), sent)
            continue
        if f.kind in ("ordinal", "range", "change", "number") or f.value is None or not f.unit and not f.currency:
            continue
        key, shown_key = _subject_key(text, f, floor)
        if key:
            when = period[0] if period[1] == sent else None
            groups[(key, f.kind, f.unit, f.currency, when)].append(f)
            sentence[id(f)] = sent
            written.setdefault(key, shown_key)
    for (key, *_), members in groups.items():
        values = {m.value for m in members}
        if len(values) < 2:
            continue
        if len({sentence[id(m)] for m in members}) < 2:
            continue  # one sentence giving two values is a list, not a contradiction
        shown = ", ".join(sorted({m.text for m in members}))
        for m in members:
            if any(w.code == "article.inconsistent" for w in m.warnings):
                continue
            m.warnings.append(
                FigureWarning(
                    "article.inconsistent",
                    f"The article gives different values after '{written[key]}': {shown}.",
                )
            )
