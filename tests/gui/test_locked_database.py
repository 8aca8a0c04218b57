"""A write lock held by another program never freezes the window; nothing unsaved looks saved."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from annotator.storage import reviews as rv

from tests.gui.shared import CTRL, shown_status


def hold_write_lock(path):
    import sqlite3

    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_a_locked_database_never_freezes_a_keypress_and_the_decision_is_saved_later(
        qtbot, window, review_db):
    s = window.session
    first = s.figure_id
    lock = hold_write_lock(window.session.db_path)
    try:
        started = time.monotonic()
        qtbot.keyClick(window.text_view, Qt.Key.Key_A)
        first_press = time.monotonic() - started
        second = s.figure_id
        started = time.monotonic()
        qtbot.keyClick(window.text_view, Qt.Key.Key_A)
        second_press = time.monotonic() - started
        assert first_press < 0.5 and second_press < 0.5, (first_press, second_press)
        assert second != first  # the reviewer goes on
        label = window.status.save_label.text()
        assert "All changes saved" not in label and "Not saved" in label
        assert "2 decisions" in label
        # nothing that is not written looks done
        assert rv.figure_state(review_db, first)["status"] == "unreviewed"
        assert shown_status(window, first) == "unreviewed"
        qtbot.wait(1_500)  # retries meanwhile do not claim success
        assert "All changes saved" not in window.status.save_label.text()
    finally:
        lock.rollback() if lock.in_transaction else None
        lock.close()
    qtbot.waitUntil(lambda: rv.figure_state(review_db, second)["status"] == "confirmed",
                    timeout=15_000)
    assert rv.figure_state(review_db, first)["status"] == "confirmed"
    qtbot.waitUntil(lambda: window.status.save_label.text().startswith("All changes saved"),
                    timeout=5_000)
    assert shown_status(window, first) == "confirmed"
    events = [e.action for e in rv.events_by_reviewer(review_db, "ana")]
    assert events == ["confirm", "confirm"]  # each once, in the order they were made


def test_the_window_keeps_painting_while_another_program_holds_the_lock(qtbot, window):
    from PySide6.QtCore import QTimer

    ticks = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    lock = hold_write_lock(window.session.db_path)
    try:
        timer.start()
        for _ in range(5):
            qtbot.keyClick(window.text_view, Qt.Key.Key_A)
            qtbot.wait(100)
        qtbot.wait(2_000)  # retries run meanwhile
        timer.stop()
    finally:
        lock.rollback()
        lock.close()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) > 50 and max(gaps) < 0.5, max(gaps)


def test_undo_of_a_decision_not_yet_saved_drops_it(qtbot, window, review_db):
    s = window.session
    first = s.figure_id
    lock = hold_write_lock(window.session.db_path)
    try:
        qtbot.keyClick(window.text_view, Qt.Key.Key_A)
        assert window.commands.actions["undo"].isEnabled()
        qtbot.keyClick(window.text_view, Qt.Key.Key_Z, CTRL)
        assert s.figure_id == first
    finally:
        lock.rollback()
        lock.close()
    qtbot.wait(2_000)
    assert rv.events_by_reviewer(review_db, "ana") == []
    assert window.status.save_label.text().startswith("All changes saved")


def test_closing_while_decisions_wait_asks_and_staying_keeps_them(qtbot, window, review_db,
                                                                  dialogs, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_BUSY_TIMEOUT", "0.3")  # the last wait at close
    first = window.session.figure_id
    lock = hold_write_lock(window.session.db_path)
    try:
        qtbot.keyClick(window.text_view, Qt.Key.Key_A)
        dialogs.confirm_answer = False  # "stay"
        window.close()
        assert window.isVisible() and "confirm Decisions not saved" in dialogs.asked
        assert window.writer.waiting == 1
    finally:
        lock.rollback()
        lock.close()
    qtbot.waitUntil(lambda: rv.figure_state(review_db, first)["status"] == "confirmed",
                    timeout=15_000)
    dialogs.confirm_answer = True
