"""Every event is signed by its reviewer; a merge refuses forged and changed events."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from annotator.services import identity
from annotator.services import review as svc
from annotator.services import signoff, team
from annotator.storage import reviews as rv
from annotator.storage import signatures as sig
from annotator.storage.db import open_db, write_tx

TEXT = "The bureau hired 200 people in 2024, up 15% from 2023.\n"
ROW = ", ".join(sig.FIELDS) + ", signer_key, signature"


def _rows(db):
    return db.execute(f"SELECT {ROW} FROM events ORDER BY rowid").fetchall()


def reviewer_db(tmp_path, who: str):
    """A database of `who` with the one article in dataset hk-talent (made on `who`'s
    machine: the config folder, and so the keys, are theirs)."""
    from annotator.services.importing import import_paths

    src = tmp_path / who / "a.txt"
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_text(TEXT, encoding="utf-8")
    path = tmp_path / f"{who}.db"
    d = open_db(path)
    import_paths(d, [src], dataset="hk-talent")
    return d, path


def on_machine(monkeypatch, tmp_path, who: str) -> None:
    monkeypatch.setenv("ANNOTATOR_CONFIG", str(tmp_path / f"home-{who}" / "config.json"))


def figures(d):
    return [r[0] for r in d.execute("SELECT id FROM figures ORDER BY seq")]


@pytest.fixture
def team_of_two(tmp_path, monkeypatch):
    """ben confirmed every figure on his machine; the lead has the article, and a roster
    with himself (lead) and nobody else."""
    on_machine(monkeypatch, tmp_path, "ben")
    ben, ben_path = reviewer_db(tmp_path, "ben")
    for fid in figures(ben):
        svc.review(ben, reviewer="ben", target_id=fid, action="confirm")
    ben_key = identity.public_key("ben")
    ben.close()
    on_machine(monkeypatch, tmp_path, "lead")
    lead, _ = reviewer_db(tmp_path, "lead")
    yield lead, ben_path, ben_key
    lead.close()


def start_roster(lead, *names_keys):
    with write_tx(lead):
        identity.add_member(lead, dataset="hk-talent", reviewer="lead", name="lead",
                            key=identity.public_key("lead"), role="lead")
        for name, key in names_keys:
            identity.add_member(lead, dataset="hk-talent", reviewer="lead", name=name, key=key)


def test_the_migration_adds_signature_columns(db):
    cols = [c.name for c in db["events"].columns]
    assert cols[-2:] == ["signer_key", "signature"]


def test_every_event_is_signed_over_every_field(db, tmp_path):
    d, _ = reviewer_db(tmp_path, "ana")
    fid = figures(d)[0]
    svc.review(d, reviewer="ana", target_id=fid, action="correct", value=201, note="n")
    svc.undo(d, reviewer="ana")
    (row1, row2) = _rows(d)
    for row in (row1, row2):
        assert row[11] == identity.public_key("ana")
        assert sig.verify_fields(row[11], row[12], row[:11])
    for i, name in enumerate(sig.FIELDS):
        changed = list(row2[:11])
        changed[i] = (changed[i] or "") + "x"
        assert not sig.verify_fields(row2[11], row2[12], changed), f"{name} is not covered"
    assert not sig.verify_fields(identity.public_key("mallory"), row2[12], row2[:11])
    d.close()


def test_annotators_own_events_are_unsigned(db):
    with write_tx(db):
        from annotator.storage.articles import ensure_dataset

        ensure_dataset(db, "hk-talent")
        rv.append_event(db, reviewer="annotator", action="rekey", target_type="dataset",
                        target_id="hk-talent", old_state={"hash": "0" * 64},
                        new_state={"hash": "1" * 64}, batch="b")
    assert db.execute("SELECT signer_key, signature FROM events").fetchone() == (None, None)
    assert not identity.key_path("annotator").exists()


def test_an_event_changed_after_signing_refuses_the_whole_merge(team_of_two):
    lead, ben_path, _ = team_of_two
    conn = sqlite3.connect(ben_path)
    conn.execute("UPDATE events SET new_state = '{\"status\": \"flagged\", \"flag\": \"other\"}',"
                 " action = 'flag' WHERE rowid = 1")
    conn.commit()
    conn.close()
    with pytest.raises(team.MergeError, match="signature that does not verify.*nothing was "
                                              "merged"):
        team.merge(lead, ben_path)
    assert lead.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_without_a_roster_signed_events_merge_as_before(team_of_two):
    lead, ben_path, _ = team_of_two
    s = team.merge(lead, ben_path)
    assert s.events == len(figures(lead)) and s.unrostered == ["hk-talent"]


def test_a_forged_signoff_as_the_lead_is_refused(team_of_two, tmp_path, monkeypatch):
    """ben signs the dataset off as `lead` on his own copy: his machine's key for the
    name `lead` is not the lead's."""
    lead, ben_path, ben_key = team_of_two
    start_roster(lead, ("ben", ben_key))
    on_machine(monkeypatch, tmp_path, "ben")
    ben = open_db(ben_path)
    signoff.set_required_signoffs(ben, dataset="hk-talent", reviewer="lead", required=1)
    signoff.sign(ben, dataset="hk-talent", reviewer="lead")
    ben.close()
    on_machine(monkeypatch, tmp_path, "lead")
    before = lead.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    with pytest.raises(team.MergeError, match="signed as 'lead' with key SHA256:.*roster of "
                                              "dataset 'hk-talent' gives 'lead' the key"):
        team.merge(lead, ben_path)
    assert lead.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before
    assert not signoff.signoff_state(lead, "hk-talent").signatures


