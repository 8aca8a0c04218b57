"""Repeated passages: units, within one article, across articles, the incremental index."""

from __future__ import annotations

import hashlib
import itertools
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain import DuplicatePair
from annotator.text.chinese import convert
from annotator.text.duplicates import (
    MIN_UNIT_CHARS,
    NEAR_RATIO,
    NUM_PERM,
    DuplicateIndex,
    align,
    article_signature,
    band_keys,
    minhash_from_bytes,
    passages,
    within_article,
)
from annotator.text.duplicates import _ratio as near_ratio
from annotator.text.normalise import fold

ROOT = Path(__file__).resolve().parents[2]
PATHS = sorted((ROOT / "samples").glob("00[0-4]_*.txt"))
TEXTS = {p.name[:3]: p.read_text(encoding="utf-8") for p in PATHS}
ZH = TEXTS["001"]
DOUBLED = TEXTS["002"]


def _edited_repost(text: str) -> str:
    """One sentence dropped, words changed in the two sentences before it, 万 -> 萬,
    full-width digits."""
    start = text.index("其中,政府大力发展")
    end = text.index("。", start) + 1
    edited = text[:start] + text[end:]
    edited = edited.replace("港府大力推动创科产业发展,但人才高度短缺",
                            "港府全力推动创科产业发展,但人才严重短缺")
    edited = edited.replace("发布的最新一轮人力推算报告", "公布的最新人力推算报告")
    return edited.replace("万", "萬").replace("2028", "２０２８")


def _check_spans(text_a: str, text_b: str, match) -> None:
    (a0, a1), (b0, b1) = match.a, match.b
    assert 0 <= a0 < a1 <= len(text_a) and 0 <= b0 < b1 <= len(text_b)
    for text, (s, e) in ((text_a, match.a), (text_b, match.b)):
        assert text[s:e] == text[s:e].strip()  # trimmed to the passage
    assert 0.0 <= match.similarity <= 1.0


# ---------------------------------------------------------------- units


def test_passages_skip_short_units_and_keep_exact_offsets():
    units = passages(TEXTS["003"])
    assert units
    assert all(len(p.folded) >= MIN_UNIT_CHARS for p in units)
    assert not any(p.folded.startswith("loading") for p in units)
    for p in units:
        assert p.folded == fold(TEXTS["003"][p.start:p.end])
    starts = [p.start for p in units]
    assert starts == sorted(starts)


def test_digest_is_a_stable_hash_of_the_folded_unit():
    simplified, = passages("香港整体人力短缺达18万人。")
    traditional, = passages("香港整體人力短缺達１８萬人。")
    assert simplified.digest == traditional.digest
    expected = hashlib.blake2b(fold("香港整体人力短缺达18万人。").encode("utf-8"), digest_size=8)
    assert simplified.digest == expected.hexdigest()


def test_given_sentences_are_used_as_units():
    text = "第一句话说的是人才短缺问题。第二句话说的是创科产业发展。"
    cut = text.index("第二")
    units = passages(text, [(0, cut), (cut, len(text))])
    assert [(p.start, p.end) for p in units] == [(0, cut), (cut, len(text))]


# ---------------------------------------------------------------- within one article


def test_body_pasted_twice_is_one_pair_covering_the_repeat():
    matches = within_article(DOUBLED)
    assert len(matches) == 1
    m = matches[0]
    first = DOUBLED.index("The “AI in Action” Career Day, hosted")
    second = DOUBLED.index("The “AI in Action” Career Day, hosted", first + 1)
    assert m.a[0] == first and m.b[0] == second
    assert m.a[1] == DOUBLED.index("prosperous tomorrow.") + len("prosperous tomorrow.")
    assert m.b[1] == len(DOUBLED.rstrip())
    assert DOUBLED[m.a[0]:m.a[1]] == DOUBLED[m.b[0]:m.b[1]]
    assert m.similarity == 1.0


@pytest.mark.parametrize("key", ["000", "001", "003", "004"])
def test_articles_without_repeats_have_no_within_pairs(key):
    assert within_article(TEXTS[key]) == []


def test_near_repeat_inside_one_article():
    text = ZH[:3000]
    copy = text.replace("人才", "人材", 1).replace("万", "萬")
    matches = within_article(text + "\n\n" + copy)
    assert len(matches) == 1
    assert 0.9 <= matches[0].similarity < 1.0
    _check_spans(text + "\n\n" + copy, text + "\n\n" + copy, matches[0])


# ---------------------------------------------------------------- across articles


def test_traditional_repost_is_one_passage_with_exact_spans():
    repost = convert(ZH, "s2hk")
    matches = align(ZH, repost)
    assert len(matches) == 1
    m = matches[0]
    assert m.similarity >= 0.99
    _check_spans(ZH, repost, m)
    assert fold(ZH[m.a[0]:m.a[1]]) == fold(repost[m.b[0]:m.b[1]])
    units = passages(ZH)
    assert m.a == (units[0].start, units[-1].end)


