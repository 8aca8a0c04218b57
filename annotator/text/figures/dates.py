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

from annotator.domain import FigureWarning
from annotator.text.figures.lex import EN_MONTHS, trie_alternation
from annotator.text.figures.region import is_traditional, region_counts
from annotator.text.figures.numerals import cn_value

_CN_D = "零一二三四五六七八九十两"
_REL = ("今年", "去年", "明年", "前年", "同年", "当年")
# A day written in numerals (十七日) is a date only with a part of the day after it:
# 十七日深夜 is the 17th, 停市三日 three days.
_DAY_PART = "凌晨|清晨|早上|上午|中午|午间|下午|傍晚|晚上|晚间|深夜|夜间|午夜|晚"
# One scan for every Chinese form; each starts with a numeral, so the scan skips fast.
_ZH_ANY = re.compile(
    rf"(?:(?P<y>\d{{4}}|[{_CN_D}]{{4}})\s*年\s*)?(?P<m>\d{{1,2}}|[{_CN_D}]{{1,3}})\s*月份?\s*"
    rf"(?:(?P<d>\d{{1,2}}|[{_CN_D}]{{1,3}})\s*[日号](?!元))?"
    rf"|(?P<yo>\d{{4}}|[{_CN_D}]{{4}})\s*年(?![代级度])"
    rf"|(?P<ym>(?:19|20)\d{{2}})(?P<mm>\d{{1,2}})月"
    rf"|(?P<md>\d{{3,4}})[日号](?!元)"
    rf"|(?P<do>\d{{1,2}})[日号](?![元子常本])"
    rf"|(?P<dc>[{_CN_D}]{{1,3}})日(?={_DAY_PART})"
)
_MONTH_ALT = "|".join(sorted(EN_MONTHS, key=len, reverse=True))
# On the lower-cased copy. The word boundary before is checked in Python: as the first
# item of the pattern it halves the scan speed.
_EN_MONTH = re.compile(trie_alternation(EN_MONTHS) + r"\b")
# Every numeric date has a separator between digits; the scan looks for those first.
_DATE_SEP = re.compile(r"[-/.](?<=\d[-/.])(?=\d)")
_EN_AFTER_MONTH = re.compile(
    r"\.?,\s+(?P<dc>\d{1,2}),\s+(?P<yd>\d{4})(?!\d)"  # Nov, 29, 2016 (not "May, 29 people")
    r"|\.?\s+(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d,.]\d)(?:,?\s+(?P<y>\d{4})(?!\d))?"
    r"|(?:of\s+)?(?P<yo>\d{4})(?!\d))|\.?,\s+(?P<yc>\d{4})(?!\d)"
)
_EN_BEFORE_MONTH = re.compile(r"(?<![\d,.])(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?|(?P<y>\d{4})\s+)$")
_EN_MONTH_CONTEXT = re.compile(r"\b(?:in|since|until|till|by|from|to|of|last|next|this|early|late|mid|end of)[\s-]+$")
_NUMERIC = re.compile(
    r"(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d./-])"
    r"|(?P<m2>\d{1,2})/(?P<d2>\d{1,2})/(?P<y2>(?:19|20)\d{2})(?![\d/])"
    r"|(?P<y3>(?:19|20)\d{2})-(?P<m3>0[1-9]|1[0-2])(?![\d-])"
)
# A season or fiscal year across two calendar years: 2022/23, 2019/2020, 2022-23. The
# second year must follow the first; "2011-12" with a hyphen stays the month 2011-12.
_SEASON = re.compile(r"(?P<a>(?:19|20)\d{2})(?P<sep>[-/])(?P<b>\d{2}|(?:19|20)\d{2})(?![\d./-]?\d)")
_SHORT_MONTHS = {"mar", "jan", "dec", "sep", "sept", "oct", "nov", "aug", "jun", "jul", "apr", "feb", "may"}


@dataclass
class DateHit:
    start: int
    end: int
    kind: str  # "date" | "year" | "range" (of months: 1-10月)
    value: float
    warnings: list[FigureWarning] = field(default_factory=list)
    value_max: float | None = None
    years: bool = False  # a range of years (the 2022/23 season), not of dates


