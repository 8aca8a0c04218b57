"""Hostile places for a database: a full disk, a read-only file or folder, a folder that
does not exist. Each gives one clear `error:` line (never a traceback) and loses nothing
that was acknowledged before.

Read-only cases run the command without the capabilities that let root ignore file
modes (util-linux `setpriv`), so they mean the same as root in CI as for a user. The
full disk is a file-size limit on the command (RLIMIT_FSIZE: a write past it fails as a
full disk's does) and, where this process may mount one, a small tmpfs.
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.guarded import command
from tests.small_disk import fill, small_disk

DROP_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
            "--inh-caps=-dac_override,-dac_read_search"]


def _can_drop_dac() -> bool:
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


def run(*args: str, drop_dac: bool = False, fsize: int | None = None) -> subprocess.CompletedProcess:
    def limit():
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return command(*args, prefix=tuple(DROP_DAC) if drop_dac and os.geteuid() == 0 else (),
                   preexec_fn=limit)


def one_error_line(proc: subprocess.CompletedProcess, *words: str) -> str:
    assert proc.returncode not in (0, 97), (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) >= 1, proc.stderr
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def _events(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM events ORDER BY id")]
    finally:
        conn.close()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def reviewed(_samples_db_template, tmp_path) -> tuple[Path, list[str]]:
    """A samples database in a folder of its own, with two acknowledged decisions, no
    connection held by this process."""
    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / "review.db"
    shutil.copy(_samples_db_template, path)
    conn = sqlite3.connect(path)
    figures = [r[0] for r in conn.execute("SELECT id FROM figures ORDER BY id LIMIT 10")]
    conn.close()
    for fid in figures[:2]:
        proc = run("review", fid, "--confirm", "--reviewer", "ana", "--db", str(path))
        assert proc.returncode == 0, proc.stderr
    return path, figures


def _make_accessible(tmp_path: Path) -> None:
    # the command runs without root's DAC override: it must reach the test's folder
    for p in [tmp_path, *tmp_path.parents]:
        if str(p) in ("/", "/tmp"):
            break
        os.chmod(p, os.stat(p).st_mode | 0o055)


@pytest.mark.skipif(not _can_drop_dac(), reason="needs setpriv to drop root's override")
def test_a_read_only_database_file_refuses_a_decision_with_one_line(reviewed, tmp_path):
    path, figures = reviewed
    _make_accessible(tmp_path)
    before = _events(path)
    os.chmod(path, 0o444)
    try:
        proc = run("review", figures[3], "--confirm", "--reviewer", "ana", "--db", str(path),
                   drop_dac=True)
        one_error_line(proc, str(path), "read-only")
        batch = tmp_path / "batch.jsonl"
        batch.write_text(f'{{"figure_id": "{figures[4]}", "action": "confirm"}}\n')
        one_error_line(run("review", "--batch", str(batch), "--reviewer", "ana", "--db",
                           str(path), drop_dac=True))
        one_error_line(run("import", str(SAMPLES), "--db", str(path), drop_dac=True))
        stats = run("stats", "--db", str(path), drop_dac=True)
        assert stats.returncode == 0, stats.stderr  # reading still works
    finally:
        os.chmod(path, 0o644)
    assert _events(path) == before
    assert _integrity(path) == "ok"


@pytest.mark.skipif(not _can_drop_dac(), reason="needs setpriv to drop root's override")
def test_a_read_only_folder_refuses_with_one_line_and_keeps_the_database(reviewed, tmp_path):
    path, figures = reviewed
    _make_accessible(tmp_path)
    before = _events(path)
    os.chmod(path.parent, 0o555)
    try:
        for args in (["review", figures[3], "--confirm", "--reviewer", "ana"],
                     ["undo", "--reviewer", "ana"], ["import", str(SAMPLES)]):
            proc = run(*args, "--db", str(path), drop_dac=True)
            assert "Traceback" not in proc.stderr, proc.stderr
            if proc.returncode != 0:
                one_error_line(proc, str(path))
        snap = run("stats", "--db", str(path), drop_dac=True)
        assert "Traceback" not in snap.stderr
    finally:
        os.chmod(path.parent, 0o755)
    assert set(before) <= set(_events(path))
    assert _integrity(path) == "ok"


def test_a_database_in_a_folder_that_does_not_exist_is_one_line(tmp_path):
    path = tmp_path / "no" / "such" / "folder" / "review.db"
    proc = run("import", str(SAMPLES), "--db", str(path))
    one_error_line(proc, "does not exist")
    assert not (tmp_path / "no").exists()
    proc = run("stats", "--db", str(path))
    one_error_line(proc, str(path))


def test_the_default_database_folder_is_made_on_first_use(tmp_path):
    home = tmp_path / "home"
    env_home = {"XDG_DATA_HOME": str(home / "data")}
    env = {k: v for k, v in {**os.environ, **env_home}.items() if k != "ANNOTATOR_DB"}
    proc = command("import", sorted(SAMPLES.glob("00*.txt"))[0], env=env)
    assert proc.returncode == 0, proc.stderr
    assert list((home / "data").rglob("annotator.db"))


@pytest.mark.parametrize("limit", [40_000, 120_000])
def test_a_full_disk_during_review_loses_nothing_acknowledged(reviewed, tmp_path, limit):
    """A batch of decisions whose log cannot grow past `limit` bytes (the -shm file alone
    is 32 KiB): the decision that cannot be stored stops the batch with one error line,
    and every decision acknowledged before it (`ok` lines) is in the database."""
    path, figures = reviewed
    before = _events(path)
    conn = sqlite3.connect(path)
    everything = [r[0] for r in conn.execute("SELECT id FROM figures ORDER BY id")]
    conn.close()
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(f'{{"figure_id": "{fid}", "action": "correct", "value": 7, '
                             f'"note": "{"n" * 2000}"}}\n' for fid in everything[2:]))
    proc = run("review", "--batch", str(batch), "--reviewer", "ana", "--db", str(path),
               fsize=limit)
    acknowledged = [line for line in proc.stdout.splitlines() if line.startswith("ok ")]
    one_error_line(proc, str(path))
    assert len(acknowledged) < len(everything) - 2, "the limit never bit"
    after = _events(path)
    assert set(before) <= set(after)
    assert len(after) == len(before) + len(acknowledged)
    assert _integrity(path) == "ok"


def test_a_full_disk_during_import_keeps_what_was_stored_and_says_so(tmp_path):
    path = tmp_path / "import.db"
    proc = run("import", str(SAMPLES), "--db", str(path), fsize=300_000)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode != 0
    one_error_line(proc, str(path))
    assert _integrity(path) == "ok"
    proc = run("import", str(SAMPLES), "--db", str(path))  # room again: the rest comes in
    assert proc.returncode == 0, proc.stderr
    assert _integrity(path) == "ok"


@pytest.fixture
def small_tmpfs(tmp_path):
    with small_disk(tmp_path, 3) as mount:
        yield mount


def test_a_really_full_disk_during_review_loses_nothing_acknowledged(
        _samples_db_template, small_tmpfs):
    path = small_tmpfs / "review.db"
    shutil.copy(_samples_db_template, path)
    conn = sqlite3.connect(path)
    figures = [r[0] for r in conn.execute("SELECT id FROM figures ORDER BY id")]
    conn.close()
    filler = fill(small_tmpfs, leave=64 * 1024)
    acknowledged = 0
    failed = None
    for fid in figures[:60]:
        proc = run("review", fid, "--correct", "7", "--note", "y" * 4000, "--reviewer",
                   "ana", "--db", str(path))
        if proc.returncode != 0:
            failed = proc
            break
        acknowledged += 1
    assert failed is not None, "the disk never filled"
    one_error_line(failed, str(path))
    filler.unlink()
    assert len(_events(path)) == acknowledged
    assert _integrity(path) == "ok"