def test_edited_repost_is_found_as_a_near_repeat():
    repost = _edited_repost(ZH)
    matches = align(ZH, repost)
    assert len(matches) == 1
    m = matches[0]
    assert 0.9 <= m.similarity < 1.0
    _check_spans(ZH, repost, m)
    assert m.b[1] - m.b[0] > 0.9 * len(repost.strip())


@pytest.mark.parametrize("a, b", list(itertools.combinations(sorted(TEXTS), 2)))
def test_unrelated_samples_are_not_paired(a, b):
    assert align(TEXTS[a], TEXTS[b]) == []


def test_shared_paragraph_between_different_articles():
    paragraph = ZH[ZH.index("港府大力推动"):ZH.index("该报告指出")].strip()
    host = TEXTS["004"]
    cut = host.index("\n\n", len(host) // 2)
    mixed = host[:cut] + "\n\n" + convert(paragraph, "s2tw") + host[cut:]
    matches = align(ZH, mixed)
    assert len(matches) == 1
    m = matches[0]
    assert ZH[m.a[0]:m.a[1]] == paragraph
    assert fold(mixed[m.b[0]:m.b[1]]) == fold(paragraph)


# ---------------------------------------------------------------- signatures


def test_signature_is_bytes_of_fixed_size_and_script_independent():
    sig = article_signature(ZH)
    assert isinstance(sig, bytes) and len(sig) == 4 * NUM_PERM
    assert article_signature(convert(ZH, "s2hk")) == sig
    assert article_signature(ZH) == sig  # deterministic
    assert article_signature("short") == b""


def _datasketch_signature(text: str) -> bytes:
    """The signature as datasketch computes it: MinHash.update_batch on the distinct
    shingle hashes of the article's folded units."""
    from datasketch import MinHash

    from annotator.text.duplicates import SEED, _shingle_hashes

    hashes = _shingle_hashes("\n".join(p.folded for p in passages(text)))
    if not len(hashes):
        return b""
    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, scheme="affine32")
    m.update_batch(np.unique(hashes).astype(np.uint64))
    return m.hashvalues.astype("<u4").tobytes()


def test_signature_is_what_datasketch_computes():
    long = "\n".join(TEXTS.values()) * 3  # more hashes than one step of the minimum
    for text in [*TEXTS.values(), long, convert(ZH, "s2hk"), "短短的一句话而已，不够长吗？"]:
        assert article_signature(text) == _datasketch_signature(text)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_signature_is_what_datasketch_computes_on_any_text(text):
    assert article_signature(text) == _datasketch_signature(text)


def test_permutations_are_the_ones_datasketch_draws():
    from datasketch import MinHash

    from annotator.text.duplicates import SEED, _permutations

    a, b = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, scheme="affine32").permutations
    ours = _permutations()
    assert ours[0].dtype == ours[1].dtype == np.uint32
    assert np.array_equal(ours[0], a) and np.array_equal(ours[1], b)


def test_banding_is_the_one_datasketch_picks():
    from datasketch import MinHashLSH

    from annotator.text.duplicates import _BANDING, _hashranges

    for (threshold, num_perm), banding in _BANDING.items():
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        assert (lsh.b, lsh.r) == banding
        if num_perm == NUM_PERM:
            assert list(_hashranges(threshold)) == [tuple(r) for r in lsh.hashranges]
    # a threshold outside the table is asked of datasketch
    assert list(_hashranges(0.7)) == [tuple(r) for r in
                                      MinHashLSH(threshold=0.7, num_perm=NUM_PERM).hashranges]


