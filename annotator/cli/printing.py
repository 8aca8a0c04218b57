"""Every line the command line prints from stored data goes through here.

Article text, titles, sources, dataset and reviewer names are anyone's text: a scraped
page or another reviewer's database can put ESC sequences (colours, cursor moves, OSC 8
links, window titles), BEL or their one-byte C1 forms in them. Printed raw they would
restyle or rewrite the reader's terminal, or forge a line. `echo` prints a line with
them escaped as Python writes them (\\x1b, \\x07, \\u202e); `echo_json` prints JSON whose
every such character is a \\u escape, so it reads back as the same text.
"""

from __future__ import annotations

from typing import Any

import click

from annotator.text.safe import printable, printable_json, printable_lines


def echo(message: object = "", *, err: bool = False, lines: bool = False) -> None:
    """Print one line (`lines`: several, keeping the line breaks put there on purpose)
    with every control character escaped."""
    click.echo(printable_lines(message) if lines else printable(message), err=err)


def echo_json(obj: Any, **kwargs) -> None:
    """json.dumps(obj, ensure_ascii=False, **kwargs), terminal-safe (indent keeps its
    line breaks; those in strings are \\n escapes, as JSON writes them)."""
    click.echo(printable_json(obj, **kwargs))
