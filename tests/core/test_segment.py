"""Search tokens: jieba words of folded text, and FTS5 queries that never break."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text.chinese import convert
from annotator.text.pipeline import analyse
from annotator.text.segment import (
    chars_for_index, match_expression, tokens_for_index, tokens_for_query,
)

ROOT = Path(__file__).resolve().parents[2]
ZH = (ROOT / "samples" / "001_1bdd7b1565627bd6.txt").read_text(encoding="utf-8")
EN = (ROOT / "samples" / "004_05ed09abc584fe42.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fts():
    """The application's two-column index holding a Simplified article (1), its
    Traditional re-post (2) and an English one (3), indexed as an import indexes them."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(tokens, chars, "
               "tokenize='unicode61 remove_diacritics 2')")
    for rowid, text in ((1, ZH), (2, convert(ZH, "s2hk")), (3, EN)):
        a = analyse(text)
        db.execute("INSERT INTO s(rowid, tokens, chars) VALUES (?, ?, ?)",
                   (rowid, a.index_tokens, a.index_chars))
    yield db
    db.close()


def _search(db, query: str) -> set[int]:
    expression = tokens_for_query(query)
    if expression is None:
        return set()
    return {r for (r,) in db.execute("SELECT rowid FROM s WHERE s MATCH ?", (expression,))}


