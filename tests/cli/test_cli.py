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


def test_import_errors_name_the_line_or_record_counted_from_1(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "Only 200 people were hired."}\n{"text": "a\tb"}\n{"title": "t"}\n',
                    encoding="utf-8")
    arr = tmp_path / "arr.json"
    arr.write_text(json.dumps([{"text": "Only 300 people came."}, {"title": "t"}]),
                   encoding="utf-8")
    r = CliRunner().invoke(main, ["import", str(feed), str(arr), "--db", str(tmp_path / "x.db")])
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"error: {feed}: line 2: invalid JSON (Invalid control character at column 12)",
        f"error: {feed}: line 3: no 'text' or 'content' field with text",
        f"error: {arr}: record 2: no 'text' or 'content' field with text",
    ]


def test_import_counts_the_files_a_folder_holds_of_unsupported_types(tmp_path):
    folder = tmp_path / "scraped"
    (folder / "sub").mkdir(parents=True)
    (folder / "__pycache__").mkdir()
    (folder / "good.txt").write_text("Only 200 people were hired.", encoding="utf-8")
    for name in ("report.docx", "blob.bin", "sub/more.docx", "notes",  # counted
                 "README.md", "LICENSE", ".hidden.docx", "__init__.py", "__pycache__/x.pyc"):
        (folder / name).write_bytes(b"x")
    db = str(tmp_path / "x.db")
    r = CliRunner().invoke(main, ["import", str(folder), "--db", db])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().endswith(
        "0 error(s), 4 file(s) skipped (unsupported type: .bin, .docx, no extension)")
    named = folder / "report.docx"
    r = CliRunner().invoke(main, ["import", str(folder), str(named), "--db", db])
    assert r.exit_code == 1
    assert r.stderr.startswith(f"error: {named}: unsupported format '.docx'")
    assert r.stdout.strip().endswith("1 error(s), 3 file(s) skipped "
                                     "(unsupported type: .bin, .docx, no extension)")
    r = CliRunner().invoke(main, ["import", str(SAMPLES), "--db", db])
    assert r.exit_code == 0 and "skipped" not in r.stdout


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


# What a command needs besides --db to get as far as opening the database.
_ARGS = {
    "adjudicate": ["f-x", "--pick", "ana", "--reviewer", "lead"],
    "agreement": [], "check": [], "reanalyse": [], "conflicts": [], "duplicates": [], "export": [], "stats": [],
    "history": ["c-x"],
    "pair": ["p-x", "--confirm", "--reviewer", "ana"],
    "redo": ["--reviewer", "ana"], "undo": ["--reviewer", "ana"],
    "reopen": ["--dataset", "ds", "--reviewer", "lead", "--reason", "x"],
    "review": ["f-x", "--confirm", "--reviewer", "ana"],
    "search": ["x"], "snapshot": ["out.db"],
    "signoff": ["--dataset", "ds", "--reviewer", "ana"], "keys": ["show"], "team": ["list"],
}
# Commands that add to a database and so may create it (the window can import too;
# sync makes a new reviewer's database from the hub).
_CREATE = {"import", "demo", "merge", "gui", "sync"}


def _takes(option: str) -> list[str]:
    return sorted(name for name, c in main.commands.items()
                  if any(p.name == option for p in c.params))


@pytest.mark.parametrize("name", sorted(set(_takes("db_path")) - _CREATE))
def test_commands_refuse_a_database_that_does_not_exist_and_leave_none(name, tmp_path):
    db = tmp_path / "typo.db"
    r = CliRunner().invoke(main, [name, *_ARGS[name], "--db", str(db)])
    assert r.exit_code == 1, r.output
    assert r.stderr == (f"error: {db}: no such database (import something first: "
                        f"annotator import PATH --db {db})\n")
    assert not db.exists() and list(tmp_path.glob("typo*")) == []


