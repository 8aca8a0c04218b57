"""`annotator check`, and what check, export and merge do with a damaged database file:
refuse it with one `error:` line, or give exactly what the undamaged file gives."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

from tests.conftest import ROOT, SAMPLES

LONG = os.environ.get("ANNOTATOR_LONG_TESTS") == "1"
FLIPS = 600 if LONG else 60
SEED = 20261207


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def _imported(tmp_path) -> Path:
    path = tmp_path / "review.db"
    assert _run("import", str(SAMPLES), "--dataset", "samples", "--db", str(path)).exit_code == 0
    return path


def _sql(path: Path, sql: str, params=()) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def test_check_a_sound_database(tmp_path):
    path = _imported(tmp_path)
    r = _run("check", "--db", str(path))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["ok: 12 articles, 95 claims, 181 figures checked"]


def test_check_reports_each_problem_on_a_line_and_exits_1(tmp_path):
    path = _imported(tmp_path)
    conn = sqlite3.connect(path)
    aid, source = conn.execute("SELECT id, source FROM articles WHERE source LIKE '%000_%'"
                               ).fetchone()
    conn.close()
    _sql(path, "UPDATE articles SET text = replace(text, '38,500', '98,500') WHERE id = ?", [aid])
    r = _run("check", "--db", str(path))
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"article {aid}: ({source}) its text does not match its id")
    assert all(line.split()[0] in ("article", "claim", "figure") for line in lines)
    assert any(line.startswith("figure f-") and "38,500" in line for line in lines)
    assert r.stderr.splitlines() == [f"error: {path}: {len(lines)} problem(s) found in 12 "
                                     "article(s)"]


def test_export_and_merge_refuse_a_changed_article_naming_it(tmp_path):
    path = _imported(tmp_path)
    conn = sqlite3.connect(path)
    aid, source = conn.execute("SELECT id, source FROM articles WHERE source LIKE '%000_%'"
                               ).fetchone()
    conn.close()
    _sql(path, "UPDATE articles SET text = replace(text, 'In fact', 'In fakt') WHERE id = ?",
         [aid])
    r = _run("export", "--db", str(path), "-o", str(tmp_path / "out.jsonl"))
    assert r.exit_code != 0 and not (tmp_path / "out.jsonl").exists()
    [line] = r.stderr.splitlines()
    assert line.startswith("error: ") and aid in line and source in line
    r = _run("merge", str(path), "--db", str(tmp_path / "lead.db"))
    assert r.exit_code == 1
    [line] = r.stderr.splitlines()
    assert line.startswith(f"error: {path}: article {aid}") and "nothing was merged" in line
    assert not (tmp_path / "lead.db").exists()


def test_check_refuses_a_file_that_is_not_there_or_not_a_database(tmp_path):
    r = _run("check", "--db", str(tmp_path / "none.db"))
    assert r.exit_code == 1 and r.stderr.startswith("error: ") and "no such database" in r.stderr
    (tmp_path / "junk.db").write_bytes(b"not a database" * 100)
    r = _run("check", "--db", str(tmp_path / "junk.db"))
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1
    assert r.stderr.startswith("error: ") and "Traceback" not in r.output


# --- bit flips ---------------------------------------------------------------------------

# Run in a child process that never connects to SQLite: this one may hold connections,
# and a plain open() of a database file drops SQLite's locks (tests/dbguard.py).
_FLIPPER = """
import glob, os, random, sys
source, seed, flip, done, *targets = sys.argv[1:]
for name in glob.glob(done + "*") if done else ():
    os.remove(name)  # the files of the flip before (removed here too: see above)
with open(source, "rb") as f:
    data = bytearray(f.read())
