"""Without the [team] extra nothing changes, and the hub commands say how to get it."""

from __future__ import annotations

import sys

from click.testing import CliRunner

from annotator.cli import main


def test_hub_commands_say_how_to_install_the_driver(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg fails
    for args in (["hub", "init", "postgresql://x@localhost/hub"],
                 ["hub", "status", "postgresql://x@localhost/hub"],
                 ["sync", "--hub", "postgresql://x@localhost/hub", "--db", str(tmp_path / "d.db")]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 2, r.output
        assert "pip install 'annotator[team]'" in r.output
        assert "Traceback" not in r.output


def test_the_core_does_not_import_the_driver():
    import subprocess

    code = ("import sys; sys.modules['psycopg'] = None; import annotator.cli, "
            "annotator.services.sync, annotator.storage.hub; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_the_window_with_a_hub_says_how_to_install_the_driver(tmp_path, monkeypatch):
    from annotator.storage.db import open_db

    open_db(tmp_path / "d.db").close()
    monkeypatch.setitem(sys.modules, "psycopg", None)
    r = CliRunner().invoke(main, ["gui", "--hub", "postgresql://x@localhost/hub", "--db",
                                  str(tmp_path / "d.db")])
    assert r.exit_code == 2 and "pip install 'annotator[team]'" in r.output
