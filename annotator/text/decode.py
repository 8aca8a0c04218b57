"""Bytes to text, for scraped files in whatever encoding they arrived in.

Detection is charset-normalizer's job; this module only fixes the order of questions so
that the common cases are exact (BOMs, valid UTF-8, UTF-16 by its zero bytes) and the
ambiguous ones (GB18030 vs Big5 vs cp1252) are decided by the detector over a candidate
set that fits Chinese and English news, instead of every code page it knows. Short
Chinese texts give the detector too little to go on; there, how everyday the characters
of each Chinese reading are decides.
"""

from __future__ import annotations

import codecs
import contextlib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from charset_normalizer import from_bytes

# Encodings real Chinese/English scrapes come in. Restricting the detector to these keeps
# it from explaining GB18030 bytes as, say, a Cyrillic code page.
# UTF-16 is not among them: without a BOM it is recognised by its zero bytes (below), and
# offered to the detector it explains short GB18030 or Big5 texts as UTF-16 nonsense.
CANDIDATES = [
    "utf_8",
    "gb18030",
    "big5hkscs",
    "cp1252",
    "shift_jis",
    "euc_kr",
]

# Supersets decode everything their base encodings do, plus the characters Hong Kong and
# mainland texts actually use.
_SUPERSET = {"big5": "big5hkscs", "gbk": "gb18030", "gb2312": "gb18030", "ascii": "utf_8"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf_32"),
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)

# A UTF-8 file with a handful of broken bytes (a truncated scrape, a bad copy) is still
# UTF-8; a GB18030 or Big5 file read as UTF-8 breaks on nearly every Chinese character,
# and only about one in ten of its characters happens to form a valid UTF-8 sequence. So a
# file is "UTF-8 with damage" when its valid non-ASCII characters far outnumber the
# broken sequences, and the broken ones are few.
_MAX_BAD_SHARE = 0.02
_MAX_BAD_ABS = 8
_MIN_GOOD_PER_BAD = 4
# When the detector settles on an East Asian encoding (or on none), the Chinese readings
# are compared by how everyday their characters are.
_EAST_ASIAN = {"gb18030", "big5hkscs", "shift_jis", "euc_kr"}
_CHINESE = ("gb18030", "big5hkscs")
_MIN_COMMON_GAIN = 0.1
_MIN_COMMON_SHARE = 0.9
_COMMON_PUNCTUATION = "，。、：；！？（）《》〈〉「」『』【】“”‘’—…·％　～－／"
# UTF-16 read with the wrong byte order, or binary data read as UTF-16, is full of
# unassigned, private-use and control code points; real text has next to none.
_MAX_JUNK_SHARE = 0.05
_ASCII = bytes(range(128))
# NUL bytes in a text are "stray" (removed with a warning) while there are at most this
# many, or one in this many bytes; a run of them at the end does not count.
_MAX_STRAY_NULS = 4
_BYTES_PER_STRAY_NUL = 1000
# A reading of bytes with NULs in them (as UTF-16, or with the NULs taken out) is text
# when at least this share of its characters are ordinary ones (see _ordinary_share):
# real text is over 0.9; ASCII read as UTF-16, about 0.3.
_MIN_ORDINARY_SHARE = 0.6


