"""Dates and years, including the malformed ones scraping leaves behind.

A date's value is a sortable number Y*10000 + M*100 + D with 0 for an unknown part
(6月28日 -> 628, 2024年10月 -> 20241000, 2025-02-24 -> 20250224); `date_iso` turns it
back into an ISO-8601-style string (--06-28, 2024-10). A year is its own kind.
Malformed dates stay dates and carry a warning rather than being repaired.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Optional

from annotator.domain import FigureWarning
from annotator.text.figures_lex import EN_MONTHS
from annotator.text.numerals import cn_value

_CN_D = "零一二三四五六七八九十两"
_ZH_DATE = re.compile(
    rf"(?:(?P<rel>今年|去年|明年|前年|同年|当年)|(?P<y>(?<!\d)\d{{4}}|[{_CN_D}]{{4}})\s*年\s*)?"
    rf"(?P<m>(?<!\d)\d{{1,2}}|[{_CN_D}]{{1,3}})\s*月份?\s*"
    rf"(?:(?P<d>\d{{1,2}}|[{_CN_D}]{{1,3}})\s*[日号](?!元))?"
)
_ZH_YEAR = re.compile(rf"(?<![\d.,])(?P<y>\d{{4}}|[{_CN_D}]{{4}})\s*年(?![代级度])")
_ZH_MISSING_MONTH = re.compile(r"(?<![\d月.,])(?P<md>\d{3,4})[日号](?!元)")
_ZH_MISSING_YEAR_MARK = re.compile(r"(?<![\d.,])(?P<y>(?:19|20)\d{2})(?P<m>\d{1,2})月")
_ZH_DAY = re.compile(r"(?<![\d.,月])(?P<d>\d{1,2})[日号](?![元子常])")

_MONTH_ALT = "|".join(sorted(EN_MONTHS, key=len, reverse=True))
_EN_MDY = re.compile(
    rf"\b(?P<mon>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d,.]\d)"
    rf"(?:,?\s+(?P<y>\d{{4}})(?!\d))?",
    re.I,
)
_EN_DMY = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_ALT})\b\.?(?:,?\s+(?P<y>\d{{4}})(?!\d))?",
    re.I,
)
_EN_MY = re.compile(rf"\b(?P<mon>{_MONTH_ALT})\.?,?\s+(?:of\s+)?(?P<y>\d{{4}})(?!\d)", re.I)
_EN_YM = re.compile(rf"(?<![\d,.])(?P<y>\d{{4}})\s+(?P<mon>{_MONTH_ALT})\b(?!\s+\d)", re.I)
_EN_MONTH_ONLY = re.compile(
    rf"\b(?:in|since|until|till|by|from|to|of|last|next|this|early|late|mid|end of)"
    rf"[\s-]+(?P<mon>{_MONTH_ALT})\b(?!\s*\d)",
    re.I,
)
_ISO = re.compile(r"(?<![\d./-])(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d./-])")
_US = re.compile(r"(?<![\d./-])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])")


@dataclass
class DateHit:
    start: int
    end: int
    kind: str  # "date" | "year"
    value: float
    warnings: list[FigureWarning] = field(default_factory=list)


def date_iso(value: Optional[float]) -> Optional[str]:
    """ISO-8601-style text of a date value (2024-06-28, 2024-10, --06-28, --04, ---23)."""
    if value is None:
        return None
    v = int(value)
    y, m, d = v // 10000, (v // 100) % 100, v % 100
    if y:
        if m and d:
            return f"{y:04d}-{m:02d}-{d:02d}"
        return f"{y:04d}-{m:02d}" if m else f"{y:04d}"
    if m:
        return f"--{m:02d}-{d:02d}" if d else f"--{m:02d}"
    return f"---{d:02d}" if d else None


def _num(s: Optional[str]) -> Optional[int]:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in "零一二三四五六七八九" for c in s):  # 二〇二四
        return int("".join(str("零一二三四五六七八九".index(c)) for c in s))
    v = cn_value(s)
    return int(v) if v is not None and v == int(v) else None


def _validate(y: Optional[int], m: Optional[int], d: Optional[int]) -> list[FigureWarning]:
    if m is not None and not 1 <= m <= 12:
        return [FigureWarning("date.impossible", f"Month {m} does not exist.")]
    if d is not None:
        last = calendar.monthrange(y or 2024, m)[1] if m else 31
        if not 1 <= d <= last:
            when = f"{calendar.month_name[m]}" if m else "any month"
            return [FigureWarning("date.impossible", f"Day {d} does not exist in {when}.")]
    return []


def _hit(start: int, end: int, y, m, d, extra=()) -> DateHit:
    warnings = list(extra) + _validate(y, m, d)
    return DateHit(start, end, "date", float((y or 0) * 10000 + (m or 0) * 100 + (d or 0)), warnings)


def _zh_dates(n: str, out: list[DateHit]) -> None:
    for m in _ZH_DATE.finditer(n):
        y, mo, d = _num(m.group("y")), _num(m.group("m")), _num(m.group("d"))
        if mo is None or (m.group("y") and y is None):
            continue
        if y is None and not m.group("d") and not m.group("rel"):
            if not re.match(r"\s*(?:份|初|底|中旬|上旬|下旬|末|[,，。、起至到])", n[m.end() :]):
                if mo > 12 or not re.search(r"[在于自至到从截止至今年]\s*$", n[max(0, m.start() - 2) : m.start()]):
                    continue  # "3个月", "十月" alone is too weak without a date context
        if m.group("y") and y is not None and not 1000 <= y <= 2999:
            continue
        out.append(_hit(m.start(), m.end(), y, mo, d))
    for m in _ZH_MISSING_YEAR_MARK.finditer(n):
        y, mo = int(m.group("y")), int(m.group("m"))
        if 1 <= mo <= 12:
            w = FigureWarning(
                "date.missing_year_marker",
                f"'{m.group()}' looks like {y}年{mo}月 with the 年 lost; check the source.",
            )
            out.append(_hit(m.start(), m.end(), y, mo, None, [w]))
    for m in _ZH_MISSING_MONTH.finditer(n):
        md = m.group("md")
        mo, d = (int(md[0]), int(md[1:])) if len(md) == 3 else (int(md[:2]), int(md[2:]))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            w = FigureWarning(
                "date.missing_month",
                f"'{m.group()}' looks like {mo}月{d}日 with the 月 lost; check the source.",
            )
            out.append(_hit(m.start(), m.end(), None, mo, d, [w]))
    for m in _ZH_DAY.finditer(n):
        out.append(_hit(m.start(), m.end(), None, None, int(m.group("d"))))
    for m in _ZH_YEAR.finditer(n):
        y = _num(m.group("y"))
        if y is not None and 1800 <= y <= 2100:
            out.append(DateHit(m.start(), m.end(), "year", float(y)))


def _en_dates(n: str, out: list[DateHit]) -> None:
    for rx in (_ISO, _US):
        for m in rx.finditer(n):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            out.append(_hit(m.start(), m.end(), y, mo, d))
    for rx in (_EN_MDY, _EN_DMY):
        for m in rx.finditer(n):
            mon = m.group("mon")
            if mon.lower() == "may" and not mon[0].isupper():
                continue
            if not mon[0].isupper() and len(mon) <= 4 and mon.lower() in ("mar", "jan", "dec", "sep", "sept", "oct", "nov", "aug", "jun", "jul", "apr", "feb"):
                continue
            y = int(m.group("y")) if m.group("y") else None
            out.append(_hit(m.start(), m.end(), y, EN_MONTHS[mon.lower()], int(m.group("d"))))
    for rx in (_EN_MY, _EN_YM):
        for m in rx.finditer(n):
            mon = m.group("mon")
            if not mon[0].isupper() and rx is _EN_MY and mon.lower() == "may":
                continue
            y = int(m.group("y"))
            if 1000 <= y <= 2999:
                out.append(_hit(m.start(), m.end(), y, EN_MONTHS[mon.lower()], None))
    for m in _EN_MONTH_ONLY.finditer(n):
        mon = m.group("mon")
        if mon[0].isupper() and len(mon) >= 3 and mon.lower() not in ("mar", "jan", "dec", "sep", "oct", "nov", "aug", "jun", "jul", "apr", "feb"):
            out.append(_hit(m.start("mon"), m.end("mon"), None, EN_MONTHS[mon.lower()], None))


def find_dates(n: str) -> list[DateHit]:
    """All date and year mentions, longest first where they overlap."""
    hits: list[DateHit] = []
    _zh_dates(n, hits)
    _en_dates(n, hits)
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[DateHit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept
