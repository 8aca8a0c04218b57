"""Sending work to a lead: a reviewer's decisions may sit in the -wal file.

The window never checkpoints on a keystroke (gui/checkpoints.py), so while it is open, or
after it was killed, the .db file alone can lack the latest decisions. A snapshot is one
self-contained file, and `merge` reads its source through SQLite, log included.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.guarded import command

HOLDER = """
import sys
from annotator.services import review as svc
from annotator.storage.db import open_db
db = open_db(sys.argv[1])
db.execute("PRAGMA wal_autocheckpoint = 0")  # as the window's own connection
figures = [r[0] for r in db.execute("SELECT id FROM figures ORDER BY id LIMIT 40")]
for fid in figures:
    svc.review(db, reviewer="ana", target_id=fid, action="confirm")
print("done", flush=True)
sys.stdin.read()  # keep the connection open until the test closes our stdin
"""


def _cli(*args: str) -> subprocess.CompletedProcess:
    return command(*args)


def _count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def open_reviewer(_samples_db_template, tmp_path):
    """ana's database, her 40 decisions still in its log, her window still open."""
    path = tmp_path / "ana.db"
    shutil.copy(_samples_db_template, path)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "done", proc.stderr.read()
    yield path
    proc.stdin.close()
    proc.wait(timeout=60)


def test_the_db_file_alone_lacks_the_decisions_in_the_log(open_reviewer, tmp_path):
    """Why a snapshot exists: copying only the .db file (no connection to it is held
    here, so the copy is harmless to it) loses the decisions in the -wal."""
    assert Path(f"{open_reviewer}-wal").stat().st_size > 0
    copy = tmp_path / "copied.db"
    shutil.copyfile(open_reviewer, copy)
    assert _count(copy, "SELECT COUNT(*) FROM events") < 40


def test_a_snapshot_holds_every_decision_in_one_file(open_reviewer, tmp_path):
    out = tmp_path / "send" / "ana-snapshot.db"
    out.parent.mkdir()
    proc = _cli("snapshot", str(out), "--db", str(open_reviewer))
    assert proc.returncode == 0, proc.stderr
    assert "40 event(s)" in proc.stdout
    assert sorted(p.name for p in out.parent.iterdir()) == ["ana-snapshot.db"]
    moved = tmp_path / "elsewhere.db"
    shutil.move(out, moved)  # only the one file travels
    assert _count(moved, "SELECT COUNT(*) FROM events") == 40
    conn = sqlite3.connect(moved)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_merge_reads_the_log_of_a_database_still_open(open_reviewer, _samples_db_template,
                                                       tmp_path):
    lead = tmp_path / "lead.db"
    shutil.copy(_samples_db_template, lead)
    proc = _cli("merge", str(open_reviewer), "--db", str(lead))
    assert proc.returncode == 0, proc.stderr
    assert _count(lead, "SELECT COUNT(*) FROM events WHERE reviewer = 'ana'") == 40


def test_a_snapshot_refuses_to_overwrite_without_force_and_never_the_database(
        samples_db, tmp_path):
    from annotator.storage.db import StorageError, snapshot

    path = Path(samples_db.execute("PRAGMA database_list").fetchone()[2])
    for target in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with pytest.raises(StorageError, match="database itself"):
            snapshot(samples_db, target, replace=True)
    out = tmp_path / "out.db"
    out.write_text("an older copy")
    with pytest.raises(StorageError, match="exists"):
        snapshot(samples_db, out)
    assert out.read_text() == "an older copy"
    snap = snapshot(samples_db, out, replace=True)
    assert snap.articles == 12 and snap.path == out
    with pytest.raises(StorageError, match="does not exist"):
        snapshot(samples_db, tmp_path / "missing" / "x.db")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
