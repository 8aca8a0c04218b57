"""Options and helpers every command shares: the database, errors without tracebacks."""

from __future__ import annotations

import functools
import os
import shlex
import sys
from pathlib import Path
from collections.abc import Callable

import click

from annotator.cli.printing import echo
from annotator.paths import configured_reviewer, resolve_db
from annotator.storage.articles import unknown_dataset
from annotator.storage.db import StorageError, open_db

DB_META = "annotator.db"  # where the --db a command was given is kept for its error messages


def remember_db(ctx: click.Context, _param, value):
    """Keep the command's --db in the context's meta, which every context of one run
    shares, so the group's last-resort handler can name the database."""
    ctx.meta[DB_META] = value
    return value


db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), default=None, callback=remember_db,
    help="Database file (default: $ANNOTATOR_DB, else the per-user data folder).",
)
dataset_option = click.option("--dataset", default=None, help="Only this dataset.")
reviewer_option = click.option(
    "--reviewer", default=None,
    help="Reviewer name (default: $ANNOTATOR_REVIEWER, else the name the window asked for).",
)


def fail(message: str, code: int = 1) -> None:
    # messages name datasets, reviewers and files: escaped, they cannot drive the terminal
    echo(f"error: {message}", err=True)
    sys.exit(code)


def open_database(db_path: str | None, *, create: bool = False):
    """Open the database. Only commands that add to one (import, demo, merge) may create
    it: anything else run on a mistyped path would leave an empty database behind and
    report, falsely, that there is nothing in it."""
    path = resolve_db(db_path)
    if not create:
        _must_exist(path, db_path)
    try:
        return open_db(path, on_upgrade=upgrade_notice, create_folder=is_default(db_path))
    except StorageError as e:
        fail(str(e), 2)


def is_default(db_path: str | None) -> bool:
    """The per-user default database, whose folder is made on first use; a folder named
    with --db or $ANNOTATOR_DB must exist (a typo should not leave folders behind)."""
    return not db_path and not os.environ.get("ANNOTATOR_DB")


def upgrade_notice(path: Path, migrations: list[str], backup: Path) -> None:
    """Say so before a migration, which on a large database takes a while."""
    echo(f"upgrading {path} to {migrations[-1]} (a copy of it as it was: {backup}); "
         "a large database takes a minute or more", err=True)


def _must_exist(path: Path, db_path: str | None) -> None:
    hint = "annotator import PATH" + (f" --db {shlex.quote(db_path)}" if db_path else "")
    if not path.exists():
        fail(f"{path}: no such database (import something first: {hint})")
    if path.is_file() and path.stat().st_size == 0:
        fail(f"{path}: empty file, no database in it yet (import something first: {hint})")


def check_dataset(db, dataset: str | None) -> None:
    """Refuse a --dataset the database does not have, naming the ones it does: reading
    an unknown dataset as an empty one hides a typo behind a row of zeros."""
    if dataset is None:
        return
    problem = unknown_dataset(db, dataset)
    if problem:
        fail(problem)


def need_reviewer(explicit: str | None) -> str:
    name = configured_reviewer(explicit)
    if not name:
        fail("no reviewer name: pass --reviewer NAME or set ANNOTATOR_REVIEWER", 2)
    return name


def friendly_errors(*kinds: type[BaseException]) -> Callable:
    """Turn the core's expected errors into one `error:` line and exit status 1."""

    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except kinds as e:
                fail(str(e))

        return wrapper

    return deco
