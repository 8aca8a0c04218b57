"""The window on a disk that fills up: the decision that cannot be stored is not shown
as saved, says why, and every decision saved before it stays in the database. Runs on a
small tmpfs where this process may mount one (root in CI), else it is skipped."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from annotator.storage import reviews as rv

from tests.gui.shared import shown_status, themed_window
from tests.small_disk import fill, small_disk


@pytest.fixture
def disk(tmp_path):
    with small_disk(tmp_path, 4) as mount:
        yield mount


def test_a_full_disk_leaves_nothing_looking_saved_and_loses_nothing_saved(
        qtbot, qapp, review_db_path, disk, settings, dialogs):
    from annotator.storage.db import open_db

    path = disk / "review.db"
    shutil.copy(review_db_path, path)
    db = open_db(path)
    w = themed_window(qtbot, qapp, db, path, settings, dialogs)
    s = w.session
    saved = s.figure_id
    qtbot.keyClick(w.text_view, Qt.Key.Key_A)
    assert rv.figure_state(db, saved)["status"] == "confirmed"
    filler = fill(disk)
    tried = []
    for _ in range(40):  # until a decision no longer fits in the log
        fid = s.figure_id
        tried.append(fid)
        qtbot.keyClick(w.text_view, Qt.Key.Key_A)
        if rv.figure_state(db, fid)["status"] != "confirmed":
            break
    else:
        pytest.skip("the log never filled the disk")
    label = w.status.save_label.text()
    print(f"full disk after {len(tried)} decision(s): {label!r}")
    assert "All changes saved" not in label, label
    assert shown_status(w, fid) == "unreviewed"
    filler.unlink()
    confirmed = [f for f in [saved, *tried] if rv.figure_state(db, f)["status"] == "confirmed"]
    w.close()
    db.close()
    again = open_db(path)
    try:
        assert again.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert all(rv.figure_state(again, f)["status"] == "confirmed" for f in confirmed)
    finally:
        again.close()
