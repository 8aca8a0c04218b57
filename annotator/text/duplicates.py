"""Repeated passages within one article and across articles.

Scraped news repeats itself: a body pasted twice, a wire story re-posted by many sites, a
Simplified article re-posted in Traditional with full-width digits. Everything is compared
in folded form (annotator.text.normalise: NFKC, t2s, casefold, whitespace), sentence by
sentence:

1. *Exact*: each sentence ("unit") gets a stable digest of its folded text; equal digests
   are verbatim repeats. Cheap, and catches most re-posts.
2. *Near*: units next to an exact match are compared with difflib; a ratio >= NEAR_RATIO
   counts as a repeat (a few words edited). Two articles without a single exact match are
   compared unit by unit instead, pairing units that share many character trigrams.
3. Matched units are chained into passages, tolerating one unit added or dropped between
   two matches, and reported with exact original offsets.

Finding *which* earlier articles to compare with is the job of the sentence digests and a
MinHash signature of the whole article (datasketch LSH); both are plain values so that
storage can keep them (`DuplicateIndex` shows the incremental use in memory).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple
from collections.abc import Sequence

import numpy as np
from rapidfuzz.distance import Indel

from annotator.domain import DuplicatePair, PassageRef
from annotator.text.normalise import fold_with_offsets
from annotator.text.sentences import split_sentences

__all__ = [
    "DuplicateIndex",
    "Passage",
    "Sketch",
    "PassageMatch",
    "align",
    "align_passages",
    "article_signature",
    "band_keys",
    "minhash_from_bytes",
    "passages",
    "signature_of_passages",
    "sketch",
    "within_article",
    "within_passages",
]

MIN_UNIT_CHARS = 12  # shorter folded units ("Loading...", captions) repeat by chance
MIN_PASSAGE_CHARS = 40  # a reported passage has at least this many folded characters
NEAR_RATIO = 0.8  # difflib ratio of two folded units that count as the same sentence
MAX_GAP = 1  # units that may be added or dropped between two matches of one passage
SHINGLE = 5  # characters per shingle of the article signature
NUM_PERM = 128
SEED = 1
LSH_THRESHOLD = 0.5
MIN_JACCARD_SHARE = 0.8  # LSH candidates must estimate >= 0.8 * threshold to be aligned
_GRAM = 3  # characters per gram when looking for near units without an exact anchor


@dataclass(frozen=True)
class Passage:
    """One comparable unit (a sentence): original offsets, digest and folded text."""

    start: int
    end: int
    digest: str
    folded: str


class Sketch(NamedTuple):
    """What the persisted index needs of a new article, small enough to send between
    processes: each unit's digest and folded length, the MinHash signature and its LSH
    band keys, and the passages the article repeats within itself. The units themselves
    (with their folded text) are only needed again to align with a candidate."""

    digests: list[tuple[int, int]]  # (digest as a signed 64-bit key, folded length)
    signature: bytes
    bands: list[int]                # LSH band keys as signed 64-bit keys
    within: list[tuple[tuple[int, int], tuple[int, int], float]]


class PassageMatch(NamedTuple):
    """Two stretches of text that repeat each other; `a` comes first."""

    a: tuple[int, int]
    b: tuple[int, int]
    similarity: float


def _digest(folded: str) -> str:
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=8).hexdigest()


def passages(text: str, sentences: Sequence[tuple[int, int]] | None = None, *,
             folded: tuple[str, list[int]] | None = None) -> list[Passage]:
    """The units of `text` worth comparing, in order.

    `sentences` are (start, end) spans, e.g. the sentences outside boilerplate; by default
    all sentences of annotator.text.sentences. Each unit is trimmed of surrounding
    whitespace and skipped when its folded text is shorter than MIN_UNIT_CHARS.
    `folded` is fold_with_offsets(text), when the caller has it already.
    """
    folded, offsets = folded if folded is not None else fold_with_offsets(text)
    if sentences is None:
        sentences = [(s.start, s.end) for s in split_sentences(text)]
    units = []
    for start, end in sentences:
        f_start, f_end = bisect_left(offsets, start), bisect_left(offsets, end)
        unit = folded[f_start:f_end].strip()
        if len(unit) < MIN_UNIT_CHARS:
            continue
        start, end = _trim(text, start, end)
        units.append(Passage(start, end, _digest(unit), unit))
    return units


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ---------------------------------------------------------------- unit pairs and chains


def _exact_pairs(pa: list[Passage], pb: list[Passage], within: bool):
    """Each unit of `pb` paired with ONE earlier equal unit of `pa`: the one that
    continues the previous pair's run if there is one, else the first occurrence. Pairing
    with every occurrence would make a sentence repeated k times cost k^2 pairs; this
    way a body pasted twice still pairs unit by unit, and every later copy points at the
    first."""
    where: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pa):
        where[p.digest].append(i)
    out = []
    prev_i = None
    for j, p in enumerate(pb):
        cands = where.get(p.digest)
        if not cands:
            continue
        limit = bisect_left(cands, j) if within else len(cands)  # within: earlier units only
        if limit == 0:
            continue
        choice = cands[0]
        if prev_i is not None:
            k = bisect_left(cands, prev_i + 1, 0, limit)
            if k < limit and cands[k] - prev_i <= 1 + MAX_GAP:
                choice = cands[k]
        out.append((choice, j, 1.0))
        prev_i = choice
    return out


def _ratio(a: str, b: str) -> float:
    """difflib's ratio of `a` and `b`, or 0.0 when it is below NEAR_RATIO.

    difflib's matching blocks are a common subsequence of the two texts, so its ratio
    2M/(len a + len b) never exceeds 2 LCS/(len a + len b), which is rapidfuzz's Indel
    similarity, computed in C. Pairs below NEAR_RATIO on that bound are rejected without
    difflib: at 100,000 articles, 4 in 5 of the pairs that got past difflib's quick
    bounds were long sentences that then failed, at about 2 ms each; the bound turns
    away all but about 1 in 200 of them."""
    shorter, longer = sorted((len(a), len(b)))
    if 2 * shorter < NEAR_RATIO * (shorter + longer):  # cannot reach the ratio
        return 0.0
    if Indel.normalized_similarity(a, b) < NEAR_RATIO:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    return ratio if ratio >= NEAR_RATIO else 0.0  # the bound passed, difflib may not


def _near_around(pairs, pa, pb, within: bool):
    """Near pairs found by walking outwards from known pairs: an edited sentence of a
    repeated passage sits next to sentences that did repeat exactly."""
    used_a = {i for i, _, _ in pairs}
    used_b = {j for _, j, _ in pairs}
    if within:
        used_a = used_b = used_a | used_b
    found = []
    work = [(i, j) for i, j, _ in pairs]
    while work:
        i, j = work.pop()
        for di in range(-1 - MAX_GAP, 2 + MAX_GAP):
            for dj in range(-1 - MAX_GAP, 2 + MAX_GAP):
                if di * dj <= 0:  # stay on the same side of the anchor in both texts
                    continue
                ni, nj = i + di, j + dj
                if not (0 <= ni < len(pa) and 0 <= nj < len(pb)) or ni in used_a or nj in used_b:
                    continue
                if within and ni >= nj:
                    continue
                r = _ratio(pa[ni].folded, pb[nj].folded)
                if r >= NEAR_RATIO:
                    found.append((ni, nj, r))
                    used_a.add(ni)
                    used_b.add(nj)
                    work.append((ni, nj))
    return found


def _grams(s: str) -> set[str]:
    return {s[k:k + _GRAM] for k in range(len(s) - _GRAM + 1)}


def _near_by_grams(pairs, pa, pb):
    """Near pairs between two articles without relying on anchors: candidates share at
    least half of the smaller unit's trigrams, then difflib decides."""
    used_a = {i for i, _, _ in pairs}
    used_b = {j for _, j, _ in pairs}
    index: dict[str, list[int]] = defaultdict(list)
    grams_a = {}
    for i, p in enumerate(pa):
        if i not in used_a:
            grams_a[i] = _grams(p.folded)
            for g in grams_a[i]:
                index[g].append(i)
    found = []
    for j, p in enumerate(pb):
        if j in used_b:
            continue
        grams_b = _grams(p.folded)
        shared = Counter(i for g in grams_b for i in index.get(g, ()))
        best = None
        for i, count in shared.most_common(3):
            if i in used_a or 2 * count < min(len(grams_a[i]), len(grams_b)):
                continue
            r = _ratio(pa[i].folded, p.folded)
            if r >= NEAR_RATIO and (best is None or r > best[2]):
                best = (i, j, r)
        if best is not None:
            found.append(best)
            used_a.add(best[0])
    return found


