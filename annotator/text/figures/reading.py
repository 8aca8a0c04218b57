"""How a figure was read, in words a reviewer can check: the `reading` of a figure.

Each step names what the engine took from the text and what it made of it, in the
order they apply: the numeral (a Chinese numeral through cn2an, a scale word or
character and its power of ten, number words), a span written in two units, the kind
(a date's parts, a Minguo year, a range's ends, a rank), the qualifier, the unit and the
currency with the rule that chose it (元 in a Hong Kong article -> HKD). For example

    5.02万元      5.02万 -> 5.02 × 10^4 = 50,200; 元 -> CNY
    约2000名      约 -> approximately; count of 名
    105年3月19日  date: Minguo year 105 + 1911 = 2016, month 3, day 19 -> 2016-03-19

Steps the surface cannot show (the region of the article, two units joined into one
span) are handed in by the engine as `notes`.
"""

from __future__ import annotations

import re

from annotator.domain import Figure
from annotator.text.figures.describe import describe_value
from annotator.text.figures.currencies import EN_SUFFIX_CURRENCIES, PREFIX_CURRENCIES, ZH_SUFFIX_CURRENCIES
from annotator.text.figures.numerals import fold

# Scale characters and words, with their power of ten, as the surface writes them.
_SCALES = (
    ("万亿", 12), ("亿", 8), ("万", 4), ("千", 3), ("trillion", 12), ("billion", 9),
    ("million", 6), ("thousand", 3), ("crore", 7), ("lakh", 5), ("bn", 9), ("mn", 6),
    ("mln", 6), ("tn", 12), ("k", 3), ("m", 6), ("b", 9),
)
_SCALED = re.compile(
    r"(?P<num>\d+(?:[,\s]\d{3})*(?:\.\d+)?)\s*(?P<scale>万亿|亿|万|千|trillion|billion|million|thousand"
    r"|crore|lakh|bn|mn|mln|tn|k|m|b)(?![A-Za-z])", re.I)
_CN_NUMERAL = re.compile(r"[零〇○一二两俩三四五六七八九十百千万亿廿卅卌壹贰叁肆伍陆柒捌玖拾佰仟]+")
_EN_NUMBER_WORDS = re.compile(
    r"(?<![A-Za-z])(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|half|"
    r"quarter|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
    r"(?:[\s-]+(?:and[\s-]+)?(?:a[\s-]+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds|thousands|"
    r"millions|billions|trillions|hundred|thousand|"
    r"million|billion|trillion|half|quarter|first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth|tenth|\w+teen|\w+ieth|\w+th))*(?![A-Za-z])", re.I)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_CURRENCY_WORDS = sorted(
    {**{k: v for k, v in PREFIX_CURRENCIES.items()}, **EN_SUFFIX_CURRENCIES, **ZH_SUFFIX_CURRENCIES},
    key=len, reverse=True)
_ALL_CURRENCIES = {**PREFIX_CURRENCIES, **EN_SUFFIX_CURRENCIES, **ZH_SUFFIX_CURRENCIES}
_ASCII_WORD = re.compile(r"[a-z]")
_LATIN = re.compile(r"[A-Za-z]")
_SCALE_CHARS = re.compile(r"[万亿千]")


def _num(v: float) -> str:
    return describe_value("count", v)


