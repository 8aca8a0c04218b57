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


# --- a team's decisions, for the lead's window (the `lead` fixture) ---------------------

DATASET = "samples"


def activate(qtbot, widget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=5_000)  # shortcuts need it


def team_figures(db) -> list[str]:
    from annotator.storage.reviews import dataset_figure_ids

    return dataset_figure_ids(db, DATASET)


def disagree(db) -> list[str]:
    """ana and ben confirm the first ten figures except three: ben corrects the first and
    flags the second, ana flags the third that ben confirms. Returns those three."""
    from annotator.services.review import review

    f = team_figures(db)[:10]
    for fid in f:
        review(db, reviewer="ana", target_id=fid, action="confirm")
        review(db, reviewer="ben", target_id=fid, action="confirm")
    review(db, reviewer="ben", target_id=f[0], action="correct", value=123.0, note="typo")
    review(db, reviewer="ben", target_id=f[1], action="flag", reason="outdated")
    review(db, reviewer="ana", target_id=f[2], action="flag", reason="unsupported")
    return f[:3]


def settle_everything(db) -> None:
    """Both reviewers confirm every figure: nothing unreviewed, no conflict left."""
    from annotator.services.review import review

    for fid in team_figures(db):
        review(db, reviewer="ana", target_id=fid, action="confirm")
        review(db, reviewer="ben", target_id=fid, action="confirm")


def open_conflicts(qtbot, window):
    activate(qtbot, window)
    qtbot.keyClick(window.text_view, Qt.Key.Key_C, CTRL | SHIFT)
    dialog = window.conflicts_dialog
    assert dialog is not None and dialog.isVisible()
    activate(qtbot, dialog)
    return dialog


def open_overview(qtbot, window) -> dict:
    activate(qtbot, window)
    with qtbot.waitSignal(_overview_signal(window), timeout=20_000) as blocker:
        qtbot.keyClick(window.text_view, Qt.Key.Key_D, CTRL)
    return blocker.args[0]


def _overview_signal(window):
    if window.dataset_dialog is None:
        from annotator.gui.widgets.dataset_view import DatasetDialog

        window.dataset_dialog = DatasetDialog(window.session, window.jobs,
                                              window.commands.actions, window)
    return window.dataset_dialog.overviewShown


# --- search ---------------------------------------------------------------------------

def search(qtbot, window, query: str):
    """Ctrl+F, the query typed and Enter; (the dialog, the number of results)."""
    qtbot.keyClick(window.text_view, Qt.Key.Key_F, CTRL)
    dialog = window.search_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    with qtbot.waitSignal(dialog.searchFinished, timeout=30_000) as done:
        dialog.query.setText(query)
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    return dialog, done.args[0]
