"""Merging a database someone made to do harm: every bad event is refused, the whole
merge with it, and nothing changes (no partial writes, no new file)."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.services import merge_checks, signoff, team
from annotator.services import review as svc
from annotator.storage import reviews as rv
from annotator.storage.db import open_db

from tests.core.factories import figure_ids
from tests.core.team_helpers import reviewer_db, review_all

TABLES = ("events", "figure_state", "articles", "claims", "figures", "boilerplate",
          "dataset_articles", "datasets")


def snapshot(d) -> dict:
    return {t: sorted(map(tuple, d.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}


def at(minutes: float = 0.0) -> str:
    t = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=minutes)
    return t.isoformat(timespec="microseconds")


@pytest.fixture
def pair(tmp_path):
    """ana's database (she confirmed every figure) and a lead's with the same article."""
    ana, aid = reviewer_db(tmp_path / "ana.db", "ana/a.txt")
    f = figure_ids(ana, aid)
    review_all(ana, "ana", {i: {"action": "confirm"} for i in range(5)}, f)
    ana.close()
    lead, _ = reviewer_db(tmp_path / "lead.db", "lead/a.txt")
    lead.close()
    return tmp_path / "ana.db", tmp_path / "lead.db", f


def add_event(path, **fields) -> str:
    """Write one event into a closed database with plain sqlite3, as an attacker would."""
    row = {"id": uuid.uuid4().hex, "at": at(), "reviewer": "mallory", "action": "confirm",
           "target_type": "figure", "target_id": None, "old_state": '{"status": "unreviewed"}',
           "new_state": '{"status": "confirmed"}', "note": None, "ref": None,
           "batch": uuid.uuid4().hex}
    row.update(fields)
    conn = sqlite3.connect(path)
    conn.execute(f"INSERT INTO events({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                 list(row.values()))
    conn.commit()
    conn.close()
    return row["id"]


def sql(path, *statements) -> None:
    conn = sqlite3.connect(path)
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def refused(lead_path, source, match: str, **kw) -> str:
    lead = open_db(lead_path)
    before = snapshot(lead)
    with pytest.raises(team.MergeError, match=match) as info:
        team.merge(lead, source, **kw)
    assert snapshot(lead) == before
    lead.close()
    return str(info.value)


# --- 1. the shape of every event -------------------------------------------------------

BAD = [
    ({"new_state": "[1,2]"}, "not a JSON object"),
    ({"new_state": "not json"}, "not JSON"),
    ({"action": "correct", "new_state": '{"status": "corrected", "value": 1e999}'},
     "not a finite number"),
    ({"action": "correct", "new_state": '{"status": "corrected", "value": NaN}'}, "not JSON"),
    ({"action": "correct", "new_state": '{"status": "corrected", "value": "5"}'},
     "not a number"),
    ({"action": "explode"}, "action 'explode' is unknown"),
    ({"target_type": "article"}, "target_type 'article' is unknown"),
    ({"action": "signoff"}, "cannot be on a 'figure'"),
    ({"new_state": None}, "new_state is missing"),
    ({"reviewer": b"ana"}, "reviewer is not text"),
    ({"reviewer": " "}, "reviewer is empty"),
    ({"reviewer": " ana"}, "surrounding spaces"),
    ({"at": "yesterday"}, "not a UTC time"),
    ({"at": "2026-01-01T00:00:00+00:00"}, "not a UTC time"),  # no microseconds: misorders
    ({"note": b"\x00"}, "note is not text"),
    ({"new_state": '{"status": "confirmed", "owner": "mallory"}'}, "unknown field 'owner'"),
    ({"action": "flag", "new_state": '{"status": "flagged", "flag": "boring"}'},
     "'flag' 'boring' is not one of"),
    ({"new_state": '{"status": "corrected"}'}, "is not what 'confirm' gives"),
    ({"ref": "abc"}, "ref must be empty"),
    ({"new_state": "[" * 100_000}, "not JSON|longer than"),
]


@pytest.mark.parametrize("fields,match", BAD, ids=[m for _, m in BAD])
def test_a_malformed_event_refuses_the_whole_merge(pair, fields, match):
    ana, lead, f = pair
    bad = add_event(ana, **{"target_id": f[0], **fields})
    message = refused(lead, ana, match)
    assert f"event {bad}" in message and "1 bad event(s) in all" in message


def test_the_message_names_the_first_bad_event_and_counts_them(pair):
    ana, lead, f = pair
    first = add_event(ana, target_id=f[0], new_state="[1]")
    add_event(ana, target_id=f[1], action="explode")
    add_event(ana, target_id="f-nowhere")
    message = refused(lead, ana, "3 bad event")
    assert f"event {first} new_state is not a JSON object" in message


def test_a_name_that_is_not_utf8_is_refused_by_its_event(pair):
    ana, lead, f = pair
    bad = add_event(ana, target_id=f[0])
    sql(ana, f"UPDATE events SET reviewer = CAST(X'616eff' AS TEXT) WHERE id = '{bad}'")
    assert f"event {bad} reviewer holds bytes that are not UTF-8" in refused(lead, ana, "UTF-8")


def test_control_characters_in_names_merge_as_a_local_review_keeps_them(pair):
    ana, lead, f = pair
    add_event(ana, target_id=f[0], reviewer="ben\x1b[31m", note="ok \x07")
    d = open_db(lead)
    assert team.merge(d, ana).events == 6
    d.close()


def test_an_infinite_correction_is_refused_before_it_reaches_the_export(pair):
    ana, lead, f = pair
    add_event(ana, target_id=f[0], reviewer="ben", action="correct",
              new_state='{"status": "corrected", "value": 1e999}')
    refused(lead, ana, "finite")
    d = open_db(lead)
    signoff.content_hash(d, "ds")  # the export and the hash still work
    d.close()


def test_a_dataset_needing_no_signoffs_is_refused(pair):
    ana, lead, _ = pair
    sql(ana, "INSERT INTO datasets(name, created_at, required_signoffs) "
             "VALUES ('free', '2026-01-01', 0)")
    refused(lead, ana, "dataset 'free' required_signoffs")


def test_an_infinite_figure_value_is_refused(tmp_path, pair):
    ana, _, f = pair
    sql(ana, f"UPDATE figures SET value = 1e999 WHERE id = '{f[0]}'")
    lead = open_db(tmp_path / "empty.db")
    lead.close()
    refused(tmp_path / "empty.db", ana, f"figure {f[0]} value is not a finite number")


# --- 2. references and undo chains ------------------------------------------------------

def test_an_event_on_a_target_in_neither_database_is_refused(pair):
    ana, lead, _ = pair
    bad = add_event(ana, target_id="f-0000000000000000000000")
    assert f"event {bad} is on figure" in refused(lead, ana, "in neither database")
    add_event(ana, action="signoff", target_type="dataset", target_id="nowhere",
              new_state=json.dumps({"hash": "0" * 64}))
    refused(lead, ana, "2 bad event")


def test_undo_chains_must_end(pair):
    ana, lead, f = pair
    me = uuid.uuid4().hex
    add_event(ana, id=me, action="undo", target_id=f[0], reviewer="ana", ref=me)
    assert f"event {me} undo refers back to itself" in refused(lead, ana, "cycle")


def test_undo_cycles_and_dangling_undos_are_refused(pair):
    ana, lead, f = pair
    a, b = uuid.uuid4().hex, uuid.uuid4().hex
    add_event(ana, id=a, action="undo", target_id=f[0], reviewer="ana", ref=b)
    add_event(ana, id=b, action="redo", target_id=f[0], reviewer="ana", ref=a)
    add_event(ana, action="undo", target_id=f[0], reviewer="ana", ref="missing")
    add_event(ana, action="undo", target_id=f[0], reviewer="ana")
    message = refused(lead, ana, "4 bad event")
    assert "ref is missing" in message


def test_an_undo_of_another_reviewers_event_is_refused(pair):
    ana, lead, f = pair
    conn = sqlite3.connect(ana)
    target = conn.execute("SELECT id FROM events WHERE target_id = ?", [f[0]]).fetchone()[0]
    conn.close()
    add_event(ana, action="undo", target_id=f[0], reviewer="mallory", ref=target,
              new_state='{"status": "unreviewed"}')
    refused(lead, ana, "another target or reviewer")


def test_a_real_undo_chain_merges(pair):
    ana_path, lead, f = pair
    ana = open_db(ana_path)
    svc.undo(ana, reviewer="ana")
    svc.redo(ana, reviewer="ana")
    svc.undo(ana, reviewer="ana")
    ana.close()
    d = open_db(lead)
    assert team.merge(d, ana_path).events == 8
    assert rv.figure_state(d, f[4])["status"] == "unreviewed"
    d.close()


class _Spins(Exception):
    pass


@pytest.fixture
def alarm():
    """Fail, instead of hanging, a test whose Python code loops for ever."""
    def ring(*_):
        raise _Spins("still running after 20 s")
    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_undo_survives_a_self_referencing_undo_already_in_the_database(db, alarm):
    from tests.core.factories import make_article

    f = figure_ids(db, make_article(db))
    svc.review(db, reviewer="ana", target_id=f[0], action="confirm")
    me = uuid.uuid4().hex
    rv.insert_events(db, [rv.Event(me, at(), "ana", "undo",
                                   "figure", f[0], {"status": "confirmed"},
                                   {"status": "unreviewed"}, None, me, uuid.uuid4().hex)])
    assert svc.next_steps(db, "ana").redo is not None  # described without spinning
    svc.redo(db, reviewer="ana")
    svc.undo(db, reviewer="ana")
    rv.derive(rv.events_for(db, "figure", f[0]))


# --- 3. what the source's tables are --------------------------------------------------------

ENDLESS_VIEW = (
    "CREATE VIEW events AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
    "SELECT printf('%032x', i) AS id, '2026-01-01T00:00:00.000000+00:00' AS at, 'x' AS reviewer, "
    "'confirm' AS action, 'figure' AS target_type, 'f' AS target_id, NULL AS old_state, "
    "'{}' AS new_state, NULL AS note, NULL AS ref, 'b' AS batch, i AS rowid FROM n")

_MERGE = """
import sys
from annotator.services import team
from annotator.storage.db import open_db
try:
    team.merge(open_db(sys.argv[1]), sys.argv[2])