def test_a_missing_default_database_is_named_with_the_plain_import_hint(tmp_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("ANNOTATOR_DB", str(db))
    r = CliRunner().invoke(main, ["stats"])
    assert r.exit_code == 1
    assert r.stderr == f"error: {db}: no such database (import something first: " \
                       "annotator import PATH)\n"
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    r = CliRunner().invoke(main, ["export", "--db", str(empty)])
    assert r.exit_code == 1 and "empty file, no database in it yet" in r.stderr
    assert empty.stat().st_size == 0


def test_merge_into_a_new_database_from_a_bad_source_creates_nothing(tmp_path):
    target = tmp_path / "lead.db"
    bad = tmp_path / "bad.db"
    bad.write_text("hello", encoding="utf-8")
    for source in (tmp_path / "nope.db", bad):
        r = CliRunner().invoke(main, ["merge", str(source), "--db", str(target)])
        assert r.exit_code == 1 and r.stderr.startswith(f"error: {source}: ")
        assert not target.exists()


def _with_datasets(tmp_path, names) -> str:
    from annotator.storage.articles import ensure_dataset
    from annotator.storage.db import open_db, write_tx

    path = tmp_path / "ds.db"
    with open_db(path) as d, write_tx(d):
        for n in names:
            ensure_dataset(d, n)
    return str(path)


# import makes the dataset it names; sync's may be one only the hub has (tests/hub)
@pytest.mark.parametrize("name", sorted(set(_takes("dataset")) - {"import", "sync"}))
def test_every_dataset_command_refuses_an_unknown_dataset_alike(name, tmp_path):
    db = _with_datasets(tmp_path, ["hk-talent", "samples"])
    args = [a for a in _ARGS[name] if a != "ds"]
    if "--dataset" in args:
        args[args.index("--dataset") + 1:args.index("--dataset") + 1] = ["nosuch"]
    else:
        args += ["--dataset", "nosuch"]
    r = CliRunner().invoke(main, [name, *args, "--db", db])
    assert r.exit_code == 1, r.output
    assert r.stderr == "error: no dataset named 'nosuch' (datasets: hk-talent, samples)\n"
    assert r.stdout == ""


def test_an_unknown_dataset_among_many_or_none(tmp_path):
    many = _with_datasets(tmp_path, [f"d{i:02}" for i in range(12)])
    r = CliRunner().invoke(main, ["stats", "--dataset", "nosuch", "--db", many])
    assert r.stderr == \
        "error: no dataset named 'nosuch' (12 datasets; annotator stats lists them)\n"
    from annotator.storage.db import open_db

    none = tmp_path / "none.db"
    open_db(none).close()
    r = CliRunner().invoke(main, ["search", "x", "--dataset", "nosuch", "--db", str(none)])
    assert r.exit_code == 1
    assert r.stderr == "error: no dataset named 'nosuch' (the database has no datasets yet)\n"


def test_undo_and_redo_say_what_they_took_back(tmp_path):
    from tests.core.factories import claim_ids, figure_ids, make_article
    from annotator.storage.db import open_db

    path = tmp_path / "u.db"
    with open_db(path) as d:
        aid = make_article(d)
        f, c = figure_ids(d, aid), claim_ids(d, aid)

    def run(*args):
        r = CliRunner().invoke(main, [*args, "--db", str(path), "--reviewer", "ana"])
        assert r.exit_code == 0, r.output
        return r.stdout.strip()

    run("review", f[0], "--confirm")
    assert run("undo") == f"undone: confirm of {f[0]} “18万人” by ana"
    assert run("redo") == f"redone: confirm of {f[0]} “18万人” by ana"
    run("review", c[1], "--flag", "outdated")
    both = f"flag of 2 figure(s) by ana: {f[1]} “6.02万人”, {f[2]} “9.64万人”"
    assert run("undo") == f"undone: {both}"
    assert run("redo") == f"redone: {both}"
    assert run("undo") == f"undone: {both}"  # the undo of a redo names the decision itself


def test_a_database_error_met_inside_a_command_names_the_database_given(tmp_path, monkeypatch):
    """The last-resort handler names the --db the command was given (kept in the context's
    meta by the option itself, not parsed back out of the command line)."""
    import sqlite3

    from annotator.cli import data

    db = tmp_path / "team review.db"
    assert CliRunner().invoke(main, ["import", str(SEEDS[0]), "--db", str(db)]).exit_code == 0

    def broken(*_a, **_k):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(data.stats_service, "dataset_stats", broken)
    for args in (["stats", "--db", str(db)], ["stats", f"--db={db}"]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 2, r.output
        assert str(db) in r.output and "disk I/O error" in r.output
        assert "Traceback" not in r.output


def test_reanalyse_reports_and_lists_reviewed_figures_read_differently(tmp_path):
    import sqlite3

    db = str(tmp_path / "r.db")
    (tmp_path / "a.txt").write_text("整体人力短缺达18万人。共12名代表出席。", encoding="utf-8")
    run = CliRunner().invoke
    assert run(main, ["import", "--db", db, "--dataset", "ds", str(tmp_path / "a.txt")]).exit_code == 0
    con = sqlite3.connect(db)
    fid = con.execute("SELECT id FROM figures WHERE text = '18万人'").fetchone()[0]
    con.execute("UPDATE figures SET value = 18 WHERE id = ?", [fid])  # as an older engine read it
    con.commit()
    con.close()
    assert run(main, ["review", fid, "--confirm", "--db", db, "--reviewer", "ana"]).exit_code == 0
    out = run(main, ["reanalyse", "--db", db, "--dataset", "ds"])
    assert out.exit_code == 0, out.output
    assert "1 reviewed figure(s) to check again" in out.output
    assert f"{fid}  was 18 人 (18万人), now 180,000 人 (18万人)" in out.output
    assert "1 read differently by reanalyse" in run(main, ["stats", "--db", db]).output
    conflicts = run(main, ["conflicts", "--db", db, "--dataset", "ds", "--json"]).output
    assert json.loads(conflicts)[0]["figure_id"] == fid
    bad = run(main, ["reanalyse", "--db", db, "--dataset", "nope"])
    assert bad.exit_code != 0 and "nope" in bad.output


def test_import_and_stats_say_which_articles_were_not_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ru.txt").write_text("В восьмидесятых годах чешская красавица заявила о себе "
                                   "на весь мир: 20 фильмов за 5 лет.\n", encoding="utf-8")
    (folder / "en.txt").write_text("Only 200 people were hired, 15% of them graduates.\n",
                                   encoding="utf-8")
    db = str(tmp_path / "r.db")
    run = CliRunner().invoke
    r = run(main, ["import", str(folder), "--db", db, "--dataset", "s"])
    assert r.exit_code == 0
    note = "1 article(s) in languages the figure engines do not read (no claims): Russian 1"
    assert r.stdout.strip().endswith(note)
    r = run(main, ["stats", "--db", db])
    assert r.stdout.strip().splitlines()[-1] == f"s: {note}"
    stats = json.loads(run(main, ["stats", "--db", db, "--json"]).stdout)
    assert stats[0]["not_read"] == {"ru": 1}
