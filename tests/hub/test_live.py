"""Syncing in the background: a decision reaches another replica in a second or two
through the hub's notifications, and being offline is a state, not an error."""

from __future__ import annotations

import time

from annotator.services import live
from annotator.services import review as svc
from annotator.services import sync
from annotator.storage.db import open_db

from tests.core.factories import figure_ids, make_article


def _wait(cond, seconds=10.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return False


def _has(path, event_id) -> bool:
    d = open_db(path, check=False)
    try:
        return d.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone() is not None
    finally:
        d.close()


def test_a_decision_arrives_in_another_replica_and_offline_is_a_state(tmp_path, hub_url,
                                                                      pg_server):
    ana = open_db(tmp_path / "ana.db")
    aid = make_article(ana, source="a.txt")
    f = figure_ids(ana, aid)
    sync.sync(ana, hub_url)
    ben = open_db(tmp_path / "ben.db")
    sync.sync(ben, hub_url)
    ben.close()
    states = []
    a = live.LiveSync(tmp_path / "ana.db", hub_url, on_state=states.append)
    received = []
    b = live.LiveSync(tmp_path / "ben.db", hub_url, on_received=received.append)
    a.start()
    b.start()
    try:
        assert _wait(lambda: a.state.online and b.state.online and a.state.text() ==
                     "Hub: synced")
        t0 = time.monotonic()
        ev = svc.review(ana, reviewer="ana", target_id=f[0], action="confirm").events[0]
        assert _wait(lambda: _has(tmp_path / "ben.db", ev), 5)
        assert time.monotonic() - t0 < 3.0
        assert _wait(lambda: received != [], 2)

        pg_server.stop()
        try:
            ev2 = svc.review(ana, reviewer="ana", target_id=f[1], action="confirm").events[0]
            assert _wait(lambda: not a.state.online and a.state.to_send >= 1)
            assert a.state.text().startswith("Hub: offline since ")
            assert "to send" in a.state.text()
        finally:
            pg_server.start()
        assert _wait(lambda: _has(tmp_path / "ben.db", ev2), 40)
        assert _wait(lambda: a.state.text() == "Hub: synced")
    finally:
        a.stop()
        b.stop()
        ana.close()
    assert any(s.syncing for s in states)


def test_decisions_made_while_a_sync_runs_are_all_sent(tmp_path, hub_url):
    from annotator.storage import hub

    ana = open_db(tmp_path / "ana.db")
    aid = make_article(ana, source="a.txt")
    f = figure_ids(ana, aid)
    a = live.LiveSync(tmp_path / "ana.db", hub_url)
    a.start()
    made = []
    try:
        for i in range(30):  # faster than the syncs: many land while one is running
            made.append(svc.review(ana, reviewer="ana", target_id=f[i % len(f)],
                                   action="confirm" if i % 2 else "clear").events[0])
            time.sleep(0.01 * (i % 4))

        def all_there():
            conn = hub.connect(hub_url)
            try:
                return {r[0] for r in conn.execute("SELECT id FROM events")} >= set(made)
            finally:
                conn.close()

        assert _wait(all_there, 15)
        assert _wait(lambda: a.state.text() == "Hub: synced", 5)
    finally:
        a.stop()
        ana.close()
