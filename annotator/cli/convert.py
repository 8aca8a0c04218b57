"""convert: Chinese script conversion as a filter (stdin to stdout)."""

from __future__ import annotations

import sys

import click

from annotator.cli.common import fail
from annotator.text import chinese


@click.command("convert")
@click.option("--config", "config", required=True, type=click.Choice(chinese.CONFIGS),
              help="OpenCC conversion: s2t Simplified to Traditional, t2s back; tw/hk for "
                   "Taiwan and Hong Kong standards; s2twp/tw2sp also convert phrases "
                   "(内存 <-> 記憶體).")
def convert(config):
    """Convert Chinese text between scripts, reading stdin and writing stdout (UTF-8).

    Text is converted line by line as it arrives, so large files stream through in
    constant memory.

    Example:

    \b
        annotator convert --config s2hk < samples/001_1bdd7b1565627bd6.txt > hk.txt
    """
    source = click.open_file("-", "rb")
    sink = click.open_file("-", "wb")
    interactive = sys.stdout.isatty()
    for line_no, raw in enumerate(source, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            sink.flush()
            fail(f"line {line_no} of the input is not UTF-8; convert it first (e.g. iconv)")
        try:
            sink.write(chinese.convert_paragraphs(line, config).encode("utf-8"))
        except chinese.UnsupportedConfig as e:
            fail(str(e))
        if interactive:
            sink.flush()
    sink.flush()