except team.MergeError as e:
    print(e)
    sys.exit(3)
"""


def test_an_events_view_over_an_endless_query_is_refused(pair):
    from tests.conftest import ROOT

    ana, lead, _ = pair
    sql(ana, "DROP TABLE events", ENDLESS_VIEW)
    proc = subprocess.run([sys.executable, "-c", _MERGE, str(lead), str(ana)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert "'events' is a view, not a table" in proc.stdout


def test_reading_the_source_is_bounded_even_past_the_table_check(pair, monkeypatch):
    ana, lead, _ = pair
    sql(ana, "DROP TABLE events", ENDLESS_VIEW)
    monkeypatch.setattr(merge_checks, "check_tables", lambda *a: None)
    monkeypatch.setattr(merge_checks, "CHECK_SECONDS", 1.0)
    monkeypatch.setattr(merge_checks, "CHECK_SECONDS_PER_MB", 0.0)
    refused(lead, ana, "reading it took more than 1 s")


@pytest.mark.parametrize("change,match", [
    ("DROP TABLE passage_pairs", "has no table 'passage_pairs'"),
    ("ALTER TABLE events ADD COLUMN extra TEXT", "columns"),
])
def test_a_source_with_tables_of_another_shape_is_refused(pair, change, match):
    ana, lead, _ = pair
    sql(ana, "DROP TABLE IF EXISTS pair_state" if "passage" in change else "SELECT 1", change)
    refused(lead, ana, match)


@pytest.mark.parametrize("spoil", ["missing table", "bad event"])
def test_a_refused_merge_into_a_new_database_leaves_no_file(pair, tmp_path, spoil):
    from click.testing import CliRunner

    from annotator.cli import main

    ana, _, f = pair
    if spoil == "missing table":
        sql(ana, "DROP TABLE pair_state", "DROP TABLE duplicate_links",
            "DROP TABLE passage_pairs")
    else:
        add_event(ana, target_id=f[0], at="9999-12-31T23:59:59.999999+00:00", action="reopen")
    new = tmp_path / "new.db"
    result = CliRunner().invoke(main, ["merge", str(ana), "--db", str(new)])
    assert result.exit_code == 1 and "nothing was merged" in result.output
    assert not new.exists() and not list(tmp_path.glob("new.db*"))


# --- 4. clocks ---------------------------------------------------------------------------

@pytest.fixture
def signed(tmp_path):
    """A lead's database whose dataset ana and ben signed off; a copy of it as a source
    for forged events."""
    d, aid = reviewer_db(tmp_path / "lead.db", "lead/a.txt")
    f = figure_ids(d, aid)
    review_all(d, "ana", {i: {"action": "confirm"} for i in range(5)}, f)
    signoff.sign(d, dataset="ds", reviewer="ana")
    signoff.sign(d, dataset="ds", reviewer="ben")
    assert signoff.signoff_state(d, "ds").signed_off
    src = sqlite3.connect(tmp_path / "forged.db")
    d.conn.backup(src)
    src.close()
    d.close()
    return tmp_path / "lead.db", tmp_path / "forged.db", f


def _reopen(path, minutes: float) -> str:
    return add_event(path, action="reopen", target_type="dataset", target_id="ds",
                     at=at(minutes), old_state=None, note="forged",
                     new_state=json.dumps({"signers": [], "hash": None, "signed_off": False}))


def test_a_reopen_dated_9999_is_refused(signed):
    lead, forged, _ = signed
    bad = add_event(forged, action="reopen", target_type="dataset", target_id="ds",
                    at="9999-12-31T00:00:00.000000+00:00", old_state=None,
                    new_state=json.dumps({"signers": [], "hash": None, "signed_off": False}))
    assert f"event {bad} is dated 9999-12-31" in refused(lead, forged, "clock skew")


def test_signatures_after_a_reopen_from_a_fast_clock_count(signed):
    lead_path, forged, _ = signed
    _reopen(forged, 5)  # within the allowed skew: merged
    lead = open_db(lead_path)
    team.merge(lead, forged)
    assert not signoff.signoff_state(lead, "ds").signed_off
    signoff.sign(lead, dataset="ds", reviewer="ana")
    signoff.sign(lead, dataset="ds", reviewer="ben")
    state = signoff.signoff_state(lead, "ds")
    assert state.signed_off and state.signers == ["ana", "ben"]
    lead.close()


def test_an_adjudication_settles_a_correction_from_a_fast_clock(pair):
    ana_path, lead_path, f = pair
    add_event(ana_path, target_id=f[0], reviewer="ben", action="correct", at=at(5),
              new_state=json.dumps({"status": "corrected", "value": 190000}))
    lead = open_db(lead_path)
    team.merge(lead, ana_path)
    assert [c.figure_id for c in team.conflicts(lead)] == [f[0]]
    svc.adjudicate(lead, reviewer="lead", figure_id=f[0], action="confirm")
    assert team.conflicts(lead) == []
    assert rv.figure_state(lead, f[0])["status"] == "confirmed"
    lead.close()


def test_the_allowed_skew_is_configurable(pair, monkeypatch):
    ana, lead, f = pair
    add_event(ana, target_id=f[0], reviewer="ben", at=at(30))
    refused(lead, ana, "clock skew")
    monkeypatch.setenv("ANNOTATOR_MAX_SKEW", "45")
    d = open_db(lead)
    assert team.merge(d, ana).events == 6
    d.close()


def test_the_cli_takes_max_skew(pair):
    from click.testing import CliRunner

    from annotator.cli import main

    ana, lead, f = pair
    add_event(ana, target_id=f[0], reviewer="ben", at=at(30))
    r = CliRunner().invoke(main, ["merge", str(ana), "--db", str(lead)])
    assert r.exit_code == 1 and "clock skew" in r.output
    r = CliRunner().invoke(main, ["merge", str(ana), "--db", str(lead), "--max-skew", "60"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["merge", str(ana), "--db", str(lead), "--max-skew", "-1"])
    assert r.exit_code == 1 and "at least 0" in r.output


def test_a_new_event_orders_after_everything_it_has_seen(db):
    from tests.core.factories import make_article

    f = figure_ids(db, make_article(db))
    ahead = at(60)
    rv.insert_events(db, [rv.Event(uuid.uuid4().hex, ahead, "ben", "confirm", "figure", f[0],
                                   None, {"status": "confirmed"}, None, None, "b")])
    ev = rv.append_event(db, reviewer="ana", action="flag", target_type="figure",
                         target_id=f[0], old_state=None,
                         new_state={"status": "flagged", "flag": "outdated"}, batch="c")
    assert ev.at > ahead and merge_checks.parse_at(ev.at)
    last = "9999-12-31T23:59:59.999999+00:00"
    rv.insert_events(db, [rv.Event(uuid.uuid4().hex, last, "ben", "confirm", "figure", f[1],
                                   None, {"status": "confirmed"}, None, None, "d")])
    assert rv.next_at(db, "figure", f[1], "ana") == last  # ties order by insertion


# --- a property: all or nothing -------------------------------------------------------------

def _resign(conn, event_id: str, reviewer: str) -> None:
    from annotator.services import identity
    from annotator.storage import signatures

    fields = ", ".join(signatures.FIELDS)
    rowid, *row = conn.execute(f"SELECT rowid, {fields} FROM events WHERE id = ?",
                               [event_id]).fetchone()
    try:
        key, signature = signatures.sign_fields(identity.private_key(reviewer), row)
    except (TypeError, ValueError, UnicodeError):
        return  # a field no signature can cover (bytes): refused all the same
    conn.execute("UPDATE events SET signer_key = ?, signature = ? WHERE rowid = ?",
                 [key, signature, rowid])


# (column, value, whether annotator would refuse it)
CORRUPTIONS = [
    ("new_state", "[1,2]", True), ("new_state", "not json", True),
    ("new_state", '{"status": "corrected", "value": 1e999}', True),
    ("new_state", None, True), ("action", "explode", True), ("target_type", "article", True),
    ("target_id", "f-nowhere", True), ("reviewer", b"x", True), ("reviewer", "", True),
    ("at", "9999-12-31T00:00:00.000000+00:00", True), ("at", "soon", True),
    ("ref", "x", True), ("old_state", "{", True), ("note", b"\x00", True),
    ("note", "a fine note", False), ("reviewer", "carl", False), ("old_state", None, False),
    ("batch", "one batch", False),
]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 4), st.sampled_from(CORRUPTIONS)), max_size=4))
def test_a_merge_applies_everything_valid_or_changes_nothing(tmp_path_factory, changes):
    tmp = tmp_path_factory.mktemp("prop")
    ana, aid = reviewer_db(tmp / "ana.db", "ana/a.txt")
    f = figure_ids(ana, aid)
    review_all(ana, "ana", {i: {"action": "confirm"} for i in range(5)}, f)
    ana.close()
    lead, _ = reviewer_db(tmp / "lead.db", "lead/a.txt")
    before = snapshot(lead)
    conn = sqlite3.connect(tmp / "ana.db")
    ids = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY rowid")]
    final = {}  # a later change of the same field replaces an earlier one
    for row, (column, value, bad) in changes:
        final[(row, column)] = (value, bad)
    for (row, column), (value, _) in final.items():
        conn.execute(f"UPDATE events SET {column} = ? WHERE id = ?", [value, ids[row]])
    # signed again by ana, so that what is judged is each field's shape, not the signature
    # (an event changed after signing is refused: tests/core/test_signed_events.py)
    for row in {row for row, _ in final}:
        _resign(conn, ids[row], "ana")
    conn.commit()
    conn.close()
    if any(bad for _, bad in final.values()):
        with pytest.raises(team.MergeError, match="nothing was merged"):
            team.merge(lead, tmp / "ana.db")
        assert snapshot(lead) == before
    else:
        summary = team.merge(lead, tmp / "ana.db")
        assert summary.events == 5
        assert {r[0] for r in lead.execute("SELECT id FROM events")} == set(ids)
    lead.close()
