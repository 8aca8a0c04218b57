"""The whole program at scale: import, database size, duplicates and search on the
synthetic corpus (100,000 articles by default).

    python benchmarks/bench_scale.py [--articles 100000] [--workdir DIR] [--reuse]
                                     [--search-runs 5] [--gui] [--soak 10000]

Steps, each in the way a user runs it:

- corpus: benchmarks/make_corpus.py (cached in the work folder);
- import: `annotator import` in a fresh process on a fresh database; wall time and the
  peak memory of the process tree (sampled every half second, as bench_import.py does);
- size: the database file after a checkpoint, in bytes per article, and per table when
  SQLite was built with the dbstat table;
- duplicates: `annotator duplicates` over the dataset, in a fresh process, output counted;
- search: the search service, in this process, over a fixed set of Chinese (both scripts)
  and English queries; the first (cold) run of each query is reported apart, then
  --search-runs warm runs of each give p50 and p95;
- window (--gui): benchmarks/bench_gui.py on this imported database (startup, article
  switch, confirm latency, RSS; with --soak N, N review actions and RSS at start and end).

Targets from their issues: import >= 1 MB/s with peak RSS < 500 MB; duplicates 10x the
articles <= 12x the time; the window: startup < 1.5 s, switch p95 < 50 ms, confirm p95 <
20 ms, RSS < 400 MB and not growing. Search has no written target; the window shows
results while the user waits, so p95 under 500 ms is what this script calls fine.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATASET = "bench"  # the dataset bench_gui.py opens

QUERIES = [
    "香港", "人才", "创科", "創科", "人工智能", "大湾区", "大灣區", "人力短缺", "高才通", "港元",
    "Hong Kong", "talent", "innovation", "billion", "Science Park", "artificial intelligence",
    "percent", "2028", "不存在的词语", "zyxwvut",
]


def _annotator() -> list[str]:
    script = Path(sys.executable).with_name("annotator")
    return [str(script)] if script.exists() else [sys.executable, "-m", "annotator"]


def make_corpus(n: int, workdir: Path) -> Path:
    path = workdir / f"corpus-{n}" / f"corpus-{n}.jsonl"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(n), "--out",
                        str(path.parent)], check=True, stdout=subprocess.DEVNULL)
    return path


def _tree_kb(root: int) -> tuple[int, int, int]:
    """Memory of a process and its descendants (the analysis workers), in kB: the root's
    own RSS, the RSS summed (pages the workers share with their forkserver counted in each
    of them) and the PSS summed (shared pages divided among their sharers: the footprint)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    own = rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        kb = int(line.split()[1])
                        rss += kb
                        if pid == root:
                            own = kb
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return own, rss, pss


def run(cmd: list[str]) -> dict:
    """Run a command to the end, sampling its memory; its output goes to temporary files
    (a pipe nobody reads while polling would stop a chatty command when it fills)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        peaks = [0, 0, 0]
        while proc.poll() is None:
            peaks = [max(a, b) for a, b in zip(peaks, _tree_kb(proc.pid))]
            time.sleep(0.5)  # smaps_rollup is costly: sampled often, it slows the import
        seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        own, rss, pss = (round(kb / 1024, 1) for kb in peaks)
        return {"seconds": round(seconds, 2), "peak_rss_mb": rss, "peak_pss_mb": pss,
                "peak_main_rss_mb": own, "returncode": proc.returncode,
                "stdout": out.read(), "stderr": err.read()}


def import_corpus(corpus: Path, db: Path) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    r = run(_annotator() + ["import", str(corpus), "--db", str(db), "--dataset", DATASET])
    if r["returncode"] != 0:
        raise SystemExit(f"import failed: {r['stderr'][-2000:]}")
    mb = corpus.stat().st_size / 1e6
    return {"seconds": r["seconds"], "corpus_mb": round(mb, 1),
            "mb_per_s": round(mb / r["seconds"], 2), "peak_rss_mb": r["peak_rss_mb"],
            "peak_pss_mb": r["peak_pss_mb"], "peak_main_rss_mb": r["peak_main_rss_mb"],
            "summary": r["stdout"].strip().splitlines()[-1]}


def db_size(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        text_bytes = conn.execute("SELECT SUM(LENGTH(CAST(text AS BLOB))) FROM articles").fetchone()[0]
        out = {"articles": articles, "bytes": db.stat().st_size,
               "bytes_per_article": round(db.stat().st_size / max(articles, 1)),
               "text_bytes_per_article": round((text_bytes or 0) / max(articles, 1))}
        try:
            rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name "
                                "ORDER BY 2 DESC LIMIT 12").fetchall()
            out["largest_mb"] = {name: round(size / 1e6, 1) for name, size in rows}
        except sqlite3.OperationalError:
            pass  # SQLite built without dbstat
        return out
    finally:
        conn.close()


def duplicates(db: Path) -> dict:
    r = run(_annotator() + ["duplicates", "--db", str(db), "--dataset", DATASET])
    if r["returncode"] != 0:
        raise SystemExit(f"duplicates failed: {r['stderr'][-2000:]}")
    pairs = r["stdout"].count("\n")
    return {"seconds": r["seconds"], "pairs": pairs, "peak_rss_mb": r["peak_rss_mb"]}


def search(db_path: Path, runs: int) -> dict:
    from annotator.services.search import search as search_articles
    from annotator.storage.db import open_db

    db = open_db(db_path, check=False)
    try:
        cold, warm, hits = [], [], {}
        for q in QUERIES:
            t0 = time.perf_counter()
            found = search_articles(db, q, dataset=DATASET)
            cold.append((time.perf_counter() - t0) * 1000)
            hits[q] = len(found)
            for _ in range(runs):
                t0 = time.perf_counter()
                search_articles(db, q, dataset=DATASET)
                warm.append((time.perf_counter() - t0) * 1000)
    finally:
        db.close()
    return {"queries": len(QUERIES), "runs_per_query": runs, "cold_ms": _summary(cold),
            "warm_ms": _summary(warm), "hits": hits}


def _summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"p50": round(statistics.median(ms), 1),
            "p95": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1),
            "max": round(ms[-1], 1)}


def window(db: Path, soak: int) -> dict:
    cmd = [sys.executable, str(HERE / "bench_gui.py"), "--db", str(db), "--samples", "100"]
    if soak:
        cmd += ["--soak", str(soak)]
    r = run(cmd)
    if r["returncode"] != 0:
        return {"error": r["stderr"][-2000:]}
    return json.loads(r["stdout"].strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Import, size, duplicates and search at scale")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where the corpus and database go (default: a new temporary folder)")
    ap.add_argument("--reuse", action="store_true",
                    help="keep an imported database from an earlier run instead of importing")
    ap.add_argument("--search-runs", type=int, default=5)
    ap.add_argument("--gui", action="store_true", help="also run bench_gui.py on the database")
    ap.add_argument("--soak", type=int, default=0, help="with --gui: review actions to soak")
    args = ap.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="annotator-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(args.articles, workdir)
    db = workdir / f"scale-{args.articles}.db"
    result: dict = {"articles": args.articles, "cpus": os.cpu_count()}
    if not (args.reuse and db.exists()):
        result["import"] = import_corpus(corpus, db)
    result["size"] = db_size(db)
    result["duplicates"] = duplicates(db)
    result["search"] = search(db, args.search_runs)
    if args.gui:
        result["window"] = window(db, args.soak)  # it reviews a copy of its own
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
