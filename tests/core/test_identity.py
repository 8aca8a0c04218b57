"""Reviewer keys (made on first use, kept in the config folder) and dataset rosters."""

from __future__ import annotations

import os
import stat

import pytest

from annotator.paths import config_path
from annotator.services import identity
from annotator.services import review as svc
from annotator.storage import signatures as sig
from annotator.storage.db import write_tx

TEXT = "The bureau hired 200 people in 2024, up 15% from 2023.\n"


@pytest.fixture
def hk(db, tmp_path):
    from annotator.services.importing import import_paths

    src = tmp_path / "src" / "a.txt"
    src.parent.mkdir()
    src.write_text(TEXT, encoding="utf-8")
    import_paths(db, [src], dataset="hk-talent")
    return db


def test_a_key_is_made_on_first_use_beside_the_config_private_to_its_owner():
    p = identity.key_path("ana")
    assert p.parent == config_path().parent / "keys"
    assert not p.exists()
    line = identity.show_line("ana")
    assert p.is_file()
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    assert not list(p.parent.glob("*.tmp"))
    key, name = line.split(" ")
    assert name == "ana" and key.startswith("ed25519:")
    sig.parse_public(key)  # 32 raw bytes, standard base64
    identity._cache.clear()
    identity._public.clear()
    identity._signers.clear()
    assert identity.show_line("ana") == line  # read back, not made again


def test_each_reviewer_name_has_its_own_key_and_odd_names_stay_in_the_folder():
    keys = {identity.public_key(n) for n in ("ana", "ben", "../lead", "李")}
    assert len(keys) == 4
    assert all(p.parent == identity.keys_dir() for p in identity.keys_dir().iterdir())


def test_an_unreadable_key_file_is_an_error_naming_it():
    p = identity.key_path("ana")
    p.parent.mkdir(parents=True)
    p.write_text("not a key", encoding="utf-8")
    with pytest.raises(identity.IdentityError, match="not a readable private key"):
        identity.private_key("ana")


def test_the_first_roster_entry_makes_its_writer_lead(hk):
    ben = identity.public_key("ben")
    with write_tx(hk):
        written = identity.add_member(hk, dataset="hk-talent", reviewer="lead", name="ben",
                                      key=ben)
    assert [e.new_state["name"] for e in written] == ["lead", "ben"]
    members = identity.roster(hk, "hk-talent")
    assert {n: m.role for n, m in members.items()} == {"lead": "lead", "ben": "reviewer"}
    assert members["lead"].key == identity.public_key("lead")
    assert members["ben"].key == ben and members["ben"].added_by == "lead"
    with write_tx(hk):  # the same entry again writes nothing
        assert identity.add_member(hk, dataset="hk-talent", reviewer="lead", name="ben",
                                   key=ben) == []


def test_only_a_lead_changes_the_roster_and_a_name_keeps_its_key(hk):
    with write_tx(hk):
        identity.add_member(hk, dataset="hk-talent", reviewer="lead", name="ben",
                            key=identity.public_key("ben"))
    with pytest.raises(identity.IdentityError, match="only a lead"), write_tx(hk):
        identity.add_member(hk, dataset="hk-talent", reviewer="ben", name="cai",
                            key=identity.public_key("cai"))
    with pytest.raises(identity.IdentityError, match="already on the roster .* another key"), \
            write_tx(hk):
        identity.add_member(hk, dataset="hk-talent", reviewer="lead", name="ben",
                            key=identity.public_key("mallory"))
    with pytest.raises(identity.IdentityError, match="not an annotator public key"), \
            write_tx(hk):
        identity.add_member(hk, dataset="hk-talent", reviewer="lead", name="cai", key="xyz")
    assert set(identity.roster(hk, "hk-talent")) == {"lead", "ben"}


def test_a_roster_entry_changed_in_the_database_no_longer_counts(hk):
    with write_tx(hk):
        identity.add_member(hk, dataset="hk-talent", reviewer="lead", name="ben",
                            key=identity.public_key("ben"))
    evil = identity.public_key("mallory")
    hk.execute("UPDATE events SET new_state = json_set(new_state, '$.key', ?) "
               "WHERE action = 'roster_add' AND json_extract(new_state, '$.name') = 'ben'",
               [evil])
    assert set(identity.roster(hk, "hk-talent")) == {"lead"}


def test_a_reviewer_alone_never_deals_with_keys(hk):
    fid = hk.execute("SELECT id FROM figures LIMIT 1").fetchone()[0]
    svc.review(hk, reviewer="ana", target_id=fid, action="confirm")
    key, = hk.execute("SELECT signer_key FROM events").fetchone()
    assert key == identity.public_key("ana")
