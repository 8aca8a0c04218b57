"""Duplicate finding as the application runs it: the persisted index in SQLite.

    python benchmarks/bench_duplicates.py --sizes 1000,10000 [--workdir DIR]

For each size: imports the synthetic corpus (benchmarks/make_corpus.py) into a fresh
database, then clears the duplicate index and rebuilds it with the same code the import
and `annotator duplicates` use (storage.duplicate_finder.index_missing_pairs): every article is
compared only with the candidates the stored index names. Prints JSON per size
(seconds, articles/s, pairs found, index bytes per article) and the 10x cost ratio.
Targets (the duplicates issue): 10,000 articles in < 60 s; 10x the articles <= 12x the time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from annotator.storage import duplicate_finder as duplicates  # noqa: E402
from annotator.storage.db import open_db, write_tx  # noqa: E402


def _corpus(n: int, workdir: Path) -> Path:
    out = workdir / f"corpus-{n}"
    path = out / f"corpus-{n}.jsonl"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(n), "--out", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def _database(n: int, workdir: Path) -> Path:
    db = workdir / f"bench-{n}.db"
    if not db.exists():
        subprocess.run([sys.executable, "-m", "annotator", "import", str(_corpus(n, workdir)),
                        "--db", str(db), "--dataset", "bench"], check=True,
                       stdout=subprocess.DEVNULL)
    return db


def measure(n: int, workdir: Path) -> dict:
    db = open_db(_database(n, workdir))
    with write_tx(db):
        for table in ("duplicate_links", "pair_state", "passage_pairs", "dup_digests",
                      "dup_bands", "dup_digests_recent", "dup_bands_recent", "dup_signatures"):
            db.execute(f"DELETE FROM {table}")
        db.execute("UPDATE claims SET duplicate_of = NULL")
        db.execute("UPDATE figures SET duplicate_of = NULL")
    t0 = time.perf_counter()
    found = duplicates.index_missing_pairs(db)
    seconds = time.perf_counter() - t0
    index_bytes = sum(r[0] for r in db.execute(
        "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'dup_%'")) if _has_dbstat(db) else None
    db.close()
    return {"articles": n, "seconds": round(seconds, 2), "articles_per_s": round(n / seconds, 1),
            "pairs": found,
            "index_bytes_per_article": round(index_bytes / n) if index_bytes else None}


def _has_dbstat(db) -> bool:
    try:
        db.execute("SELECT 1 FROM dbstat LIMIT 1")
        return True
    except Exception:
        return False


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Duplicate index benchmark")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        rows.append(measure(n, workdir))
        print(json.dumps(rows[-1]), flush=True)
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        print(json.dumps({"size_ratio": b["articles"] / a["articles"],
                          "time_ratio": round(b["seconds"] / a["seconds"], 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
