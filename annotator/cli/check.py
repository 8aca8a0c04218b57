"""check: the database against itself."""

from __future__ import annotations

import sqlite3
import sys

import click

from annotator.cli.common import _must_exist, db_option, fail
from annotator.cli.printing import echo
from annotator.services.export.records import one_line
from annotator.paths import resolve_db
from annotator.services import integrity
from annotator.storage.db import open_read_only


@click.command("check")
@db_option
def check_cmd(db_path):
    """Check that the database holds what was imported.

    Runs SQLite's integrity check, then checks every article's text against its id
    (a hash of the text), and every claim's and figure's offsets against the text they
    must select and the id made from them. Each problem is one line naming the
    article, claim or figure; the exit status is 1 if there is any. The database is
    only read (it may be open in the window meanwhile).

    Example:

    \b
        annotator check --db review.db
    """
    path = resolve_db(db_path)
    _must_exist(path, db_path)
    try:
        db = open_read_only(path, lenient_text=True)
    except sqlite3.Error as e:
        fail(f"{path}: cannot open the database: {one_line(e)}")
    try:
        problem = integrity.schema_problem(db)
        if problem:
            fail(f"{path}: {problem}")
        report = integrity.check_database(db)
    finally:
        db.conn.close()
    for p in report.problems:
        echo(p.line())
    if report.problems:
        echo(f"error: {path}: {len(report.problems)} problem(s) found in "
             f"{report.articles} article(s)", err=True)
        sys.exit(1)
    echo(report.line())