def _chains(pairs, within: bool) -> list[list[tuple[int, int, float]]]:
    """Group unit pairs into runs going forward in both texts, allowing MAX_GAP skipped
    units on either side between two pairs of one run."""
    runs: list[list[tuple[int, int, float]]] = []
    ends: dict[tuple[int, int], int] = {}
    for i, j, r in sorted(pairs):
        best = None
        for di in range(1, 2 + MAX_GAP):
            for dj in range(1, 2 + MAX_GAP):
                k = ends.get((i - di, j - dj))
                if k is None or (within and i >= runs[k][0][1]):
                    continue
                if best is None or di + dj < best[0]:
                    best = (di + dj, k, (i - di, j - dj))
        if best is None:
            ends[(i, j)] = len(runs)
            runs.append([(i, j, r)])
        else:
            _, k, old = best
            del ends[old]
            runs[k].append((i, j, r))
            ends[(i, j)] = k
    return runs


def _run_match(run, pa, pb) -> tuple[PassageMatch, int]:
    (i0, j0, _), (i1, j1, _) = run[0], run[-1]
    matched = sum(r * (len(pa[i].folded) + len(pb[j].folded)) for i, j, r in run)
    size_a = sum(len(p.folded) for p in pa[i0:i1 + 1])
    size_b = sum(len(p.folded) for p in pb[j0:j1 + 1])
    similarity = round(matched / (size_a + size_b), 4)
    match = PassageMatch((pa[i0].start, pa[i1].end), (pb[j0].start, pb[j1].end), similarity)
    return match, min(size_a, size_b)


