"""Sentence boundaries in scraped Chinese and English news text.

Scraped text loses punctuation (比重53% ends a paragraph with no 。) and keeps odd
spacing, so a blank line or a line break always ends a sentence. Inside a line,
Chinese ends at 。！？；… (with any closing quotes that follow), English at . ! ?
followed by space — except after abbreviations (Mr., U.S., No. 5) and inside numbers
(4.3%, HK $ 38,500).
"""

from __future__ import annotations

import re

from annotator.domain import Sentence

_CLOSERS = "”’\"'」』）)】》"
_ZH_END = re.compile(rf"[。！？；!?;]+[{_CLOSERS}]*|…+[{_CLOSERS}]*|\.{{3,}}[{_CLOSERS}]*")
_EN_END = re.compile(rf"[.!?]+[{_CLOSERS}]*(?=\s|$)")
_LINE = re.compile(r"[^\n]+")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "no", "nos", "vs", "etc", "inc",
    "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "gov", "gen", "col", "lt", "sgt", "rev", "hon", "approx", "est", "fig",
    "dept", "univ", "assn", "bros", "e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m", "hk",
}
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _english_break(line: str, m: re.Match) -> bool:
    """Whether the '.'/'!'/'?' at m ends an English sentence."""
    if m.group()[0] != ".":
        return True
    before = _WORD_BEFORE.search(line, max(0, m.start() - 12), m.start())
    if before:
        word = before.group(1).lower().rstrip(".")
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            return False  # Mr. Smith, U.S. economy, J. Doe
        if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
            return False
    rest = line[m.end() : m.end() + 3].lstrip()
    if rest[:1].isdigit() and before and before.group(1).lower() in ("no", "nos"):
        return False
    if rest[:1].islower():
        return False  # "approx. three" or a broken line; wait for a real sentence start
    return True


def _split_line(line: str, offset: int, out: list[Sentence]) -> None:
    start = 0
    ends: list[int] = [m.end() for m in _ZH_END.finditer(line)]
    ends += [m.end() for m in _EN_END.finditer(line) if _english_break(line, m)]
    for end in sorted(set(ends)):
        if end > start:
            _emit(line, offset, start, end, out)
            start = end
    if start < len(line):
        _emit(line, offset, start, len(line), out)


def _emit(line: str, offset: int, start: int, end: int, out: list[Sentence]) -> None:
    chunk = line[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk.rstrip())
    if trail <= lead:
        return
    s, e = offset + start + lead, offset + start + trail
    out.append(Sentence(s, e, line[start + lead : start + trail]))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` as code-point spans; every `s.text == text[s.start:s.end]`."""
    out: list[Sentence] = []
    if not text:
        return out
    for m in _LINE.finditer(text):
        _split_line(m.group(), m.start(), out)
    return out
