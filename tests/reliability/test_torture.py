"""The window open on a database while every command runs against it, over and over.

The real window (tests/reliability/window_process.py: offscreen, its own background
checkpoints, searches, exports and overviews) reviews on a timer, while the commands a
reviewer or lead uses beside it run one after another in a random order: stats, export,
search, history, review, review --batch, undo, import, merge, duplicates, agreement,
conflicts, snapshot and a sign-off that must be refused. Every command runs under the
database-file guard. Afterwards every decision either side acknowledged is in the
database, `integrity_check` is ok, and the log files were never deleted while the
window had them open (checked from outside after every command, and by the window on its
own descriptors). Then the same with the window killed by SIGKILL at random moments and
started again.

ANNOTATOR_LONG_TESTS=1 runs more rounds. The figures of a run are printed (pytest -s)
as one JSON line starting with `torture:`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.guarded import command

LONG = os.environ.get("ANNOTATOR_LONG_TESTS") == "1"
ROUNDS = 6 if LONG else 2
COMMANDS = ("stats", "export", "search", "history", "review", "review_batch", "undo",
            "import", "merge", "duplicates", "agreement", "conflicts", "signoff", "snapshot")
DATASET = "samples"
HELD = "zz-held"  # one article with a conflict nobody settles: its sign-off is refused


def _env() -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env.pop("ANNOTATOR_DB", None)
    return env


class Window:
    """The window process, its acknowledged events and what it reported."""

    def __init__(self, db: Path, stop: Path, seed: int):
        self.stop = stop
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.window_process", str(db),
             "--reviewer", "win", "--seed", str(seed), "--stop", str(stop)],
            cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.acked: list[str] = []
        self.lines: list[str] = []
        self.err: list[str] = []
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()
        if not self._ready.wait(120):
            self.kill()
            raise AssertionError("the window did not start: " + "".join(self.err[-30:]))

    def _read(self) -> None:
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            if line == "ready":
                self._ready.set()
            elif line.startswith("ack "):
                self.acked.extend(line.split()[1:])
            else:
                self.lines.append(line)

    def _read_err(self) -> None:
        for line in self.proc.stderr:
            self.err.append(line)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> int:
        self.stop.touch()
        try:
            return self.proc.wait(timeout=120)
        finally:
            self.stop.unlink(missing_ok=True)
            time.sleep(0.1)  # let the readers drain the last lines

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=60)
        time.sleep(0.1)


@dataclass
class Run:
    db: Path
    tmp: Path
    rng: random.Random
    expected: list[tuple[str, str, str]] = field(default_factory=list)  # reviewer, action, target
    undos: dict[str, int] = field(default_factory=dict)  # acknowledged CLI undos per reviewer
    commands: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    busy: int = 0
    n: int = 0

    def figures(self) -> list[str]:
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return [r[0] for r in conn.execute("SELECT id FROM figures ORDER BY id")]
        finally:
            conn.close()

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return command(*args, "--db", self.db, env=_env())

    def run(self, name: str, figures: list[str], source: Path) -> None:
        self.n += 1
        who = f"cli{self.n % 5}"
        if name == "review":
            fid = self.rng.choice(figures)
            action = self.rng.choice(["confirm", "flag"])
            extra = ["--flag", "other"] if action == "flag" else ["--confirm"]
            proc = self.cli("review", fid, *extra, "--reviewer", who)
            if proc.returncode == 0:
                self.expected.append((who, action, fid))
        elif name == "review_batch":
            batch = self.tmp / f"batch{self.n}.jsonl"
            chosen = self.rng.sample(figures, 4)
            batch.write_text("".join(json.dumps({"figure_id": f, "action": "confirm"}) + "\n"
                                     for f in chosen), encoding="utf-8")
            proc = self.cli("review", "--batch", str(batch), "--reviewer", who)
            for line in proc.stdout.splitlines():
                if line.startswith("ok "):
                    self.expected.append((who, "confirm", line.split()[1]))
        elif name == "undo":
            proc = self.cli("undo", "--reviewer", who)
            if proc.returncode == 0:
                self.undos[who] = self.undos.get(who, 0) + 1
        elif name == "import":
            text = self.tmp / f"new{self.n}.txt"
            text.write_text(f"Round {self.n}: the council approved {self.n * 7 + 3} new homes "
                            f"and HK$1.{self.n} billion for them in 2026.\n", encoding="utf-8")
            proc = self.cli("import", str(text), "--dataset", DATASET)
        elif name == "merge":
            proc = self.cli("merge", str(source))
        elif name == "snapshot":
            proc = self.cli("snapshot", str(self.tmp / "sent.db"), "--force")
        elif name == "export":
            proc = self.cli("export", "--dataset", DATASET, "-o", str(self.tmp / "out.jsonl"))
        elif name == "search":
            proc = self.cli("search", self.rng.choice(["人才", "創科", "billion"]))
        elif name == "history":
            proc = self.cli("history", self.rng.choice(figures))
        elif name == "duplicates":
            proc = self.cli("duplicates", "--dataset", DATASET)
        elif name == "agreement":
            proc = self.cli("agreement", "--dataset", DATASET)
        elif name == "conflicts":
            proc = self.cli("conflicts")
        elif name == "signoff":
            proc = self.cli("signoff", "--dataset", HELD, "--reviewer", "lead")
            assert proc.returncode != 0, "a dataset with a conflict was signed off"
        else:
            proc = self.cli(name)
        self.commands[name] = self.commands.get(name, 0) + 1
        assert proc.returncode != 97, proc.stderr  # the guard caught a plain open
        assert "Traceback" not in proc.stderr, proc.stderr
        if proc.returncode != 0:
            if "busy" in proc.stderr:
                self.busy += 1
            elif name not in ("signoff", "undo", "conflicts", "history"):
                raise AssertionError(f"{name}: {proc.stderr}")
            self.refused[name] = self.refused.get(name, 0) + 1


def _source(template: Path, tmp: Path) -> Path:
    """ben's database: the same samples, some of his decisions, to merge again and again."""
    path = tmp / "ben.db"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    figures = [r[0] for r in conn.execute("SELECT id FROM figures ORDER BY id LIMIT 40")]
    conn.close()
    batch = tmp / "ben.jsonl"
    batch.write_text("".join(json.dumps({"figure_id": f, "action": "confirm"}) + "\n"
                             for f in figures), encoding="utf-8")
    proc = command("review", "--batch", batch, "--reviewer", "ben", "--db", path, env=_env())
    assert proc.returncode == 0, proc.stderr
    return path


