"""Bytes to text, for scraped files in whatever encoding they arrived in.

Detection is charset-normalizer's job; this module only fixes the order of questions so
that the common cases are exact (BOMs, valid UTF-8) and the ambiguous ones (GB18030 vs
Big5, UTF-16 without a BOM) are decided by the detector over a candidate set that fits
Chinese and English news, instead of every code page it knows.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

# Encodings real Chinese/English scrapes come in. Restricting the detector to these keeps
# it from explaining GB18030 bytes as, say, a Cyrillic code page.
CANDIDATES = [
    "utf_8",
    "gb18030",
    "big5hkscs",
    "utf_16_le",
    "utf_16_be",
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
# UTF-8; a GB18030 file read as UTF-8 breaks on nearly every Chinese character.
_MAX_BAD_UTF8_SHARE = 0.005
_MAX_BAD_UTF8_ABS = 8


class DecodeError(ValueError):
    """The bytes are not a text we can read; the message says why, for the user."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes) -> Decoded:
    if not data.strip():
        raise DecodeError("empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _finish(data.decode(enc, errors="replace"), enc, data)
    if b"\x00" in data:
        # ASCII and UTF-8 text never contains NUL; UTF-16 without a BOM nearly always does
        # (every Latin letter or digit has a zero byte), on one byte parity only.
        enc = _utf16_parity(data)
        if enc is None:
            raise DecodeError("binary file (contains NUL bytes), not text")
        try:
            return _finish(data.decode(enc), enc, data)
        except UnicodeDecodeError:
            raise DecodeError("binary file (contains NUL bytes), not text") from None
    try:
        return _finish(data.decode("utf_8"), "utf_8", data)
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        raise DecodeError("cannot detect a text encoding (binary or corrupt file)")
    enc = _SUPERSET.get(best.encoding, best.encoding)
    return _finish(data.decode(enc, errors="replace"), enc, data)


def _utf16_parity(data: bytes) -> str | None:
    """UTF-16LE puts the zero high byte of ASCII at odd offsets, UTF-16BE at even ones.
    A few zeros on the other parity are real characters (一 is U+4E00); binary data has
    zeros on both."""
    if len(data) % 2:
        return None
    sample = data[:65536]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= max(4 * (even + 1), 0.02 * half):
        return "utf_16_le"
    if even >= max(4 * (odd + 1), 0.02 * half):
        return "utf_16_be"
    return None


def _mostly_utf8(data: bytes) -> Decoded | None:
    text = data.decode("utf_8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf_8", errors="ignore").count("\ufffd")
    if bad <= max(_MAX_BAD_UTF8_ABS, _MAX_BAD_UTF8_SHARE * len(data)):
        d = _finish(text, "utf_8", data)
        d.warnings.append(f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD")
        return d
    return None


def _finish(text: str, encoding: str, data: bytes) -> Decoded:
    if "\x00" in text:
        raise DecodeError("binary file (contains NUL characters), not text")
    if _control_share(text) > 0.05:
        raise DecodeError(f"binary file (decodes as {encoding} but is mostly control bytes)")
    if not text.strip():
        raise DecodeError("empty file")
    return Decoded(text=text, encoding=encoding)


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    ctrl = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return ctrl / len(sample)
