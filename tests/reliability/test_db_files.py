"""The database file is touched only through SQLite.

Closing any descriptor of a database file drops every POSIX lock the process holds on it
(tests/dbguard.py). These tests show the failure as a user met it (the window's workers
open the database a second time; a command beside the window then deletes the log the
window still writes to), and that the guard the whole suite runs under catches a plain
open() of a database file coming back.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from pathlib import Path

import pytest

from annotator.storage.db import StorageError, open_db
from tests import dbguard
from tests.conftest import ROOT, SAMPLES
from tests.guarded import command


def _cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = command(*args, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def _events(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    finally:
        conn.close()


def test_a_second_connection_and_a_command_beside_it_keep_the_log(samples_db, tmp_path):
    """The window's workers open the database again while the window's own connection
    stays open; a command run beside it must then not delete the log under the window,
    and every write both make must be in the database afterwards."""
    from annotator.services import review as svc

    path = Path(samples_db.execute("PRAGMA database_list").fetchone()[2])
    figures = [r[0] for r in samples_db.execute("SELECT id FROM figures ORDER BY id LIMIT 6")]
    svc.review(samples_db, reviewer="ana", target_id=figures[0], action="confirm")
    worker = open_db(path, check=False, migrate=False)  # as gui/workers.py does per job
    worker.execute("PRAGMA wal_checkpoint(PASSIVE)")
    worker.close()
    _cli("stats", "--db", str(path))
    assert Path(f"{path}-wal").exists() and Path(f"{path}-shm").exists(), \
        "a command deleted the log while the window's connection was open"
    for fid in figures[1:3]:
        svc.review(samples_db, reviewer="ana", target_id=fid, action="confirm")
    _cli("review", figures[3], "--confirm", "--reviewer", "ben", "--db", str(path))
    svc.review(samples_db, reviewer="ana", target_id=figures[4], action="confirm")
    seen_by_a_command = _cli("history", figures[2], "--db", str(path)).stdout
    assert "ana" in seen_by_a_command
    samples_db.close()
    assert _events(path) == 5
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_the_guard_catches_a_plain_open_of_a_held_database(db, db_path):
    """The guard itself: while this process holds a connection, opening the database,
    its -wal or its -shm file by hand is refused and recorded."""
    db.execute("CREATE TABLE IF NOT EXISTS t (x)")
    for name in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        with pytest.raises(dbguard.DatabaseFileOpened):
            open(name, "rb")
    assert len(dbguard.violations()) == 3
    dbguard.clear()


def test_the_guard_catches_annotator_code_reading_a_database_file(db, db_path):
    """Product code may not read a database file even when it holds no connection to it
    itself: it cannot know what else in the process does. The header check the storage
    layer once did with open() is caught."""
    db.close()
    code = compile("def check(p):\n    with open(p, 'rb') as f:\n        return f.read(16)\n",
                   str(ROOT / "annotator" / "storage" / "db.py"), "exec")
    ns: dict = {}
    exec(code, ns)
    with pytest.raises(dbguard.DatabaseFileOpened):
        ns["check"](db_path)
    assert any("annotator/storage/db.py" in v for v in dbguard.violations())
    dbguard.clear()


def test_no_database_file_is_opened_by_hand_anywhere_in_a_session(samples_db, tmp_path):
    """Open, merge, export, snapshot and stats run in one process with the database held
    open throughout; the guard (installed for every test) fails the test on any plain
    open of a database file."""
    from annotator.services import review as svc
    from annotator.services import team

    other_path = tmp_path / "other.db"
    other = open_db(other_path)
    from annotator.services.importing import import_paths

    import_paths(other, sorted(SAMPLES.glob("00*.txt"))[:1], dataset="samples")
    fid = other.execute("SELECT id FROM figures LIMIT 1").fetchone()[0]
    svc.review(other, reviewer="ben", target_id=fid, action="confirm")
    # the other database stays open in this process while we merge from it
    team.merge(samples_db, other_path)
    again = open_db(Path(samples_db.execute("PRAGMA database_list").fetchone()[2]))
    again.close()
    other.close()
    assert dbguard.violations() == []


def test_a_plain_sqlite_file_of_another_program_is_refused_unchanged(tmp_path):
    path = tmp_path / "notes.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StorageError, match="another program.*notes"):
        open_db(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not Path(f"{path}-wal").exists()
    proc = _cli("stats", "--db", str(path), check=False)
    assert proc.returncode != 0 and "another program" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = _cli("import", str(SAMPLES), "--db", str(path), check=False)
    assert proc.returncode != 0 and "another program" in proc.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]
    finally:
        conn.close()


def test_a_file_that_is_not_sqlite_is_refused_unchanged(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"just some notes\n" * 100)
    with pytest.raises(StorageError, match="not an SQLite database"):
        open_db(path)
    assert path.read_bytes() == b"just some notes\n" * 100
    assert not Path(f"{path}-wal").exists()


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_an_export_onto_the_database_itself_is_refused(samples_db, suffix):
    """`export -o review.db --db review.db` would rename the export over the live
    database (or its log): refused, and the database is as it was."""
    from annotator.services.export import records as exporter

    path = Path(samples_db.execute("PRAGMA database_list").fetchone()[2])
    target = Path(f"{path}{suffix}")
    with pytest.raises(exporter.ExportError, match="database"):
        exporter.export(samples_db, str(target))
    assert dbguard.violations() == []
    assert samples_db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 12
    proc = _cli("export", "-o", str(target), "--db", str(path), check=False)
    assert proc.returncode == 1 and "database" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_database_is_not_merged_into_itself_by_any_of_its_names(samples_db, tmp_path):
    from annotator.services import team

    path = Path(samples_db.execute("PRAGMA database_list").fetchone()[2])
    link = tmp_path / "same.db"
    link.symlink_to(path)
    for name in (path, link):
        with pytest.raises(team.MergeError, match="into itself"):
            team.merge(samples_db, name)
