"""One bad client cannot poison the others: an event a merge would refuse is refused by
the sync command before it reaches the hub, and by the hub's own constraints when it is
written around the command."""

from __future__ import annotations

import uuid

import pytest

from annotator.services import identity
from annotator.services import review as svc
from annotator.services import sync
from annotator.storage import hub
from annotator.storage import signatures as sig
from annotator.storage.db import open_db

from tests.core.factories import figure_ids, make_article


def _hub_count(url) -> int:
    conn = hub.connect(url)
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()


def _signed_row(reviewer, target, *, at="2026-01-01T00:00:00.000000+00:00",
                new_state='{"status": "confirmed"}', action="confirm"):
    fields = [uuid.uuid4().hex, at, reviewer, action, "figure", target, None, new_state,
              None, None, uuid.uuid4().hex]
    key, signature = sig.sign_fields(identity.private_key(reviewer), fields)
    return fields + [key, signature]


def _insert_local(d, row) -> None:
    d.execute("INSERT INTO events(id, at, reviewer, action, target_type, target_id, "
              "old_state, new_state, note, ref, batch, signer_key, signature) VALUES "
              f"({','.join('?' * 13)})", row)


@pytest.fixture
def team(tmp_path, hub_url):
    ana = open_db(tmp_path / "ana.db")
    aid = make_article(ana, source="a.txt")
    f = figure_ids(ana, aid)
    svc.review(ana, reviewer="ana", target_id=f[0], action="confirm")
    sync.sync(ana, hub_url)
    ben = open_db(tmp_path / "ben.db")
    sync.sync(ben, hub_url)
    return ana, ben, f


BAD = {
    "forged": lambda f: _forged(f),
    "future": lambda f: _signed_row("ana", f[2], at="2099-12-31T00:00:00.000000+00:00"),
    "malformed": lambda f: _signed_row("ana", f[2], new_state="not json"),
    "infinite": lambda f: _signed_row("ana", f[2], new_state='{"status": "corrected", '
                                                             '"value": 1e999}',
                                      action="correct"),
    "no target": lambda f: _signed_row("ana", "f-0000000000000000000000"),
}


def _forged(f):
    row = _signed_row("ana", f[2])
    row[7] = '{"status": "flagged", "flag": "outdated"}'  # changed after signing
    row[3] = "flag"
    return row


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_event_is_refused_and_reaches_no_one(team, hub_url, kind):
    ana, ben, f = team
    before = _hub_count(hub_url)
    _insert_local(ana, BAD[kind](f))
    svc.review(ana, reviewer="ana", target_id=f[1], action="confirm")  # a good one too
    with pytest.raises(sync.SyncError, match="nothing was sent"):
        sync.sync(ana, hub_url)
    assert _hub_count(hub_url) == before  # the batch is refused whole
    s = sync.sync(ben, hub_url)
    assert s.pulled_events == 0


def test_unsigned_events_stay_local(team, hub_url):
    ana, ben, f = team
    ana.execute("INSERT INTO events(id, at, reviewer, action, target_type, target_id, "
                "new_state, batch) VALUES (?, ?, 'ana', 'confirm', 'figure', ?, "
                "'{\"status\": \"confirmed\"}', 'b')",
                [uuid.uuid4().hex, "2026-01-01T00:00:00.000000+00:00", f[3]])
    s = sync.sync(ana, hub_url)
    assert s.unsigned_kept == 1 and s.pushed_events == 0
    assert sync.sync(ben, hub_url).pulled_events == 0


@pytest.mark.parametrize("kind", ["future", "malformed", "infinite"])
def test_the_hub_itself_refuses_what_sql_can_check(team, hub_url, kind):
    ana, ben, f = team
    conn = hub.connect(hub_url)
    try:
        with pytest.raises(Exception) as e:
            hub.insert_events(conn, [BAD[kind](f)])
        assert "violat" in str(e.value) or "invalid input syntax" in str(e.value) or \
            "ahead of the hub's clock" in str(e.value)
        row = _signed_row("ana", f[2])
        row[12] = None  # unsigned
        with pytest.raises(Exception, match="null value"):
            hub.insert_events(conn, [row])
        with pytest.raises(Exception, match="append-only"):
            conn.execute("UPDATE events SET note = 'x'")
        with pytest.raises(Exception, match="append-only"):
            conn.execute("DELETE FROM events")
    finally:
        conn.close()


def test_an_event_forged_around_the_sync_command_is_refused_by_every_replica(team, hub_url):
    ana, ben, f = team
    conn = hub.connect(hub_url)
    try:
        hub.insert_events(conn, [_forged(f)])  # a client writing SQL of its own
    finally:
        conn.close()
    with pytest.raises(sync.SyncError, match="does not verify"):
        sync.sync(ben, hub_url)
    assert ben.execute("SELECT count(*) FROM events WHERE action = 'flag'").fetchone()[0] == 0


def test_the_roster_is_checked_both_ways(tmp_path, hub_url):
    lead = open_db(tmp_path / "lead.db")
    aid = make_article(lead, source="a.txt")
    f = figure_ids(lead, aid)
    identity.add_member(lead, dataset="ds", reviewer="lead", name="ana",
                        key=identity.public_key("ana"))
    sync.sync(lead, hub_url)
    ana = open_db(tmp_path / "ana.db")
    with pytest.raises(sync.SyncError, match="--trust lead"):
        sync.sync(ana, hub_url)  # a roster is taken only from a lead one trusts
    sync.sync(ana, hub_url, trust={"lead"})
    svc.review(ana, reviewer="ana", target_id=f[0], action="confirm")
    assert sync.sync(ana, hub_url).pushed_events == 1
    ben = open_db(tmp_path / "ben.db")  # not on the roster
    sync.sync(ben, hub_url, trust={"lead"})
    svc.review(ben, reviewer="ben", target_id=f[1], action="confirm")
    with pytest.raises(sync.SyncError, match="'ben'.*not on the roster.*nothing was sent"):
        sync.sync(ben, hub_url)
    assert sync.sync(lead, hub_url).pulled_events == 1  # ana's, not ben's
