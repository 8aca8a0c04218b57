"""Starting the window: the application object, the reviewer's name, the database."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from annotator import paths
from annotator.gui import compat, theme
from annotator.gui.dialogs import Dialogs
from annotator.storage.db import StorageError, open_db

ORGANISATION = "annotator"
APPLICATION = "annotator"
NO_NAME = ("annotator needs a reviewer name to record decisions; run again and enter one "
           "(or start it with --reviewer NAME).")


# Qt's raster engine hands every fill of 96 spans or more (the gradient of a scroll bar
# is one per pixel row) to a thread pool of its own and waits for it. For the fills of
# this window the hand-off costs more than the fill: a claims-list scroll bar took
# 1.3 ms and 29 thread wake-ups to repaint, 0.26 ms and none on the calling thread; on
# a busy two-core machine waiting for a pool thread to be scheduled made the slowest
# confirms. Qt reads this once, before its first such fill.
SERIAL_FILLS = "QT_NO_GUI_THREADPOOL"


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault(SERIAL_FILLS, "1")
        app = QApplication(sys.argv[:1])
        app.setOrganizationName(ORGANISATION)
        app.setApplicationName(APPLICATION)
        app.setApplicationDisplayName("annotator")
        theme.apply(app)
    return app  # type: ignore[return-value]


def ensure_reviewer(explicit: str | None, ask: Callable[[], str | None]) -> str | None:
    """--reviewer, $ANNOTATOR_REVIEWER or the remembered name; else ask once and remember
    it in the user's config, where the command line finds it too."""
    name = paths.configured_reviewer(explicit)
    if name:
        return name
    name = (ask() or "").strip()
    if not name:
        return None
    config = paths.load_config()
    config["reviewer"] = name
    paths.save_config(config)
    return name


def run(db_path: Path, reviewer: str | None = None, *, dialogs: Dialogs | None = None,
        settings: QSettings | None = None, hub: str | None = None) -> int:
    """Open the review window on `db_path`; returns the process exit status."""
    app = application()
    dialogs = dialogs or Dialogs()
    if compat.binding_loses_references():
        print(f"error: {compat.ADVICE}", file=sys.stderr)
        dialogs.error(None, "Cannot start the window", compat.ADVICE)
        return 2
    name = ensure_reviewer(reviewer, lambda: dialogs.reviewer_name(None))
    if not name:
        # the window does not open: say why where the reviewer is looking, not only on a
        # terminal they may not have
        print(f"error: {NO_NAME}", file=sys.stderr)
        dialogs.error(None, "No reviewer name", NO_NAME)
        return 2
    try:
        # The header, schema version and migrations are checked here; the page-by-page
        # integrity check (a second per GB) runs after the window is up, off its thread.
        db = open_db(db_path, check=False)
    except StorageError as e:
        dialogs.error(None, "Cannot open the database", str(e))
        return 2
    from annotator.gui.main_window import MainWindow  # after the app exists: fonts, style

    window = MainWindow(db, name, db_path=Path(db_path), settings=settings, dialogs=dialogs)
    window.show()
    window.check_integrity()
    if hub:  # a team's hub: synced in the background (annotator/gui/sync.py)
        from annotator.gui.sync import attach

        attach(window, Path(db_path), hub)
    # SIGTERM (a closed terminal, `kill`, logging out) closes the window as Quit does: its
    # close checkpoint runs and whoever started it (the demo) cleans up after it. Python
    # runs the handler between Qt's events; the window's timers give it those.
    previous = signal.signal(signal.SIGTERM, lambda *_: window.close())
    try:
        return app.exec()
    finally:
        signal.signal(signal.SIGTERM, previous)
        db.close()
