"""Import throughput and memory, end to end, on the synthetic corpus.

    python benchmarks/bench_import.py --sizes 1000,10000 [--runs 1] [--workdir DIR]

For each size: builds the corpus (benchmarks/make_corpus.py), then runs
`annotator import` in a fresh process on a fresh database and measures wall time and peak
memory of that process and all its descendants (the analysis workers), sampled every
half second: RSS summed (shared pages counted once per process) and PSS summed (the real
footprint, shared pages divided among their sharers). Prints one JSON object per size and a summary with
the cost ratio between the largest and the smallest size (scaled by article count).
Targets (the import issue): 10,000 articles (about 40 MB) at >= 1 MB/s, peak RSS < 500 MB,
and 10x the articles costs <= 11x the time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def corpus(n: int, workdir: Path) -> tuple[Path, int]:
    out = workdir / f"corpus-{n}"
    path = out / f"corpus-{n}.jsonl"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(n), "--out", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
    return path, path.stat().st_size


_TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.5


def _tree_memory_kb(root: int, cpu: dict[int, float]) -> tuple[int, int]:
    """(RSS, PSS) summed over a process and all its descendants (the analysis workers).
    RSS counts pages the workers share with their forkserver once per process; PSS
    divides shared pages among the processes sharing them: the real footprint.
    Also records each process's CPU seconds so far in `cpu` (by pid): on a shared
    machine the CPU time of the whole tree says more about the work than wall time."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            stats[int(entry)] = fields
        except (OSError, ValueError, IndexError):
            continue
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        if pid in stats:  # utime and stime, fields 14 and 15 of /proc/PID/stat
            cpu[pid] = (int(stats[pid][11]) + int(stats[pid][12])) / _TICK
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss


def run_import(path: Path, db: Path) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    # The import's output goes to files, not pipes: this process samples memory and never
    # reads while the import runs, and an import printing more errors than a pipe holds
    # (64 KB) would wait forever for it to read.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out_file, \
            tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as err_file:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "annotator", "import", str(path), "--db",
                                 str(db), "--dataset", "bench"],
                                stdout=out_file, stderr=err_file, text=True)
        peak_rss = peak_pss = 0
        cpu: dict[int, float] = {}
        mine = time.process_time()
        while proc.poll() is None:
            rss, pss = _tree_memory_kb(proc.pid, cpu)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            # smaps_rollup makes the kernel walk every page table: sampled every 50 ms it
            # took most of a core from the import it measured
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - t0
        sampler = time.process_time() - mine
        out_file.seek(0)
        err_file.seek(0)
        out = out_file.read()
        errors = sum(1 for line in err_file if line.startswith("error: "))
        err_file.seek(0)
        err = err_file.read()
    summary = out.strip().splitlines()[-1] if out.strip() else ""
    # exit status 1 is an import that reported bad files or records and stored the rest
    if proc.returncode not in (0, 1) or not summary.startswith("dataset "):
        raise SystemExit(f"import failed ({proc.returncode}): {err[-2000:]}")
    return {"seconds": seconds, "cpu_seconds": sum(cpu.values()), "sampler_cpu_seconds": sampler,
            "peak_rss_mb": round(peak_rss / 1024, 1),
            "peak_pss_mb": round(peak_pss / 1024, 1),
            "errors": errors, "summary": summary}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Import benchmark")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=1, help="runs per size (median reported)")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        path, size = corpus(n, workdir)
        runs = [run_import(path, workdir / f"bench-{n}.db") for _ in range(args.runs)]
        secs = statistics.median(r["seconds"] for r in runs)
        db_size = (workdir / f"bench-{n}.db").stat().st_size
        row = {"articles": n, "mb": round(size / 1e6, 2), "seconds": round(secs, 2),
               "mb_per_s": round(size / 1e6 / secs, 2),
               "articles_per_s": round(n / secs, 1),
               # all processes of the import (sampled every half second, so slightly low)
               "cpu_seconds": round(statistics.median(r["cpu_seconds"] for r in runs), 1),
               "sampler_cpu_seconds": round(max(r["sampler_cpu_seconds"] for r in runs), 2),
               "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
               "peak_pss_mb": max(r["peak_pss_mb"] for r in runs),
               "db_bytes_per_article": round(db_size / n),
               "runs": args.runs,
               # every run, fastest first: this machine's runs spread by 10-20%
               "seconds_each": sorted(round(r["seconds"], 1) for r in runs),
               "errors": runs[-1]["errors"],
               "summary": runs[-1]["summary"]}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if len(results) >= 2:
        a, b = results[0], results[-1]
        scale = b["articles"] / a["articles"]
        print(json.dumps({"size_ratio": scale,
                          "time_ratio": round(b["seconds"] / a["seconds"], 2),
                          "cost_ratio_per_article": round(b["seconds"] / a["seconds"] / scale, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
