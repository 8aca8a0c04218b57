"""Stored text made safe for the places an export or a report puts it.

Article text, titles, sources, dataset and reviewer names come from scraped pages and
from other people's databases: any of them can hold what a spreadsheet runs as a
formula, what ends a <script> element, a link to javascript:, or a terminal's escape
sequences. Each function here makes one such place safe without changing what the text
says; every caller that writes stored text to one of these places goes through it.
"""

from __future__ import annotations

import json
import re
from numbers import Number
from typing import Any
from urllib.parse import urlsplit

# --- spreadsheets -------------------------------------------------------------------------

# OWASP, "CSV Injection": a cell that begins with one of these is read as a formula by
# Excel, LibreOffice or Google Sheets; a leading apostrophe makes it text (the apostrophe
# is not shown in the cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """`value` for a CSV cell that a spreadsheet shows and never runs.

    Text that opens with = + - @, a tab or a carriage return gets a leading apostrophe,
    as OWASP recommends. Numbers (int, float) are left alone: they are written by the
    export itself, not taken from an article, and a spreadsheet reads "-5" as minus
    five, which is what it is. None and other text are returned as they are."""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None or isinstance(value, (bool, Number)):
        return value
    return neutralise_cell(str(value))


# --- JSON inside HTML ---------------------------------------------------------------------

# The characters that let JSON end or escape the <script> element it is embedded in (<, >,
# and & for </script>, <!--, ]]> and entities; ' for an attribute), and the two line
# separators that end a line of JavaScript before ES2019. The same table as Jinja2's
# htmlsafe_json_dumps and Django's json_script, with U+2028 and U+2029 added; a JSON parser
# reads each escape back as the character it stands for.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "'": "\\u0027", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_safe_json(obj: Any, **kwargs) -> str:
    """`json.dumps(obj, **kwargs)` that can be pasted between <script> and </script> (a
    JSON-LD block) as it is. Outside strings JSON has none of these characters, so the
    translation changes only string contents, into escapes of the same characters."""
    return json.dumps(obj, **kwargs).translate(_SCRIPT_SAFE)


# --- links --------------------------------------------------------------------------------

WEB_SCHEMES = ("http", "https")


def web_url(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) address with a host, else None.

    Anything else a scraped page may give as its address (javascript:, data:, file:,
    vbscript:, a relative or scheme-relative path) must not become a link in a published
    fact check. Whitespace or control characters anywhere refuse it too: browsers strip
    them and read "java\\tscript:" as javascript:."""
    if not isinstance(url, str) or not url or _CONTROL_OR_SPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return url


_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029]")

# --- terminals ----------------------------------------------------------------------------

# What would make a terminal do rather than show (ESC starts colours, cursor moves, OSC 8
# links and title changes; BEL rings; C1 controls are ESC's one-byte forms), would forge
# a line (line breaks, U+2028/9), or reorder what is shown (bidirectional overrides and
# isolates). Lone surrogates stand for the bytes of a file name that is not UTF-8. The same
# set the import escapes in file names (annotator.readers uses this printable).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                          "\ud800-\udfff]")
_UNPRINTABLE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                                  "\ud800-\udfff]")


def _escape(ch: re.Match) -> str:
    code = ord(ch.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 name (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return repr(ch.group())[1:-1]


def printable(text: object) -> str:
    """`text` for one line of a terminal: control and other invisible characters escaped
    as Python writes them (\\n, \\x1b, \\u202e), everything else, Chinese included, as is."""
    return _UNPRINTABLE.sub(_escape, str(text))


def printable_lines(text: object) -> str:
    """As `printable`, keeping line breaks (\\n) that the caller put there on purpose."""
    return "\n".join(printable(line) for line in str(text).split("\n"))


def json_escape_invisible(text: str) -> str:
    """JSON text (json.dumps with ensure_ascii=False) with the characters json.dumps leaves
    raw and a terminal or a line reader acts on (DEL, C1 controls, U+2028/9, bidirectional
    controls, lone surrogates) written as \\u escapes: the same JSON value, safe to print.
    JSON has none of them outside strings, so only string contents change."""
    return _UNPRINTABLE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable_json(obj: Any, **kwargs) -> str:
    """JSON for a terminal: json.dumps escapes C0 controls itself, json_escape_invisible
    the rest."""
    kwargs.setdefault("ensure_ascii", False)
    return json_escape_invisible(json.dumps(obj, **kwargs))
