"""The review window on a 100,000-article database (offscreen).

    python benchmarks/bench_gui.py [--articles 100000] [--db PATH] [--rebuild]
                                   [--soak 10000] [--samples 200] [--paint-samples 100]

Builds the database once (cached under benchmarks/out/): the samples are imported with
the real engine, then their rows are copied under new ids until the dataset "bench" has
--articles articles. Then it measures:

- startup: wall time from starting a fresh process to the window's first paint, and that
  process's peak RSS (the process opens the database the way `annotator gui` does);
- switch: opening an article from the list, until the events are processed (painted);
- confirm: A on the current figure: written to the database, shown, moved on (also split
  into confirms that stay in the article and those that open the next one);
- sort/filter: re-listing 100,000 articles by progress and by a filter text;
- script switch: showing the open article in Hong Kong, Taiwan, Simplified and original
  script, each for the first time;
- soak (--soak N): N review actions (8 confirms, a correction, a flag in every ten;
  --soak-undo-every K adds an undo and a redo every K), RSS at start, end and in between.

- paint (--paint-samples N, after the timed runs, which it would slow): per confirm, the
  area repainted in the claims list, the text, the article list and the whole window, and
  how often the GUI thread waited for another thread. Wall-clock time on a shared machine
  moves by a third from run to run; these counts do not.

Targets (the window issue): startup < 1.5 s, switch p95 < 50 ms, confirm p95 < 20 ms,
peak RSS < 400 MB, and RSS not growing with the number of actions.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATASET = "bench"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# --- the database -------------------------------------------------------------------------

def build(path: Path, articles: int) -> dict:
    """Import the samples, then copy their rows (new ids, same text) to `articles`."""
    from annotator.services.importing import import_paths
    from annotator.storage.db import open_db, write_tx

    t0 = time.perf_counter()
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if p.exists():
            p.unlink()
    db = open_db(path)
    import_paths(db, [ROOT / "samples"], dataset="seed")
    seeds = [r[0] for r in db.execute(
        "SELECT article_id FROM dataset_articles WHERE dataset = 'seed' ORDER BY seq")]
    with write_tx(db):
        db.execute("INSERT INTO datasets(name, created_at) VALUES (?, datetime('now'))",
                   [DATASET])
        db.execute("CREATE TEMP TABLE copies(k INTEGER PRIMARY KEY, src TEXT, suffix TEXT)")
        db.conn.executemany("INSERT INTO copies VALUES (?, ?, ?)",
                            ((k, seeds[k % len(seeds)], f"-{k}") for k in range(articles)))
        _copy_rows(db)
    db.execute("DROP TABLE copies")
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    figures = db.execute("SELECT COUNT(*) FROM figures").fetchone()[0]
    db.close()
    return {"built_seconds": round(time.perf_counter() - t0, 1), "figures": figures,
            "db_mb": round(path.stat().st_size / 2**20)}


def _copy_rows(db) -> None:
    db.execute(
        "INSERT INTO articles(id, source, title, url, date, external_id, language, script, "
        "encoding, format, chars, text, imported_at) SELECT a.id || c.suffix, a.source, "
        "a.title, a.url, a.date, a.external_id, a.language, a.script, a.encoding, a.format, "
        "a.chars, a.text, a.imported_at FROM copies c JOIN articles a ON a.id = c.src")
    db.execute("INSERT INTO dataset_articles(dataset, article_id, seq) "
               f"SELECT '{DATASET}', c.src || c.suffix, c.k + 1 FROM copies c")
    db.execute("INSERT INTO boilerplate(article_id, start, end, rule) SELECT "
               "b.article_id || c.suffix, b.start, b.end, b.rule FROM copies c "
               "JOIN boilerplate b ON b.article_id = c.src")
    db.execute("INSERT INTO claims(id, article_id, seq, start, end, text) SELECT "
               "x.id || c.suffix, x.article_id || c.suffix, x.seq, x.start, x.end, x.text "
               "FROM copies c JOIN claims x ON x.article_id = c.src")
    db.execute(
        "INSERT INTO figures(id, claim_id, article_id, seq, start, end, text, kind, value, "
        "value_max, unit, currency, qualifier, role, link_id, warnings) SELECT "
        "f.id || c.suffix, f.claim_id || c.suffix, f.article_id || c.suffix, f.seq, f.start, "
        "f.end, f.text, f.kind, f.value, f.value_max, f.unit, f.currency, f.qualifier, "
        "f.role, CASE WHEN f.link_id IS NULL THEN NULL ELSE f.link_id || c.suffix END, "
        "f.warnings FROM copies c JOIN figures f ON f.article_id = c.src")


# --- measuring ------------------------------------------------------------------------

def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[max(0, int(len(ms) * 0.95) - 1)], 2),
            "max_ms": round(ms[-1], 2)}


CHILD = r"""
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QEvent, QObject, QSettings
from annotator.gui import app as gui_app

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.objectName() == "articleText":
            import resource
            print("shown", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
            os._exit(0)
        return False

application = gui_app.application()
watcher = FirstPaint()
application.installEventFilter(watcher)
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
settings.setValue("session/dataset", "bench")
sys.exit(gui_app.run(sys.argv[1], "bench", settings=settings))
"""


def startup(db: Path, runs: int) -> dict:
    times, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                   ANNOTATOR_CONFIG=str(Path(tmp) / "config.json"))
        for i in range(runs):
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db),
                                     str(Path(tmp) / f"s{i}.ini")], stdout=subprocess.PIPE,
                                    text=True, env=env, cwd=ROOT)
            line = proc.stdout.readline()
            elapsed = time.perf_counter() - t0
            proc.wait(timeout=60)
            if not line.startswith("shown"):
                raise SystemExit(f"startup child failed: {line!r}")
            times.append(elapsed * 1000)
            peaks.append(int(line.split()[1]) / 1024)
    return {**summary(times), "peak_rss_mb": round(max(peaks), 1)}


def open_window(db_path: Path, tmp: Path):
    from PySide6.QtCore import QSettings

    from annotator.gui.app import application
    from annotator.storage.db import open_db

    app = application()
    from annotator.gui.main_window import MainWindow

    settings = QSettings(str(tmp / "bench.ini"), QSettings.Format.IniFormat)
    settings.setValue("session/dataset", DATASET)
    db = open_db(db_path, check=False)
    window = MainWindow(db, "bench", db_path=db_path, settings=settings)
    window.resize(1480, 900)
    window.show()
    app.processEvents()
    return app, window, db


def timed(app, fn) -> float:
    t0 = time.perf_counter()
    fn()
    app.processEvents()
    return (time.perf_counter() - t0) * 1000


def interactive(db_path: Path, samples: int, soak: int, undo_every: int,
                paint_samples: int = 0) -> dict:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        app, window, db = open_window(db_path, Path(tmp))
        s = window.session
        n = s.articles.rowCount()
        switch = [timed(app, lambda: s.open_row(rng.randrange(n))) for _ in range(samples)]
        s.open_row(0)
        confirm, same, moved = [], [], []
        for _ in range(samples):
            before = s.article.id if s.article else None
            ms = timed(app, window.commands.confirm)
            confirm.append(ms)
            (same if s.article is not None and s.article.id == before else moved).append(ms)
        sort = timed(app, lambda: s.articles.sort(1))
        s.articles.sort(-1)
        filter_ms = timed(app, lambda: s.articles.set_filter("Hong Kong"))
        s.articles.set_filter("")
        scroll = [timed(app, lambda: window.article_list.table.scrollTo(
            s.articles.index(rng.randrange(n), 0))) for _ in range(samples)]
        # showing an article in another script: conversion, offset map, text and marks
        # (each article's first time in each script; the session keeps them afterwards)
        script_ms = []
        for _ in range(max(1, samples // 4)):
            s.open_row(rng.randrange(n))
            for script in ("hk", "tw", "hans", "original"):
                script_ms.append(timed(app, lambda: s.set_script(script)))
        out = {"articles": n, "switch": summary(switch), "confirm": summary(confirm),
               "script_switch": summary(script_ms),
               "confirm_same_article": summary(same) if same else None,
               "confirm_next_article": summary(moved) if moved else None,
               "list_scroll": summary(scroll), "sort_by_progress_ms": round(sort, 1),
               "filter_ms": round(filter_ms, 1)}
        if paint_samples:
            out["paint_per_confirm"] = paint_counts(app, window, paint_samples)
        if soak:
            out["soak"] = soak_run(app, window, soak, undo_every)
        out["peak_rss_mb"] = round(peak_mb(), 1)
        window.close()
        db.close()
    return out


def _gui_thread_waits() -> int:
    """Voluntary context switches of the calling thread so far (Linux)."""
    try:
        with open("/proc/thread-self/status") as f:
            return next(int(line.split()[1]) for line in f
                        if line.startswith("voluntary_ctxt_switches"))
    except (OSError, StopIteration):
        return 0


def paint_counts(app, window, confirms: int) -> dict:
    """Average painted area (pixels) per confirm, by view, and GUI-thread waits."""
    from PySide6.QtCore import QEvent, QObject

    views = {"claims": window.claims_panel.tree.viewport(),
             "text": window.text_view.viewport(),
             "article_list": window.article_list.table.viewport(), "window": window}
    area = dict.fromkeys(views, 0)
    watched = {id(w): name for name, w in views.items()}

    class Painted(QObject):
        def eventFilter(self, obj, event):
            name = watched.get(id(obj))
            if name is not None and event.type() == QEvent.Type.Paint:
                area[name] += sum(r.width() * r.height() for r in event.region())
            return False

    painted = Painted()
    for w in views.values():
        w.installEventFilter(painted)
    waits = _gui_thread_waits()
    for _ in range(confirms):
        window.commands.confirm()
        app.processEvents()
    waits = _gui_thread_waits() - waits
    for w in views.values():
        w.removeEventFilter(painted)
    out = {f"{name}_px": round(v / confirms) for name, v in area.items()}
    out["gui_thread_waits"] = round(waits / confirms, 1)
    out["confirms"] = confirms
    return out


class BenchDialogs:
    """Answers the correction and flag forms at once (a reviewer who always agrees)."""

    def correct(self, parent, figure, surface):
        return {"value": (figure.value or 0) + 1, "unit": figure.unit, "currency": None,
                "kind": figure.kind, "note": "bench"}

    def flag(self, parent, what):
        return "other", "bench"


def soak_run(app, window, actions: int, undo_every: int) -> dict:
    """Eight confirms, a correction and a flag in every ten actions; with `undo_every`,
    an undo and a redo every that many actions (each replays the reviewer's history)."""
    s, a = window.session, window.commands
    a.dialogs = BenchDialogs()
    steps = [a.confirm] * 8 + [a.correct, a.flag]
    s.open_row(0)
    for i in range(200):  # warm up: caches and pages filled once
        steps[i % 10]()
        app.processEvents()
    start = rss_mb()
    t0 = time.perf_counter()
    done = 0
    trace = []  # RSS every tenth of the run: growth or a plateau?
    while done < actions:
        steps[done % 10]()
        done += 1
        if undo_every and done % undo_every == 0:
            a.undo_stack.undo()
            a.undo_stack.redo()
            done += 2
        app.processEvents()
        if len(trace) < done * 10 // actions:
            trace.append(round(rss_mb(), 1))
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    a.undo_stack.undo()
    a.undo_stack.redo()
    undo_redo_ms = (time.perf_counter() - t1) * 1000
    return {"actions": done, "undo_every": undo_every, "seconds": round(seconds, 1),
            "ms_per_action": round(seconds * 1000 / done, 2),
            "rss_start_mb": round(start, 1), "rss_end_mb": round(rss_mb(), 1),
            "rss_trace_mb": trace, "undo_plus_redo_at_end_ms": round(undo_redo_ms, 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Review window benchmark")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--samples", type=int, default=200, help="switches and confirms timed")
    ap.add_argument("--startup-runs", type=int, default=5)
    ap.add_argument("--soak", type=int, default=0, help="review actions in the soak run")
    ap.add_argument("--soak-undo-every", type=int, default=0,
                    help="in the soak, an undo and a redo every N actions")
    ap.add_argument("--paint-samples", type=int, default=100,
                    help="confirms counted for painted area and thread waits (0: none)")
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    db = args.db or HERE / "out" / f"gui-{args.articles}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    result: dict = {"articles": args.articles}
    if args.build_only:
        print(json.dumps(build(db, args.articles)))
        return 0
    if args.rebuild or not db.exists() or _stale(db):
        # in its own process: the import engine's memory must not count as the window's
        out = subprocess.run([sys.executable, __file__, "--build-only", "--db", str(db),
                              "--articles", str(args.articles)], check=True,
                             capture_output=True, text=True).stdout
        result["build"] = json.loads(out.strip().splitlines()[-1])
    work = db.with_name(db.stem + "-run.db")  # reviews must not accumulate between runs
    _copy(db, work)
    result["startup"] = startup(work, args.startup_runs)
    result.update(interactive(work, args.samples, args.soak, args.soak_undo_every,
                              args.paint_samples))
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _stale(path: Path) -> bool:
    """A cached database made with another schema (or another engine) is rebuilt."""
    import sqlite3

    from annotator.storage.migrations import migrations

    conn = sqlite3.connect(path)
    try:
        have = {r[0] for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")}
    finally:
        conn.close()
    fresh = sqlite3.connect(":memory:")
    try:
        from sqlite_utils import Database

        migrations.apply(Database(fresh))
        want = {r[0] for r in fresh.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")}
    finally:
        fresh.close()
    return not want <= have


def _copy(src: Path, dst: Path) -> None:
    import shutil

    for suffix in ("", "-wal", "-shm"):
        p = Path(f"{dst}{suffix}")
        if p.exists():
            p.unlink()
    shutil.copyfile(src, dst)


if __name__ == "__main__":
    sys.exit(main())