def _numeral_step(surface: str, value: float | None, kind: str) -> str | None:
    if kind in ("date", "year") or value is None:
        return None
    folded = fold(surface)  # the fold keeps offsets: 萬 is read as 万
    latin = _LATIN.search(surface) is not None
    m = _SCALED.search(folded) if latin or _SCALE_CHARS.search(folded) else None
    if m and not (latin and _EN_NUMBER_WORDS.fullmatch(surface[m.start():m.end()])):
        scale = m.group("scale")
        power = dict(_SCALES).get(scale.lower() if scale.isascii() else scale)
        base = float(m.group("num").replace(",", "").replace(" ", ""))
        if power is not None:
            return (f"{surface[m.start():m.end()]} -> {_num(base)} × 10^{power} = "
                    f"{_num(base * 10 ** power)}")
    cn = _CN_NUMERAL.search(folded)
    if cn and not re.search(r"\d", folded[cn.start() - 1 : cn.start()] or " "):
        return f"{surface[cn.start():cn.end()]} -> {_num(abs(value))} (Chinese numeral, cn2an)"
    en = _EN_NUMBER_WORDS.search(surface) if latin else None
    if en:
        words = en.group()
        compound = len(re.findall(r"[A-Za-z]+", words)) > 1 and (
            kind == "ordinal" or re.search(r"(?:hundred|thousand|million|billion|trillion)s\b", words))
        how = "text2num" if compound else "number words"
        return f"{words} -> {_num(abs(value))} ({how})"
    g = _GROUPED.search(surface)
    if g:
        return f"{g.group()} -> {_num(abs(value))} (digits with thousands separators)"
    d = _DIGITS.search(surface)
    if d and kind not in ("range", "change"):
        return f"{d.group()} (digits)"
    return None


_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _kind_step(f: Figure, surface: str) -> str | None:
    shown = describe_value(f.kind, f.value, f.value_max, f.unit, f.currency)
    if f.kind == "date" and f.value is not None:
        v = int(f.value)
        y, mo, d = v // 10000, (v // 100) % 100, v % 100
        parts = []
        if y:
            parts.append(_year_part(y, surface))
        if mo:
            parts.append(f"month {mo}")
        if d:
            parts.append(f"day {d}")
        if not y:
            parts.append("year not given")
        return f"date: {', '.join(parts)} -> {shown}"
    if f.kind == "year" and f.value is not None:
        return _year_part(int(f.value), surface)
    if f.kind == "range":
        return f"range: {shown}"
    if f.kind == "change":
        return f"change {'from' if f.role == 'from' else 'to'} {shown}"
    if f.kind == "ordinal":
        return f"rank: {shown}"
    if f.kind == "percent":
        return f"percent: {shown}"
    return None


def _year_part(y: int, surface: str) -> str:
    for m in re.finditer(r"\d{2,4}", surface):
        n = int(m.group())
        if n == y:
            return f"year {y}"
        if n + 1911 == y:
            return f"Minguo year {n} + 1911 = {y}"
    return f"year {y}"


def _currency_step(f: Figure, surface: str, notes: list[str]) -> str | None:
    if not f.currency or any("->" in n and f.currency in n for n in notes):
        return None
    low = fold(surface).lower()
    for word in _CURRENCY_WORDS:
        if word in low and (not _ASCII_WORD.match(word) or re.search(
                rf"(?<![a-z]){re.escape(word)}(?![a-z])", low)):
            code = _ALL_CURRENCIES[word]
            if code == f.currency:
                return f"{word} -> {f.currency}"
            return f"{word} -> {f.currency} ({_WHY_CODE.get(code, 'by the article')})"
    return f"currency {f.currency}"


_WHY_CODE = {"$": "the dollar the article names", "¥": "yen or yuan by the article's script"}


def reading_of(f: Figure, notes: list[str] | None = None) -> str:
    """The steps that read figure `f` from its surface, joined by "; "."""
    notes = list(notes or [])
    surface = f.text
    steps: list[str] = []
    for step in (_numeral_step(surface, f.value, f.kind), *notes, _kind_step(f, surface)):
        if step and step not in steps:
            steps.append(step)
    if f.qualifier:
        steps.append(f"qualifier: {f.qualifier}")
    if f.unit and f.kind not in ("date", "year", "percent") and f.unit not in ("%", "date"):
        steps.append(f"unit: {f.unit}")
    cur = _currency_step(f, surface, notes)
    if cur:
        steps.append(cur)
    if not steps:
        steps.append(f"{surface} -> {describe_value(f.kind, f.value, f.value_max, f.unit, f.currency)}"
                     f" ({f.kind})")
    return "; ".join(steps)
