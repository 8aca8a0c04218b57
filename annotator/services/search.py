"""Searching all articles in either script.

Articles are indexed as jieba words of their folded text (Simplified, lower-case,
half-width), and so are queries: a Simplified query finds Traditional text and the
reverse. A hit is located in the original text through the folding's offset map, so the
window can select exactly what matched.
"""

from __future__ import annotations

import unicodedata


from sqlite_utils import Database

from annotator.storage import articles as repo
from annotator.storage import search as store
from annotator.storage.db import bulk_writes, write_tx
from annotator.text.normalise import fold, fold_with_offsets
from annotator.text.pipeline import index_chars, index_tokens
from annotator.text.segment import match_expression

SNIPPET = 40  # characters of context either side of a hit
LOCATE_CHUNK = 400  # characters folded at a time to locate a hit (whole lines)
CANDIDATE_PAGE = 100  # index candidates fetched at a time (some are not hits)


def search(db: Database, query: str, dataset: str | None = None, limit: int = 200) -> list[dict]:
    """Articles containing the query (folded: either script, width, case), best first, at
    most `limit`; each hit is the query's first occurrence in the article.

    The index finds candidates by words, so an article holding a query word's parts
    apart (人民 and 币 for 人民币) is one too; only those where the folded query is found
    are hits. Candidates come a page at a time until `limit` hits are found, so false
    candidates ranked first do not hide true hits."""
    expression = match_expression(query or "")
    if expression is None or limit <= 0:
        return []
    page = max(limit, CANDIDATE_PAGE)
    hits: list[dict] = []
    offset = 0
    while len(hits) < limit:
        candidates = store.match(db, expression, dataset, page, offset)
        for aid in candidates:
            art = repo.get_article(db, aid)
            start, end = locate(art.text, query)
            if end <= start:  # the words are there, the query is not
                continue
            hits.append(_hit(art, start, end))
            if len(hits) == limit:
                break
        if len(candidates) < page:
            break
        offset += page
    return hits


def _hit(art, start: int, end: int) -> dict:
    lo, hi = max(0, start - SNIPPET), min(len(art.text), end + SNIPPET)
    snippet = art.text[lo:hi].replace("\n", " ")
    return {"article_id": art.id, "source": art.source, "title": art.title,
            "start": start, "end": end,
            "snippet": ("…" if lo else "") + snippet + ("…" if hi < len(art.text) else "")}


def locate(text: str, query: str) -> tuple[int, int]:
    """Where the (folded) query, or failing that its first word, occurs in `text`."""
    q = fold(query)
    if q and " " not in q:
        return _locate_by_line(text, q)
    return _locate_in(text, [q] + [w for w in q.split() if w])


def _locate_by_line(text: str, needle: str) -> tuple[int, int]:
    """`_locate_in(text, [needle])` for a needle without spaces, folding a few lines at a
    time until it is found: no such needle spans a line break (folded to a space), and
    folding lines gives what folding the whole text gives there (OpenCC's phrases and
    NFKC's clusters stop at a line break). Only a query that starts with a combining
    mark may be placed on the mark itself rather than on the character before it: the
    fold points a mark at its cluster only in text that needs NFKC. A common word is
    found in an early line, so a search's 200 hits need not fold 200 whole articles
    (most of its time)."""
    pos = 0
    while pos < len(text):
        # whole lines of at least LOCATE_CHUNK characters: many short lines are folded
        # a few at a time, not one call each
        cut = text.find("\n", pos + LOCATE_CHUNK)
        cut = len(text) if cut < 0 else cut
        start, end = _locate_in(text[pos:cut], [needle])
        if end > start:
            return pos + start, pos + end
        pos = cut + 1
    return 0, 0


def _locate_in(text: str, candidates: list[str]) -> tuple[int, int]:
    folded, offsets = fold_with_offsets(text)
    for needle in candidates:
        i = folded.find(needle)
        if i >= 0 and needle:
            start = offsets[i]
            last = i + len(needle) - 1
            return start, max(_end_of(text, offsets, last), start)
    return 0, 0


def _end_of(text: str, offsets: list[int], last: int) -> int:
    """Where in `text` the folded character `last` ends: after its source character and
    the combining marks of that character's cluster. Text that needs NFKC points a mark
    at its cluster and text that does not points it at itself; ending after the cluster
    gives one answer for both (a match ending in U+0301 once ended before it in one
    and after it in the other)."""
    end = offsets[last] + 1
    following = offsets[last + 1] if last + 1 < len(offsets) else len(text)
    while end < following and unicodedata.combining(text[end]):
        end += 1
    return end


def index_missing(db: Database) -> int:
    """Index articles stored before the search index existed."""
    todo = store.unindexed_articles(db)
    with bulk_writes(db):  # an index can always be rebuilt: bulk settings
        for start in range(0, len(todo), 100):
            with write_tx(db):
                for rowid, aid in todo[start:start + 100]:
                    art = repo.get_article(db, aid)
                    store.add_index_terms(db, rowid,
                                          index_tokens(art.text, art.language or "und", art.script),
                                          index_chars(art.text, art.script))
    return len(todo)
