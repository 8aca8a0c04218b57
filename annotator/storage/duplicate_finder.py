"""Duplicated passages: finding them incrementally, as the duplicate index is kept
(linking a pair's copies is annotator.storage.states, reviewing pairs
annotator.services.pairs).

A new article is compared only with the earlier articles the persisted index names as
candidates (a shared sentence digest, or a shared LSH band with a high estimated
similarity), so importing 10 articles into 100,000 costs the same as into 100.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from functools import lru_cache
from collections.abc import Callable

import numpy as np
from sqlite_utils import Database

from annotator.text import duplicates as dups
from annotator.text.clean import is_boilerplate
from annotator.text.sentences import split_sentences

from . import articles as repo
from . import duplicates as store
from .db import bulk_writes, write_tx
from .states import Touched, link_pair

MAX_POSTINGS = 50      # a digest in more articles than this is boilerplate, not a lead
MAX_CANDIDATES = 20    # earlier articles aligned with each new one, most promising first
INDEX_BATCH = 100      # articles per transaction when indexing what is missing
MIN_JACCARD = dups.LSH_THRESHOLD * dups.MIN_JACCARD_SHARE
SIGNATURE_CACHE = 20_000   # signatures an IndexCache keeps (about 13 MB)
# An IndexCache filters the keys it looks up (KeyFilter) when the import adds at least
# this share of the articles already indexed: reading the index's keys costs about what
# looking up those of a twentieth of its articles does.
FILTER_SHARE = 1 / 20
KEYS_PER_ARTICLE = 50      # digests and band keys, for sizing a KeyFilter

Progress = Callable[[int, int], None]


class KeyFilter:
    """A Bloom filter of the digests and band keys the index holds: `present` drops the
    keys that are certainly in no earlier article, so nobody looks them up (most keys of
    a new article are in no earlier one: importing 10,000 articles into 100,000, 236,000
    of 256,720 digest lookups found nothing, and each cost a B-tree probe, mostly a page
    read).

    The keys are hashes already: a product with one odd constant picks a key's 64-bit
    word, one with another its 4 bits in that word (a blocked filter: one word per key,
    so adding millions of keys is a few array operations). At 10 bits per key about 1-2%
    of absent keys pass. It holds every key it was given; a key written by anyone else
    (another connection, once it commits) is not in it, which is why IndexCache drops it
    then."""

    BITS_PER_KEY = 10
    _WORD = np.uint64(0x9E3779B97F4A7C15)
    _BITS = np.uint64(0xC2B2AE3D27D4EB4F)

    def __init__(self, expected_keys: int):
        words = max(1, expected_keys) * self.BITS_PER_KEY // 64
        self.log2 = max(10, int(np.ceil(np.log2(max(1, words)))))   # words, a power of 2
        self.words = np.zeros(1 << self.log2, dtype=np.uint64)

    def _slots(self, keys) -> tuple[np.ndarray, np.ndarray]:
        h = np.asarray(keys, dtype=np.int64).view(np.uint64)
        one, six = np.uint64(1), np.uint64(63)
        with np.errstate(over="ignore"):
            word = (h * self._WORD) >> np.uint64(64 - self.log2)
            g = h * self._BITS
        mask = ((one << (g >> np.uint64(58))) | (one << ((g >> np.uint64(52)) & six))
                | (one << ((g >> np.uint64(46)) & six)) | (one << ((g >> np.uint64(40)) & six)))
        return word, mask

    def add(self, keys) -> None:
        if len(keys):
            word, mask = self._slots(keys)
            np.bitwise_or.at(self.words, word, mask)

    def present(self, keys: list[int]) -> list[int]:
        """Those of `keys` the index may hold (all that it does, and 1-2% of the rest)."""
        if not keys:
            return keys
        word, mask = self._slots(keys)
        hits = (self.words[word] & mask) == mask
        return [k for k, hit in zip(keys, hits.tolist()) if hit]


class IndexCache:
    """What indexing many articles looks up again and again, kept from one article to
    the next: the holders of the LSH bands more than MAX_POSTINGS articles share, and the
    signatures of recent leads.

    Importing 10,000 articles into a 100,000-article database, 85% of the band rows read
    were those of 378 such bands (3,891 lookups), and 81% of the 216,614 signatures read
    were of articles read before. A band's holders only grow (`indexed` adds each new
    article), and an article's signature never changes, as long as no other connection
    writes and nothing this connection wrote is rolled back: `check` (at the start of
    each write transaction) drops everything when another connection has committed since
    (`PRAGMA data_version`), and a caller that rolls back drops the cache.

    `expected` (the articles about to be indexed) decides whether to keep a KeyFilter
    too: one is read from the index at the first `check` when they are at least
    FILTER_SHARE of the articles indexed (at once for an empty index). It is dropped
    for good when another connection commits; keys rolled back stay in it, which costs
    only their lookups."""

    def __init__(self, signatures: int = SIGNATURE_CACHE, expected: int = 0):
        self.hot: dict[int, list[int]] = {}
        self.signatures: OrderedDict[int, bytes] = OrderedDict()
        self.limit = signatures
        self.expected = expected
        self.keys: KeyFilter | None = None
        self._version: int | None = None

    def check(self, db: Database) -> None:
        version = db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self.hot.clear()
            self.signatures.clear()
            first = self._version is None
            self._version = version
            self.keys = self._read_keys(db) if first else None

    def _read_keys(self, db: Database) -> KeyFilter | None:
        indexed = store.indexed_articles(db)
        if self.expected <= 0 or self.expected < FILTER_SHARE * indexed:
            return None
        keys = KeyFilter((indexed + self.expected) * KEYS_PER_ARTICLE)
        for chunk in store.all_keys(db):
            keys.add(chunk)
        return keys

    def indexed(self, rowid: int, digests: list[int], bands: list[int]) -> None:
        for key in bands:
            holders = self.hot.get(key)
            if holders is not None:
                holders.append(rowid)
        if self.keys is not None:
            self.keys.add(digests + bands)

    def remember(self, found: dict[int, bytes]) -> None:
        self.signatures.update(found)
        while len(self.signatures) > self.limit:
            self.signatures.popitem(last=False)


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
                  units: Callable[[], list[dups.Passage]] | None = None,
                  touched: Touched | None = None, rowid: int | None = None,
                  cache: IndexCache | None = None) -> int:
    """Compare one stored article with the index, record its pairs, then index it.
    Returns the number of new pairs. The caller holds the write transaction.

    `units` gives the article's comparable sentences when a candidate must be aligned
    (by default recomputed from the stored text; most articles have no candidate).
    `cache` (checked in this transaction) saves reading the same index rows again."""
    rowid = rowid if rowid is not None else store.article_rowid(db, article_id)
    if rowid is None or store.in_duplicate_index(db, rowid):
        return 0
    found = 0
    for a, b, similarity in sketch.within:
        pair = store.insert_pair(db, article_id, a, article_id, b, similarity, "within")
        if pair:
            found += 1
            link_pair(db, pair, touched)
    mine: list[dups.Passage] | None = None
    for other in _candidates(db, rowid, sketch, cache):
        other_id = store.article_id_of(db, other)
        if other_id is None:
            continue
        if mine is None:
            mine = units() if units is not None else article_units(db, article_id)
        for m in dups.align_passages(article_units(db, other_id), mine):
            pair = store.insert_pair(db, other_id, m.a, article_id, m.b, m.similarity, "across")
            if pair:
                found += 1
                link_pair(db, pair, touched)
    digests = [d for d, _ in sketch.digests]
    store.add_to_index(db, rowid, digests, sketch.bands, sketch.signature)
    if cache is not None:
        cache.indexed(rowid, digests, sketch.bands)
    return found


def _candidates(db: Database, rowid: int, sketch: dups.Sketch,
                cache: IndexCache | None = None) -> list[int]:
    shared: Counter[int] = Counter()
    digests = [d for d, _ in sketch.digests]
    if cache is not None and cache.keys is not None:
        digests = cache.keys.present(digests)
    postings = store.digest_postings(db, digests, MAX_POSTINGS)
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
        found = _signatures(db, _band_leads(db, rowid, sketch.bands, cache), cache)
        others = [o for o, sig in found.items() if len(sig) == len(sketch.signature)]
        if others:
            theirs = np.frombuffer(b"".join(found[o] for o in others),
                                   dtype="<u4").reshape(len(others), len(mine))
            shares = np.count_nonzero(theirs == mine, axis=1) / len(mine)
            for other, estimate in zip(others, shares.tolist()):
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


def _band_leads(db: Database, rowid: int, bands: list[int],
                cache: IndexCache | None = None) -> set[int]:
    """The articles whose similarity is worth estimating: those sharing two or more LSH
    bands with this one, or one band that few articles hold.

    A band held by more than MAX_POSTINGS articles is made of shingles common to the
    whole corpus, as a sentence that many articles hold is boilerplate: an article
    sharing only such a band is seldom similar. In the synthetic corpus at 100,000
    articles, late articles shared bands with 119 earlier ones each on average, all but
    one in two hundred by a single band, and none of those came near MIN_JACCARD; every
    candidate that did shared seven bands or more. Near-copies share several bands (two
    or more of the 25 for 94% of pairs with a Jaccard similarity of 0.7)."""
    shared: Counter[int] = Counter()
    rare: set[int] = set()
    for others in _holders(db, bands, cache).values():
        shared.update(others)
        if len(others) <= MAX_POSTINGS:
            rare.update(others)
    return {o for o, n in shared.items() if (n >= 2 or o in rare) and o != rowid}


def _holders(db: Database, bands: list[int],
             cache: IndexCache | None) -> dict[int, list[int]]:
    """Each band's holders: a band many articles share from the cache, once read."""
    out: dict[int, list[int]] = {}
    todo = bands
    if cache is not None:
        todo = []
        for key in bands:
            if key in cache.hot:
                out[key] = cache.hot[key]
            else:
                todo.append(key)
        if cache.keys is not None:
            todo = cache.keys.present(todo)
    read: dict[int, list[int]] = {}
    for key, other in store.band_holders(db, todo) if todo else ():
        read.setdefault(key, []).append(other)
    if cache is not None:
        for key, others in read.items():
            if len(others) > MAX_POSTINGS:
                cache.hot[key] = others
    out.update(read)
    return out


