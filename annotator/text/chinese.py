"""Chinese script conversion and script detection over OpenCC.

Two PyPI distributions install a module called `opencc`: the official C++ binding `OpenCC`
(current dictionaries, fast) and the pure-Python `opencc-python-reimplemented` (old
dictionaries, ~30x slower). The project depends on the official one, but a machine that ended
up with the other must still convert, so the backend is detected once and its naming of
configurations ('s2t.json' vs 's2t') is hidden here. See docs/adr/0002-opencc-binding.md.

The C++ binding holds the GIL for a whole call, so long texts are converted piece by piece
(`convert_paragraphs`), never as one multi-megabyte string.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import threading
from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from collections.abc import Callable

__all__ = [
    "CONFIGS",
    "OffsetMap",
    "UnsupportedConfig",
    "backend",
    "convert",
    "convert_paragraphs",
    "convert_with_offsets",
    "detect_script",
]

CONFIGS = ("s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "t2tw", "t2hk")

# Pieces handed to OpenCC in one call. A phrase never spans a line break or the sentence
# punctuation used to cut over-long lines, so cutting there does not change the output.
_MAX_PIECE = 8192
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_CUT_AFTER = re.compile(r"[。！？；!?;\s]")
_CLAUSE = re.compile(r"[^，。、；：？！,;:?!\s]*[，。、；：？！,;:?!\s]+|[^，。、；：？！,;:?!\s]+")

# detect_script: share of the script-specific Han characters one script must have.
_DOMINANT_SHARE = 0.9
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


class UnsupportedConfig(ValueError):
    """The installed OpenCC backend does not ship this configuration."""


@dataclass(frozen=True)
class _Backend:
    name: str
    version: str
    available: Callable[[str], bool]
    create: Callable[[str], object]


@dataclass(frozen=True)
class OffsetMap:
    """Maps code-point offsets between a text and its conversion, both ways.

    `edits` lists, in order, the regions whose length changed: (source start, source end,
    target start, target end). Outside them offsets shift by a constant. An offset strictly
    inside an edit has no exact counterpart: as the start of a span it maps to the start of
    the edit, as the end of a span to its end, so a highlight always covers the whole
    converted phrase.
    """

    source_len: int
    target_len: int
    edits: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def is_identity(self) -> bool:
        return not self.edits

    def to_target(self, offset: int, side: str = "start") -> int:
        return self._map(offset, side, 0, self.source_len)

    def to_source(self, offset: int, side: str = "start") -> int:
        return self._map(offset, side, 2, self.target_len)

    def span_to_target(self, start: int, end: int) -> tuple[int, int]:
        return self.to_target(start, "start"), self.to_target(end, "end")

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        return self.to_source(start, "start"), self.to_source(end, "end")

    def _map(self, offset: int, side: str, frm: int, length: int) -> int:
        if not 0 <= offset <= length:
            raise IndexError(f"offset {offset} outside 0..{length}")
        if side not in ("start", "end"):
            raise ValueError("side must be 'start' or 'end'")
        to = 2 - frm
        starts = self._starts(frm)
        i = bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        edit = self.edits[i]
        f_start, f_end, t_start, t_end = edit[frm], edit[frm + 1], edit[to], edit[to + 1]
        if offset == f_start:
            return t_start
        if offset >= f_end:
            return t_end + (offset - f_end)
        return t_start if side == "start" else t_end

    def _starts(self, frm: int) -> list[int]:
        key = "_src_starts" if frm == 0 else "_dst_starts"
        cached = self.__dict__.get(key)
        if cached is None:
            cached = [e[frm] for e in self.edits]
            object.__setattr__(self, key, cached)
        return cached


_backend: _Backend | None = None
_converters: dict[str, object] = {}
_char_tables: dict[str, dict[str, str]] = {}
_lock = threading.Lock()


def _distribution_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _detect_backend() -> _Backend:
    import opencc

    if hasattr(opencc, "CONFIGS"):
        # The official binding lists the configuration files it bundles ('s2t.json', ...).
        bundled = set(opencc.CONFIGS)
        return _Backend(
            name="OpenCC",
            version=getattr(opencc, "__version__", None) or _distribution_version("OpenCC"),
            available=lambda config: f"{config}.json" in bundled,
            create=lambda config: _NulSafe(opencc.OpenCC(f"{config}.json")),
        )
    config_dir = os.path.join(os.path.dirname(opencc.__file__), "config")
    return _Backend(
        name="opencc-python-reimplemented",
        version=_distribution_version("opencc-python-reimplemented"),
        available=lambda config: os.path.isfile(os.path.join(config_dir, f"{config}.json")),
        create=lambda config: opencc.OpenCC(config),
    )


class _NulSafe:
    """The official binding passes text to C++ as a C string: a conversion made of two
    steps (s2hk is s2t then t2hk) loses everything from the first NUL character on. Text
    with NULs (scraped files have them) is converted around them."""

    __slots__ = ("_conv",)

    def __init__(self, conv):
        self._conv = conv

    def convert(self, text: str) -> str:
        if "\x00" in text:
            return "\x00".join(map(self._conv.convert, text.split("\x00")))
        return self._conv.convert(text)


def _get_backend() -> _Backend:
    global _backend
    if _backend is None:
        with _lock:
            if _backend is None:
                _backend = _detect_backend()
    return _backend


def backend() -> str:
    """Name and version of the OpenCC implementation in use, e.g. 'OpenCC 1.4.2'."""
    b = _get_backend()
    return f"{b.name} {b.version}"


def _converter(config: str):
    conv = _converters.get(config)
    if conv is not None:
        return conv
    if config not in CONFIGS:
        raise ValueError(f"unknown conversion {config!r}; valid: {', '.join(CONFIGS)}")
    b = _get_backend()
    with _lock:
        conv = _converters.get(config)
        if conv is None:
            if not b.available(config):
                raise UnsupportedConfig(
                    f"conversion {config!r} is not provided by {b.name} {b.version}; "
                    "install the official binding: pip install 'OpenCC>=1.1'"
                )
            conv = b.create(config)
            _converters[config] = conv
    return conv


def convert(text: str, config: str) -> str:
    """One OpenCC call: meant for an article or a paragraph, not a whole dataset."""
    if not text:
        _converter(config)  # still reject unknown configurations
        return text
    return _converter(config).convert(text)


def _pieces(text: str, limit: int = _MAX_PIECE):
    """Lines of `text`, with over-long lines cut after sentence punctuation or whitespace."""
    for m in _LINE.finditer(text):
        line = m.group()
        while len(line) > limit:
            cut = None
            for c in _CUT_AFTER.finditer(line, 0, limit):
                cut = c.end()
            if cut is None:  # no safe place: cut anyway rather than hold the GIL for long
                cut = limit
            yield line[:cut]
            line = line[cut:]
        if line:
            yield line


def convert_paragraphs(text: str, config: str) -> str:
    """`convert` for long texts: one OpenCC call per line so other threads keep running."""
    if len(text) <= _MAX_PIECE:
        return convert(text, config)
    conv = _converter(config)
    return "".join(conv.convert(p) for p in _pieces(text))


def convert_with_offsets(text: str, config: str) -> tuple[str, OffsetMap]:
    """Converted text and the map between its offsets and those of `text`.

    Most conversions keep the length (one character for one), and then the map is the
    identity. Phrase conversions such as 内存 -> 記憶體 do not: such lines are aligned
    against a character-by-character conversion to find where the length changed.
    """
    conv = _converter(config)
    out: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    src = dst = 0
    chars = _char_table(config)
    for piece in _pieces(text):
        converted = conv.convert(piece)
        if not _one_for_one(piece, converted, conv, chars):
            edits.extend(_piece_edits(piece, converted, conv, chars, src, dst))
        out.append(converted)
        src += len(piece)
        dst += len(converted)
    return "".join(out), OffsetMap(len(text), dst, tuple(edits))


def _char_table(config: str) -> dict[str, str]:
    """Per-character conversions of `config`, filled as characters are met."""
    return _char_tables.setdefault(config, {})


def _convert_char(c: str, conv, chars: dict[str, str]) -> str:
    out = chars.get(c)
    if out is None:
        out = chars[c] = conv.convert(c)
    return out


def _one_for_one(piece: str, converted: str, conv, chars: dict[str, str]) -> bool:
    """True when every character converted on its own, in place.

    Equal length alone is not enough: 互联网 英伟达 -> 網際網路 輝達 gains one character
    and loses one in the same line.
    """
    if piece == converted:
        return True
    if len(piece) != len(converted):
        return False
    return all(a == b or _convert_char(a, conv, chars) == b for a, b in zip(piece, converted))


def _piece_edits(piece: str, converted: str, conv, chars: dict[str, str], src: int, dst: int):
    """Edits of one line, found clause by clause: finding phrase boundaries costs two
    conversions per candidate offset, so the texts searched should be short."""
    clauses = _CLAUSE.findall(piece)
    converted_clauses = [conv.convert(c) for c in clauses]
    if "".join(converted_clauses) != converted:  # a phrase spans a clause mark
        return _length_edits(piece, converted, conv, chars, src, dst)
    edits = []
    for clause, out in zip(clauses, converted_clauses):
        if not _one_for_one(clause, out, conv, chars):
            edits.extend(_length_edits(clause, out, conv, chars, src, dst))
        src += len(clause)
        dst += len(out)
    return edits


def _length_edits(piece: str, converted: str, conv, chars: dict[str, str], src: int, dst: int):
    """Regions of `piece` whose conversion has another length, as absolute offsets.

    A character-by-character conversion aligned with difflib says roughly where phrases
    were rewritten; each rough region is then widened to the nearest *phrase boundaries*:
    offsets k where converting piece[:k] and piece[k:] separately gives the same output,
    so no dictionary phrase crosses k. Between boundaries the target offsets are exact.
    """
    boundary = _Boundaries(piece, converted, conv)
    regions: list[list[int]] = []
    for i1, i2 in _rough_regions([_convert_char(c, conv, chars) for c in piece], converted):
        # difflib may put an inserted character on either side of a phrase: look one
        # character further each way, then trim what converts one for one.
        left = boundary.safe_at_or_before(max(i1 - 1, 0))
        right = boundary.safe_at_or_after(min(i2 + 1, len(piece)))
        if regions and left <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], right)
        else:
            regions.append([left, right])
    edits = [e for a, b in regions for e in boundary.atoms(a, b)]
    shift = sum((e[3] - e[2]) - (e[1] - e[0]) for e in edits)
    if shift != len(converted) - len(piece):  # cannot happen with a deterministic converter
        edits = [(0, len(piece), 0, len(converted))]
    return [(src + a, src + b, dst + c, dst + d) for a, b, c, d in edits]


def _rough_regions(tokens: list[str], converted: str) -> list[tuple[int, int]]:
    """Where the phrase conversion departs from the character-by-character one."""
    if len(tokens) == len(converted):
        return [(i, i + 1) for i, (t, c) in enumerate(zip(tokens, converted)) if t != c]
    # Only the stretch between the common prefix and suffix needs difflib.
    n, m = len(tokens), len(converted)
    head = 0
    while head < min(n, m) and tokens[head] == converted[head]:
        head += 1
    tail = 0
    while tail < min(n, m) - head and tokens[n - 1 - tail] == converted[m - 1 - tail]:
        tail += 1
    matcher = SequenceMatcher(None, tokens[head:n - tail], list(converted[head:m - tail]),
                              autojunk=False)
    return [(head + i1, head + i2) for tag, i1, i2, _, _ in matcher.get_opcodes()
            if tag != "equal"]


class _Boundaries:
    """Phrase boundaries of one piece, tested lazily and remembered."""

    def __init__(self, piece: str, converted: str, conv):
        self.piece, self.converted, self.conv = piece, converted, conv
        self._prefix: dict[int, str] = {0: "", len(piece): converted}
        self._safe: dict[int, bool] = {0: True, len(piece): True}

    def safe(self, k: int) -> bool:
        if k not in self._safe:
            head = self.conv.convert(self.piece[:k])
            tail = self.conv.convert(self.piece[k:])
            self._safe[k] = head + tail == self.converted
            self._prefix[k] = head
        return self._safe[k]

    def target(self, k: int) -> int:
        return len(self._prefix[k])

    def safe_at_or_before(self, k: int) -> int:
        return next(i for i in range(k, -1, -1) if self.safe(i))

    def safe_at_or_after(self, k: int) -> int:
        return next(i for i in range(k, len(self.piece) + 1) if self.safe(i))

    def atoms(self, left: int, right: int):
        """(start, end, target start, target end) of the stretches of [left, right) between
        consecutive phrase boundaries whose conversion changes the length."""
        cuts = [k for k in range(left, right + 1) if self.safe(k)]
        for a, b in zip(cuts, cuts[1:]):
            if self.target(b) - self.target(a) != b - a:
                yield a, b, self.target(a), self.target(b)


def detect_script(text: str, *, t2s: tuple[str, str] | None = None) -> str | None:
    """'hans', 'hant', 'mixed', or None when the text has no Han characters.

    A Han character is Traditional-specific when t2s changes it and Simplified-specific when
    s2t changes it on its own; characters both scripts share (人, 大, 香港 ...) are no
    evidence. (Simplified characters are looked up in a set made once from s2t's
    conversion of every Han character: converting each article to Traditional to count them
    cost a fifteenth of an import's analysis.) The text
    is "hans" or "hant" when at least 90% of the specific characters belong to that script
    (a name or quotation in the other script does not make a text mixed), "mixed" otherwise.
    A text whose Han characters are all shared reads the same in both scripts and is called
    "hans".

    `t2s` is (the text in NFKC, its t2s conversion) when the caller has converted it
    already (folding does): the Traditional characters are counted on that pair unless
    the conversion changed the length of a line.
    """
    if not _HAN.search(text):
        return None
    hans = _count_simplified(text)
    hant = _han_replaced(*t2s) if t2s is not None else None
    if hant is None:
        hant = _han_changed(text, "t2s")
    specific = hans + hant
    if specific == 0 or hans >= _DOMINANT_SHARE * specific:
        return "hans"
    if hant >= _DOMINANT_SHARE * specific:
        return "hant"
    return "mixed"


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _count_simplified(text: str) -> int:
    """How many Han characters of `text` s2t changes standing alone."""
    bmp, astral = _simplified_specific()
    return len(bmp.findall(text)) + sum(1 for c in _ASTRAL.findall(text) if c in astral)


@lru_cache(maxsize=1)
def _simplified_specific() -> tuple[re.Pattern[str], frozenset[str]]:
    """The Han characters that s2t changes standing alone, found once (for the 97,000 Han
    code points, about 40 ms) by converting them all, one a line: those of the Basic
    Multilingual Plane as a pattern (a character class there is a table lookup), the
    others as a set (in a pattern they would be tried one by one, 130 times slower)."""
    chars = [chr(c) for lo, hi in _HAN_RANGES for c in range(lo, hi + 1)]
    out = _converter("s2t").convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):  # a line changed length: convert one by one
        out = [_converter("s2t").convert(c) for c in chars]
    changed = [c for c, o in zip(chars, out) if o != c]
    bmp = "".join(c for c in changed if ord(c) <= 0xFFFF)
    return (re.compile(f"[{bmp}]") if bmp else re.compile(r"(?!)"),
            frozenset(c for c in changed if ord(c) > 0xFFFF))


def _han_changed(text: str, config: str) -> int:
    """How many Han characters of `text` the conversion changes.

    Whole lines are converted together, up to _MAX_PIECE characters a call (a call per
    line cost more in calls than in converting); a block whose lines all kept their
    length is compared position by position, the others line by line."""
    conv = _converter(config)
    changed = 0
    for block in _line_blocks(text):
        out = conv.convert(block)
        counted = _han_replaced(block, out)
        if counted is not None:
            changed += counted
            continue
        for piece in _pieces(block):
            out = conv.convert(piece)
            counted = _han_replaced(piece, out)
            if counted is None:  # the line changed length: align it
                opcodes = SequenceMatcher(None, piece, out, autojunk=False).get_opcodes()
                counted = sum(len(_HAN.findall(piece, i1, i2))
                              for tag, i1, i2, _, _ in opcodes if tag != "equal")
            changed += counted
    return changed


def _line_blocks(text: str, limit: int = _MAX_PIECE):
    """The pieces of `text` (see _pieces) joined into blocks of at most `limit`
    characters; a piece cut out of an over-long line is a block of its own."""
    block: list[str] = []
    size = 0
    for piece in _pieces(text, limit):
        if block and (size + len(piece) > limit or not piece.endswith("\n")):
            yield "".join(block)
            block, size = [], 0
        block.append(piece)
        size += len(piece)
        if not piece.endswith("\n"):
            yield "".join(block)
            block, size = [], 0
    if block:
        yield "".join(block)


def _han_replaced(before: str, after: str) -> int | None:
    """Han characters of `before` that differ from the same position of `after`, or
    None when some line of `after` is not as long as its line of `before` (positions do
    not correspond). Compared as code-point arrays: a Python loop over every character
    was a tenth of an import's analysis. (numpy is imported here: the window converts
    text but never detects scripts, and does not load numpy.)"""
    if before == after:
        return 0
    if len(before) != len(after):
        return None
    import numpy as np

    a = np.frombuffer(before.encode("utf-32-le"), dtype="<u4")
    b = np.frombuffer(after.encode("utf-32-le"), dtype="<u4")
    if not np.array_equal(a == 10, b == 10):  # a line changed length
        return None
    d = a[a != b]
    han = np.zeros(len(d), dtype=bool)
    for lo, hi in _HAN_RANGES:
        han |= (d >= lo) & (d <= hi)
    return int(np.count_nonzero(han))


def conversion_config(target: str, article_script: str | None) -> str | None:
    """The OpenCC configuration that takes an article in `article_script` to `target`."""
    if target == "original" or article_script is None:
        return None
    traditional = article_script == "hant"
    return {
        "hans": "t2s",
        "hant": None if traditional else "s2t",
        "hk": "t2hk" if traditional else "s2hk",
        "tw": "t2tw" if traditional else "s2tw",
    }[target]
