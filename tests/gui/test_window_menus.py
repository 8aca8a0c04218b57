"""The window's own commands: Qt's QWidget.actions() is not shadowed, File > Open
database and Open recent, File > Merge, the reviewer's name, Help > About."""

from __future__ import annotations

from PySide6.QtGui import QAction


def test_qt_actions_of_the_window_are_its_actions(window):
    """`MainWindow.actions` was the review commands, hiding Qt's QWidget.actions()."""
    listed = window.actions()
    assert isinstance(listed, list) and all(isinstance(a, QAction) for a in listed)
    assert window.commands.actions["confirm"] in listed
    assert window.commands.actions["quit"] in listed
