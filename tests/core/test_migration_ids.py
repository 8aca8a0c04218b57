"""Migration 0006: claim and figure ids renamed to begin with their article's id.

A database written with the old ids (16 hex digits of each claim's or figure's own hash)
is built by the current code with the old id functions, its record of 0006 removed, and
then opened: every id and every reference to one must come out as a fresh import would
make it, with the reviews, the copies' inheritance and the sign-offs intact.
"""

from __future__ import annotations

import hashlib

import pytest

from annotator.services.export import records as exporter
from annotator.services import pairs as dup
from annotator.services import review as svc
from annotator.services import signoff
from annotator.services.export import signed as signed_export
from annotator.services.history import history
from annotator.services.importing import import_paths
from annotator.storage import articles as repo
from annotator.storage import reviews as rv
from annotator.storage.db import StorageError, open_db

from tests.conftest import SAMPLES
from tests.core.factories import TEXT, figure_ids, make_article
from tests.reliability.invariants import integrity_errors, review_state_errors

MIGRATION = "0006_article_prefixed_ids"
CHANGED_TEXT = TEXT + "A second article signed before it changed.\n"


def _old_hash(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def old_claim_id(article_id, start, end):
    return "c-" + _old_hash(article_id, start, end)


def old_figure_id(article_id, start, end, kind):
    return "f-" + _old_hash(article_id, start, end, kind)


def _confirm_all(d, reviewer, aid):
    for fid in figure_ids(d, aid):
        svc.review(d, reviewer=reviewer, target_id=fid, action="confirm")


def _copied_figure(d):
    """A figure of the Traditional repost that is a copy, and its first copy."""
    copy = d.execute("SELECT id FROM articles WHERE source LIKE '%101_%'").fetchone()[0]
    return d.execute("SELECT f.id, f.duplicate_of FROM figures f JOIN duplicate_links l "
                     "ON l.copy_id = f.id AND l.kind = 'figure' WHERE f.article_id = ? "
                     "ORDER BY f.seq", [copy]).fetchone(), copy


def _everything(d) -> dict:
    """The database's content as sets of rows, for comparing two databases."""
    return {
        "claims": set(d.execute("SELECT id, article_id, start, end, duplicate_of FROM claims")),
        "figures": set(d.execute("SELECT id, claim_id, article_id, start, end, kind, link_id, "
                                 "duplicate_of FROM figures")),
        "links": set(d.execute("SELECT pair_id, kind, copy_id, source_id FROM duplicate_links")),
    }


@pytest.fixture
def migrated(tmp_path, monkeypatch):
    """A database reviewed and signed off under the old ids, then opened (migrated);
    with what was recorded before."""
    path = tmp_path / "old.db"
    monkeypatch.setattr(repo, "claim_id_for", old_claim_id)
    monkeypatch.setattr(repo, "figure_id_for", old_figure_id)
    d = open_db(path)
    import_paths(d, [SAMPLES], dataset="samples", workers=1)
    (copy_fid, source_fid), _ = _copied_figure(d)
    svc.review(d, reviewer="ana", target_id=source_fid, action="correct", value=1,
               note="inherited by its copy")
    pair = dup.pairs_for_article(d, d.execute(
        "SELECT id FROM articles WHERE source LIKE '%002_%'").fetchone()[0])[0]
    dup.review_pair(d, reviewer="ana", pair_id=pair["pair_id"], action="confirm")
    svc.review(d, reviewer="ben", target_id=copy_fid, action="flag", reason="wrong_figure")
    svc.undo(d, reviewer="ben")
    aid = make_article(d)                       # dataset "ds": signed off, unchanged
    _confirm_all(d, "ana", aid)
    signoff.sign(d, dataset="ds", reviewer="ana")
    signoff.sign(d, dataset="ds", reviewer="ben")
    changed = make_article(d, text=CHANGED_TEXT, dataset="ds2", source="changed.txt")
    _confirm_all(d, "ana", changed)
    signoff.sign(d, dataset="ds2", reviewer="ana")
    svc.review(d, reviewer="ana", target_id=figure_ids(d, changed)[0], action="confirm",
               note="after signing")
    before = {
        "records": list(exporter.iter_claim_records(d)),
        "events": d.execute("SELECT COUNT(*) FROM events").fetchone()[0],
        "ds": signoff.content_hash(d, "ds"),
        "copy": copy_fid, "source": source_fid,
        "state": rv.figure_state(d, copy_fid),
    }
    assert all(i.startswith("c-") and len(i) == 18 for i, *_ in _everything(d)["claims"])
    d.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [MIGRATION])
    d.close()
    monkeypatch.undo()
    d = open_db(path)
    yield d, before, aid, changed
    d.close()


def test_ids_and_every_reference_are_what_a_fresh_import_makes(migrated, tmp_path):
    d, _, _, _ = migrated
    for cid, aid, start, end, _ in _everything(d)["claims"]:
        assert cid == repo.claim_id_for(aid, start, end)
        assert cid.startswith("c-" + aid[2:10]) and len(cid) == 22
    for fid, _, aid, start, end, kind, _, _ in _everything(d)["figures"]:
        assert fid == repo.figure_id_for(aid, start, end, kind)
    fresh = open_db(tmp_path / "fresh.db")
    import_paths(fresh, [SAMPLES], dataset="samples", workers=1)
    make_article(fresh)
    make_article(fresh, text=CHANGED_TEXT, dataset="ds2", source="changed.txt")
    assert _everything(fresh) == _everything(d)   # so the two can be merged
    fresh.close()
    assert integrity_errors(d) == []
    assert review_state_errors(d) == []


