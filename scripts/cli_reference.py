"""Write docs/cli.md, the reference of every command and option, from the commands' own
`--help` (as sqlite-utils makes its CLI reference). tests/test_docs.py fails when the file
is not what this script writes, so the reference cannot fall behind the code.

    python scripts/cli_reference.py          # rewrite docs/cli.md
    python scripts/cli_reference.py --check  # exit 1 if docs/cli.md is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "cli.md"
WIDTH = 92

HEADER = """# Command reference

Every `annotator` command with its options, as `annotator COMMAND --help` prints them.
This file is written by `scripts/cli_reference.py` (run it after changing a command;
`tests/test_docs.py` fails until it is current). The README's "The command line" shows the
commands at work.
"""


def commands(group: click.Group, prefix: tuple[str, ...] = ()):
    """(words, command) for every command and subcommand, in the order `--help` lists them."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        words = (*prefix, name)
        yield words, cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, words)


def render() -> str:
    from annotator.cli import main

    parts = [HEADER]
    runner = CliRunner()
    for words, _cmd in commands(main):
        result = runner.invoke(main, [*words, "--help"], terminal_width=WIDTH,
                               prog_name="annotator")
        if result.exit_code != 0:
            raise SystemExit(f"annotator {' '.join(words)} --help failed:\n{result.output}")
        title = "#" * (1 + len(words)) + " annotator " + " ".join(words)
        parts.append(f"{title}\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check; exit 1 if out of date")
    args = ap.parse_args()
    text = render()
    if args.check:
        current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
        if current != text:
            print(f"{REFERENCE.relative_to(ROOT)} is out of date: run "
                  "python scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    REFERENCE.write_text(text, encoding="utf-8")
    print(f"wrote {REFERENCE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