def date_iso(value: float | None) -> str | None:
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


def _num(s: str | None) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in "零一二三四五六七八九" for c in s):  # 二〇二四
        return int("".join(str("零一二三四五六七八九".index(c)) for c in s))
    v = cn_value(s)
    return int(v) if v is not None and v == int(v) else None


def _validate(y: int | None, m: int | None, d: int | None) -> list[FigureWarning]:
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


_ZH_MARK = re.compile("[年月日号]")
_RUN_CHARS = frozenset(_CN_D)


def _run_starts(n: str):
    """Starts of the numeral runs followed (after spaces) by 年/月/日/号, in order:
    every Chinese date form has one right after its first run. Found from the
    markers, which are far rarer than numeral characters in Chinese text."""
    last = -1
    for k in _ZH_MARK.finditer(n):
        j = k.start()
        while j > 0 and n[j - 1].isspace():
            j -= 1
        if j == 0 or not (n[j - 1].isdecimal() or n[j - 1] in _RUN_CHARS):
            continue
        p = j - 1
        while p > 0 and (n[p - 1].isdecimal() or n[p - 1] in _RUN_CHARS):
            p -= 1
        if p != last:
            last = p
            yield p


def _inside_number(n: str, i: int) -> bool:
    """Whether position i continues a number (12.5月, 1,6月): a digit before it, or a
    point or comma between digits. A comma after a word is a clause break (the folded
    form of ，), so 今年4月，6月28日 still has a date after it."""
    prev = n[i - 1] if i else ""
    if prev.isdigit():
        return True
    return prev in ".," and i >= 2 and n[i - 2].isdigit()


def _zh_dates(n: str, out: list[DateHit]) -> None:
    done = 0
    for start in _run_starts(n):
        if start < done:
            continue
        m = _ZH_ANY.match(n, start)
        if not m:
            continue
        done = m.end()
        if _inside_number(n, m.start()):
            continue
        if m.group("m"):
            _zh_full(n, m, out)
        elif m.group("yo"):
            y = _num(m.group("yo"))
            if y is not None and 1800 <= y <= 2100:
                out.append(DateHit(m.start(), m.end(), "year", float(y)))
        elif m.group("ym"):
            y, mo = int(m.group("ym")), int(m.group("mm"))
            if 1 <= mo <= 12:
                w = FigureWarning(
                    "date.missing_year_marker",
                    f"'{m.group()}' looks like {y}年{mo}月 with the 年 lost; check the source.",
                )
                out.append(_hit(m.start(), m.end(), y, mo, None, [w]))
        elif m.group("md"):
            md = m.group("md")
            mo, d = (int(md[0]), int(md[1:])) if len(md) == 3 else (int(md[:2]), int(md[2:]))
            if 1 <= mo <= 12 and 1 <= d <= 31 and n[m.start() - 1 : m.start()] != "月":
                w = FigureWarning(
                    "date.missing_month",
                    f"'{m.group()}' looks like {mo}月{d}日 with the 月 lost; check the source.",
                )
                out.append(_hit(m.start(), m.end(), None, mo, d, [w]))
        elif m.group("do") and n[m.start() - 1 : m.start()] != "月":
            out.append(_hit(m.start(), m.end(), None, None, int(m.group("do"))))
        elif m.group("dc") and n[m.start() - 1 : m.start()] != "月":
            d = _num(m.group("dc"))
            if d is not None and 1 <= d <= 31:
                out.append(_hit(m.start(), m.end(), None, None, d))


# 1-10月, 2019年1-7月, 5至6月份: months of one year written with the 月 once.
_ZH_MONTHS = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<a>\d{1,2})\s*[-~至到]\s*(?P<b>\d{1,2})\s*月份?(?![\d日号])"
)
_MONTH_RANGE_SEP = re.compile(r"\d\s*[-~至到]\s*\d{1,2}\s*月")
_YEAR_BEFORE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年\s*$")


