"""Options and helpers every command shares: the database, errors without tracebacks."""

from __future__ import annotations

import functools
import sys
from typing import Callable

import click

from annotator.paths import resolve_db, reviewer_name
from annotator.storage.db import StorageError, open_db

db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), default=None,
    help="Database file (default: $ANNOTATOR_DB, else the per-user data folder).",
)
dataset_option = click.option("--dataset", default=None, help="Only this dataset.")
reviewer_option = click.option(
    "--reviewer", default=None,
    help="Reviewer name (default: $ANNOTATOR_REVIEWER, else the name the window asked for).",
)


def fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def open_database(db_path: str | None):
    path = resolve_db(db_path)
    try:
        return open_db(path)
    except StorageError as e:
        fail(str(e), 2)


def need_reviewer(explicit: str | None) -> str:
    name = reviewer_name(explicit)
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