def _signatures(db: Database, rowids: set[int],
                cache: IndexCache | None) -> dict[int, bytes]:
    if cache is None:
        return store.signatures(db, rowids)
    out = {}
    missing = []
    for r in rowids:
        sig = cache.signatures.get(r)
        if sig is None:
            missing.append(r)
        else:
            out[r] = sig
            cache.signatures.move_to_end(r)
    if missing:
        found = store.signatures(db, missing)
        cache.remember(found)
        out.update(found)
    return out


def index_missing_pairs(db: Database, progress: Progress | None = None) -> int:
    """Index every stored article the duplicate index has not seen (oldest first)."""
    todo = [r[0] for r in db.execute(
        "SELECT a.id FROM articles a LEFT JOIN dup_signatures s ON s.article_rowid = a.rowid "
        "WHERE s.article_rowid IS NULL ORDER BY a.rowid")]
    found = 0
    cache = IndexCache(expected=len(todo))
    with bulk_writes(db):  # an index can always be rebuilt: bulk settings
        for start in range(0, len(todo), INDEX_BATCH):
            with write_tx(db):
                cache.check(db)
                for aid in todo[start:start + INDEX_BATCH]:
                    units = article_units(db, aid)
                    found += index_article(db, aid, dups.sketch(units), lambda u=units: u,
                                           cache=cache)
                settle_index(db)
            if progress:
                progress(min(start + INDEX_BATCH, len(todo)), len(todo))
    return found
