"""Language labels on every development article of the real-news corpus.

Every file under `html/`, `text/` and `encodings/` of the corpus (`../shared/realnews/` next to the
repository; `--corpus DIR` or `$ANNOTATOR_REALNEWS`) is read as `annotator import` reads
it and labelled by `annotator.text.language.detect_language`. The expected label is the
folder's (en, or zh for zh-hans, zh-hant and the re-encodings) except for the pages and records below,
read by eye: the English folders hold pages in Japanese, Korean, Russian, German,
Italian, Spanish, Portuguese and Indonesian. Prints JSON: articles right per expected
language, every wrong label, and the labelling time.

    python benchmarks/bench_language.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.domain import RawArticle  # noqa: E402
from annotator.readers import read_file  # noqa: E402
from annotator.text.language import detect_language  # noqa: E402

# pages of the English folder in other languages
PAGES = {
    "html/en/readability_nytimes-5.html": "es",
    "html/en/readability_yahoo-4.html": "ja",
    "html/en/scrapinghub_20b2b64916b0.html": "it",
    "html/en/scrapinghub_57b4dafd18cf.html": "de",
    "html/en/scrapinghub_85439e26c41c.html": "ja",
    "html/en/scrapinghub_b6fb53e9fb04.html": "it",
}
# records of text/en/scrapinghub_ground_truth.jsonl in other languages (by line)
RECORDS = {1: "ko", 5: "pt", 6: "pt", 9: "ru", 25: "pt", 32: "id", 33: "ru", 34: "ru",
           41: "id", 45: "ko", 49: "ja", 53: "pt"}


def expected(rel: str, source: str) -> str:
    if rel in PAGES:
        return PAGES[rel]
    if rel.endswith("scrapinghub_ground_truth.jsonl"):
        return RECORDS.get(int(source.rsplit(":", 1)[1]), "en")
    if rel.startswith("encodings/"):
        return "zh"  # GB18030 and Big5 re-encodings of Chinese pages and texts
    return "en" if rel.split("/")[1] == "en" else "zh"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=os.environ.get("ANNOTATOR_REALNEWS",
                                                        str(ROOT.parent / "shared" / "realnews")))
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    right: Counter = Counter()
    total: Counter = Counter()
    wrong = []
    seconds = 0.0
    chars = 0
    for folder in ("html", "text", "encodings"):
        for f in sorted((corpus / folder).rglob("*")):
            if not f.is_file():
                continue
            rel = f.relative_to(corpus).as_posix()
            for item in read_file(f):
                if not isinstance(item, RawArticle):
                    continue
                want = expected(rel, item.source)
                t0 = time.perf_counter()
                got = detect_language(item.text)
                seconds += time.perf_counter() - t0
                chars += len(item.text)
                total[want] += 1
                if got == want:
                    right[want] += 1
                else:
                    wrong.append({"article": f"{rel}{item.source[len(str(f)):]}",
                                  "expected": want, "label": got})
    n = sum(total.values())
    by_language = {lang: f"{right[lang]}/{total[lang]}" for lang in sorted(total, key=lambda x: -total[x])}
    print(json.dumps({"articles": n, "right": sum(right.values()),
                      "share": round(sum(right.values()) / n, 4) if n else None,
                      "by_language": by_language, "wrong": wrong,
                      "ms_per_article": round(1000 * seconds / n, 3) if n else None,
                      "chars": chars}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