def test_reviews_history_and_inheritance_follow_the_new_ids(migrated):
    d, before, _, _ = migrated
    (copy_fid, source_fid), copy = _copied_figure(d)
    assert copy_fid == "f-" + copy[2:10] + before["copy"][2:14]
    assert source_fid.endswith(before["source"][2:14])
    state = rv.figure_state(d, copy_fid)
    assert state == dict(before["state"], inherited_from=source_fid)
    assert state["status"] == "corrected"
    assert [e.action for e in history(d, copy_fid)] == ["flag", "undo"]
    assert [e.action for e in history(d, source_fid)] == ["correct"]
    assert not d.execute("SELECT 1 FROM events WHERE target_type = 'figure' AND target_id "
                         "NOT IN (SELECT id FROM figures)").fetchone()


def test_exports_differ_only_in_the_ids(migrated):
    d, before, _, _ = migrated
    to_old = {}
    for cid, aid, start, end, _ in _everything(d)["claims"]:
        to_old[cid] = old_claim_id(aid, start, end)
    for fid, _, aid, start, end, kind, _, _ in _everything(d)["figures"]:
        to_old[fid] = old_figure_id(aid, start, end, kind)

    def renamed(value):
        if isinstance(value, dict):
            return {k: renamed(v) for k, v in value.items()}
        if isinstance(value, list):
            return [renamed(v) for v in value]
        return to_old.get(value, value) if isinstance(value, str) else value

    after = [renamed(r) for r in exporter.iter_claim_records(d)]
    key = lambda r: r["claim_id"]  # noqa: E731
    assert sorted(after, key=key) == sorted(before["records"], key=key)
    assert any(r["figures"] and r["figures"][0]["duplicate_of"] for r in after)


def test_signatures_over_the_old_ids_still_count_for_the_same_content(migrated, tmp_path):
    d, before, aid, _ = migrated
    now = signoff.content_hash(d, "ds")
    assert now != before["ds"]
    state, digest = signoff.verify_signed(d, "ds")
    assert digest == now and state.signed_off and state.signers == ["ana", "ben"]
    assert {s["signed_hash"] for s in state.counting} == {before["ds"]}
    rekey = [e for e in rv.events_for(d, "dataset", "ds") if e.action == "rekey"]
    assert len(rekey) == 1 and rekey[0].old_state == {"hash": before["ds"]}
    assert rekey[0].new_state == {"hash": now}
    # sign-offs made over the old ids still count (the dataset stays signed off and
    # locked), but their signatures are of the old hash: a signed export asks for new ones
    with pytest.raises(signoff.SignoffError, match="old ids.*signs again"):
        signed_export.export_signed(d, tmp_path / "ds.jsonl", dataset="ds", reviewer="lead")
    for who in ("ana", "ben"):
        signoff.sign(d, dataset="ds", reviewer=who)
    signed = signed_export.export_signed(d, tmp_path / "ds.jsonl", dataset="ds", reviewer="lead")
    assert signed.hash == now and signed.records == 3
    # still locked: a review of the signed dataset is refused
    with pytest.raises(svc.ReviewError):
        svc.review(d, reviewer="ana", target_id=figure_ids(d, aid)[0], action="flag",
                   reason="late")


def test_a_dataset_changed_after_signing_gets_no_carried_signature(migrated):
    d, before, _, _ = migrated
    assert not [e for e in rv.events_for(d, "dataset", "ds2") if e.action == "rekey"]
    state = signoff.signoff_state(d, "ds2")
    assert state.hash != signoff.content_hash(d, "ds2")
    # only the one rekey event was added
    assert d.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before["events"] + 1


def test_a_backup_of_the_old_ids_is_written_first(migrated, tmp_path):
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("old.db") and ".bak-" in p.name]
    assert len(backups) == 1 and MIGRATION in backups[0].name
    import sqlite3

    b = sqlite3.connect(backups[0])
    ids = [r[0] for r in b.execute("SELECT id FROM claims")]
    b.close()
    assert ids and all(len(i) == 18 for i in ids)


def test_running_it_again_changes_nothing(migrated, tmp_path):
    d, _, _, _ = migrated
    first = _everything(d)
    d.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [MIGRATION])
    d.close()
    again = open_db(tmp_path / "old.db")
    assert _everything(again) == first
    again.close()


def test_a_migration_that_would_break_a_reference_is_refused_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "odd.db"
    monkeypatch.setattr(repo, "claim_id_for", old_claim_id)
    monkeypatch.setattr(repo, "figure_id_for", old_figure_id)
    d = open_db(path)
    one = make_article(d)
    other = make_article(d, text=CHANGED_TEXT, source="other.txt")
    # a figure whose claim belongs to another article: the rename cannot keep that
    d.execute("UPDATE figures SET claim_id = (SELECT id FROM claims WHERE article_id = ? "
              "LIMIT 1) WHERE id = ?", [other, figure_ids(d, one)[0]])
    d.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [MIGRATION])
    d.close()
    monkeypatch.undo()
    with pytest.raises(StorageError, match="would break references"):
        open_db(path)
    import sqlite3

    raw = sqlite3.connect(path)
    assert all(len(r[0]) == 18 for r in raw.execute("SELECT id FROM figures"))
    raw.close()


def test_the_commands_say_they_are_upgrading_before_they_do(migrated, tmp_path):
    from click.testing import CliRunner

    from annotator.cli import main

    d, _, _, _ = migrated
    d.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [MIGRATION])
    d.close()
    path = tmp_path / "old.db"
    r = CliRunner().invoke(main, ["stats", "--db", str(path)])
    assert r.exit_code == 0, r.output
    assert f"upgrading {path} to {MIGRATION}" in r.stderr and ".bak-" in r.stderr
    again = CliRunner().invoke(main, ["stats", "--db", str(path)])
    assert "upgrading" not in again.stderr
