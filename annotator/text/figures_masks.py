"""Stretches of text whose digits are not figures: links, codes, names, titles.

A reviewer loses trust in the tool as soon as it offers "19" from COVID-19 or "2.0"
from a document title as a figure to check, so these are found first and every
number inside one is skipped.
"""

from __future__ import annotations

import bisect
import re

from annotator.text.figures_lex import EN_MONTHS

_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'\u3000-\u303f\uff01-\uff5e]+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_AD = re.compile(r"\[[A-Za-z_]+[_\s]*\d*\]")
_PHONE = re.compile(
    r"(?<![\w])\+\d{1,3}(?:[-\s./]?\(?\d{1,5}\)?){2,5}(?![\w])"
    r"|(?<![\w-])\(\d{2,5}\)\s?\d{3,5}[-\s]?\d{3,5}(?![\w])"
    r"|(?<![\w-])\d{2,5}-\d{6,9}(?![\w-])"
    r"|(?<![\w-])(?!\d{4}-\d{1,2}-\d{1,2}(?![\d-]))\d{2,8}(?:-\d{2,8}){2,}(?![\w])",
    re.I,
)
_LONG_DIGITS = re.compile(r"(?<![\d,.])\d{16,}(?![\d])")
_DOTTED = re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}(?![\d])")
_TIME = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?(?![a-z]))?(?![\d:])", re.I)
_TITLE_MARKS = re.compile(r"《[^《》\n]{1,80}》|〈[^〈〉\n]{1,60}〉")
_CODE = re.compile(r"(?<![A-Za-z0-9_$])[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*(?![A-Za-z0-9_])")
_ZH_NAMES = re.compile(r"十[一二三四五六]五(?:规划|时期|期间)?|(?:十[六七八九]|二十)大")

# Suffixes that keep "number+letters" a quantity (10k, 1.2bn, 29km, 20th) rather than a code.
_NUMBER_SUFFIX = re.compile(
    r"\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?"
    r"(?:k|m|b|bn|mn|mln|bln|tln|mil|km|kg|mg|ml|cm|mm|m2|sqm|g|gb|mb|tb|kb|kw|mw|gw|kwh|mwh|gwh"
    r"|mph|kmh|ha|st|nd|rd|th|s|pm|am|usd|hkd|rmb|cny|eur|gbp|jpy|aud|cad|sgd|pc|pct|x|yrs?)?",
    re.I,
)
_CURRENCY_CODE_NUMBER = re.compile(
    r"(?:usd|hkd|rmb|cny|eur|gbp|jpy|aud|cad|sgd|twd|chf|nzd|mop|inr|krw)\d+(?:[.,]\d+)*(?:k|m|bn|b)?",
    re.I,
)
_NAME_WORD = re.compile(r"[A-Z][A-Za-z&'’-]*")
_ORDINAL_OR_NUMBER_WORD = re.compile(
    r"(?<![A-Za-z0-9])(?i:\d+(?:st|nd|rd|th)|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth"
    r"|nineteenth|twentieth|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|forty|fifty|hundred))(?=[\s-]+[A-Z])"
)
_TITLE_NUMBER = re.compile(
    r"(?<![A-Za-z])([A-Z][A-Za-z&-]+\s+){2,}(?P<num>\d+(?:\.\d+)?)(?![\d,]|st|nd|rd|th)"
)
_QUOTED = re.compile(r"[“\"「『]([^”\"」』\n]{3,90})[”\"」』]")
_SENTENCE_START = re.compile(r"(?:^|[.!?。！？\n“\"(（:：]\s*)$")


class Masks:
    """Sorted, merged spans; `covers(start, end)` is a binary search."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans.sort()
        merged: list[list[int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.ends[i] > start:
            return True
        j = i + 1
        return j < len(self.starts) and self.starts[j] < end


def _is_code(token: str) -> bool:
    if not any(c.isdigit() for c in token) or not any(c.isalpha() for c in token):
        return False
    if _NUMBER_SUFFIX.fullmatch(token) or _CURRENCY_CODE_NUMBER.fullmatch(token):
        return False
    if re.fullmatch(r"\d+(?:[.,]\d+)*-[A-Za-z]+(?:-[A-Za-z]+)*", token):
        return False  # 12-cent, 15-year-old: compound adjectives, not codes
    if re.fullmatch(r"\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)", token):
        return False
    return True


def _title_quotes(text: str, spans: list) -> None:
    for m in _QUOTED.finditer(text):
        inner = m.group(1)
        words = re.findall(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,]*", inner)
        if not words or len(words) > 12 or re.search(r"[.!?;。！？；,]\s", inner):
            continue
        alpha = [w for w in words if w[0].isalpha()]
        small = {"of", "and", "the", "for", "in", "on", "to", "a", "an", "at", "by", "with"}
        caps = [w for w in alpha if w[0].isupper()]
        content = [w for w in alpha if w.lower() not in small]
        if len(alpha) >= 2 and content and len(caps) >= 0.8 * len(content):
            spans.append((m.start(1), m.end(1)))


def _english_names(text: str, spans: list) -> None:
    """Ordinals and number words that open a capitalised name (21st Century Herald)."""
    for m in _ORDINAL_OR_NUMBER_WORD.finditer(text):
        word = m.group()
        if word[0].isalpha() and not word[0].isupper():
            continue
        if word[0].isalpha() and _SENTENCE_START.search(text, max(0, m.start() - 4), m.start()):
            continue  # "Five universities ..." at a sentence start is a count
        j = m.end()
        while j < len(text) and text[j] in " -":
            j += 1
        nxt = _NAME_WORD.match(text, j)
        if nxt and nxt.group().lower() not in EN_MONTHS:
            spans.append((m.start(), nxt.end()))
    for m in _TITLE_NUMBER.finditer(text):
        words = m.group().split()
        if words[-2].lower() in EN_MONTHS or words[-2].rstrip(".").lower() in ("no", "number"):
            continue
        spans.append((m.start("num"), m.end("num")))


def find_masks(text: str, folded: str) -> Masks:
    spans: list[tuple[int, int]] = []
    for rx in (_URL, _EMAIL, _AD, _PHONE, _LONG_DIGITS, _DOTTED, _TIME, _TITLE_MARKS, _ZH_NAMES):
        spans.extend(m.span() for m in rx.finditer(folded))
    for m in _CODE.finditer(folded):
        if _is_code(m.group()):
            spans.append(m.span())
    _title_quotes(folded, spans)
    _english_names(folded, spans)
    return Masks(spans)
