"""Two reviewers' databases built from the same hand-made article, for merge tests."""

from __future__ import annotations

from annotator.services import review as svc
from annotator.storage.db import open_db

from tests.core.factories import TEXT, figure_ids, make_article

SECOND_TEXT = TEXT + "Second copy with a tail.\n"


def reviewer_db(path, source: str, *, extra_article: bool = False):
    """A reviewer's own database: the shared article (and optionally a second one)."""
    d = open_db(path)
    aid = make_article(d, source=source)
    if extra_article:
        make_article(d, text=SECOND_TEXT, source=source + ".2")
    return d, aid


def review_all(d, reviewer: str, decisions: dict[int, dict], figures: list[str]) -> None:
    """decisions: figure index -> review() keyword arguments (action, value, reason...)."""
    for i, kw in decisions.items():
        svc.review(d, reviewer=reviewer, target_id=figures[i], **kw)


def two_reviewers(tmp_path):
    """ana confirms everything; ben corrects figure 0 and flags figure 4 (conflicts)."""
    ana, aid = reviewer_db(tmp_path / "ana.db", "ana/article.txt")
    ben, _ = reviewer_db(tmp_path / "ben.db", "ben/article.txt", extra_article=True)
    f = figure_ids(ana, aid)
    review_all(ana, "ana", {i: {"action": "confirm"} for i in range(5)}, f)
    review_all(ben, "ben", {0: {"action": "correct", "value": 190000},
                            1: {"action": "confirm"}, 2: {"action": "confirm"},
                            3: {"action": "confirm"},
                            4: {"action": "flag", "reason": "outdated"}}, f)
    ana.close()
    ben.close()
    return tmp_path / "ana.db", tmp_path / "ben.db", aid, f
