"""The `annotator` command line: thin Click commands over the services."""

from __future__ import annotations

import click

from annotator import __version__
from annotator.storage.db import StorageError
from annotator.cli.data import export_cmd, import_cmd, stats_cmd
from annotator.cli.launch import demo_cmd, gui_cmd
from annotator.cli.passages import duplicates_cmd, pair_cmd, search_cmd
from annotator.cli.reviewing import history_cmd, redo_cmd, review_cmd, undo_cmd
from annotator.cli.team import COMMANDS as team_commands
from annotator.cli.figures import figures as figures_cmd
from annotator.cli.convert import convert as convert_cmd


class _Group(click.Group):
    """Database trouble met inside a command (another process holding the write lock past
    the busy timeout, a file damaged under us) is one `error:` line, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StorageError as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="annotator")
def main():
    """Check the figures in news datasets (Chinese and English).

    Import articles, review each figure in the window or from the command line, and
    export the verified claims.

    Example:

    \b
        annotator demo
    """


for command in (import_cmd, export_cmd, stats_cmd, demo_cmd, gui_cmd, review_cmd, undo_cmd,
                redo_cmd, history_cmd, figures_cmd, convert_cmd, duplicates_cmd, pair_cmd,
                search_cmd, *team_commands):
    main.add_command(command)