def test_workers_start_without_loading_scipy():
    """A worker's warm-up (dictionaries, one sample analysed) needs neither datasketch
    nor the scipy it loads: that was a third of the time before the first article."""
    import subprocess
    import sys

    code = ("import sys, annotator.text.warm; "
            "print(sorted(m for m in ('scipy', 'datasketch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_signatures_estimate_similarity():
    zh = minhash_from_bytes(article_signature(ZH))
    edited = minhash_from_bytes(article_signature(_edited_repost(ZH)))
    other = minhash_from_bytes(article_signature(TEXTS["000"]))
    assert zh.jaccard(edited) > 0.8
    assert zh.jaccard(other) < 0.1


def test_band_keys_give_the_same_candidates_as_the_lsh():
    texts = dict(TEXTS, repost=convert(ZH, "s2hk"), edited=_edited_repost(ZH))
    index = DuplicateIndex()
    keys = {}
    for name, text in texts.items():
        index.add(name, text)
        keys[name] = set(band_keys(index.signature_of(name)))
    for name in texts:
        by_keys = {other for other in texts if keys[name] & keys[other]}
        by_lsh = set(index._lsh.query(minhash_from_bytes(index.signature_of(name))))
        assert by_keys == by_lsh
    assert {"001", "repost", "edited"} <= {o for o in texts if keys["001"] & keys[o]}


# ---------------------------------------------------------------- the index


def _index_samples() -> tuple[DuplicateIndex, list[DuplicatePair]]:
    index = DuplicateIndex()
    found = []
    for key in sorted(TEXTS):
        found += index.add(key, TEXTS[key])
    return index, found


def test_index_reports_within_pairs_and_no_false_across_pairs():
    _, found = _index_samples()
    assert [(p.scope, p.a.article_id, p.b.article_id) for p in found] == [("within", "002", "002")]


def test_index_finds_reposts_against_the_first_copy():
    index, _ = _index_samples()
    repost = convert(ZH, "s2hk")
    found = index.add("hk", repost)
    assert len(found) == 1
    pair = found[0]
    assert (pair.scope, pair.a.article_id, pair.b.article_id) == ("across", "001", "hk")
    assert pair.similarity >= 0.99
    assert fold(ZH[pair.a.start:pair.a.end]) == fold(repost[pair.b.start:pair.b.end])
    edited = index.add("edited", _edited_repost(ZH))
    assert {p.a.article_id for p in edited} == {"001", "hk"}
    assert all(p.b.article_id == "edited" and 0.9 <= p.similarity < 1 for p in edited)


def test_index_refuses_an_id_twice():
    index = DuplicateIndex()
    index.add("x", ZH)
    with pytest.raises(ValueError, match="already indexed"):
        index.add("x", ZH)


def test_restored_index_behaves_like_the_original():
    original, _ = _index_samples()
    restored = DuplicateIndex()
    for key in sorted(TEXTS):
        restored.restore(key, original.passages_of(key), bytes(original.signature_of(key)))
    repost = convert(ZH, "s2tw")
    assert restored.add("tw", repost) == original.add("tw", repost)
    assert len(restored) == len(original) == 6 and "tw" in restored


def test_sentence_shared_by_many_articles_is_not_a_lead():
    boilerplate = "本文仅代表作者观点，不代表本站立场，转载请注明出处和作者信息。"
    index = DuplicateIndex(max_postings=3)
    for k in range(5):
        index.add(f"n{k}", f"第{k}篇文章的正文内容各不相同，编号是{k * 7919}。\n{boilerplate}")
    units = passages(f"又一篇新的文章内容也不一样。\n{boilerplate}")
    assert index._candidates(units, b"") == []


def test_signatures_are_stored_as_bytes_and_restore_exactly():
    index, _ = _index_samples()
    sig = index.signature_of("001")
    values = np.frombuffer(sig, dtype="<u4")
    assert np.array_equal(minhash_from_bytes(sig).hashvalues, values)


# ---------------------------------------------------------------- robustness

_UNITS = st.sampled_from([
    "香港整体人力短缺达18万人。", "香港整體人力短缺達１８萬人。", "预计到2028年缺口将扩大。",
    "The park received 70,000 applications. ", "Only 200 people were hired. ", "\n", " ",
    "短。", "Loading...", "人工智能产业发展迅速，人才需求殷切。",
])


_EDITS = st.lists(st.tuples(st.integers(0, 400), st.sampled_from("的了人港 ,.a1万萬")), max_size=40)


def _edit(text: str, edits) -> str:
    chars = list(text)
    for at, char in edits:  # a replacement, an insertion or a deletion at `at`
        at %= max(len(chars), 1)
        if char == " " and chars:
            del chars[at]
        elif char == ",":
            chars.insert(at, char)
        elif chars:
            chars[at] = char
    return "".join(chars)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("香港人才短缺达万的了 abcde,.123"), min_size=1, max_size=400), _EDITS)
def test_near_ratio_is_difflibs_ratio_wherever_it_reaches_the_threshold(text, edits):
    """The C bound in front of difflib only rejects pairs difflib would reject too."""
    for a, b in ((text, _edit(text, edits)), (text, _edit(text[::-1], edits))):
        exact = SequenceMatcher(None, a, b, autojunk=False).ratio()
        assert near_ratio(a, b) == (exact if exact >= NEAR_RATIO else 0.0)


@settings(max_examples=80, deadline=None)
@given(st.lists(_UNITS, max_size=30).map("".join), st.lists(_UNITS, max_size=30).map("".join))
def test_comparisons_never_fail_and_are_deterministic(a, b):
    for match in within_article(a):
        _check_spans(a, a, match)
        assert match.a[1] <= match.b[0]  # the first copy ends before the second begins
    assert within_article(a) == within_article(a)
    matches = align(a, b)
    assert matches == align(a, b)
    for match in matches:
        _check_spans(a, b, match)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_arbitrary_text_never_breaks_the_index(a, b):
    index = DuplicateIndex()
    index.add("a", a)
    for pair in index.add("b", b):
        text = b if pair.b.article_id == "b" else a
        assert 0 <= pair.b.start < pair.b.end <= len(text)
