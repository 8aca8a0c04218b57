"""Killing the process that writes (SIGKILL, at random moments, many times) loses nothing
it acknowledged and never leaves half of anything behind.

Each round starts a reviewer process (tests/reliability/driver.py, or the real
`annotator review --batch -`) on the samples database, lets it work for a random moment,
kills it, and then checks the database as the next start of the program would find it:
`PRAGMA integrity_check` is ok, every acknowledged decision's events are there, every
decision is whole (all figures of a claim, all events an undo takes back), and the stored
review state equals the state recomputed from the events.

CI runs a dozen rounds; ANNOTATOR_LONG_TESTS=1 runs hundreds (ANNOTATOR_CRASH_ROUNDS
sets the number).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from annotator.services.export import records as exporter
from annotator.storage.db import open_db

from tests.reliability.driver import targets
from tests.reliability.invariants import integrity_errors, missing_events, review_state_errors

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("ANNOTATOR_LONG_TESTS") == "1"
ROUNDS = int(os.environ.get("ANNOTATOR_CRASH_ROUNDS", "300" if LONG else "12"))
CLI_ROUNDS = max(2, ROUNDS // 4) if LONG else 2
EXPORT_ROUNDS = max(3, ROUNDS // 4) if LONG else 4


@pytest.fixture
def review_db(_samples_db_template, tmp_path) -> Path:
    path = tmp_path / "crash.db"
    shutil.copy(_samples_db_template, path)
    return path


class Child:
    """A child process whose stdout lines are collected as they arrive."""

    def __init__(self, args: list[str], stdin=None):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stdin=stdin, text=True,
                                     cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.strip())
            self.ready.set()
        self.ready.set()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._thread.join(timeout=30)


def _check(db_path: Path, acknowledged: list[str]) -> None:
    db = open_db(db_path)  # as the next start would: header, quick_check, schema version
    try:
        assert integrity_errors(db) == []
        assert missing_events(db, acknowledged) == set()
        assert review_state_errors(db) == []
    finally:
        db.close()


def test_killed_reviewer_loses_no_acknowledged_decision(review_db):
    rng = random.Random(20240601)
    acknowledged: list[str] = []
    decisions = 0
    for round_no in range(ROUNDS):
        child = Child([sys.executable, "-m", "tests.reliability.driver", "review",
                       str(review_db), "--seed", str(round_no)])
        assert child.ready.wait(60), "the reviewer process did not start"
        time.sleep(rng.uniform(0.0, 0.3))
        child.kill()
        oks = [line.split()[1:] for line in child.lines if line.startswith("ok ")]
        decisions += len(oks)
        acknowledged += [e for ids in oks for e in ids]
        _check(review_db, acknowledged)
    assert decisions > ROUNDS  # the kills did land while decisions were being made
    print(f"\n{ROUNDS} rounds survived, {decisions} acknowledged decisions, "
          f"{len(acknowledged)} events")


def _feed(child: Child, figures: list[str], round_no: int, notes: list[str],
          stop: threading.Event, rng: random.Random) -> None:
    """Decisions for `annotator review --batch -`, one line each, until the pipe breaks."""
    while not stop.is_set():
        note = f"round {round_no} line {len(notes)}"
        line = {"figure_id": rng.choice(figures), "action": "flag", "reason": "other",
                "note": note}
        try:
            child.proc.stdin.write(json.dumps(line) + "\n")
            child.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            return
        notes.append(note)
        time.sleep(0.001)


def test_killed_cli_batch_review_loses_no_acknowledged_line(review_db):
    db = open_db(review_db)
    figures, _ = targets(db)
    db.close()
    rng = random.Random(7)
    acked: list[str] = []
    for round_no in range(CLI_ROUNDS):
        child = Child([sys.executable, "-m", "annotator", "review", "--db", str(review_db),
                       "--reviewer", "cli", "--batch", "-"], stdin=subprocess.PIPE)
        notes: list[str] = []
        stop = threading.Event()
        feeder = threading.Thread(target=_feed, args=(child, figures, round_no, notes, stop,
                                                      random.Random(round_no)))
        feeder.start()
        assert child.ready.wait(60), "the command acknowledged nothing"
        time.sleep(rng.uniform(0.0, 0.5))
        child.kill()
        stop.set()
        feeder.join(timeout=30)
        oks = [line for line in child.lines if line.startswith("ok ")]
        acked += notes[:len(oks)]  # one `ok` per line, in the order written
        db = open_db(review_db)
        try:
            stored = {r[0] for r in db.execute("SELECT note FROM events WHERE reviewer = 'cli'")}
            assert set(acked) <= stored
            assert integrity_errors(db) == [] and review_state_errors(db) == []
        finally:
            db.close()
    assert len(acked) > CLI_ROUNDS
    print(f"\n{CLI_ROUNDS} rounds of the CLI killed, {len(acked)} acknowledged lines, 0 lost")


def test_killed_export_leaves_the_whole_file_or_none(review_db, tmp_path):
    out = tmp_path / "claims.jsonl"
    db = open_db(review_db)
    reference = tmp_path / "reference.jsonl"
    exporter.export(db, str(reference))
    db.close()
    expected = reference.read_bytes()
    rng = random.Random(11)
    whole = absent = mid_write = 0
    for _ in range(EXPORT_ROUNDS):
        out.unlink(missing_ok=True)
        child = Child([sys.executable, "-m", "tests.reliability.driver", "export",
                       str(review_db), str(out)])
        time.sleep(rng.uniform(0.05, 1.0))  # before, during or after the first export
        child.kill()
        if out.exists():
            assert out.read_bytes() == expected  # never a part of one
            whole += 1
        else:
            absent += 1
        leftovers = list(tmp_path.glob(".claims.jsonl.*.tmp"))
        mid_write += bool(leftovers)  # killed while writing: the temporary file stays ...
        assert len(leftovers) <= 1  # ... until the next export to the same file
    assert whole and mid_write, (whole, absent, mid_write)
    db = open_db(review_db)
    exporter.export(db, str(out))
    db.close()
    assert out.read_bytes() == expected and not list(tmp_path.glob(".claims.jsonl.*.tmp"))
    print(f"\n{EXPORT_ROUNDS} exports killed ({mid_write} while writing): the file whole "
          f"after {whole}, absent after {absent}, never part of one")


def test_the_checks_notice_half_written_state(review_db):
    """The invariants are not vacuous: a torn decision or a stale state is caught."""
    subprocess.run([sys.executable, "-m", "tests.reliability.driver", "review", str(review_db),
                    "--count", "200", "--seed", "5"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    db = open_db(review_db)
    try:
        assert review_state_errors(db) == []
        batch = db.execute("SELECT batch FROM events WHERE action IN ('confirm', 'flag', "
                           "'clear') GROUP BY batch HAVING COUNT(*) > 2 LIMIT 1").fetchone()[0]
        db.execute("DELETE FROM events WHERE rowid = (SELECT MAX(rowid) FROM events "
                   "WHERE batch = ?)", [batch])
        assert any("part of its claim" in p for p in review_state_errors(db))
        fid = db.execute("SELECT figure_id FROM figure_state LIMIT 1").fetchone()[0]
        db.execute("UPDATE figure_state SET status = 'flagged', flag = 'other' "
                   "WHERE figure_id = ?", [fid])
        assert any(fid in p for p in review_state_errors(db))
        assert missing_events(db, ["no-such-event"]) == {"no-such-event"}
    finally:
        db.close()
