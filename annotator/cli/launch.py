"""demo and gui: the commands that open the window."""

from __future__ import annotations

import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

import click

from annotator.cli.printing import echo
from annotator.cli.common import (db_option, fail, is_default, open_database, remember_db,
                                  upgrade_notice)
from annotator.paths import resolve_db
from annotator.storage.db import StorageError, open_db


def samples_dir() -> Path:
    """The bundled sample articles (installed as package data)."""
    return Path(str(resources.files("annotator.samples")))


def _open_window(db_path: Path, reviewer: str | None, hub: str | None = None) -> int:
    try:
        from annotator.gui.app import run
    except ImportError as e:  # Qt's system libraries missing: say which, don't trace back
        fail(f"cannot start the window: {e}. On Debian/Ubuntu install: libgl1 libegl1 "
             "libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-wqy-microhei", 2)
    return run(db_path, reviewer=reviewer, hub=hub)


@click.command("demo")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              callback=remember_db,
              help="Where to create the demo database, kept afterwards (default: a "
                   "temporary folder, removed when the demo ends).")
@click.option("--no-window", is_flag=True, help="Import and print the summary only.")
@click.option("--keep", is_flag=True,
              help="Keep the temporary database when the demo ends (and print where).")
@click.option("--reviewer", default=None, help="Reviewer name for the window.")
def demo_cmd(db_path, no_window, keep, reviewer):
    """Import the bundled sample articles into a fresh database and open the window.

    Without --db the database is made in a temporary folder, removed when the window
    closes (with --no-window: right after the summary) unless --keep is given.

    Example:

    \b
        annotator demo
        annotator demo --no-window --keep
    """
    temporary: Path | None = None
    if db_path is None:
        temporary = Path(tempfile.mkdtemp(prefix="annotator-demo-"))
        db_path = str(temporary / "demo.db")
    elif Path(db_path).exists():
        fail(f"{db_path} exists; the demo needs a fresh database (choose another --db)", 2)
    try:
        _demo(db_path, no_window, reviewer, temporary is not None and not keep)
    finally:
        if temporary is not None and not keep:
            shutil.rmtree(temporary, ignore_errors=True)


def _demo(db_path: str, no_window: bool, reviewer: str | None, removed: bool) -> None:
    db = open_database(db_path, create=True)
    from annotator.services.importing import import_paths

    try:
        summary = import_paths(db, [samples_dir()], dataset="samples",
                               on_error=lambda e: echo(f"error: {e}", err=True))
    finally:
        db.close()
    echo(summary.line())
    if not removed:
        echo(f"database: {db_path}")
    elif no_window:
        echo(f"database: {db_path} (temporary, removed now; --keep or --db FILE keeps it)")
    else:
        echo(f"database: {db_path} (temporary, removed when the window closes; "
             "--keep or --db FILE keeps it)")
    if no_window:
        return
    sys.exit(_open_window(Path(db_path), reviewer))


@click.command("gui")
@db_option
@click.option("--reviewer", default=None, help="Reviewer name (asked on first start otherwise).")
@click.option("--hub", default=None, metavar="URL",
              help="Sync with this hub in the background (default: $ANNOTATOR_HUB, else "
                   "the \"hub\" setting in the config file; needs annotator[team]).")
def gui_cmd(db_path, reviewer, hub):
    """Open the review window on a database.

    Example:

    \b
        annotator gui --db review.db
        annotator gui --db review.db --hub postgresql://ana@db.example/team
    """
    path = resolve_db(db_path)
    # refuse a non-database or a newer one before any window; the window runs the full
    # integrity check itself, in the background, once it is up
    try:
        open_db(path, check=False, on_upgrade=upgrade_notice,
                create_folder=is_default(db_path)).close()
    except StorageError as e:
        fail(str(e), 2)
    from annotator.cli.hub import hub_url

    url = hub_url(hub)
    if url:
        from annotator.storage.hub import HubError, require_driver

        try:
            require_driver()  # missing: say how to install it (being offline is no error)
        except HubError as e:
            fail(str(e), 2)
    sys.exit(_open_window(path, reviewer, url))
