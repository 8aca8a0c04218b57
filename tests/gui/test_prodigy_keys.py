"""Prodigy-style speed: X rejects (flags) and Space skips, a flag reason is one digit
with no Enter after it, and the dataset's progress is one bar with the one number the
status line, the article list and the overview give."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from annotator.domain import FLAG_REASONS
from annotator.gui.dialogs import FlagDialog
from annotator.services import browse
from annotator.storage import reviews as rv
from tests.gui.conftest import FakeDialogs

NO = Qt.KeyboardModifier.NoModifier


def events(db) -> int:
    return db.execute("SELECT COUNT(*) FROM events").fetchone()[0]


class KeyedFlagDialogs(FakeDialogs):
    """Answers F / X with the window's real reason list, driven by one key."""

    def __init__(self, qtbot, key):
        super().__init__()
        self.qtbot, self.key = qtbot, key
        self.results: list[int] = []

    def flag(self, parent, what):
        self.asked.append(f"flag {what}")
        dlg = FlagDialog(what, parent)
        self.qtbot.addWidget(dlg)
        dlg.show()
        self.qtbot.waitExposed(dlg)
        self.qtbot.keyClick(dlg.reasons, self.key)
        self.results.append(dlg.result())
        return dlg.result_values() if dlg.result() == QDialog.DialogCode.Accepted else None


def test_a_digit_picks_the_reason_and_flags_without_enter(qtbot):
    for row, reason in enumerate(FLAG_REASONS):
        dlg = FlagDialog("figure “12%”")
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.keyClick(dlg.reasons, getattr(Qt.Key, f"Key_{row + 1}"))
        assert dlg.result() == QDialog.DialogCode.Accepted  # no Enter needed
        assert dlg.result_values() == (reason, None)


def test_a_digit_typed_in_the_note_is_text(qtbot):
    dlg = FlagDialog("figure “12%”")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClick(dlg.reasons, Qt.Key.Key_Down)
    qtbot.keyClick(dlg.reasons, Qt.Key.Key_Tab)
    assert dlg.note.hasFocus() or dlg.focusWidget() is dlg.note
    qtbot.keyClicks(dlg.note, "page 3")
    assert dlg.result() != QDialog.DialogCode.Accepted
    qtbot.keyClick(dlg.note, Qt.Key.Key_Return)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.result_values() == (FLAG_REASONS[1], "page 3")


def test_x_then_a_digit_flags_the_figure_and_moves_on(qtbot, qapp, review_db, review_db_path,
                                                      settings):
    from tests.gui.shared import themed_window

    dialogs = KeyedFlagDialogs(qtbot, Qt.Key.Key_3)
    w = themed_window(qtbot, qapp, review_db, review_db_path, settings, dialogs)
    first = w.session.figure_id
    qtbot.keyClick(w.text_view, Qt.Key.Key_X)
    assert dialogs.results == [QDialog.DialogCode.Accepted]
    st = rv.figure_state(review_db, first)
    assert (st["status"], st["flag"]) == ("flagged", FLAG_REASONS[2])
    assert [e.action for e in rv.events_for(review_db, "figure", first)] == ["flag"]
    assert w.session.figure_id != first and not w.session.current_figure().reviewed
    w.close()


def test_space_skips_to_the_next_unreviewed_and_records_nothing(qtbot, window, review_db):
    s = window.session
    first = s.figure_id
    order = [f.id for f in s.article.figures]
    qtbot.keyClick(window.text_view, Qt.Key.Key_Space)
    assert s.figure_id == order[order.index(first) + 1]
    assert rv.figure_state(review_db, first)["status"] == "unreviewed"
    assert events(review_db) == 0
    # a skipped figure is still what N and A come back to: confirm the next, then the
    # skipped one is found again from the start of the list
    qtbot.keyClick(window.text_view, Qt.Key.Key_A)
    assert events(review_db) == 1
    assert rv.figure_state(review_db, first)["status"] == "unreviewed"
    s.open_row(0)
    assert s.figure_id == first  # the first unreviewed of the article is the skipped one


def test_space_in_the_filter_box_is_a_space(qtbot, window, review_db):
    first = window.session.figure_id
    window.article_list.filter_edit.setFocus()
    qtbot.keyClicks(window.article_list.filter_edit, "a b")
    assert window.article_list.filter_edit.text() == "a b"
    assert window.session.figure_id == first and events(review_db) == 0


def test_the_progress_bar_shows_the_one_progress_number(qtbot, window, review_db):
    w = window
    s = w.session
    bar = w.status.progress_bar
    # two confirms; the third figure has a warning (one A only arms it), Space skips
    # it, and A confirms the fourth
    for key in (Qt.Key.Key_A, Qt.Key.Key_A, Qt.Key.Key_A, Qt.Key.Key_Space, Qt.Key.Key_A):
        qtbot.keyClick(w.text_view, key)
    progress = browse.dataset_progress(review_db, s.dataset)
    assert progress.settled == 3
    qtbot.waitUntil(lambda: bar.value() == progress.settled, timeout=5_000)
    assert bar.maximum() == progress.total and bar.isVisible()
    share = f"{progress.settled * 100 // progress.total}%"
    assert bar.text() == share
    assert f"({share})" in w.status.progress_label.text()
    assert bar.toolTip() == progress.text()
    assert len(w.findChildren(type(bar), "datasetProgress")) == 1  # one bar, not one per view


def test_no_bar_without_a_dataset_to_count(qtbot, window):
    window.status.show_progress("", 0, 0)
    assert not window.status.progress_bar.isVisible()
    assert window.status.progress_label.text() == "No dataset"
