"""The command line never sends a terminal the control characters stored text holds.

Scraped text, titles, file names, dataset and reviewer names (from another reviewer's
database) can hold ESC sequences (colours, cursor moves, OSC 8 links, window titles),
BEL, or their one-byte C1 forms. Printed raw, they restyle or rewrite the reviewer's
terminal, hide lines, or turn a line into a link to anywhere. Every command prints them
escaped (\\x1b, \\x07), as the import already prints file names.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.storage.db import open_db

ESC_RED = "\x1b[31m"
OSC8 = "\x1b]8;;http://evil.example/\x1b\\click here\x1b]8;;\x1b\\"
BEL, CSI1 = "\x07", "\x9b"
NASTY = f"{ESC_RED}red{BEL}{OSC8}{CSI1}2J\u202e"
DATASET = f"ds{ESC_RED}{BEL}"
ANA, BEN = f"ana{ESC_RED}", f"ben{OSC8}"
PARAGRAPH = (f"The fund {NASTY} grew by 12% to 3,400 members in 2024, and 5,000 people "
             f"attended the {ESC_RED}opening{BEL} in March.")
# what must never reach a terminal: ESC, BEL, C1 controls, bidirectional overrides
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _run(*args, ok=True):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A database whose article, title, source, dataset and reviewers hold ESC, BEL,
    C1 and OSC 8 sequences; two reviewers disagree on its first figure."""
    folder = tmp_path_factory.mktemp("hostile")
    db_path = folder / "hostile.db"
    source = folder / f"feed{ESC_RED}.jsonl"
    record = {"title": f"Title {NASTY}", "url": "https://news.example/a",
              "text": f"{PARAGRAPH}\n\nSomething else entirely happened.\n\n{PARAGRAPH}\n"}
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    _run("import", source, "--dataset", DATASET, "--db", db_path)
    db = open_db(db_path)
    try:
        figures = [r[0] for r in db.execute("SELECT id FROM figures ORDER BY seq")]
        stored = db.execute("SELECT title, text FROM articles").fetchone()
    finally:
        db.close()
    assert figures and ESC_RED in stored[0] and OSC8 in stored[1]  # kept as imported
    for fid in figures[:3]:
        _run("review", fid, "--confirm", "--reviewer", ANA, "--note", f"ok {NASTY}",
             "--db", db_path)
        _run("review", fid, "--confirm", "--reviewer", BEN, "--db", db_path)
    _run("review", figures[0], "--flag", "outdated", "--reviewer", BEN, "--note", NASTY,
         "--db", db_path)
    return db_path, figures


def _both_streams(result) -> str:
    try:
        return result.output + result.stderr
    except ValueError:  # stderr mixed into output (older Click)
        return result.output


@pytest.mark.parametrize("args", [
    ["search", "fund"], ["search", "fund", "--json"],
    ["conflicts"], ["conflicts", "--json"],
    ["stats"], ["stats", "--json"],
    ["duplicates", "--format", "table"], ["duplicates"],
    ["agreement"], ["agreement", "--json"],
    ["signoff", "--dataset", DATASET, "--show"],
    ["signoff", "--dataset", DATASET, "--show", "--json"],
    ["export"], ["export", "--format", "claimreview"],
])
def test_no_control_character_reaches_the_terminal(hostile, args):
    db_path, _figures = hostile
    result = _run(*args, "--db", db_path)
    out = _both_streams(result)
    assert not RAW.findall(out), (args, sorted(set(RAW.findall(out))))
    if args[0] in ("search", "conflicts", "stats"):
        assert "\\x1b[31m" in out or "\\u001b[31m" in out  # shown, escaped


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_history_is_escaped(hostile, json_flag):
    db_path, figures = hostile
    out = _both_streams(_run("history", figures[0], *json_flag, "--db", db_path))
    assert not RAW.findall(out), sorted(set(RAW.findall(out)))
    assert "ana\\x1b[31m" in out or "ana\\u001b[31m" in out
    if json_flag:  # still JSON, reading back as the stored names
        events = [json.loads(line) for line in out.splitlines()]
        assert {e["reviewer"] for e in events} == {ANA, BEN}


def test_undo_redo_adjudicate_and_errors_are_escaped(hostile, tmp_path):
    db_path, figures = hostile
    outputs = [
        _run("undo", "--reviewer", BEN, "--db", db_path),
        _run("redo", "--reviewer", BEN, "--db", db_path),
        _run("adjudicate", figures[0], "--pick", ANA, "--reviewer", BEN, "--db", db_path),
        _run("conflicts", "--dataset", f"nope{ESC_RED}", "--db", db_path, ok=False),
        _run("history", f"f-{ESC_RED}", "--db", db_path, ok=False),
        _run("review", f"f-{BEL}x", "--confirm", "--reviewer", ANA, "--db", db_path,
             ok=False),
        _run("import", tmp_path / f"missing{ESC_RED}.txt", "--db", tmp_path / "x.db",
             ok=False),
    ]
    for result in outputs:
        out = _both_streams(result)
        assert not RAW.findall(out), (out, sorted(set(RAW.findall(out))))


def test_printable_json_reads_back_as_the_same_text():
    from annotator.text.safe import printable_json

    value = {"a": NASTY + "\u2028\u2066x\udcff", "b": [ESC_RED, 1]}
    text = printable_json(value)
    assert not RAW.findall(text) and "\u2028" not in text
    assert json.loads(text) == value


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "claimreview"])
def test_an_export_read_on_a_terminal_is_escaped(hostile, monkeypatch, fmt):
    from annotator.cli import data

    db_path, _figures = hostile
    monkeypatch.setattr(data, "_terminal", lambda: True)
    out = _both_streams(_run("export", "--format", fmt, "--db", db_path))
    assert not RAW.findall(out), sorted(set(RAW.findall(out)))
    assert "fund" in out


def test_a_csv_export_to_a_pipe_is_the_data(hostile):
    import csv
    import io

    db_path, _figures = hostile
    result = CliRunner().invoke(main, ["export", "--format", "csv", "--db", str(db_path)])
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert rows and any("\x1b" in r["claim_text"] for r in rows)  # as stored
