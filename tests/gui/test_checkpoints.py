"""The write-ahead log is moved into the database off the GUI thread, after a pause."""

from __future__ import annotations

import sqlite3

from annotator.gui import checkpoints


def test_the_window_never_checkpoints_in_a_commit_and_a_job_does_after_a_pause(
        window, qtbot, review_db_path):
    window.checkpoints._timer.setInterval(50)
    db = window.session.db
    assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    for _ in range(5):
        window.commands.confirm()
    qtbot.waitUntil(lambda: window.checkpoints.runs >= 1, timeout=10_000)
    busy, frames, done = window.checkpoints.last
    assert busy == 0 and frames > 0 and done == frames  # the whole log is in the file
    # and another process sees every decision
    other = sqlite3.connect(review_db_path)
    try:
        confirmed = other.execute("SELECT COUNT(*) FROM figure_state "
                                  "WHERE status = 'confirmed'").fetchone()[0]
    finally:
        other.close()
    assert confirmed >= 5


def test_no_checkpoint_runs_without_a_change(window, qtbot):
    window.checkpoints.run_now()
    qtbot.wait(100)
    assert window.checkpoints.runs == 0 and checkpoints.IDLE_MS > 0