def test_a_reviewer_not_on_the_roster_needs_the_leads_one_step(team_of_two):
    lead, ben_path, ben_key = team_of_two
    start_roster(lead)
    with pytest.raises(team.MergeError) as info:
        team.merge(lead, ben_path)
    assert "reviewer 'ben'" in str(info.value) and sig.fingerprint(ben_key) in str(info.value)
    assert "--trust ben" in str(info.value)
    with pytest.raises(team.MergeError, match="--reviewer"):
        team.merge(lead, ben_path, trust=["ben"])
    s = team.merge(lead, ben_path, trust=["ben"], lead="lead")
    assert s.events == len(figures(lead)) and s.trusted == ["ben in hk-talent"]
    members = identity.roster(lead, "hk-talent")
    assert members["ben"].key == ben_key and members["ben"].added_by == "lead"


def test_a_reviewer_the_lead_added_merges_without_a_flag(team_of_two):
    lead, ben_path, ben_key = team_of_two
    start_roster(lead, ("ben", ben_key))
    assert team.merge(lead, ben_path).events == len(figures(lead))


def test_a_roster_entry_from_a_reviewers_copy_is_refused(team_of_two, tmp_path, monkeypatch):
    lead, ben_path, ben_key = team_of_two
    start_roster(lead, ("ben", ben_key))
    on_machine(monkeypatch, tmp_path, "ben")
    ben = open_db(ben_path)
    with write_tx(ben):  # ben's copy has no roster: he starts one, and adds a friend
        identity.add_member(ben, dataset="hk-talent", reviewer="ben", name="mallory",
                            key=identity.public_key("mallory"))
    ben.close()
    on_machine(monkeypatch, tmp_path, "lead")
    with pytest.raises(team.MergeError, match="not a lead of dataset 'hk-talent'"):
        team.merge(lead, ben_path)
    assert set(identity.roster(lead, "hk-talent")) == {"lead", "ben"}


def _unsigned(path, fid):
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO events(id, at, reviewer, action, target_type, target_id, "
                 "old_state, new_state, note, ref, batch) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                 [uuid.uuid4().hex, "2020-01-01T00:00:00.000000+00:00", "old", "confirm",
                  "figure", fid, None, '{"status": "confirmed"}', None, None, "b"])
    conn.commit()
    conn.close()


def test_unsigned_events_need_the_leads_acceptance_where_there_is_a_roster(team_of_two):
    lead, ben_path, ben_key = team_of_two
    _unsigned(ben_path, figures(lead)[0])
    start_roster(lead, ("ben", ben_key))
    with pytest.raises(team.MergeError, match="by 'old' is not signed.*--accept-unsigned"):
        team.merge(lead, ben_path)
    s = team.merge(lead, ben_path, accept_unsigned=True, lead="lead")
    assert s.events == len(figures(lead)) + 1 and s.unsigned == 1
    accepted = [e for e in rv.events_for(lead, "dataset", "hk-talent")
                if e.action == "accept_unsigned"]
    assert [(e.reviewer, e.new_state["events"]) for e in accepted] == [("lead", 1)]
    unsigned = [i for i, k in rv.signer_of(lead, [r[0] for r in _rows(lead)]).items()
                if k is None]
    assert len(unsigned) == 1


def test_a_lead_database_merges_on_into_another(team_of_two, tmp_path):
    """Roster and acceptance events are events merge_checks knows."""
    lead, ben_path, ben_key = team_of_two
    start_roster(lead, ("ben", ben_key))
    team.merge(lead, ben_path)
    lead.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    other, _ = reviewer_db(tmp_path, "second")
    with pytest.raises(team.MergeError, match="--trust lead to take 'lead''s roster"):
        team.merge(other, tmp_path / "lead.db")
    s = team.merge(other, tmp_path / "lead.db", trust=["lead"])
    assert set(identity.roster(other, "hk-talent")) == {"lead", "ben"}
    assert s.events == lead.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    other.close()
