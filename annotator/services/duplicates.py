"""Duplicated passages: finding them incrementally (linking copies and reviewing pairs
is annotator.services.pairs).

A new article is compared only with the earlier articles the persisted index names as
candidates (a shared sentence digest, or a shared LSH band with a high estimated
similarity), so importing 10 articles into 100,000 costs the same as into 100.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Callable, Optional

import numpy as np
from sqlite_utils import Database

from annotator.services.pairs import link_pair
from annotator.services.review import Changes
from annotator.storage import articles as repo
from annotator.storage import duplicates as store
from annotator.storage.db import bulk_writes, write_tx
from annotator.text import duplicates as dups
from annotator.text.clean import is_boilerplate
from annotator.text.sentences import split_sentences

MAX_POSTINGS = 50      # a digest in more articles than this is boilerplate, not a lead
MAX_CANDIDATES = 20    # earlier articles aligned with each new one, most promising first
INDEX_BATCH = 100      # articles per transaction when indexing what is missing
MIN_JACCARD = dups.LSH_THRESHOLD * dups.MIN_JACCARD_SHARE

Progress = Callable[[int, int], None]


def article_units(db: Database, article_id: str) -> list[dups.Passage]:
    """An article's comparable sentences (boilerplate left out), recomputed from its text."""
    art = repo.get_article(db, article_id)
    if art is None:
        return []
    return units_for_text(art.text, tuple(repo.get_boilerplate(db, article_id)))


@lru_cache(maxsize=256)
def units_for_text(text: str, boilerplate: tuple) -> list[dups.Passage]:
    spans = list(boilerplate)
    sentences = [(s.start, s.end) for s in split_sentences(text)
                 if not is_boilerplate(spans, s.start, s.end)]
    return dups.passages(text, sentences)


def index_article(db: Database, article_id: str, sketch: dups.Sketch,
                  units: Optional[Callable[[], list[dups.Passage]]] = None,
                  changes: Optional[Changes] = None, rowid: Optional[int] = None) -> int:
    """Compare one stored article with the index, record its pairs, then index it.
    Returns the number of new pairs. The caller holds the write transaction.

    `units` gives the article's comparable sentences when a candidate must be aligned
    (by default recomputed from the stored text; most articles have no candidate)."""
    rowid = rowid if rowid is not None else store.article_rowid(db, article_id)
    if rowid is None or store.is_indexed(db, rowid):
        return 0
    found = 0
    for a, b, similarity in sketch.within:
        pair = store.insert_pair(db, article_id, a, article_id, b, similarity, "within")
        if pair:
            found += 1
            link_pair(db, pair, changes)
    mine: Optional[list[dups.Passage]] = None
    for other in _candidates(db, rowid, sketch):
        other_id = store.article_id_of(db, other)
        if other_id is None:
            continue
        if mine is None:
            mine = units() if units is not None else article_units(db, article_id)
        for m in dups.align_passages(article_units(db, other_id), mine):
            pair = store.insert_pair(db, other_id, m.a, article_id, m.b, m.similarity, "across")
            if pair:
                found += 1
                link_pair(db, pair, changes)
    store.index_article(db, rowid, [d for d, _ in sketch.digests], sketch.bands,
                        sketch.signature)
    return found


def _candidates(db: Database, rowid: int, sketch: dups.Sketch) -> list[int]:
    shared: Counter[int] = Counter()
    postings = store.digest_postings(db, [d for d, _ in sketch.digests], MAX_POSTINGS)
    seen: set[str] = set()
    for digest, size in sketch.digests:
        if digest in seen:
            continue
        seen.add(digest)
        holders = postings.get(digest, [])
        if len(holders) <= MAX_POSTINGS:
            for other in holders:
                shared[other] += size
    leads = {k: v for k, v in shared.items() if v >= dups.MIN_PASSAGE_CHARS and k != rowid}
    jaccard: dict[int, float] = {}
    if sketch.signature:
        mine = np.frombuffer(sketch.signature, dtype="<u4")
        for other, sig in store.signatures(db, _band_leads(db, rowid, sketch.bands)).items():
            theirs = np.frombuffer(sig, dtype="<u4")
            if len(theirs) == len(mine):
                estimate = float(np.count_nonzero(mine == theirs)) / len(mine)
                if estimate >= MIN_JACCARD:
                    jaccard[other] = estimate
    ranked = sorted(set(leads) | set(jaccard),
                    key=lambda k: (-leads.get(k, 0), -jaccard.get(k, 0.0), k))
    return ranked[:MAX_CANDIDATES]


def settle_index(db: Database) -> None:
    """Let the index move the keys of recently indexed articles into its big tables once
    there are enough of them (annotator.storage.duplicates.merge_recent). For whoever
    indexes many articles: after each batch, inside the write transaction."""
    store.merge_recent(db)


def _band_leads(db: Database, rowid: int, bands: list[int]) -> set[int]:
    """The articles whose similarity is worth estimating: those sharing two or more LSH
    bands with this one, or one band that few articles hold.

    A band held by more than MAX_POSTINGS articles is made of shingles common to the
    whole corpus, as a sentence that many articles hold is boilerplate: an article
    sharing only such a band is seldom similar. In the synthetic corpus at 100,000
    articles, late articles shared bands with 119 earlier ones each on average, all but
    one in two hundred by a single band, and none of those came near MIN_JACCARD; every
    candidate that did shared seven bands or more. Near-copies share several bands (two
    or more of the 25 for 94% of pairs with a Jaccard similarity of 0.7)."""
    holders = store.band_holders(db, bands)
    bucket = Counter(key for key, _ in holders)
    shared: Counter[int] = Counter()
    rare: set[int] = set()
    for key, other in holders:
        shared[other] += 1
        if bucket[key] <= MAX_POSTINGS:
            rare.add(other)
    return {o for o, n in shared.items() if (n >= 2 or o in rare) and o != rowid}


def index_missing(db: Database, progress: Optional[Progress] = None) -> int:
    """Index every stored article the duplicate index has not seen (oldest first)."""
    todo = [r[0] for r in db.execute(
        "SELECT a.id FROM articles a LEFT JOIN dup_signatures s ON s.article_rowid = a.rowid "
        "WHERE s.article_rowid IS NULL ORDER BY a.rowid")]
    found = 0
    with bulk_writes(db):  # an index can always be rebuilt: bulk settings
        for start in range(0, len(todo), INDEX_BATCH):
            with write_tx(db):
                for aid in todo[start:start + INDEX_BATCH]:
                    units = article_units(db, aid)
                    found += index_article(db, aid, dups.sketch(units), lambda u=units: u)
                settle_index(db)
            if progress:
                progress(min(start + INDEX_BATCH, len(todo)), len(todo))
    return found
