"""Review databases for the window's tests, built without the figure engine.

Claims and figures are marked by hand-written rules (every run of digits in a sentence
is a figure), so the tests depend only on storage and on what the window does with it.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.domain import Claim, Figure, FigureWarning, RawArticle
from annotator.readers import read_file
from annotator.storage import articles as repo
from annotator.storage.db import open_db, write_tx
from annotator.text.chinese import detect_script
from annotator.text.clean import find_boilerplate

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

_SENTENCE = re.compile(r"(?:[^。！？!?\n.]|\.(?=\d))+(?:[。！？!?]|\.(?!\d))?")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*(?:%|万|亿|萬|億)?")
_SCALE = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}

# A small article that exercises what scraped text does to offsets: emoji and a CJK
# Extension B character before the figures, markup that must show as text, CRLF lines,
# and 内存, which Taiwan usage writes in three characters (記憶體), shifting what follows.
TRICKY = (
    "Markup test <script>alert('x')</script> <img src=x onerror=alert(1)> <b>bold</b>\r\n"
    "😀😀 𠀋 The fund grew by 12% to 3,400 members in 2024.\r\n"
    "香港 🎉 内存 有 5.02万 人参加，增长 4.3%。\n"
)


def hand_claims(text: str, boilerplate) -> list[Claim]:
    claims: list[Claim] = []
    n = 0
    for m in _SENTENCE.finditer(text):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        end = m.end() - (len(m.group()) - len(m.group().rstrip()))
        if end <= start or any(b.start <= start < b.end for b in boilerplate):
            continue
        figures = []
        for fm in _FIGURE.finditer(text, start, end):
            surface = fm.group()
            figures.append(_figure(surface, fm.start(), n))
            n += 1
        if figures:
            claims.append(Claim(start, end, text[start:end], figures))
    return claims


def _figure(surface: str, start: int, n: int) -> Figure:
    unit = surface[-1] if surface[-1] in "%万亿萬億" else None
    number = float(surface.rstrip("%万亿萬億").replace(",", ""))
    value = round(number * _SCALE.get(unit or "", 1), 6)
    kind = "percent" if unit == "%" else "number"
    warnings = [FigureWarning("hand_check", "Check this figure against the source")] \
        if n % 5 == 2 else []
    return Figure(surface, start, start + len(surface), kind, value=value,
                  unit="%" if unit == "%" else None, warnings=warnings)


def sample_articles() -> list[RawArticle]:
    """Chinese (Simplified), English, Hong Kong Traditional, and the tricky one."""
    out = []
    for name in ("001_1bdd7b1565627bd6.txt", "000_9a8e113bea1e7b93.txt",
                 "101_hk_repost_big5hkscs.txt"):
        out += [a for a in read_file(SAMPLES / name) if isinstance(a, RawArticle)]
    out.append(RawArticle(source="tricky.txt", text=TRICKY, title="Tricky offsets"))
    return out


def add_article(db, raw: RawArticle, dataset: str) -> str:
    language = "zh" if re.search(r"[\u4e00-\u9fff]{20}", raw.text) else "en"
    script = detect_script(raw.text)
    boilerplate = find_boilerplate(raw.text)
    with write_tx(db):
        aid = repo.insert_article(db, raw, language=language, script=script,
                                  boilerplate=boilerplate,
                                  claims=hand_claims(raw.text, boilerplate))
        repo.add_to_dataset(db, dataset, aid)
    return aid


def build_review_db(path: Path, dataset: str = "samples") -> list[str]:
    from annotator.services.search import index_missing

    db = open_db(path)
    try:
        ids = [add_article(db, raw, dataset) for raw in sample_articles()]
        index_missing(db)  # what an import does for search
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return ids
