"""Helpers of the tests where the window shares its database with others."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator.storage.db import open_db

ROOT = Path(__file__).resolve().parents[2]
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def themed_window(qtbot, qapp, db, db_path, settings, dialogs, reviewer: str = "ana"):
    """The window as a reviewer gets it (the application's theme applied) on `db`, shown
    and active; closed by qtbot at the end of the test."""
    from annotator.gui import theme
    from annotator.gui.main_window import MainWindow

    theme.apply(qapp)
    w = MainWindow(db, reviewer, db_path=db_path, settings=settings, dialogs=dialogs)
    qtbot.addWidget(w)
    show_active(qtbot, w)
    return w


def show_active(qtbot, window) -> None:
    """Show the window and make it the active one, focused on the text: the review keys
    are shortcuts, which only an active window receives."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    window.text_view.setFocus()


def shown_status(window, figure_id):
    return window.session.claims.figure_index(figure_id).siblingAtColumn(2).data()


def other_connection(path):
    return open_db(path, check=False, migrate=False)
