"""The `annotator` command line: thin Click commands over the services."""

from __future__ import annotations

import errno
import sqlite3

import click

from annotator import __version__
from annotator.paths import resolve_db
from annotator.storage.db import StorageError, write_failure
from annotator.cli.data import export_cmd, import_cmd, snapshot_cmd, stats_cmd
from annotator.cli.launch import demo_cmd, gui_cmd
from annotator.cli.passages import duplicates_cmd, pair_cmd, search_cmd
from annotator.cli.reviewing import history_cmd, redo_cmd, review_cmd, undo_cmd
from annotator.cli.team import COMMANDS as team_commands
from annotator.cli.figures import figures as figures_cmd
from annotator.cli.convert import convert as convert_cmd
from annotator.cli.check import check_cmd
from annotator.cli.reanalyse import reanalyse_cmd
from annotator.cli.keys import COMMANDS as key_commands
from annotator.cli.hub import COMMANDS as hub_commands
from annotator.cli.common import DB_META
from annotator.cli.verify import COMMANDS as verify_commands
from annotator.cli.printing import echo


class _Group(click.Group):
    """Database trouble met inside a command (another process holding the write lock past
    the busy timeout, a file damaged under us, a full or read-only disk) is one `error:`
    line, never a traceback. Every write is one transaction, so what was acknowledged
    before the failure stands and the failed change left nothing behind."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StorageError as e:
            echo(f"error: {e}", err=True)
            ctx.exit(2)
        except sqlite3.Error as e:
            where = str(resolve_db(ctx.meta.get(DB_META)))
            failure = write_failure(where, e)
            echo(f"error: {failure or f'{where}: database error: {e}'}", err=True)
            ctx.exit(2)
        except OSError as e:
            if e.errno not in _DISK_ERRNOS:
                raise
            echo(f"error: {e.filename or 'a file'}: {e.strerror}; nothing more was "
                 "written (everything saved before it is safe)", err=True)
            ctx.exit(2)


_DISK_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT,
                errno.EFBIG, errno.EIO, errno.ENOENT, errno.ENOTDIR, errno.EISDIR}


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


for command in (import_cmd, export_cmd, stats_cmd, snapshot_cmd, demo_cmd, gui_cmd,
                review_cmd, undo_cmd, redo_cmd, history_cmd, figures_cmd, convert_cmd,
                duplicates_cmd, pair_cmd, search_cmd, check_cmd, reanalyse_cmd, *team_commands,
                *key_commands, *verify_commands, *hub_commands):
    main.add_command(command)
