"""`annotator demo` without --db removes its temporary folder when it ends."""

import tempfile

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.cli import launch


@pytest.fixture
def tmpdir_root(tmp_path, monkeypatch):
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _database_line(stdout):
    return next(line for line in stdout.splitlines() if line.startswith("database: "))


def test_no_window_removes_the_temporary_folder(tmpdir_root):
    r = CliRunner().invoke(main, ["demo", "--no-window"])
    assert r.exit_code == 0, r.output
    assert "12 article(s) added" in r.stdout
    line = _database_line(r.stdout)
    assert "annotator-demo-" in line and "removed" in line and "--keep" in line
    assert list(tmpdir_root.iterdir()) == []


def test_keep_keeps_the_temporary_database(tmpdir_root):
    r = CliRunner().invoke(main, ["demo", "--no-window", "--keep"])
    assert r.exit_code == 0, r.output
    [folder] = list(tmpdir_root.iterdir())
    assert folder.name.startswith("annotator-demo-") and (folder / "demo.db").exists()
    assert _database_line(r.stdout) == f"database: {folder / 'demo.db'}"


def test_a_database_given_with_db_is_kept(tmpdir_root, tmp_path):
    db = tmp_path / "mine.db"
    r = CliRunner().invoke(main, ["demo", "--no-window", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert db.exists() and _database_line(r.stdout) == f"database: {db}"
    assert list(tmpdir_root.iterdir()) == []


def test_the_folder_lives_while_the_window_is_open_and_goes_after(tmpdir_root, monkeypatch):
    seen = []

    def window(db_path, reviewer):
        seen.append(db_path.exists())
        return 0

    monkeypatch.setattr(launch, "_open_window", window)
    r = CliRunner().invoke(main, ["demo"])
    assert r.exit_code == 0, r.output
    assert seen == [True]
    assert "removed when the window closes" in _database_line(r.stdout)
    assert list(tmpdir_root.iterdir()) == []


def test_the_folder_goes_when_the_window_fails(tmpdir_root, monkeypatch):
    def window(db_path, reviewer):
        raise RuntimeError("no display")

    monkeypatch.setattr(launch, "_open_window", window)
    r = CliRunner().invoke(main, ["demo"])
    assert r.exit_code != 0
    assert list(tmpdir_root.iterdir()) == []


def test_the_folder_goes_when_the_window_is_terminated(tmp_path):
    """SIGTERM (a closed terminal, `kill`, a session logging out) closes the window as
    Quit does, so the demo's temporary folder is removed as after a normal close."""
    import os
    import signal
    import time

    from tests.guarded import start

    root = tmp_path / "tmp"
    root.mkdir()
    env = dict(os.environ, TMPDIR=str(root), QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    child = start("demo", "--reviewer", "ana", env=env)
    try:
        line = ""
        while not line.startswith("database: "):
            line = child.stdout.readline()
            assert line or child.poll() is None, child.stderr.read()
        folder = root / os.path.relpath(line.split()[1], root).split(os.sep)[0]
        assert folder.is_dir()
        time.sleep(2)  # the window is up and its event loop running
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert not folder.exists()
    assert child.returncode == 0