def _matches(pairs, pa, pb, within: bool, min_chars: int) -> list[PassageMatch]:
    out = []
    for run in _chains(pairs, within):
        match, size = _run_match(run, pa, pb)
        if size >= min_chars:
            out.append(match)
    return sorted(out)


# ---------------------------------------------------------------- public comparisons


def within_article(text: str, sentences: Sequence[tuple[int, int]] | None = None, *,
                   min_chars: int = MIN_PASSAGE_CHARS) -> list[PassageMatch]:
    """Passages repeated inside one text; consecutive repeated sentences form one pair
    (a body pasted twice gives one pair covering it)."""
    return within_passages(passages(text, sentences), min_chars=min_chars)


def within_passages(units: list[Passage], *, min_chars: int = MIN_PASSAGE_CHARS):
    pairs = _exact_pairs(units, units, within=True)
    pairs += _near_around(pairs, units, units, within=True)
    return _matches(pairs, units, units, True, min_chars)


def align(a: str, b: str, *, min_chars: int = MIN_PASSAGE_CHARS) -> list[PassageMatch]:
    """The passages `b` shares with `a`, exact or near, with offsets into each."""
    return align_passages(passages(a), passages(b), min_chars=min_chars)


def align_passages(pa: list[Passage], pb: list[Passage], *,
                   min_chars: int = MIN_PASSAGE_CHARS) -> list[PassageMatch]:
    pairs = _exact_pairs(pa, pb, within=False)
    if pairs:
        pairs += _near_around(pairs, pa, pb, within=False)
    else:  # no sentence repeats verbatim: look for edited ones everywhere (costlier)
        pairs = _near_by_grams(pairs, pa, pb)
    return _matches(pairs, pa, pb, False, min_chars)


# ---------------------------------------------------------------- article signatures


