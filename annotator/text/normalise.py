"""Folding text so that copies which differ only in form compare equal.

Scraped re-posts differ in script (萬 / 万), width (１２％ / 12%), case and spacing. Search and
duplicate detection compare *folded* text: NFKC, then Traditional -> Simplified (OpenCC
t2s), then casefold, then runs of whitespace collapsed to one space and the ends stripped.

t2s rather than tw2s or hk2s: t2s leaves Simplified text untouched, while tw2s rewrites the
Simplified 显著 to 显着. The price is that Taiwan-style 著 (for 着) stays as it is; duplicate
detection tolerates such one-character differences.

Duplicates must be shown in the original, so `fold_with_offsets` also says, for every folded
character, which original character it came from. Each step can change the length (㎡ -> m2,
ﬁ -> fi, ß -> ss, a few t2s phrases), so each step carries the offsets along.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from annotator.text.chinese import backend, convert_paragraphs, convert_with_offsets

__all__ = ["fold", "fold_steps", "fold_version", "fold_with_offsets"]

_WHITESPACE = re.compile(r"\s+")
# what _WHITESPACE.sub(" ", ...) actually changes: a run of two or more, or one that is
# not a plain space
_WHITESPACE_TO_FIX = re.compile(r"\s{2,}|[^\S ]")


def _stable_chars(first: int, last: int) -> str:
    chars = (chr(c) for c in range(first, last + 1))
    return "".join(re.escape(c) for c in chars
                   if unicodedata.normalize("NFKC", c) == c and not unicodedata.combining(c))


# Characters that NFKC leaves alone whatever surrounds them, except that a combining mark
# after them may compose with them (handled by starting the group one character earlier).
# Everything else is normalised group by group.
_UNSTABLE = re.compile(
    "[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff"
    + _stable_chars(0xA0, 0xFF)
    + _stable_chars(0x2000, 0x206F)
    + _stable_chars(0x3000, 0x303F)
    + "]+"
)


def fold_version() -> str:
    """What folded text (and every digest or signature computed from it) depends on: the
    OpenCC dictionaries and Python's Unicode tables. Stored hashes are stale when it
    changes."""
    return f"{backend()}; unicode {unicodedata.unidata_version}"


def fold(text: str) -> str:
    """The comparison form of `text` (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", text)
    folded = convert_paragraphs(folded, "t2s").casefold()
    return _WHITESPACE.sub(" ", folded).strip()


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the offset in `text` it came from.

    A character produced by expanding one original character (m and 2 from ㎡) points at
    that character; a character produced from several (é from e + U+0301) points at the
    first. The offsets never decrease.
    """
    return fold_steps(text)[:2]


def fold_steps(text: str) -> tuple[str, list[int], str, str]:
    """`fold_with_offsets(text)` and the t2s step's input and output (the NFKC text and
    its conversion), which script detection counts Traditional characters on instead of
    converting the article once more."""
    nfkc, offsets = _nfkc(text)
    converted, offsets = _t2s(nfkc, offsets)
    folded, offsets = _casefold(converted, offsets)
    folded, offsets = _collapse_whitespace(folded, offsets)
    return folded, offsets, nfkc, converted


def _nfkc(text: str) -> tuple[str, list[int]]:
    if unicodedata.is_normalized("NFKC", text):
        return text, list(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _UNSTABLE.finditer(text):
        start, end = m.span()
        if start > pos and unicodedata.combining(text[start]):
            start -= 1  # the mark may compose with the character before it
        out.append(text[pos:start])
        offsets.extend(range(pos, start))
        normalised, relative = _nfkc_group(text[start:end])
        out.append(normalised)
        offsets.extend(start + r for r in relative)
        pos = end
    out.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    return "".join(out), offsets


@lru_cache(maxsize=4096)
def _nfkc_group(group: str) -> tuple[str, tuple[int, ...]]:
    """NFKC of a group of characters, split into clusters (a starter and its marks) so
    that each output character points at the cluster it came from."""
    whole = unicodedata.normalize("NFKC", group)
    starts = [i for i, c in enumerate(group) if i == 0 or not unicodedata.combining(c)]
    relative: list[int] = []
    parts: list[str] = []
    for a, b in zip(starts, starts[1:] + [len(group)]):
        part = unicodedata.normalize("NFKC", group[a:b])
        parts.append(part)
        relative.extend([a] * len(part))
    if "".join(parts) != whole:  # clusters interacted (e.g. Hangul jamo): point at the group
        relative = [0] * len(whole)
    return whole, tuple(relative)


def _t2s(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    converted, mapping = convert_with_offsets(text, "t2s")
    if mapping.is_identity:
        return converted, offsets
    return converted, [offsets[mapping.to_source(j)] for j in range(len(converted))]


def _casefold(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    folded = text.casefold()
    if len(folded) == len(text):  # casefold never merges characters: one for one
        return folded, offsets
    new_offsets: list[int] = []
    for c, o in zip(text, offsets):
        new_offsets.extend([o] * len(c.casefold()))
    return folded, new_offsets


def _collapse_whitespace(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Runs of white space become one space, the ends are stripped. Only what changes is
    visited: in English most white space is already a single space."""
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if start >= end:
        return "", []
    out: list[str] = []
    new_offsets: list[int] = []
    pos = start
    for m in _WHITESPACE_TO_FIX.finditer(text, start, end):
        s, e = m.span()
        out.append(text[pos:s])
        new_offsets.extend(offsets[pos:s])
        out.append(" ")
        new_offsets.append(offsets[s])
        pos = e
    out.append(text[pos:end])
    new_offsets.extend(offsets[pos:end])
    return "".join(out), new_offsets