if flip != "none":
    rng = random.Random(f"{seed}:{flip}")
    bit = rng.randrange(len(data) * 8)
    data[bit // 8] ^= 1 << (bit % 8)
    print(bit // 8, bit % 8)
for target in targets:
    with open(target, "wb") as f:
        f.write(data)
"""


def _copies(source: Path, flip, folder: Path, done: str = "") -> tuple[list[Path], str]:
    targets = [folder / f"{flip}-{use}.db" for use in ("check", "export", "merge")]
    proc = subprocess.run([sys.executable, "-c", _FLIPPER, str(source), str(SEED), str(flip),
                           done, *map(str, targets)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return targets, proc.stdout.strip()


def _layer(message: str) -> str:
    """Which check refused, from its message (check's first problem line, or the
    command's error line)."""
    if message.startswith("database: ") or ": database: " in message:
        return "integrity_check"
    for words, layer in (
            (("its text does not match its id", "no longer matches its id"), "article id hash"),
            (("do not select", "no longer select", "id does not match", "outside its claim",
              "is not a claim of", "cannot be found by its id"), "claim/figure span or id"),
            (("database is damaged",), "quick_check on opening"),
            (("cannot be read", "database disk image is malformed", "failed: "),
             "SQLite error while reading"),
            (("not an SQLite database", "not a usable annotator database",
              "not an annotator database", "another program", "cannot open", "cannot read",
              "older annotator", "newer version", "file is not a database"),
             "opening (header, schema)"),
    ):
        if any(w in message for w in words):
            return layer
    return "other: " + message


def _without_uncovered(stdout: str) -> list:
    out = []
    for line in stdout.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            return [stdout]
        for f in rec.get("figures", []) if isinstance(rec, dict) else []:
            f.pop("reading", None)
            f.pop("value", None)
        out.append(rec)
    return out


def _outcome(result, expected_stdout: str | None) -> tuple[str, str]:
    """("same", "") for output identical to the undamaged file's, ("refused", layer) for
    one clean error, or ("WRONG", why) for anything else."""
    if "Traceback" in result.output or not (result.exception is None
                                            or isinstance(result.exception, SystemExit)):
        return "WRONG", f"traceback: {result.exception!r}"
    if result.exit_code == 0:
        if expected_stdout is None or result.stdout == expected_stdout:
            return "same", ""
        if _without_uncovered(result.stdout) == _without_uncovered(expected_stdout):
            # a figure's value and reading (the engine's explanation of it, a long text
            # since migration 0008) are what no hash covers: a flip inside one changes
            # only that figure, and is counted as such in the report
            return "uncovered", "a figure's value or reading"
        return "WRONG", "silently different output"
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    if not errors or not errors[0].startswith("error: ") or \
            any(line.startswith("error: ") for line in errors[1:]):
        return "WRONG", f"not one error: {result.stderr!r}"
    problems = result.stdout.splitlines() if result.stdout.startswith(
        ("database", "article", "claim", "figure")) else []
    layer = _layer(problems[0] if problems else result.stderr)
    # one message; SQLite's own integrity report may break it across lines
    return "refused", layer + (f" (message on {len(errors)} lines)" if len(errors) > 1 else "")


@pytest.mark.slow
def test_random_bit_flips_are_refused_or_change_nothing(_samples_db_template, tmp_path):
    """FLIPS seeded single-bit flips in copies of a small real database (the samples);
    each copy goes through check, export and merge (then the merged database's export).
    Each must refuse with one `error:` message and no traceback, or give exactly what
    the undamaged file gives. A flip that changes only what no check covers (a figure's
    value, an article's source or url, a copy's duplicate_of: no hash holds them) gives
    a silently different export. Those in a figure's value or reading are counted apart
    ("uncovered"); of the rest the default 60 flips have none, and the long run
    (ANNOTATOR_LONG_TESTS=1, 600 flips) prints the ones it meets instead of failing."""
    work = tmp_path / "flips"
    work.mkdir()
    (base_check, base_export, base_merge), _ = _copies(_samples_db_template, "none", work)
    expected = {"check": _run("check", "--db", str(base_check)).stdout,
                "export": _run("export", "--db", str(base_export)).stdout}
    assert _run("merge", str(base_merge), "--db", str(work / "base-lead.db")).exit_code == 0
    expected["merge"] = _run("export", "--db", str(work / "base-lead.db")).stdout
    assert expected["check"].startswith("ok: ") and expected["export"].count("\n") == 95

    tally: Counter = Counter()
    wrong, silent = [], []
    for flip in range(FLIPS):
        done = str(work / f"{flip - 1}-") if flip else ""
        (check_db, export_db, merge_db), where = _copies(_samples_db_template, flip, work, done)
        outcomes = {"check": _outcome(_run("check", "--db", str(check_db)), expected["check"]),
                    "export": _outcome(_run("export", "--db", str(export_db)),
                                       expected["export"])}
        lead = work / f"{flip}-lead.db"
        merged = _run("merge", str(merge_db), "--db", str(lead))
        outcomes["merge"] = _outcome(merged, None)
        if outcomes["merge"][0] == "same":
            outcomes["merge"] = _outcome(_run("export", "--db", str(lead)), expected["merge"])
        for command, (kind, detail) in outcomes.items():
            tally[(command, kind, detail)] += 1
            if kind == "WRONG":
                (silent if detail == "silently different output" else wrong).append(
                    (flip, where, command, detail))
    report = {" / ".join(k): v for k, v in sorted(tally.items())}
    print(json.dumps({"flips": FLIPS, "seed": SEED, "outcomes": report,
                      "silently_different": silent}, indent=1))
    assert not wrong, wrong
    assert LONG or not silent, silent
