"""annotator keys show, team add, team list; and a forged sign-off refused by merge."""

from __future__ import annotations

import os
import re
import stat

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.paths import config_path

TEXT = "The bureau hired 200 people in 2024, up 15% from 2023.\n"
KEY_LINE = re.compile(r"ed25519:[A-Za-z0-9+/]{43}= (\S+)\n")


def run(*args, **env):
    r = CliRunner().invoke(main, [str(a) for a in args], env=env or None)
    return r


@pytest.mark.parametrize("words", [["keys", "show"], ["team", "add"], ["team", "list"]])
def test_subcommands_have_help_with_an_example(words):
    r = CliRunner().invoke(main, [*words, "--help"], terminal_width=60)
    assert r.exit_code == 0, r.output
    assert "Example:" in r.output and f"annotator {' '.join(words)}" in r.output


def test_keys_show_prints_one_line_and_keeps_the_key_private():
    r = run("keys", "show", "--reviewer", "ana")
    assert r.exit_code == 0, r.output
    m = KEY_LINE.fullmatch(r.stdout)
    assert m and m.group(1) == "ana"
    assert r.stderr.startswith("fingerprint SHA256:")
    (p,) = (config_path().parent / "keys").iterdir()
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    assert run("keys", "show", "--reviewer", "ana").stdout == r.stdout
    assert run("keys", "show", "--reviewer", "ben").stdout != r.stdout
    assert run("keys", "show").exit_code == 2  # no reviewer name


def _db(tmp_path, name):
    src = tmp_path / name / "a.txt"
    src.parent.mkdir()
    src.write_text(TEXT, encoding="utf-8")
    db = tmp_path / f"{name}.db"
    assert run("import", src, "--dataset", "hk-talent", "--db", db).exit_code == 0
    return db


def test_team_add_and_list(tmp_path):
    db = _db(tmp_path, "lead")
    ben = run("keys", "show", "--reviewer", "ben").stdout.split()[0]
    assert "no roster" in run("team", "list", "--dataset", "hk-talent", "--db", db).stderr
    r = run("team", "add", "ben", ben, "--dataset", "hk-talent", "--reviewer", "lead",
            "--db", db)
    assert r.exit_code == 0, r.output
    assert "added lead (lead," in r.stdout and "added ben (reviewer," in r.stdout
    r = run("team", "list", "--dataset", "hk-talent", "--db", db)
    assert [line.split()[:2] for line in r.stdout.splitlines()] == [["ben", "reviewer"],
                                                                   ["lead", "lead"]]
    assert ben in r.stdout
    mallory = run("keys", "show", "--reviewer", "mallory").stdout.split()[0]
    r = run("team", "add", "ben", mallory, "--dataset", "hk-talent", "--reviewer", "lead",
            "--db", db)
    assert r.exit_code == 1 and "already on the roster" in r.stderr
    r = run("team", "add", "cai", mallory, "--dataset", "hk-talent", "--reviewer", "ben",
            "--db", db)
    assert r.exit_code == 1 and "only a lead" in r.stderr
    r = run("team", "list", "--dataset", "nosuch", "--db", db)
    assert r.exit_code == 1 and "no dataset named 'nosuch'" in r.stderr


def test_a_signoff_forged_on_a_reviewers_copy_is_refused_by_merge(tmp_path):
    lead_db = _db(tmp_path, "lead")
    ben_home = str(tmp_path / "ben-home" / "config.json")
    ben_db = _db(tmp_path, "ben")
    ben = run("keys", "show", "--reviewer", "ben", ANNOTATOR_CONFIG=ben_home).stdout.split()[0]
    assert run("team", "add", "ben", ben, "--dataset", "hk-talent", "--reviewer", "lead",
               "--db", lead_db).exit_code == 0
    for args in (["--required", "1"], []):
        r = run("signoff", "--dataset", "hk-talent", "--reviewer", "lead", *args, "--db",
                ben_db, ANNOTATOR_CONFIG=ben_home)
        assert r.exit_code in (0, 1), r.output
    r = run("merge", ben_db, "--db", lead_db)
    assert r.exit_code == 1
    assert "signed as 'lead'" in r.stderr and "nothing was merged" in r.stderr


def test_merge_trusts_a_new_reviewer_only_when_the_lead_says_so(tmp_path):
    import json

    lead_db = _db(tmp_path, "lead")
    ben_home = str(tmp_path / "ben-home" / "config.json")
    ben_db = _db(tmp_path, "ben")
    assert run("team", "add", "lead", run("keys", "show", "--reviewer", "lead").stdout.split()[0],
               "--dataset", "hk-talent", "--reviewer", "lead", "--db", lead_db).exit_code == 0
    record = json.loads(run("export", "--db", ben_db).stdout.splitlines()[0])
    fid = record["figures"][0]["figure_id"]
    r = run("review", fid, "--confirm", "--reviewer", "ben", "--db", ben_db,
            ANNOTATOR_CONFIG=ben_home)
    assert r.exit_code == 0, r.output
    fingerprint = run("keys", "show", "--reviewer", "ben",
                      ANNOTATOR_CONFIG=ben_home).stderr.split()[1]
    r = run("merge", ben_db, "--db", lead_db)
    assert r.exit_code == 1 and "ben" in r.stderr and fingerprint in r.stderr, r.output
    r = run("merge", ben_db, "--trust", "ben", "--db", lead_db)
    assert r.exit_code == 2 and "--reviewer" in r.stderr
    r = run("merge", ben_db, "--trust", "ben", "--reviewer", "lead", "--db", lead_db)
    assert r.exit_code == 0, r.output
    listed = run("team", "list", "--dataset", "hk-talent", "--db", lead_db).stdout
    assert "ben" in listed and fingerprint in listed
    assert run("merge", ben_db, "--db", lead_db).exit_code == 0  # ben is on the roster now


def test_history_marks_events_made_before_signing(tmp_path):
    import json
    import sqlite3

    db = _db(tmp_path, "ana")
    fid = json.loads(run("export", "--db", db).stdout.splitlines()[0])["figures"][0]["figure_id"]
    assert run("review", fid, "--confirm", "--reviewer", "ana", "--db", db).exit_code == 0
    assert run("review", fid, "--flag", "other", "--reviewer", "ana", "--db", db).exit_code == 0
    conn = sqlite3.connect(db)  # the first as an event from before signing
    conn.execute("UPDATE events SET signer_key = NULL, signature = NULL WHERE action = 'confirm'")
    conn.commit()
    conn.close()
    lines = run("history", fid, "--db", db).stdout.splitlines()
    assert [line.endswith("(unsigned)") for line in lines] == [True, False]
    rows = [json.loads(line) for line in run("history", fid, "--json", "--db", db).stdout.splitlines()]
    assert [r["signed"] for r in rows] == [False, True]
