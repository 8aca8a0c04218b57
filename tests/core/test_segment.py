"""Search tokens: jieba words of folded text, and FTS5 queries that never break."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text.chinese import convert
from annotator.text.segment import (
    chars_for_index, match_expression, tokens_for_index, tokens_for_query,
)

ROOT = Path(__file__).resolve().parents[2]
ZH = (ROOT / "samples" / "001_1bdd7b1565627bd6.txt").read_text(encoding="utf-8")
EN = (ROOT / "samples" / "004_05ed09abc584fe42.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fts():
    """An FTS5 table holding a Simplified article (1), its Traditional re-post (2) and an
    English one (3), indexed as the application will index them."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='unicode61')")
    for rowid, text in ((1, ZH), (2, convert(ZH, "s2hk")), (3, EN)):
        db.execute("INSERT INTO doc(rowid, body) VALUES (?, ?)", (rowid, tokens_for_index(text)))
    yield db
    db.close()


def _search(db, query: str) -> set[int]:
    expression = tokens_for_query(query)
    if expression is None:
        return set()
    return {r for (r,) in db.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (expression,))}


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
    terms = [t for t, _ in _fts_terms(tokens_for_index("香港人工智能產業，ＡＩ人才缺口擴大！"))]
    assert "人工智能" in terms and "ai" in terms and "产业" in terms
    assert "，" not in terms and "！" not in terms
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
    assert tokens_for_query("高才通") == '"高才通"'


@pytest.mark.parametrize("query", ["", "   ", "，。！", "\"\"", "***", "_"])
def test_queries_without_words_are_none(query):
    assert tokens_for_query(query) is None


def test_query_syntax_is_quoted_not_interpreted(fts):
    expression = tokens_for_query('AND OR NOT NEAR("x y") body:港 "quoted"*')
    assert expression is not None
    # every user word is quoted; the only bare words are the operators we put between them
    assert all(part.startswith(('"', '(')) or part in ("AND", "OR")
               for part in expression.split())
    fts.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (expression,)).fetchall()


def test_a_query_word_split_further_is_valid():
    # "创始人" is also indexed as "创始": a word expression next to plain words once
    # produced an FTS5 syntax error
    expression = tokens_for_query("司联合创始人")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE doc USING fts5(body)")
    db.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (expression,)).fetchall()


@pytest.fixture(scope="module")
def fts2():
    """The application's two-column index: jieba words and single Han characters."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(tokens, chars, tokenize='unicode61')")
    for rowid, text in ((1, ZH), (2, convert(ZH, "s2hk")), (3, EN)):
        db.execute("INSERT INTO s(rowid, tokens, chars) VALUES (?, ?, ?)",
                   (rowid, tokens_for_index(text), chars_for_index(text)))
    yield db
    db.close()


@pytest.mark.parametrize("query", ["缺", "届生", "资产和数", "析师、投资", "創科人才缺口", "高才通"])
def test_any_run_of_chinese_characters_is_found_in_both_scripts(fts2, query):
    # jieba cuts these across words (or they are parts of words): the characters column
    # still finds them, in the Simplified article and its Traditional re-post
    found = {r[0] for r in fts2.execute("SELECT rowid FROM s WHERE s MATCH ?",
                                        (match_expression(query),))}
    assert {1, 2} <= found and 3 not in found


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('香港人才創科"*:()^-+ ANDORNEAR,.，。1２{}')),
               max_size=40))
def test_two_column_expression_is_always_valid(fts2, query):
    expression = match_expression(query)
    if expression is not None:
        fts2.execute("SELECT rowid FROM s WHERE s MATCH ?", (expression,)).fetchall()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_user_input_is_a_valid_match_expression(fts, query):
    expression = tokens_for_query(query)
    if expression is not None:
        fts.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (expression,)).fetchall()


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('香港人才創科"*:()^-+ ANDORNEAR,.，。1２')),
               max_size=40))
def test_syntax_heavy_input_is_a_valid_match_expression(fts, query):
    expression = tokens_for_query(query)
    if expression is not None:
        fts.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (expression,)).fetchall()


def test_full_mode_words_are_jiebas_full_mode_on_every_sample():
    from annotator.text.normalise import fold
    from annotator.text.segment import _jieba, full_mode_words

    tokenizer = _jieba()
    for path in sorted((ROOT / "samples").iterdir()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for t in (text, fold(text)):
            assert full_mode_words(t) == list(tokenizer.cut(t, cut_all=True)), path.name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("香港创科人才短缺中华人民共和国一二三万亿 ab1.2%-_\n\t，。AI"))
               | st.characters(), max_size=80))
def test_full_mode_words_are_jiebas_full_mode_on_any_text(text):
    from annotator.text.segment import _jieba, full_mode_words

    assert full_mode_words(text) == list(_jieba().cut(text, cut_all=True))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("香港创科人才 ab1.2%-_\n\t，。\u3000\u200b"))
               # stored texts never hold half a surrogate pair (the readers replace them)
               | st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_index_tokens_are_the_full_mode_words_with_a_letter_or_digit(text):
    """Punctuation stays in the column's text; the tokenizer must make of it the terms
    it makes of the words with a letter or digit, in the same order. (Its Unicode tables
    are not Python's: a character Python does not know as a letter, such as one of a
    script added lately, may become a term of its own, which no query asks for, since
    queries keep only the words Python sees a letter or digit in.)"""
    from annotator.text.segment import _WORD, _jieba, _words

    words = list(_jieba().cut(text, cut_all=True))
    assert tokens_for_index(text, folded=text) == " ".join(words)
    assert ([t for t, _ in _fts_terms(" ".join(words)) if _WORD.search(t)]
            == [t for t, _ in _fts_terms(" ".join(_words(words))) if _WORD.search(t)])