def _fts_terms(column_text: str) -> list[tuple[str, int]]:
    """(term, position) of every token the search index's tokenizer makes of a column."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE d USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(d, instance)")
    db.execute("INSERT INTO d(x) VALUES (?)", (column_text,))
    terms = db.execute("SELECT term, offset FROM v ORDER BY offset").fetchall()
    db.close()
    return terms


def test_index_tokens_are_folded_words():
    text = "香港人工智能產業，ＡＩ人才缺口擴大！"
    words = [t for t, _ in _fts_terms(tokens_for_index(text))]
    assert "人工智能" in words and "产业" in words and "人才" in words
    # single characters, English words and punctuation are not words of the words
    # column; the characters column holds the characters and the English words
    assert not {"ai", "，", "！", "香"} & set(words)
    chars = [t for t, _ in _fts_terms(chars_for_index(text))]
    assert "ai" in chars and "香" in chars and "，" not in chars
    assert tokens_for_index(ZH) == tokens_for_index(convert(ZH, "s2hk"))


@pytest.mark.parametrize("query", ["人工智能", "人工智慧", "創科人才", "抢人才", "搶人才",
                                   "香港特區政府", "特区政府", "人才缺口"])
def test_simplified_and_traditional_queries_find_both_scripts(fts, query):
    assert _search(fts, query) == {1, 2}


def test_english_queries_ignore_case(fts):
    assert _search(fts, "INNO-TECH cooperation") == {3}
    assert _search(fts, "Ministry of Science") == {3}
    assert _search(fts, "quantum") == set()


def test_user_dictionary_words_stay_whole():
    assert "高才通" in tokens_for_index("申请高才通计划的人数").split()
    assert tokens_for_query("高才通") == '{tokens} : "高才通"'


@pytest.mark.parametrize("query", ["", "   ", "，。！", "\"\"", "***", "_"])
def test_queries_without_words_are_none(query):
    assert tokens_for_query(query) is None


def test_query_syntax_is_quoted_not_interpreted(fts):
    expression = tokens_for_query('AND OR NOT NEAR("x y") body:港 "quoted"*')
    assert expression is not None
    # every user word is quoted; the only bare words are the operators and the column
    # filters we put between them
    assert all(part.lstrip("(").startswith(('"', '{')) or part in ("AND", "OR", ":", "chars}")
               for part in expression.split())
    fts.execute("SELECT rowid FROM s WHERE s MATCH ?", (expression,)).fetchall()


def test_a_query_word_split_further_is_valid():
    # "创始人" is also indexed as "创始": a word expression next to plain words once
    # produced an FTS5 syntax error
    expression = tokens_for_query("司联合创始人")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(tokens, chars)")
    db.execute("SELECT rowid FROM s WHERE s MATCH ?", (expression,)).fetchall()


@pytest.mark.parametrize("query", ["缺", "届生", "资产和数", "析师、投资", "創科人才缺口", "高才通"])
def test_any_run_of_chinese_characters_is_found_in_both_scripts(fts, query):
    # jieba cuts these across words (or they are parts of words): the characters column
    # still finds them, in the Simplified article and its Traditional re-post
    found = {r[0] for r in fts.execute("SELECT rowid FROM s WHERE s MATCH ?",
                                        (match_expression(query),))}
    assert {1, 2} <= found and 3 not in found


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('香港人才創科"*:()^-+ ANDORNEAR,.，。1２{}')),
               max_size=40))
def test_two_column_expression_is_always_valid(fts, query):
    expression = match_expression(query)
    if expression is not None:
        fts.execute("SELECT rowid FROM s WHERE s MATCH ?", (expression,)).fetchall()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_user_input_is_a_valid_match_expression(fts, query):
    expression = tokens_for_query(query)
    if expression is not None:
        fts.execute("SELECT rowid FROM s WHERE s MATCH ?", (expression,)).fetchall()


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('香港人才創科"*:()^-+ ANDORNEAR,.，。1２')),
               max_size=40))
def test_syntax_heavy_input_is_a_valid_match_expression(fts, query):
    expression = tokens_for_query(query)
    if expression is not None:
        fts.execute("SELECT rowid FROM s WHERE s MATCH ?", (expression,)).fetchall()


def _jieba_index_words(text: str) -> list[str]:
    """What the words column must hold, by jieba itself: its full-mode words of two or
    more of the characters it cuts into words."""
    from annotator.text.segment import _jieba, _jieba_han

    han = _jieba_han()
    return [w for w in _jieba().cut(text, cut_all=True)
            if len(w) > 1 and all(c in han for c in w)]


def test_index_words_are_jiebas_full_mode_words_on_every_sample():
    from annotator.text.normalise import fold

    paths = sorted((ROOT / "samples").iterdir()) + sorted((ROOT / "tests" / "core" / "data").rglob("*.txt"))
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for t in (text, fold(text)):
            assert tokens_for_index(t, folded=t).split() == _jieba_index_words(t), path.name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("香港创科人才短缺中华人民共和国一二三万亿 ab1.2%-_\n\t，。AI"))
               | st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_index_words_are_jiebas_full_mode_words_on_any_text(text):
    assert tokens_for_index(text, folded=text).split() == _jieba_index_words(text)


def test_the_index_cutter_knows_every_word_jieba_knows():
    from annotator.text.segment import _index_cutter, _jieba, _user_words

    cutter = _index_cutter()
    words = [w for w, f in _jieba().FREQ.items() if f]
    assert len(words) > 300_000
    assert [w for w in words if not cutter.has_word(w)] == []
    assert all(cutter.has_word(w) for w, _ in _user_words())


_REALISTIC = st.text(alphabet=st.sampled_from(list(
    "香港创科人才短缺中华人民共和国特区政府一二三万亿的了是 abcXYZ019.,%-+#_&\n，。、（）"
    "éüßμカナ한글")), max_size=60)


@settings(max_examples=200, deadline=None)
@given(_REALISTIC)
def test_every_word_and_term_of_an_article_finds_it(text):
    """Searched alone, each jieba word of a Chinese article's text, and each term FTS5
    makes of it (a character, an English word, a number), finds the article. (jieba's
    words without Chinese need not: it cuts "0é" into "0" and "é", FTS5 keeps "0e".)"""
    from annotator.text.normalise import fold
    from annotator.text.segment import _HAN, _jieba, _words

    folded = fold(text)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(tokens, chars, "
               "tokenize='unicode61 remove_diacritics 2')")
    row = (tokens_for_index(text, folded=folded), chars_for_index(text, folded=folded))
    db.execute("INSERT INTO s(rowid, tokens, chars) VALUES (1, ?, ?)", row)
    han_words = [w for w in _words(_jieba().cut(folded, HMM=False)) if _HAN.search(w)]
    queries = han_words + [t for t, _ in _fts_terms(row[1])]
    for query in dict.fromkeys(queries):
        expression = match_expression(query)
        assert expression is not None, query
        found = db.execute("SELECT rowid FROM s WHERE s MATCH ?", (expression,)).fetchall()
        assert found == [(1,)], (query, expression, row)
