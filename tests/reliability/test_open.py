"""Opening a database: several processes creating one at once, and databases refused
(newer schema, damaged) left exactly as they were, byte for byte."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.storage.db import StorageError, open_db
from annotator.storage.migrations import migrations

from tests.core.factories import make_article

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("ANNOTATOR_LONG_TESTS") == "1"

OPEN = """
import sys
from annotator.storage.db import open_db
try:
    open_db(sys.argv[1]).close()
    print("ok")
except Exception as e:
    print(f"{type(e).__name__}: {e}")
"""


def test_processes_creating_one_database_at_once_all_succeed(tmp_path):
    for round_no in range(20 if LONG else 5):
        path = tmp_path / f"new-{round_no}.db"
        procs = [subprocess.Popen([sys.executable, "-c", OPEN, str(path)], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True) for _ in range(4)]
        outs = [p.communicate(timeout=120)[0].strip() for p in procs]
        assert outs == ["ok"] * 4, outs
        db = open_db(path)
        names = [m.name for m in migrations.applied(db)]
        db.close()
        assert names == [m.name for m in migrations._migrations]  # each applied once


def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir()
            if p.name.startswith(path.name) and not p.name.endswith("-shm")}


def _rollback_journal_db(path: Path) -> None:
    """A database as another tool (the sqlite3 shell, an older copy) leaves it: not in
    WAL mode, so opening it the usual way would rewrite its header."""
    db = open_db(path)
    make_article(db)
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()


def test_a_newer_database_is_refused_and_not_changed_at_all(tmp_path):
    path = tmp_path / "newer.db"
    _rollback_journal_db(path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
                 "VALUES ('annotator', '9999_from_the_future', '2099-01-01')")
    conn.commit()
    conn.close()
    before = _files(path)
    with pytest.raises(StorageError, match="newer version.*not changed"):
        open_db(path)
    assert _files(path) == before


def test_a_damaged_database_is_refused_and_not_changed_at_all(tmp_path):
    path = tmp_path / "damaged.db"
    _rollback_journal_db(path)
    data = bytearray(path.read_bytes())
    for i in range(4096 * 2, min(len(data), 4096 * 4)):
        data[i] = 0xA5
    path.write_bytes(bytes(data))
    before = _files(path)
    with pytest.raises(StorageError, match="damaged"):
        open_db(path)
    assert _files(path) == before


def test_the_backup_before_a_migration_is_a_sound_copy(tmp_path):
    path = tmp_path / "old.db"
    db = open_db(path)
    make_article(db)
    last = migrations._migrations[-1].name
    db.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [last])
    db.close()
    try:
        open_db(path)  # the last migration runs again on tables it already made
    except (StorageError, sqlite3.Error):
        pass
    (backup,) = [p for p in tmp_path.iterdir() if ".bak-" in p.name]
    assert backup.name.endswith(f"-before-{last}")
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
        applied = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
        assert last not in applied
    finally:
        conn.close()
