"""Build a synthetic corpus of N articles from the samples' paragraphs.

Each article recombines the samples' paragraphs (Chinese and English), rewritten so
that the words around each figure stay and most others are swapped, with the figures
perturbed: the extraction engine sees realistic figures at volume, and unrelated
articles do not repeat each other. About 5% are Traditional (Hong Kong) re-posts of
earlier ones, 3% near-copies with one paragraph dropped, and 4% repeat their body twice:
the duplicate finder has real work to do. An article has 8-16 paragraphs, about 4 kB, so
10,000 articles are the 40 MB the import issue measures (the seeds average 11.7 kB).

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
    """The samples' article paragraphs (boilerplate tails left out), by language."""
    zh, en = [], []
    for p in sorted(SAMPLES.glob("00*.txt")):
        text = p.read_text(encoding="utf-8").split("Leave a Reply")[0]
        for para in text.split("\n"):
            para = para.strip()
            if len(para) < 40:
                continue
            cjk = sum(1 for ch in para if "\u4e00" <= ch <= "\u9fff")
            (zh if cjk > len(para) * 0.3 else en).append(para)
    return zh, en


def perturb(para: str, rng: random.Random) -> str:
    """Change most numbers, keeping their shape (digits, decimals); years stay years."""

    def repl(m: re.Match) -> str:
        s = m.group()
        if len(s) == 4 and s.startswith(("19", "20")):
            return str(rng.randint(1990, 2030))
        if rng.random() > 0.8:
            return s
        if "." in s:
            whole, frac = s.split(".")
            digits = "".join(rng.choice("0123456789") for _ in frac)
            return f"{rng.randint(1, max(1, int(whole) * 2 + 1))}.{digits}"
        return str(rng.randint(1, max(1, int(s) * 2)))

    return _DIGITS.sub(repl, para)


class _Rewriter:
    """Makes a new paragraph in the shape of a sample one: the words around each figure
    (its unit, currency, qualifier) stay, most other words are swapped for words drawn
    from the samples' vocabulary. The figures are realistic; the sentences are not
    copies, so unrelated synthetic articles do not look like duplicates of each other."""

    KEEP_NEAR = 2       # words either side of a number that stay as they are
    SWAP = 0.7          # chance that any other word is swapped

    def __init__(self, zh: list[str], en: list[str]):
        import jieba
        import logging

        jieba.setLogLevel(logging.WARNING)
        self._cut = jieba.lcut
        self.zh_words = [w for p in zh for w in self._cut(p) if _is_word(w)]
        self.en_words = [w for p in en for w in p.split() if w.isalpha()]

    def rewrite(self, para: str, zh: bool, rng: random.Random) -> str:
        tokens = self._cut(para) if zh else re.split(r"(\s+)", para)
        near = set()
        for i, t in enumerate(tokens):
            if _DIGITS.search(t):
                near.update(range(i - self.KEEP_NEAR * (1 if zh else 2),
                                  i + self.KEEP_NEAR * (1 if zh else 2) + 1))
        pool = self.zh_words if zh else self.en_words
        out = []
        for i, t in enumerate(tokens):
            if i not in near and _is_word(t) and rng.random() < self.SWAP:
                out.append(rng.choice(pool))
            else:
                out.append(t)
        return perturb("".join(out), rng)


def _is_word(t: str) -> bool:
    return bool(t.strip()) and t.isalpha() and not _DIGITS.search(t)


def build(n: int, seed: int = 1):
    """Yield (id, title, text) for n articles, deterministically for a seed."""
    rng = random.Random(seed)
    zh, en = paragraphs()
    writer = _Rewriter(zh, en)
    made: list[str] = []
    s2hk = None
    for i in range(n):
        roll = rng.random()
        if made and roll < 0.05:
            # a Traditional re-post of a recent Chinese article
            src = rng.choice(made[-200:])
            if s2hk is None:
                from annotator.text.chinese import convert

                s2hk = lambda t: convert(t, "s2hk")  # noqa: E731
            text = s2hk(src)
        elif made and roll < 0.08:
            # a near-copy: one paragraph dropped, a few figures changed
            src = rng.choice(made[-200:]).split("\n\n")
            if len(src) > 2:
                src.pop(rng.randrange(1, len(src)))
            text = "\n\n".join(perturb(p, rng) if rng.random() < 0.2 else p for p in src)
        else:
            is_zh = roll < 0.6
            pool = zh if is_zh else en
            k = rng.randint(8, 16)  # about 4 kB an article: 10,000 are about 40 MB
            body = [writer.rewrite(p, is_zh, rng) for p in rng.sample(pool, min(k, len(pool)))]
            if rng.random() < 0.04:
                body = body + body  # a body repeated twice, as scrapers do
            title = body[0][:30]
            text = f"{title}\n\n" + "\n\n".join(body)
            if is_zh:
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