class DecodeError(ValueError):
    """The bytes are not a text we can read; the message says why, for the user."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes, *, keep_nul: bool = False) -> Decoded:
    """The text of `data`. A few stray NUL bytes in a text (a scraper's C string
    terminator, zeros a crash left at the end of a file) are removed with a warning;
    with `keep_nul` they stay in the text, for a reader of records to report the record
    that holds them instead of the file."""
    if not data.strip():
        raise DecodeError("empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _finish(data.decode(enc, errors="replace"), enc, keep_nul)
    if b"\x00" in data:
        return _with_nul_bytes(data, keep_nul)
    try:
        return _finish(data.decode("utf_8"), "utf_8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    enc = _SUPERSET.get(best.encoding, best.encoding) if best is not None else None
    if enc is None or enc in _EAST_ASIAN:
        reading = _most_chinese(data, enc)
        if reading is None:
            raise DecodeError("cannot detect a text encoding (binary or corrupt file)")
        enc, text = reading
    else:
        text = data.decode(enc, errors="replace")
    return _finish(text, enc)


def _with_nul_bytes(data: bytes, keep_nul: bool) -> Decoded:
    """ASCII and UTF-8 text never contains NUL; UTF-16 without a BOM nearly always does
    (every Latin letter, digit and line break has a zero byte), on one byte parity; and
    a text with a few stray NULs is that text. Both readings are tried where they can
    be, and the one made of ordinary characters wins: ASCII read as UTF-16 is rare
    ideographs, UTF-16 with its zero bytes taken out is noise."""
    readings = []
    with contextlib.suppress(DecodeError):
        readings.append(_utf16_without_bom(data))
    with contextlib.suppress(DecodeError):
        readings.append(_without_stray_nuls(data, keep_nul))
    if not readings:
        raise DecodeError("binary file (contains NUL bytes), not text")
    return max(readings, key=lambda d: _ordinary_share(d.text))


def _without_stray_nuls(data: bytes, keep_nul: bool) -> Decoded:
    body = data.rstrip(b"\x00")  # a crash leaves the rest of the last block zeros
    if body.count(0) > max(_MAX_STRAY_NULS, len(body) // _BYTES_PER_STRAY_NUL):
        raise DecodeError("too many NUL bytes to be stray ones")
    d = decode_bytes(data.replace(b"\x00", b""))
    if _ordinary_share(d.text) < _MIN_ORDINARY_SHARE:
        raise DecodeError("not ordinary text")
    if keep_nul:
        d.text = data.decode(d.encoding, errors="replace")
    else:
        d.warnings.insert(0, f"{data.count(0)} NUL byte(s) removed")
    return d


def _most_chinese(data: bytes, detected: str | None) -> tuple[str, str] | None:
    """The detector judges short texts by too few characters: to it six GB18030
    characters are as likely Korean, and sometimes it cannot say at all. Text is Chinese
    news far more often than Korean or Japanese, so a Chinese reading made of everyday
    characters beats a reading made of rare ones."""
    readings = []
    if detected is not None:
        readings.append((detected, data.decode(detected, errors="replace")))
    for enc in _CHINESE:
        if enc != detected:
            try:
                readings.append((enc, data.decode(enc)))
            except UnicodeDecodeError:
                pass
    if not readings:
        return None
    scores = [_common_share(text) for _, text in readings]
    best = max(range(len(readings)), key=lambda i: scores[i])
    if detected is None:
        return readings[best] if scores[best] >= _MIN_COMMON_SHARE else None
    if scores[best] >= scores[0] + _MIN_COMMON_GAIN:
        return readings[best]
    return readings[0]


def _common_share(text: str) -> float:
    """Share of the non-ASCII characters (in a sample) that everyday Chinese text uses."""
    common = _common_chars()
    wide = [ch for ch in text[:20000] if ord(ch) > 127]
    if not wide:
        return 1.0
    return sum(1 for ch in wide if ch in common) / len(wide)


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """GB2312's first level (3,755 everyday Simplified characters), Big5's first level
    (5,401 everyday Traditional ones) and the punctuation news uses."""
    chars = set(_COMMON_PUNCTUATION)
    trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    for codec, leads, trail_bytes in (("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
                                      ("big5", range(0xA4, 0xC7), trails)):
        for lead in leads:
            for trail in trail_bytes:
                try:
                    chars.add(bytes((lead, trail)).decode(codec))
                except UnicodeDecodeError:
                    pass
    return frozenset(chars)


def _utf16_without_bom(data: bytes) -> Decoded:
    binary = DecodeError("binary file (contains NUL bytes), not text")
    enc = _utf16_parity(data)
    if enc is None:
        raise binary
    warnings = []
    if len(data) % 2:
        data = data[:-1]
        warnings.append("odd number of bytes for UTF-16: the last byte was dropped")
    text = data.decode(enc, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(2, _MAX_BAD_SHARE * len(text)) or _junk_share(text) > _MAX_JUNK_SHARE \
            or _ordinary_share(text) < _MIN_ORDINARY_SHARE:
        raise binary
    if bad:
        warnings.append(f"{bad} invalid UTF-16 sequence(s) replaced with U+FFFD")
    d = _finish(text, enc)
    d.warnings[:0] = warnings
    return d


def _utf16_parity(data: bytes) -> str | None:
    """UTF-16LE puts the zero high byte of ASCII at odd offsets, UTF-16BE at even ones.
    A few zeros on the other parity are real characters (一 is U+4E00, the ideographic
    space U+3000); binary data has zeros on both, about equally."""
    sample = data[:65536]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd >= max(2 * (even + 1), 0.001 * len(sample)):
        return "utf_16_le"
    if even >= max(2 * (odd + 1), 0.001 * len(sample)):
        return "utf_16_be"
    return None


def _ordinary_share(text: str) -> float:
    """Share of the characters (in a sample) that text is written with: ASCII, the
    alphabets (Latin, Greek, Cyrillic, Arabic, Thai ...), everyday Chinese characters
    and punctuation, kana, Hangul, and the dashes and quotes of general punctuation."""
    common = _common_chars()
    sample = text[:20000]
    if not sample:
        return 0.0
    ordinary = sum(1 for ch in sample
                   if (" " <= ch <= "~") or ch in "\t\n\r" or ch in common
                   or "\u00a0" <= ch <= "\u024f" or "\u0370" <= ch <= "\u04ff"
                   or "\u0590" <= ch <= "\u06ff" or "\u0e00" <= ch <= "\u0e7f"
                   or "\u2010" <= ch <= "\u203a"
                   or "\u3000" <= ch <= "\u30ff" or "\uac00" <= ch <= "\ud7a3"
                   or "\uff01" <= ch <= "\uff5e")
    return ordinary / len(sample)


def _junk_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    junk = sum(1 for ch in sample
               if ch not in "\t\n\r\f\v" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"))
    return junk / len(sample)


def _mostly_utf8(data: bytes) -> Decoded | None:
    text = data.decode("utf_8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf_8", errors="ignore").count("\ufffd")
    # every ASCII byte is one character of its own, also next to broken sequences
    ascii_bytes = len(data) - len(data.translate(None, _ASCII))
    good = len(text) - ascii_bytes - bad
    if good >= _MIN_GOOD_PER_BAD * bad and bad <= max(_MAX_BAD_ABS,
                                                       _MAX_BAD_SHARE * len(data)):
        d = _finish(text, "utf_8")
        d.warnings.append(f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD")
        return d
    return None


def _finish(text: str, encoding: str, keep_nul: bool = False) -> Decoded:
    warnings = []
    nuls = text.count("\x00")
    if nuls:  # U+0000 in a text with a BOM, or in one read as UTF-16
        body = text.rstrip("\x00")
        if body.count("\x00") > max(_MAX_STRAY_NULS, len(body) // _BYTES_PER_STRAY_NUL):
            raise DecodeError("binary file (contains NUL characters), not text")
        if not keep_nul:
            text = text.replace("\x00", "")
            warnings.append(f"{nuls} NUL character(s) removed")
    if _control_share(text) > 0.05:
        raise DecodeError(f"binary file (decodes as {encoding} but is mostly control bytes)")
    if not text.replace("\x00", "").strip():
        raise DecodeError("empty file")
    return Decoded(text=text, encoding=encoding, warnings=warnings)


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    ctrl = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return ctrl / len(sample)
