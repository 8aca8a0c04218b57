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
# The lookahead names every possible first character, so the scan can skip to them
# (2.5x faster than leaving the engine to try each alternative at each character).
_ZH_END = re.compile(rf"(?=[。！？；!?;….])(?:[。！？；!?;]+[{_CLOSERS}]*|…+[{_CLOSERS}]*|\.{{3,}}[{_CLOSERS}]*)")
_EN_END = re.compile(rf"[.!?]+[{_CLOSERS}]*(?=\s|$)")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "no", "nos", "vs", "etc", "inc",
    "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "gov", "gen", "col", "lt", "sgt", "rev", "hon", "approx", "est", "fig",
    "dept", "univ", "assn", "bros", "e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m", "hk",
}
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\Z")
_WORD_END = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")  # what it ends with
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")


def _english_break(text: str, m: re.Match) -> bool:
    """Whether the '.'/'!'/'?' at m ends an English sentence."""
    i = m.start()
    if text[i] != ".":
        return True
    before = _WORD_BEFORE.search(text, max(0, i - 12), i) if i and text[i - 1] in _WORD_END else None
    if before:
        word = before.group(1).lower().rstrip(".")
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            return False  # Mr. Smith, U.S. economy, J. Doe
        if "." in word and _INITIALS.fullmatch(word):
            return False
    rest = text[m.end() : m.end() + 3].split("\n", 1)[0].lstrip()  # the rest of this line
    if rest[:1].isdigit() and before and before.group(1).lower() in ("no", "nos"):
        return False
    if rest[:1].islower():
        return False  # "approx. three" or a broken line; wait for a real sentence start
    return True


def _breaks(text: str) -> list[int]:
    """Every sentence end and line break, in order. One scan of the whole text for
    each pattern: per-line scans cost more in calls than in matching."""
    ends = {m.end() for m in _ZH_END.finditer(text)}
    ends.update(m.end() for m in _EN_END.finditer(text) if _english_break(text, m))
    i = text.find("\n")
    while i != -1:
        ends.add(i)
        i = text.find("\n", i + 1)
    ends.add(len(text))
    return sorted(ends)


def sentence_spans(text: str):
    """(start, end) of every sentence, in order, without building Sentence objects:
    find_claims looks only at the sentences that hold a figure."""
    start = 0
    for end in _breaks(text) if text else ():
        if end > start:
            chunk = text[start:end]
            stripped = chunk.strip()
            if stripped:
                s = start + len(chunk) - len(chunk.lstrip())
                yield s, s + len(stripped)
            start = end


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` as code-point spans; every `s.text == text[s.start:s.end]`."""
    return [Sentence(s, e, text[s:e]) for s, e in sentence_spans(text)]
