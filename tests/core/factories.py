"""Hand-made articles for tests that must not depend on the extraction engine."""

from __future__ import annotations

from annotator.domain import Claim, Figure, RawArticle, Span
from annotator.storage import articles as repo
from annotator.storage.db import write_tx

TEXT = ("[ad_1]\n香港整体人力短缺达18万人。创科业界的人力需求将由6.02万人增至9.64万人。\n"
        "Only 200 people were hired 😀 and 15% left.\n")


def _fig(text: str, surface: str, kind: str, value: float, nth: int = 0, **kw) -> Figure:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Figure(text=surface, start=start, end=start + len(surface), kind=kind, value=value, **kw)


def _claim(text: str, sentence: str, figures: list[Figure]) -> Claim:
    start = text.index(sentence)
    return Claim(start=start, end=start + len(sentence), text=sentence, figures=figures)


def make_article(db, text: str = TEXT, dataset: str = "ds", source: str = "made.txt") -> str:
    s1 = "香港整体人力短缺达18万人。"
    s2 = "创科业界的人力需求将由6.02万人增至9.64万人。"
    s3 = "Only 200 people were hired 😀 and 15% left."
    claims = [
        _claim(text, s1, [_fig(text, "18万人", "count", 180000, unit="人")]),
        _claim(text, s2, [
            _fig(text, "6.02万人", "change", 60200, unit="人", role="from", link=1),
            _fig(text, "9.64万人", "change", 96400, unit="人", role="to", link=0)]),
        _claim(text, s3, [_fig(text, "200 people", "count", 200, unit="people"),
                          _fig(text, "15%", "percent", 15, unit="%")]),
    ]
    raw = RawArticle(source=source, text=text, title="t")
    with write_tx(db):
        aid = repo.insert_article(db, raw, language="zh", script="hans",
                                  boilerplate=[Span(0, 6, "ad_marker")], claims=claims)
        repo.add_to_dataset(db, dataset, aid)
    return aid


def figure_ids(db, article_id: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT id FROM figures WHERE article_id = ? ORDER BY seq", [article_id])]


def claim_ids(db, article_id: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT id FROM claims WHERE article_id = ? ORDER BY seq", [article_id])]
