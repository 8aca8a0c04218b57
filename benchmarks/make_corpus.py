"""Build a synthetic corpus of N articles from the samples' paragraphs.

Each article recombines real paragraphs (Chinese and English) with their figures
perturbed, so the extraction engine sees realistic text at volume. Some articles are
Traditional (Hong Kong) re-posts of earlier ones, some repeat their body twice, some are
near-copies with one paragraph dropped: the duplicate finder has real work to do.

    python benchmarks/make_corpus.py 10000 --out corpus/ [--format jsonl|txt] [--seed 1]

Prints JSON: articles, bytes, files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def paragraphs() -> tuple[list[str], list[str]]:
    zh, en = [], []
    for p in sorted(SAMPLES.glob("00*.txt")):
        for para in p.read_text(encoding="utf-8").split("\n"):
            para = para.strip()
            if len(para) < 40 or "Related Post" in para:
                continue
            cjk = sum(1 for ch in para if "\u4e00" <= ch <= "\u9fff")
            (zh if cjk > len(para) * 0.3 else en).append(para)
    return zh, en


def perturb(para: str, rng: random.Random) -> str:
    """Change about a third of the numbers, keeping their shape (digits, decimals)."""

    def repl(m: re.Match) -> str:
        s = m.group()
        if rng.random() > 0.35 or len(s) == 4 and s.startswith(("19", "20")):
            return s
        if "." in s:
            whole, frac = s.split(".")
            return f"{rng.randint(1, max(1, int(whole) * 2 + 1))}.{''.join(rng.choice('0123456789') for _ in frac)}"
        return str(rng.randint(1, max(1, int(s) * 2)))

    return _DIGITS.sub(repl, para)


def build(n: int, seed: int = 1):
    """Yield (id, title, text) for n articles, deterministically for a seed."""
    rng = random.Random(seed)
    zh, en = paragraphs()
    made: list[str] = []
    s2hk = None
    for i in range(n):
        roll = rng.random()
        if made and roll < 0.08:
            # a Traditional re-post of an earlier Chinese article
            src = rng.choice(made[-200:])
            if s2hk is None:
                from annotator.text.chinese import convert

                s2hk = lambda t: convert(t, "s2hk")  # noqa: E731
            text = s2hk(src)
        elif made and roll < 0.12:
            # a near-copy: one paragraph dropped, a few figures changed
            src = rng.choice(made[-200:]).split("\n\n")
            if len(src) > 2:
                src.pop(rng.randrange(1, len(src)))
            text = "\n\n".join(perturb(p, rng) if rng.random() < 0.2 else p for p in src)
        else:
            pool = zh if roll < 0.6 else en
            k = rng.randint(4, 12)
            body = [perturb(p, rng) for p in rng.sample(pool, min(k, len(pool)))]
            if rng.random() < 0.05:
                body = body + body  # a body repeated twice, as scrapers do
            title = body[0][:30]
            text = f"{title}\n\n" + "\n\n".join(body)
            if pool is zh:
                made.append(text)
        text = f"{text}\n\n[{i}]\n"  # every article distinct, so none collapses on import
        yield f"syn-{i:06d}", text.split("\n", 1)[0][:80], text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--format", choices=("jsonl", "txt"), default="jsonl")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    files = 0
    if args.format == "jsonl":
        path = args.out / f"corpus-{args.n}.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for aid, title, text in build(args.n, args.seed):
                line = json.dumps({"id": aid, "title": title, "text": text}, ensure_ascii=False)
                f.write(line + "\n")
                total += len(text.encode("utf-8"))
        files = 1
    else:
        for aid, _title, text in build(args.n, args.seed):
            (args.out / f"{aid}.txt").write_text(text, encoding="utf-8")
            total += len(text.encode("utf-8"))
            files += 1
    json.dump({"articles": args.n, "bytes": total, "mb": round(total / 1e6, 2), "files": files,
               "out": str(args.out)}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