def _shingle_hashes(folded: str) -> np.ndarray:
    """32-bit hashes of the SHINGLE-character windows (uint32; a window that repeats
    repeats its hash, which a minimum does not mind), stable across machines."""
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if len(codes) < SHINGLE:
        return np.zeros(0, dtype=np.uint32)
    windows = len(codes) - SHINGLE + 1
    h = np.zeros(windows, dtype=np.uint64)
    for k in range(SHINGLE):  # polynomial hash mod 2**64 (numpy wraps)
        h = h * np.uint64(1099511628211) + codes[k:k + windows]
    return (h ^ (h >> np.uint64(32))).astype(np.uint32)  # the low 32 bits


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations (a, b) that datasketch's MinHash of the affine32 scheme
    draws from SEED, as uint32 columns; drawn once. They are drawn here the way datasketch
    draws them (odd a, any b, from numpy's RandomState(SEED)) instead of by constructing a
    MinHash: importing datasketch loads scipy, which was a third of a worker's start. The
    tests compare the two."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


_CHUNK = 4096  # hashes per step of the minimum: 4096 x NUM_PERM uint32 is 2 MB


def _minhash_values(hashes: np.ndarray) -> np.ndarray:
    """What datasketch's `MinHash(scheme="affine32", hashfunc=int).update_batch(hashes)`
    leaves in `hashvalues`, computed on the array itself: the MurmurHash3 finalizer,
    then `a * h + b` mod 2**32 for every permutation, then the minimum per permutation
    (the tests compare the two). datasketch turns the batch into a list of Python ints
    first, and the distinct hashes had to be sorted out before; the products are
    written into one buffer instead of two new arrays per article (fresh arrays of
    megabytes cost page faults). Together that was three quarters of the signature's
    cost."""
    a, b = _permutations()
    out = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    buf = np.empty((min(len(hashes), _CHUNK), NUM_PERM), dtype=np.uint32)
    for start in range(0, len(hashes), _CHUNK):
        hv = hashes[start:start + _CHUNK].astype(np.uint32)
        hv ^= hv >> np.uint32(16)
        hv *= np.uint32(0x85EBCA6B)
        hv ^= hv >> np.uint32(13)
        hv *= np.uint32(0xC2B2AE35)
        hv ^= hv >> np.uint32(16)
        products = buf[:len(hv)]
        np.multiply(hv[:, None], a, out=products)
        products += b
        np.minimum(out, products.min(axis=0), out=out)
    return out


def signature_of_passages(units: list[Passage]) -> bytes:
    """MinHash of the folded units as little-endian uint32 bytes; b"" for a text too short
    to have shingles (such texts are never LSH candidates)."""
    hashes = _shingle_hashes("\n".join(p.folded for p in units))
    return _minhash_values(hashes).astype("<u4").tobytes() if len(hashes) else b""


def article_signature(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> bytes:
    return signature_of_passages(passages(text, sentences))


def digest_int(digest: str) -> int:
    """A unit digest (16 hex digits) as the signed 64-bit integer SQLite indexes."""
    return int.from_bytes(bytes.fromhex(digest)[:8].rjust(8, b"\0"), "little", signed=True)


def band_int(key: str) -> int:
    """An LSH band key as a signed 64-bit integer (a hash of it: keys are long)."""
    raw = hashlib.blake2b(key.encode("ascii"), digest_size=8).digest()
    return int.from_bytes(raw, "little", signed=True)


def sketch(units: list[Passage]) -> Sketch:
    signature = signature_of_passages(units)
    return Sketch([(digest_int(u.digest), len(u.folded)) for u in units], signature,
                  [band_int(k) for k in band_keys(signature)],
                  [(m.a, m.b, m.similarity) for m in within_passages(units)])


def minhash_from_bytes(signature: bytes):
    from datasketch import LeanMinHash

    values = np.frombuffer(signature, dtype="<u4")
    return LeanMinHash(seed=SEED, hashvalues=values, scheme="affine32")


def _lsh(threshold: float):
    from datasketch import MinHashLSH

    return MinHashLSH(threshold=threshold, num_perm=NUM_PERM)


# The banding datasketch's MinHashLSH picks, (bands, rows per band) by (threshold,
# permutations). It picks it by numerical integration with scipy, which workers would
# otherwise load just for this (the tests check the table against datasketch).
_BANDING = {(0.5, 128): (25, 5)}


@lru_cache(maxsize=8)
def _hashranges(threshold: float) -> tuple[tuple[int, int], ...]:
    """The signature's slices that make up the LSH bands at this threshold."""
    banding = _BANDING.get((threshold, NUM_PERM))
    if banding is None:
        lsh = _lsh(threshold)
        banding = (lsh.b, lsh.r)
    bands, rows = banding
    return tuple((i * rows, (i + 1) * rows) for i in range(bands))


def band_keys(signature: bytes, threshold: float = LSH_THRESHOLD) -> list[str]:
    """The LSH buckets of a signature as strings, for storage in an indexed column:
    two articles are candidates exactly when they share a key (the same banding as
    datasketch's MinHashLSH at this threshold)."""
    if not signature:
        return []
    values = np.frombuffer(signature, dtype="<u4")
    return [f"{band}:{values[start:end].tobytes().hex()}"
            for band, (start, end) in enumerate(_hashranges(threshold))]


# ---------------------------------------------------------------- incremental index


class DuplicateIndex:
    """Incremental duplicate finding in memory: each new article is compared only with
    the indexed articles it shares a sentence digest or an LSH bucket with, so the cost
    of `add` does not grow with the number of articles indexed.

    The state per article is `passages_of(id)` (offsets, digests, folded text) and
    `signature_of(id)` (bytes); `restore` loads them back without comparing.
    """

    def __init__(self, *, threshold: float = LSH_THRESHOLD, max_postings: int = 50,
                 max_candidates: int = 20, min_chars: int = MIN_PASSAGE_CHARS):
        self._lsh = _lsh(threshold)
        self._units: dict[str, list[Passage]] = {}
        self._signatures: dict[str, bytes] = {}
        self._postings: dict[str, list[str]] = defaultdict(list)
        # A digest seen in more than max_postings articles is boilerplate, not a lead.
        self.max_postings = max_postings
        # LSH banding lets through some pairs far below its threshold, more of them the
        # larger the index; the estimate from the full signatures drops them cheaply.
        self.min_jaccard = threshold * MIN_JACCARD_SHARE
        self.max_candidates = max_candidates
        self.min_chars = min_chars

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._units

    def passages_of(self, article_id: str) -> list[Passage]:
        return self._units[article_id]

    def signature_of(self, article_id: str) -> bytes:
        return self._signatures[article_id]

    def add(self, article_id: str, text: str,
            sentences: Sequence[tuple[int, int]] | None = None) -> list[DuplicatePair]:
        """Index `text` and return its repeats: within itself, and across with articles
        indexed before (those are the `a` side)."""
        units = passages(text, sentences)
        signature = signature_of_passages(units)
        found = [DuplicatePair(PassageRef(article_id, *m.a), PassageRef(article_id, *m.b),
                               m.similarity, "within")
                 for m in within_passages(units, min_chars=self.min_chars)]
        for other in self._candidates(units, signature):
            for m in align_passages(self._units[other], units, min_chars=self.min_chars):
                found.append(DuplicatePair(PassageRef(other, *m.a), PassageRef(article_id, *m.b),
                                           m.similarity, "across"))
        self.restore(article_id, units, signature)
        return found

    def restore(self, article_id: str, units: list[Passage], signature: bytes) -> None:
        """Index an article without comparing it (e.g. loading persisted state)."""
        if article_id in self._units:
            raise ValueError(f"article {article_id!r} is already indexed")
        self._units[article_id] = units
        self._signatures[article_id] = signature
        for digest in {p.digest for p in units}:
            postings = self._postings[digest]
            if len(postings) <= self.max_postings:
                postings.append(article_id)
        if signature:
            self._lsh.insert(article_id, minhash_from_bytes(signature))

    def _candidates(self, units: list[Passage], signature: bytes) -> list[str]:
        """Earlier articles worth aligning, most promising first, at most max_candidates.

        By sentence digests: articles whose shared sentences add up to a reportable
        passage (a single short sentence in common is chance or boilerplate). By LSH: the
        articles in a shared bucket whose estimated Jaccard similarity is high enough.
        """
        shared: Counter[str] = Counter()
        seen = set()
        for p in units:
            if p.digest in seen:
                continue
            seen.add(p.digest)
            postings = self._postings.get(p.digest, ())
            if len(postings) <= self.max_postings:
                for other in postings:
                    shared[other] += len(p.folded)
        leads = {k: v for k, v in shared.items() if v >= self.min_chars}
        jaccard: dict[str, float] = {}
        if signature:
            mine = np.frombuffer(signature, dtype="<u4")
            for key in self._lsh.query(minhash_from_bytes(signature)):
                theirs = np.frombuffer(self._signatures[key], dtype="<u4")
                estimate = float(np.count_nonzero(mine == theirs)) / len(mine)
                if estimate >= self.min_jaccard:
                    jaccard[key] = estimate
        ranked = sorted(set(leads) | set(jaccard),
                        key=lambda k: (-leads.get(k, 0), -jaccard.get(k, 0.0), k))
        return ranked[: self.max_candidates]