def _check(run: Run, acked: list[str]) -> dict:
    conn = sqlite3.connect(run.db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {r[0] for r in conn.execute("SELECT id FROM events")}
        missing_window = [e for e in acked if e not in ids]
        missing_cli = [x for x in run.expected if not conn.execute(
            "SELECT 1 FROM events WHERE reviewer = ? AND action = ? AND target_id = ?",
            x).fetchone()]
        short_undos = {who: n for who, n in run.undos.items() if conn.execute(
            "SELECT COUNT(*) FROM events WHERE reviewer = ? AND action = 'undo'",
            [who]).fetchone()[0] < n}
    finally:
        conn.close()
    assert not missing_window, f"{len(missing_window)} of {len(acked)} window decisions lost"
    assert not missing_cli, f"{len(missing_cli)} of {len(run.expected)} command decisions lost"
    assert not short_undos, short_undos
    return {"window_acknowledged": len(set(acked)), "command_acknowledged": len(run.expected),
            "command_undos": sum(run.undos.values()), "lost": 0}


def _logs_present(db: Path) -> bool:
    return Path(f"{db}-wal").exists() and Path(f"{db}-shm").exists()


def _held_conflict(db: Path, tmp: Path) -> None:
    text = tmp / "held.txt"
    text.write_text("The board approved 4,200 new flats in 2025.\n", encoding="utf-8")

    def cli(*args: str) -> subprocess.CompletedProcess:
        proc = command(*args, "--db", db, env=_env())
        assert proc.returncode == 0, proc.stderr
        return proc

    cli("import", str(text), "--dataset", HELD)
    conn = sqlite3.connect(db)
    fid = conn.execute("SELECT f.id FROM figures f JOIN dataset_articles d "
                       "ON d.article_id = f.article_id WHERE d.dataset = ? LIMIT 1",
                       [HELD]).fetchone()[0]
    conn.close()
    cli("review", fid, "--confirm", "--reviewer", "x1")
    cli("review", fid, "--flag", "other", "--reviewer", "x2")


@pytest.fixture
def torture(_samples_db_template, tmp_path):
    db = tmp_path / "shared.db"
    shutil.copy(_samples_db_template, db)
    _held_conflict(db, tmp_path)
    return db, _source(_samples_db_template, tmp_path)


@pytest.mark.slow
def test_every_command_beside_the_open_window_loses_nothing(torture, tmp_path):
    db, source = torture
    run = Run(db, tmp_path, random.Random(18))
    figures = run.figures()
    window = Window(db, tmp_path / "stop", seed=18)
    started = time.monotonic()
    try:
        for _round in range(ROUNDS):
            order = list(COMMANDS)
            run.rng.shuffle(order)
            for name in order:
                run.run(name, figures, source)
                assert window.alive(), "".join(window.err[-40:])
                assert _logs_present(db), f"the log files were deleted after `{name}`"
                time.sleep(run.rng.uniform(0, 0.3))  # the window writes between commands
        assert len(window.acked) > 0, window.lines
    finally:
        code = window.close()
    assert code == 0, window.lines + window.err[-40:]
    assert "wal-deleted" not in " ".join(window.lines)
    figures_ = _check(run, window.acked)
    print("torture: " + json.dumps({"rounds": ROUNDS, "commands": run.commands,
                                    "refused": run.refused, "busy": run.busy,
                                    "seconds": round(time.monotonic() - started, 1),
                                    **figures_}))


@pytest.mark.slow
def test_a_window_killed_at_random_moments_loses_nothing_acknowledged(torture, tmp_path):
    db, source = torture
    run = Run(db, tmp_path, random.Random(24))
    figures = run.figures()
    acked: list[str] = []
    kills = 0
    started = time.monotonic()
    window = Window(db, tmp_path / "stop", seed=100)
    try:
        for round_ in range(ROUNDS * 2):
            order = list(COMMANDS)
            run.rng.shuffle(order)
            kill_after = run.rng.randrange(len(order))
            for i, name in enumerate(order):
                run.run(name, figures, source)
                if i == kill_after:
                    time.sleep(run.rng.uniform(0, 0.5))
                    window.kill()
                    kills += 1
                    acked.extend(window.acked)
                    window = Window(db, tmp_path / "stop", seed=101 + round_)
                assert window.alive(), "".join(window.err[-40:])
                assert _logs_present(db), f"the log files were deleted after `{name}`"
                assert "wal-deleted" not in " ".join(window.lines)
    finally:
        code = window.close()
        acked.extend(window.acked)
    assert code == 0, window.lines + window.err[-40:]
    figures_ = _check(run, acked)
    print("torture: " + json.dumps({"kills": kills, "commands": run.commands,
                                    "refused": run.refused, "busy": run.busy,
                                    "seconds": round(time.monotonic() - started, 1),
                                    **figures_}))
