"""Time DuplicateIndex.add over synthetic corpora of 1,000 and 10,000 articles.

Articles follow the shape of the sample paragraphs (language, sentence lengths) with words
drawn at random from the samples' vocabulary, so that unrelated articles share a subject
but no sentences, as in a real feed; a share of them are
planted repeats of an earlier article: verbatim, converted to Traditional, or edited (one
sentence dropped, 万 -> 萬, full-width digits, a word changed), plus bodies pasted twice.
Prints JSON: wall and CPU seconds per corpus size, the 10x time ratios, and how many planted
repeats were found (recall) and how many reported pairs were not planted.

Usage: python benchmarks/bench_duplicates_core.py [--sizes 1000 10000] [--seed 7] [--recent 500]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.text.chinese import convert  # noqa: E402
from annotator.text.duplicates import DuplicateIndex  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("00[0-4]_*.txt"))
_SENTENCE = re.compile(r"[^。！？!?.]*[。！？!?.]+|[^。！？!?.]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Re-posts copy one of the last RECENT original stories by default: news is re-posted within
# days, so how many copies a story has does not grow with the size of the dataset.
RECENT = 500
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _paragraphs() -> list[str]:
    paras = []
    for path in SAMPLES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line.strip()) >= 40:
                paras.append(line.strip())
    return paras


def _tokens(paras: list[str]) -> tuple[list[str], list[str]]:
    """Every Chinese two-character chunk and every English word of the samples."""
    han, latin = [], []
    for p in paras:
        if _HAN.search(p):
            han.extend(p[k:k + 2] for k in range(0, len(p) - 1, 2) if _HAN.match(p[k]))
        else:
            latin.extend(w.strip(".,;:!?") for w in p.split())
    return han, latin


def _fresh_sentence(sentence: str, pools: tuple[list[str], list[str]], rng) -> str:
    """A sentence as long as `sentence`, of tokens drawn from the whole sample vocabulary:
    the same language and subject, but not a copy of anything."""
    han, latin = pools
    if _HAN.search(sentence):
        return "".join(rng.choices(han, k=max(len(sentence) // 2, 1))) + "。"
    words = rng.choices(latin, k=max(len(sentence.split()), 1))
    return " ".join(words).capitalize() + ". "


def _fresh_article(paras: list[str], pools, rng: random.Random) -> str:
    chosen = rng.sample(paras, rng.randint(4, 10))
    out = []
    for p in chosen:
        out.append("".join(_fresh_sentence(s, pools, rng) for s in _SENTENCE.findall(p)))
    return "\n\n".join(out)


def _edited(text: str, rng: random.Random) -> str:
    sentences = _SENTENCE.findall(text)
    if len(sentences) > 3:
        del sentences[rng.randrange(1, len(sentences) - 1)]
    edited = "".join(sentences).replace("万", "萬").translate(_FULL_WIDTH)
    return edited.replace("the ", "this ", 1).replace("的", "之", 1)


def build_corpus(n: int, seed: int, recent: int = RECENT,
                 ) -> tuple[list[tuple[str, str]], set[tuple[str, str]], set[str]]:
    """(id, text) pairs, the planted across pairs (earlier id, later id) and the ids with
    a body pasted twice. `recent` = 0 draws re-posts from the whole history instead."""
    rng = random.Random(seed)
    paras = _paragraphs()
    pools = _tokens(paras)
    articles: list[tuple[str, str]] = []
    planted: set[tuple[str, str]] = set()
    doubled: set[str] = set()
    originals: list[int] = []
    for k in range(n):
        aid = f"a{k:06d}"
        roll = rng.random()
        if originals and roll < 0.10:
            src = rng.choice(originals[-recent:] if recent else originals)
            text = articles[src][1]
            kind = rng.random()
            if kind < 0.3:
                new = text
            elif kind < 0.6:
                new = convert(text, rng.choice(["s2hk", "s2tw"]))
            else:
                new = _edited(text, rng)
            planted.add((articles[src][0], aid))
            articles.append((aid, new))
            continue
        text = _fresh_article(paras, pools, rng)
        if roll < 0.12:
            text = text + "\n\n" + text
            doubled.add(aid)
        originals.append(k)
        articles.append((aid, text))
    return articles, planted, doubled


def run(n: int, seed: int, recent: int) -> dict:
    articles, planted, doubled = build_corpus(n, seed, recent)
    index = DuplicateIndex()
    per_add = []
    found_across: set[tuple[str, str]] = set()
    found_within: set[str] = set()
    started, cpu_started = time.perf_counter(), time.process_time()
    for aid, text in articles:
        t0 = time.perf_counter()
        pairs = index.add(aid, text)
        per_add.append(time.perf_counter() - t0)
        for p in pairs:
            if p.scope == "within":
                found_within.add(p.a.article_id)
            else:
                found_across.add((p.a.article_id, p.b.article_id))
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    # A re-post of a re-post is related to both: count pairs within one planted family.
    family = {}
    for a, b in sorted(planted, key=lambda p: p[1]):
        family[b] = family.get(a, a)
    related = {(a, b) for a, b in found_across if family.get(a, a) == family.get(b, b)}
    return {
        "articles": n,
        "chars_median": statistics.median(len(t) for _, t in articles),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "add_ms_median": round(statistics.median(per_add) * 1000, 3),
        "add_ms_p95_last_tenth": round(
            sorted(per_add[-n // 10:])[int(0.95 * (n // 10))] * 1000, 3),
        "planted_across": len(planted),
        "planted_across_found": len(planted & found_across),
        "planted_within": len(doubled),
        "planted_within_found": len(doubled & found_within),
        "unplanted_across_pairs": len(found_across - related),
    }


def _median_run(n: int, seed: int, recent: int, repeat: int) -> dict:
    """Small corpora take about a second, so other load on the machine skews them: run
    them `repeat` times and keep the run with the median time."""
    runs = [run(n, seed, recent) for _ in range(repeat if n < 5000 else 1)]
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--recent", type=int, default=RECENT,
                        help="re-posts copy one of the last N stories (0: any earlier story)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each corpus under 5,000 articles (the median is kept)")
    args = parser.parse_args()
    results = [_median_run(n, args.seed, args.recent, args.repeat) for n in args.sizes]
    out = {"recent": args.recent, "runs": results}
    if len(results) >= 2:
        small, large = results[0], results[-1]
        out["size_ratio"] = large["articles"] / small["articles"]
        out["time_ratio"] = round(large["seconds"] / small["seconds"], 2)
        out["cpu_time_ratio"] = round(large["cpu_seconds"] / small["cpu_seconds"], 2)
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
