"""Property tests over arbitrary input, for what the other suites do not already fuzz:
decoding and the file readers, boilerplate marking, sentence splitting over all of
Unicode, script conversion with offsets, the whole analysis of one article, and storing
it. No exceptions; every span selects its text; the same input gives the same output.

(The figure engine, claims, duplicate comparisons, search expressions and folding have
their own property tests in tests/core.) CI runs a bounded number of examples;
ANNOTATOR_LONG_TESTS=1 runs twenty times as many.
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain import RawArticle
from annotator.readers import ReadError, ReadWarning, read_file
from annotator.services.importing import import_paths
from annotator.storage.db import open_db
from annotator.text import chinese
from annotator.text.clean import find_boilerplate
from annotator.text.decode import DecodeError, decode_bytes
from annotator.text.figures import figure_to_dict
from annotator.text.pipeline import analyse
from annotator.text.sentences import split_sentences

LONG = os.environ.get("ANNOTATOR_LONG_TESTS") == "1"
SCALE = 20 if LONG else 1


def fuzz(examples: int):
    return settings(max_examples=examples * SCALE, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# Pieces of real scraped text (figures, markup, boilerplate, separators) mixed with
# arbitrary characters, so examples reach the interesting code, not only the fast paths.
_PIECES = st.sampled_from([
    "1", "23", "4.5", "6,000", "5.02万", "18萬人", "两", "百分之", "%", "12% ", "HK$3.4 billion",
    "$", "2024年1月1日", "February 24, 2025", "1-2", "至", "from 0.73% to 1.5%", "。", ". ", "！",
    "？", "\n", "\r\n", "\r", "\n\n", "\u2028", "\u2029", "\x85", "\x0c", "\t", "  ", "\u3000",
    "😀", "🇭🇰", "👩‍👩‍👧", "𠮷", "𝟓", "e\u0301", "\u200b", "\u05e9", "<b>", "</b>",
    "<script>alert(1)</script>", "&amp;", "[ad_1]", "Loading...", "By KATHY ZHANG in Hong Kong",
    "图片来源:图虫创意", "界面新闻记者 | 张熹珑", "Leave a Reply", "Related Posts:",
    "欧博体育 – 皇家马德里 官方合作伙伴 – ", "Location: China", "香港", "創科", "内存", "人工智能",
    "The fund grew by 12% to 3,400 members.", "增长4.3%。", "Mr. ", "No. 5", "one hundred",
])
TEXT = st.one_of(st.text(max_size=120), st.lists(_PIECES, max_size=40).map("".join),
                 st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=30).map("".join))


# --- decoding and reading ---------------------------------------------------------------

@fuzz(300)
@given(st.one_of(st.binary(max_size=600), TEXT.map(lambda t: t.encode("utf-8")),
                 st.tuples(TEXT, st.sampled_from(["gb18030", "big5hkscs", "utf-16-le",
                                                  "utf-16-be", "cp1252"]))
                 .map(lambda p: p[0].encode(p[1], errors="ignore"))))
def test_decode_never_fails_unexpectedly_and_is_deterministic(data):
    try:
        d = decode_bytes(data)
    except DecodeError as e:
        assert str(e)
        with pytest.raises(DecodeError):
            decode_bytes(data)
        return
    assert d.text.strip() and "\x00" not in d.text
    d.text.encode("utf-8")  # storable: no half surrogate pairs
    again = decode_bytes(data)
    assert (again.text, again.encoding, again.warnings) == (d.text, d.encoding, d.warnings)


_PRINTABLE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200)


@fuzz(200)
@given(_PRINTABLE.filter(lambda t: t.strip()),
       st.sampled_from([("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
                        ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                        ("utf-32-le", codecs.BOM_UTF32_LE)]))
def test_unicode_with_a_bom_or_as_utf8_round_trips_exactly(text, codec_bom):
    codec, bom = codec_bom
    assert decode_bytes(bom + text.encode(codec)).text == text


def _json_values():
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        TEXT)
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["text", "content", "title", "url", "date", "id", "x"]),
                        inner, max_size=5)), max_leaves=12)


@fuzz(200)
@given(st.lists(st.one_of(_json_values().map(json.dumps), st.text(max_size=40)), max_size=8),
       st.sampled_from([".jsonl", ".json", ".csv", ".tsv", ".txt", ".md", ".html"]))
def test_readers_yield_articles_or_errors_never_exceptions(lines, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
        for item in read_file(path):
            assert isinstance(item, (RawArticle, ReadError, ReadWarning))
            if isinstance(item, RawArticle):
                assert item.text.strip() and "\x00" not in item.text
                for value in (item.text, item.title, item.url, item.date, item.external_id,
                              item.source):
                    if value is not None:
                        value.encode("utf-8")  # storable in SQLite
            else:
                assert item.source.startswith(str(path)) and item.message


# --- text engines -----------------------------------------------------------------------

@fuzz(300)
@given(TEXT)
def test_boilerplate_spans_are_sorted_trimmed_and_deterministic(text):
    spans = find_boilerplate(text)
    for sp in spans:
        assert 0 <= sp.start < sp.end <= len(text)
        assert not text[sp.start].isspace() and not text[sp.end - 1].isspace()
    assert all(a.end < b.start for a, b in zip(spans, spans[1:]))
    assert find_boilerplate(text) == spans


@fuzz(300)
@given(TEXT)
def test_sentences_over_all_of_unicode(text):
    sentences = split_sentences(text)
    for s in sentences:
        assert 0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))
    assert [(s.start, s.end) for s in split_sentences(text)] == [(s.start, s.end) for s in sentences]


@fuzz(150)
@given(TEXT, st.sampled_from(chinese.CONFIGS))
def test_conversion_with_offsets_agrees_with_conversion(text, config):
    out, omap = chinese.convert_with_offsets(text, config)
    assert out == chinese.convert(text, config)
    assert (omap.source_len, omap.target_len) == (len(text), len(out))
    last = 0
    for i in range(len(text) + 1):
        t = omap.to_target(i)
        assert 0 <= t <= len(out) and t >= last
        last = t
    for s in split_sentences(text):
        a, b = omap.span_to_target(s.start, s.end)
        assert 0 <= a <= b <= len(out)


def _snapshot(a) -> tuple:
    return (a.language, a.script, a.boilerplate,
            [(c.start, c.end, c.text, [figure_to_dict(f) for f in c.figures]) for c in a.claims],
            a.sketch, a.index_tokens, a.index_chars)


@fuzz(200)
@given(TEXT)
def test_whole_analysis_never_fails_spans_hold_and_is_deterministic(text):
    a = analyse(text)
    for c in a.claims:
        assert text[c.start:c.end] == c.text
        for f in c.figures:
            assert text[f.start:f.end] == f.text and c.start <= f.start < f.end <= c.end
    for sp in a.boilerplate:
        assert 0 <= sp.start < sp.end <= len(text)
    for first, repeat, _similarity in a.sketch.within:
        for start, end in (first, repeat):
            assert 0 <= start < end <= len(text)
    assert _snapshot(analyse(text)) == _snapshot(a)


# --- storing ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    db = open_db(path)
    yield db, path.parent
    db.close()


@fuzz(100)
@given(text=TEXT.filter(lambda t: t.strip() and "\x00" not in t))
def test_any_text_is_stored_verbatim_with_its_spans(store, text):
    db, folder = store
    with tempfile.NamedTemporaryFile("wb", suffix=".txt", dir=folder, delete=False) as f:
        f.write(text.encode("utf-8"))
    try:
        summary = import_paths(db, [f.name], dataset="fuzz", workers=1)
    finally:
        os.unlink(f.name)
    if summary.errors:  # control characters: refused as binary, with a reason
        assert all("binary" in e.message for e in summary.errors), summary.errors
        return
    (aid,) = summary.article_ids
    stored = db.execute("SELECT text FROM articles WHERE id = ?", [aid]).fetchone()[0]
    assert stored == text.removeprefix("\ufeff")
    for start, end, surface in db.execute(
            "SELECT start, end, text FROM figures WHERE article_id = ? UNION ALL "
            "SELECT start, end, text FROM claims WHERE article_id = ?", [aid, aid]):
        assert stored[start:end] == surface