def _zh_month_ranges(n: str, out: list[DateHit]) -> None:
    for k in _MONTH_RANGE_SEP.finditer(n):
        p = k.start()
        while p > 0 and n[p - 1].isdecimal():
            p -= 1
        y = _YEAR_BEFORE.search(n, max(0, p - 8), p)
        if y:
            p = y.start()
        m = _ZH_MONTHS.match(n, p)
        if not m or _inside_number(n, m.start()):
            continue
        a, b = int(m.group("a")), int(m.group("b"))
        if not 1 <= a < b <= 12:
            continue
        y = int(m.group("y")) if m.group("y") else 0
        out.append(DateHit(m.start(), m.end(), "range", float(y * 10000 + a * 100), [], float(y * 10000 + b * 100)))


def _zh_full(n: str, m: re.Match, out: list[DateHit]) -> None:
    y, mo, d = _num(m.group("y")), _num(m.group("m")), _num(m.group("d"))
    if mo is None or (m.group("y") and (y is None or not 1000 <= y <= 2999)):
        return
    start = m.start()
    rel = n[max(0, start - 2) : start]
    if y is None and rel in _REL:
        start -= 2
    elif y is None and not m.group("d"):
        context = re.match(r"\s*(?:份|初|底|中旬|上旬|下旬|末|的|[,，。、起至到])", n[m.end() :])
        if not context and (mo > 12 or not re.search(r"[在于自至到从截止]$", n[max(0, start - 1) : start])):
            return  # "十月" alone is too weak without a date context
    out.append(_hit(start, m.end(), y, mo, d))


def _numeric_matches(n: str):
    """_NUMERIC.finditer(n), less the matches starting inside a digit run (which the
    caller skips anyway), found from the separators rather than at every character."""
    done = 0
    for q in _DATE_SEP.finditer(n):
        p = q.start()
        while p > 0 and n[p - 1].isdecimal():
            p -= 1
        if p < done:
            continue
        m = _NUMERIC.match(n, p)
        if m:
            done = m.end()
            yield m


def _word_start(low: str, i: int) -> bool:
    return i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_")


def _seasons(n: str, out: list[DateHit]) -> None:
    for q in _DATE_SEP.finditer(n):
        p = q.start() - 4
        if p < 0 or (p and (n[p - 1].isdigit() or n[p - 1] in "./-")):
            continue
        m = _SEASON.match(n, p)
        if not m:
            continue
        a, b = int(m.group("a")), m.group("b")
        high = a // 100 * 100 + int(b) if len(b) == 2 else int(b)
        if len(b) == 2 and high < a:
            high += 100  # 1999/00
        if high != a + 1 or (m.group("sep") == "-" and len(b) == 2 and 1 <= int(b) <= 12):
            continue
        out.append(DateHit(m.start(), m.end(), "range", float(a), [], float(high), years=True))


def _en_dates(n: str, low: str, out: list[DateHit]) -> None:
    for m in _numeric_matches(n):
        if m.start() and (n[m.start() - 1].isdigit() or n[m.start() - 1] in "./-"):
            continue
        if m.group("y3"):
            out.append(_hit(m.start(), m.end(), int(m.group("y3")), int(m.group("m3")), None))
            continue
        y = int(m.group("y") or m.group("y2"))
        mo, d = int(m.group("m") or m.group("m2")), int(m.group("d") or m.group("d2"))
        out.append(_hit(m.start(), m.end(), y, mo, d))
    for m in _EN_MONTH.finditer(low):
        if not _word_start(low, m.start()):
            continue
        word = n[m.start() : m.end()]
        mon = EN_MONTHS[m.group()]
        capital = word[0].isupper()
        if not capital and m.group() in _SHORT_MONTHS:
            continue
        after = _EN_AFTER_MONTH.match(n, m.end())
        before = _EN_BEFORE_MONTH.search(n, max(0, m.start() - 12), m.start())
        if after and after.group("dc"):
            out.append(_hit(m.start(), after.end(), int(after.group("yd")), mon, int(after.group("dc"))))
        elif after and after.group("d"):
            y = int(after.group("y")) if after.group("y") else None
            out.append(_hit(m.start(), after.end(), y, mon, int(after.group("d"))))
        elif after and (after.group("yo") or after.group("yc")):
            y = int(after.group("yo") or after.group("yc"))
            s = before.start() if before and before.group("d") else m.start()
            d = int(before.group("d")) if before and before.group("d") else None
            if 1000 <= y <= 2999:
                out.append(_hit(s, after.end(), y, mon, d))
        elif before and before.group("d") and capital:
            out.append(_hit(before.start(), m.end(), None, mon, int(before.group("d"))))
        elif before and before.group("y"):
            out.append(_hit(before.start(), m.end(), int(before.group("y")), mon, None))
        elif capital and m.group() not in _SHORT_MONTHS - {"may"}:
            if _EN_MONTH_CONTEXT.search(low, max(0, m.start() - 12), m.start()):
                out.append(_hit(m.start(), m.end(), None, mon, None))


