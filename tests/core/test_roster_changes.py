"""Roster changes beyond adding: a reviewer's key rotated, a reviewer removed, each only
by a lead's signed roster event, and what a merge then takes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from annotator.cli import main as cli
from annotator.services import identity, team
from annotator.services import review as svc
from annotator.storage import reviews as rv
from annotator.storage import signatures as sig
from annotator.storage.db import open_db, write_tx

from tests.core import test_signed_events as signed_events
from tests.core.test_signed_events import figures, on_machine, start_roster

DS = "hk-talent"
team_of_two = signed_events.team_of_two  # the fixture: ben reviewed, the lead merges


def as_ben(monkeypatch, tmp_path, ben_path, action):
    on_machine(monkeypatch, tmp_path, "ben")
    ben = open_db(ben_path)
    try:
        return action(ben)
    finally:
        ben.close()
        on_machine(monkeypatch, tmp_path, "lead")


def test_a_rotated_key_counts_once_the_lead_replaces_it_and_old_events_stay_valid(
        team_of_two, tmp_path, monkeypatch):
    lead, ben_path, old_key = team_of_two
    start_roster(lead, ("ben", old_key))

    def rotate_and_flag(ben):
        old, new = identity.rotate_key("ben")
        assert old == old_key and new != old_key and identity.public_key("ben") == new
        svc.review(ben, reviewer="ben", target_id=figures(ben)[0], action="flag",
                   reason="outdated")
        return new

    new_key = as_ben(monkeypatch, tmp_path, ben_path, rotate_and_flag)
    with pytest.raises(team.MergeError, match="gives 'ben' the key"):
        team.merge(lead, ben_path)  # the new key is on no roster yet
    with write_tx(lead):
        with pytest.raises(identity.IdentityError, match="with --replace"):
            identity.add_member(lead, dataset=DS, reviewer="lead", name="ben", key=new_key)
        identity.add_member(lead, dataset=DS, reviewer="lead", name="ben", key=new_key,
                            replace=True)
    member = identity.roster(lead, DS)["ben"]
    assert member.key == new_key and old_key in member.former
    s = team.merge(lead, ben_path)  # the confirms signed with the old key, before: valid
    assert s.events == len(figures(lead)) + 1

    def sign_with_the_old_key(ben):
        with write_tx(ben):
            rv.append_event(ben, reviewer="ben", action="clear", target_type="figure",
                            target_id=figures(ben)[1], old_state=None,
                            new_state={"status": "unreviewed"}, batch=rv.new_batch(),
                            signer=(identity.retired_key("ben", old_key), old_key))

    as_ben(monkeypatch, tmp_path, ben_path, sign_with_the_old_key)
    with pytest.raises(team.MergeError, match="signed with their old key .* which was "
                                              "replaced at .*nothing was merged"):
        team.merge(lead, ben_path)


def test_events_of_a_removed_reviewer_after_the_removal_are_refused(team_of_two, tmp_path,
                                                                   monkeypatch):
    lead, ben_path, ben_key = team_of_two
    start_roster(lead, ("ben", ben_key))
    with write_tx(lead):
        identity.remove_member(lead, dataset=DS, reviewer="lead", name="ben")
    assert set(identity.roster(lead, DS)) == {"lead"}
    s = team.merge(lead, ben_path)  # his confirms were made before he was removed
    assert s.events == len(figures(lead))
    as_ben(monkeypatch, tmp_path, ben_path, lambda ben: svc.review(
        ben, reviewer="ben", target_id=figures(ben)[0], action="flag", reason="other"))
    with pytest.raises(team.MergeError, match="'ben' was removed from the roster at"):
        team.merge(lead, ben_path)
    # added again, his later events count
    with write_tx(lead):
        identity.add_member(lead, dataset=DS, reviewer="lead", name="ben", key=ben_key)
    with pytest.raises(team.MergeError, match="was off the roster from"):
        team.merge(lead, ben_path)  # the flag was made while he was off it


def test_only_a_lead_changes_the_roster_and_never_removes_the_last_lead(team_of_two, tmp_path,
                                                                       monkeypatch):
    lead, ben_path, ben_key = team_of_two
    start_roster(lead, ("ben", ben_key))
    with write_tx(lead):
        with pytest.raises(identity.IdentityError, match="last lead"):
            identity.remove_member(lead, dataset=DS, reviewer="lead", name="lead")
        with pytest.raises(identity.IdentityError, match="only a lead"):
            identity.remove_member(lead, dataset=DS, reviewer="ben", name="lead")
        with pytest.raises(identity.IdentityError, match="only a lead"):
            identity.add_member(lead, dataset=DS, reviewer="ben", name="lead",
                                key=identity.public_key("mallory"), replace=True)
    # a removal ben writes on his own copy does not count at a merge

    def remove_the_lead(ben):
        with write_tx(ben):
            rv.append_event(ben, reviewer="ben", action="roster_remove", target_type="dataset",
                            target_id=DS, old_state=None, new_state={"name": "lead"},
                            batch=rv.new_batch())

    as_ben(monkeypatch, tmp_path, ben_path, remove_the_lead)
    with pytest.raises(team.MergeError, match="signed by 'ben'.*who is not a lead"):
        team.merge(lead, ben_path)


def test_a_lead_rotates_their_own_key_signing_the_change_with_the_old_one(team_of_two):
    lead, _, ben_key = team_of_two
    start_roster(lead, ("ben", ben_key))
    old, new = identity.rotate_key("lead")
    with write_tx(lead):
        (entry,) = identity.add_member(lead, dataset=DS, reviewer="lead", name="lead",
                                       key=new, role="lead", replace=True)
    row = lead.execute("SELECT signer_key FROM events WHERE id = ?", [entry.id]).fetchone()
    assert row[0] == old  # signed with the key the roster had
    members = identity.roster(lead, DS)
    assert members["lead"].key == new and members["lead"].role == "lead"
    with write_tx(lead):  # and the lead goes on changing the roster with the new key
        identity.remove_member(lead, dataset=DS, reviewer="lead", name="ben")
    assert set(identity.roster(lead, DS)) == {"lead"}


def test_the_commands(team_of_two, tmp_path):
    lead, _, ben_key = team_of_two
    start_roster(lead, ("ben", ben_key))
    path = tmp_path / "lead.db"

    def run(*args):
        result = CliRunner().invoke(cli, [*map(str, args)])
        return result.exit_code, result.output

    code, out = run("keys", "rotate", "--reviewer", "cai")
    assert code == 0 and "annotator team add cai ed25519:" in out and "--replace" in out
    code, out = run("team", "add", "ben", identity.public_key("cai"), "--dataset", DS,
                    "--reviewer", "lead", "--db", path)
    assert code == 1 and "with --replace" in out
    code, out = run("team", "add", "ben", identity.public_key("cai"), "--replace", "--dataset",
                    DS, "--reviewer", "lead", "--db", path)
    assert code == 0 and f"{sig.fingerprint(ben_key)} -> " in out
    code, out = run("team", "remove", "ben", "--dataset", DS, "--reviewer", "lead", "--db", path)
    assert code == 0 and "removed ben" in out
    code, out = run("team", "remove", "lead", "--dataset", DS, "--reviewer", "lead", "--db", path)
    assert code == 1 and "last lead" in out and "Traceback" not in out
    code, out = run("team", "list", "--dataset", DS, "--db", path)
    assert "ben" not in out and "lead" in out


def test_a_key_rotated_by_another_process_is_the_one_signing_next(db, tmp_path):
    """The window caches the signing key; a `keys rotate` run beside it replaces the file."""
    import os

    old = identity.signer("ana")[1]
    path = identity.key_path("ana")
    os.replace(path, tmp_path / "elsewhere.pem")  # what the other process's rotate does
    new = identity.signer("ana")[1]
    assert new != old and new == identity.public_key("ana")
    assert identity.signer("ana")[1] == new
