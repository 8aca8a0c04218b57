"""The window with a hub: its decisions are sent in the background, another replica's
arrive, and the status bar says how the sync stands."""

from __future__ import annotations

import time

from annotator.gui.sync import attach
from annotator.services import review as svc
from annotator.services import sync
from annotator.storage import hub
from annotator.storage.db import open_db

from tests.gui.shared import themed_window


def _on_hub(url, event_id) -> bool:
    conn = hub.connect(url)
    try:
        return conn.execute("SELECT 1 FROM events WHERE id = %s", [event_id]).fetchone() \
            is not None
    finally:
        conn.close()


def test_the_window_syncs_in_the_background(qtbot, qapp, review_db, review_db_path, settings,
                                           dialogs, hub_url, tmp_path):
    w = themed_window(qtbot, qapp, review_db, review_db_path, settings, dialogs)
    hs = attach(w, review_db_path, hub_url)
    try:
        qtbot.waitUntil(lambda: hs.label.text() == "Hub: synced", timeout=30_000)
        fid = review_db.execute("SELECT id FROM figures ORDER BY id LIMIT 1").fetchone()[0]
        t0 = time.monotonic()
        other = open_db(review_db_path)  # a decision made beside the window: sent too
        ev = svc.review(other, reviewer="ana", target_id=fid, action="confirm").events[0]
        other.close()
        qtbot.waitUntil(lambda: _on_hub(hub_url, ev), timeout=5_000)
        assert time.monotonic() - t0 < 3
        # another reviewer's decision arrives in this window's database
        ben = open_db(tmp_path / "ben.db")
        sync.sync(ben, hub_url)
        theirs = svc.review(ben, reviewer="ben", target_id=fid, action="flag",
                            reason="outdated").events[0]
        sync.sync(ben, hub_url)
        qtbot.waitUntil(lambda: review_db.execute("SELECT 1 FROM events WHERE id = ?",
                                                  [theirs]).fetchone() is not None,
                        timeout=5_000)
        qtbot.waitUntil(lambda: hs.label.text() == "Hub: synced", timeout=5_000)
    finally:
        hs.stop()
