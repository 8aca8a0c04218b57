"""Code-point offsets <-> QTextDocument positions.

Stored offsets count Python code points; a QTextDocument counts UTF-16 units, so every
character outside the Basic Multilingual Plane (emoji, CJK Extension B) shifts all later
positions by one. Qt also folds "\\r\\n" into one block break, which would shift them
back; the text handed to Qt replaces that "\\r" with a space so lengths stay equal.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class DocText:
    def __init__(self, text: str):
        self.text = text
        self.qt_text = text.replace("\r\n", " \n")
        self._astral: list[int] | None = None
        astral = [m.start() for m in _ASTRAL.finditer(text)]
        if astral:
            self._astral = astral

    def to_doc(self, offset: int) -> int:
        """Document position of a code-point offset."""
        if self._astral is None:
            return offset
        return offset + bisect_right(self._astral, offset - 1)

    def to_text(self, position: int) -> int:
        """Code-point offset of a document position (inside a surrogate pair: its char)."""
        if self._astral is None:
            return position
        lo, hi = 0, len(self.text)
        while lo < hi:  # largest offset whose document position is <= position
            mid = (lo + hi + 1) // 2
            if self.to_doc(mid) <= position:
                lo = mid
            else:
                hi = mid - 1
        return lo
