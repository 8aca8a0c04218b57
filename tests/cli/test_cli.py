import json

import click
import pytest
from click.testing import CliRunner

from annotator.cli import main

from tests.conftest import SAMPLES, SEEDS


def _commands():
    return [("annotator", main)] + sorted(main.commands.items())


def _example_lines(doc: str) -> list[str]:
    """The lines under a docstring's `Example:` (or `Examples:`) heading."""
    lines = doc.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() in ("Example:", "Examples:"))
    return [line.strip() for line in lines[at + 1:] if line.strip() not in ("", "\b")]


@pytest.mark.parametrize("name, command", _commands())
def test_every_command_has_help_with_an_example(name, command):
    args = [] if command is main else [name]
    # narrower than any terminal: an example that Click re-wraps is broken here
    result = CliRunner().invoke(main, [*args, "--help"], terminal_width=60)
    assert result.exit_code == 0, result.output
    assert command.help and "Example" in command.help, f"{name} has no example in its help"
    examples = _example_lines(command.help)
    assert examples, f"{name}: no example under its Example heading"
    shown = [line.strip() for line in result.output.splitlines()]
    for example in examples:
        assert example in shown, f"{name}: example re-wrapped in --help: {example}"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name not in ("help",):
            assert param.help or param.is_flag or param.type is not None


def test_help_examples_name_the_datasets_the_readme_uses():
    import re

    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    known = set(re.findall(r"--dataset (\S+)", readme))
    assert known
    for name, command in _commands():
        for example in _example_lines(command.help):
            for dataset in re.findall(r"--dataset (\S+)", example):
                assert dataset in known, f"{name}: example uses dataset {dataset!r}: {example}"


def test_main_help_lists_commands():
    out = CliRunner().invoke(main, ["--help"]).output
    for name in ("import", "export", "stats", "demo", "review", "figures", "duplicates"):
        assert name in out


def test_import_reports_bad_files_and_exits_1(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("Only 200 people were hired.", encoding="utf-8")
    db = tmp_path / "x.db"
    r = CliRunner().invoke(main, ["import", str(tmp_path), "--db", str(db)])
    assert r.exit_code == 1
    assert f"error: {tmp_path / 'bad.txt'}: empty file" in r.stderr
    assert "1 article(s) added" in r.stdout and "1 error(s)" in r.stdout
    r = CliRunner().invoke(main, ["import", str(tmp_path / "good.txt"), "--db", str(db)])
    assert r.exit_code == 0 and "1 already present" in r.stdout


def test_db_from_environment_and_clear_error_on_a_bad_database(tmp_path, monkeypatch):
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    r = CliRunner().invoke(main, ["stats", "--db", str(bad)])
    assert r.exit_code == 2 and "not an SQLite database" in r.stderr and "Traceback" not in r.output
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "env.db"))
    r = CliRunner().invoke(main, ["import", str(SEEDS[0])])
    assert r.exit_code == 0 and (tmp_path / "env.db").exists()


def test_import_review_export_round_trip(tmp_path):
    db = str(tmp_path / "r.db")
    run = CliRunner().invoke
    assert run(main, ["import", str(SAMPLES), "--db", db, "--dataset", "s"]).exit_code == 0
    out = run(main, ["export", "--db", db, "--dataset", "s"]).stdout
    recs = [json.loads(line) for line in out.splitlines()]
    fid = recs[0]["figures"][0]["figure_id"]
    r = run(main, ["review", fid, "--confirm", "--db", db, "--reviewer", "ana"])
    assert r.exit_code == 0 and r.stdout.strip() == f"ok {fid}"
    out = run(main, ["export", "--db", db, "--status", "confirmed"]).stdout
    assert [json.loads(line)["claim_id"] for line in out.splitlines()] == \
        ([recs[0]["claim_id"]] if len(recs[0]["figures"]) == 1 else [])
    stats = json.loads(run(main, ["stats", "--db", db, "--json"]).stdout)
    assert stats[0]["figures_by_status"]["confirmed"] == 1
    r = run(main, ["undo", "--db", db, "--reviewer", "ana"])
    assert r.exit_code == 0
    r = run(main, ["undo", "--db", db, "--reviewer", "ana"])
    assert r.exit_code == 1 and "nothing to undo" in r.stderr
    hist = run(main, ["history", recs[0]["claim_id"], "--db", db, "--json"]).stdout
    assert [json.loads(x)["action"] for x in hist.splitlines()] == ["confirm", "undo"]


def test_review_batch_acknowledges_each_line(tmp_path):
    db = str(tmp_path / "b.db")
    run = CliRunner().invoke
    run(main, ["import", str(SEEDS[1]), "--db", db])
    recs = [json.loads(x) for x in run(main, ["export", "--db", db]).stdout.splitlines()]
    f1, f2 = recs[0]["figures"][0]["figure_id"], recs[1]["figures"][0]["figure_id"]
    batch = tmp_path / "b.jsonl"
    batch.write_text("\n".join([
        json.dumps({"figure_id": f1, "action": "confirm"}),
        json.dumps({"figure_id": "f-nope", "action": "confirm"}),
        "not json",
        json.dumps({"figure_id": f2, "action": "correct", "value": 5, "note": "x"}),
        json.dumps({"claim_id": recs[2]["claim_id"], "action": "flag", "reason": "outdated"}),
    ]) + "\n")
    r = run(main, ["review", "--batch", str(batch), "--db", db, "--reviewer", "ana"])
    assert r.exit_code == 1
    assert r.stdout.split() == ["ok", f1, "ok", f2, "ok", recs[2]["claim_id"]]
    assert "error: line 2: no figure or claim" in r.stderr and "error: line 3:" in r.stderr


def test_reviewer_is_required(tmp_path):
    r = CliRunner().invoke(main, ["review", "f-x", "--confirm", "--db", str(tmp_path / "x.db")])
    assert r.exit_code == 2 and "no reviewer name" in r.stderr


def test_demo_without_window(tmp_path):
    db = tmp_path / "demo.db"
    r = CliRunner().invoke(main, ["demo", "--no-window", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "12 article(s) added" in r.stdout and "0 error(s)" in r.stdout


def test_module_entry_point():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "annotator", "--version"], capture_output=True,
                       text=True)
    assert r.returncode == 0 and "annotator" in r.stdout
