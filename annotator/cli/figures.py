"""figures: the figure engine as a filter, one JSON object per input line."""

from __future__ import annotations

import click

from annotator.cli.printing import echo_json


@click.command("figures")
@click.option(
    "--lang",
    type=click.Choice(["auto", "zh", "en"]),
    default="auto",
    show_default=True,
    help="Read Chinese numerals (zh), English number words (en), or both (auto).",
)
def figures(lang):
    """Find the figures in each line of stdin and print them as JSON lines.

    Each output line is {"figures": [...]} with offsets into that input line
    (Python code points; a line's trailing newline is not part of it).

    Example:

    \b
        echo "预计到2028年，缺口将达到6万至6.5万" | annotator figures
        annotator figures --lang en < samples/000_9a8e113bea1e7b93.txt
    """
    from annotator.text.figures import extract_figures, figure_to_dict

    source = click.open_file("-", "r", encoding="utf-8", errors="replace")
    for raw in source:
        line = raw.rstrip("\r\n")
        record = {"figures": [figure_to_dict(f) for f in extract_figures(line, lang)]}
        echo_json(record)