def lower_copy(n: str) -> str:
    """Lower-cased copy of the same length (str.lower() grows a few letters such as İ)."""
    low = n.lower()
    return low if len(low) == len(n) else "".join(c if len(c.lower()) != 1 else c.lower() for c in n)


# Taiwan papers date by the Minguo calendar (民國105年 = 2016): a year of two or three
# digits before 年 with a month after it, in a Traditional article from Taiwan.
_MINGUO = re.compile(
    r"(?<![\d.,])(?P<era>民[国國]\s*)?(?P<y>\d{2,3})\s*年"
    r"(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?)?"
)
_SENTENCE = re.compile("[刑判处處期]")


def uses_minguo(text: str) -> bool:
    """Whether an article (its original, unfolded text) dates by the Minguo calendar:
    written in Traditional characters and naming 民國 or Taiwan more than Hong Kong."""
    if "年" not in text:
        return False
    head = text[:20000]
    if "民國" in head:
        return True
    if not is_traditional(head):
        return False
    counts = region_counts(head)
    return counts["TWD"] > counts["HKD"] + counts["MOP"]


def _minguo_dates(n: str, out: list[DateHit]) -> None:
    for m in _MINGUO.finditer(n):
        ry = int(m.group("y"))
        if not 1 <= ry <= 200:
            continue
        if not m.group("era") and (ry < 20 or _SENTENCE.search(n, max(0, m.start() - 8), m.start())):
            continue  # 有期徒刑10年3月 is a prison term of ten years and three months
        if not m.group("m"):
            if m.group("era"):  # 民國105年 alone is a year; 105年 alone may be a count
                out.append(DateHit(m.start(), m.end(), "year", float(ry + 1911)))
            continue
        mo = int(m.group("m"))
        d = int(m.group("d")) if m.group("d") else None
        if 1 <= mo <= 12:
            out.append(_hit(m.start(), m.end(), ry + 1911, mo, d))


def find_dates(n: str, low: str = "", minguo: bool = False) -> list[DateHit]:
    """All date and year mentions, longest first where they overlap. With `minguo`
    (see uses_minguo) 105年3月19日 is 2016-03-19."""
    hits: list[DateHit] = []
    if minguo:
        _minguo_dates(n, hits)
    _zh_dates(n, hits)
    if "月" in n:
        _zh_month_ranges(n, hits)
    _en_dates(n, low or lower_copy(n), hits)
    _seasons(n, hits)
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[DateHit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept


# Reign eras of the Qing and the Republic: 光緒十七年 is 1891, not seventeen years. The first
# year of an era is its 元年 (year 1); the folded text writes them in Simplified.
ERA_FIRST_YEARS = {
    "顺治": 1644, "康熙": 1662, "雍正": 1723, "乾隆": 1736, "嘉庆": 1796, "道光": 1821,
    "咸丰": 1851, "同治": 1862, "光绪": 1875, "宣统": 1909, "民国": 1912,
}
_ERA_BEFORE = re.compile("(" + "|".join(ERA_FIRST_YEARS) + r")\s*$")


def era_before(n: str, start: int) -> tuple[int, str, int] | None:
    """(start of the era name, the name, its first year) when one ends right at `start`."""
    m = _ERA_BEFORE.search(n, max(0, start - 3), start)
    return (m.start(), m.group(1), ERA_FIRST_YEARS[m.group(1)]) if m else None
