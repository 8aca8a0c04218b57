import unicodedata
from unittest.mock import patch

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotator.services import search
from annotator.storage import articles as repo
from annotator.text.normalise import fold


def test_simplified_query_finds_traditional_article_and_back(samples_db):
    hits = search.search(samples_db, "创科人才")
    sources = {h["source"].rsplit("/", 1)[-1][:3] for h in hits}
    assert {"001", "101", "102"} <= sources
    hits_t = search.search(samples_db, "創科人才")
    assert {h["article_id"] for h in hits} == {h["article_id"] for h in hits_t}


def test_hit_offsets_select_the_match_in_the_original(samples_db):
    for h in search.search(samples_db, "高才通"):
        text = repo.get_article(samples_db, h["article_id"]).text
        assert text[h["start"]:h["end"]] == "高才通"
    for h in search.search(samples_db, "創科"):
        text = repo.get_article(samples_db, h["article_id"]).text
        assert text[h["start"]:h["end"]] in ("创科", "創科")


def test_english_and_partial_chinese_queries(samples_db):
    assert search.search(samples_db, "sensetime")
    assert search.search(samples_db, "缺口")  # part of words in both scripts
    assert search.search(samples_db, "") == []
    assert search.search(samples_db, "zzzzqqq") == []


def test_dataset_filter(samples_db):
    assert search.search(samples_db, "高才通", dataset="nope") == []
    assert search.search(samples_db, "高才通", dataset="samples")


def test_locate_maps_folded_match_back():
    text = "據報，５．０２萬人獲批"
    start, end = search.locate(text, "5.02万")
    assert text[start:end] == "５．０２萬"


def _locate_whole(text, query):
    """What locate answers by folding the whole text at once (the reference)."""
    q = fold(query)
    return search._locate_in(text, [q] + [w for w in q.split() if w])


_PIECES = ["香港", "據報", "５．０２萬", "人才", "發展", "后", "後", "干", "乾隆", "Hong", "KONG",
           "e\u0301", "\u0301", "㎡", "ﬁ", " ", "\n", "\r\n", "\n\n", "\u3000", "\t", "a",
           "5.02万", "😀", "𠀋"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.lists(st.sampled_from(_PIECES),
       min_size=1, max_size=3), st.integers(min_value=0, max_value=12))
def test_locating_by_lines_equals_folding_the_whole_text(pieces, query, chunk):
    text, q = "".join(pieces), "".join(query)
    # a query that starts with a combining mark may be placed on the mark or on the
    # character it follows, as the fold clusters them (see _locate_by_line)
    assume(not unicodedata.combining(fold(q)[:1] or "a"))
    with patch.object(search, "LOCATE_CHUNK", chunk):
        assert search.locate(text, q) == _locate_whole(text, q)


def test_locate_finds_a_word_in_a_late_line_and_across_scripts():
    text = "第一段\n" * 300 + "據報，５．０２萬人獲批\n尾"
    start, end = search.locate(text, "5.02万")
    assert text[start:end] == "５．０２萬" and (start, end) == _locate_whole(text, "5.02万")
    assert search.locate(text, "不在") == (0, 0)


def _import_texts(db, tmp_path, texts):
    from annotator.services.importing import import_paths

    folder = tmp_path / "texts"
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"{i:03}.txt").write_text(text, encoding="utf-8")
    summary = import_paths(db, [folder], dataset="t")
    assert not summary.errors, summary.errors


def test_a_hit_contains_the_query_not_only_its_words_apart(db, tmp_path):
    # 人民币 is one jieba word; its parts 人民 and 币 apart must not count as a hit
    _import_texts(db, tmp_path, [
        "人民日报\n\n人民群众关心物价，数字货币与比特币的讨论也多了起来。",
        "汇率\n\n人民幣兑美元汇率今日微升。",
        "汇率二\n\n人民币兑港元今日持平，人民的生活不受影响。",
    ])
    hits = search.search(db, "人民币")
    assert len(hits) == 2
    for h in hits:
        text = repo.get_article(db, h["article_id"]).text
        assert h["end"] > h["start"]
        assert fold(text[h["start"]:h["end"]]) == fold("人民币")
    assert {h["article_id"] for h in search.search(db, "人民幣")} == \
        {h["article_id"] for h in hits}


def test_filtering_false_candidates_still_fills_the_limit(db, tmp_path):
    # more false candidates than the limit rank first; the true hits must still be found
    false = [f"第{i}篇\n\n人民人民人民人民，币币币币。" for i in range(8)]
    _import_texts(db, tmp_path, false + ["真的\n\n这是一篇很长很长的文章，" * 5 + "人民币。"])
    for page in (2, 3, 100):  # candidates come a page at a time
        with patch.object(search, "CANDIDATE_PAGE", page):
            hits = search.search(db, "人民币", limit=3)
        assert len(hits) == 1
        text = repo.get_article(db, hits[0]["article_id"]).text
        assert text[hits[0]["start"]:hits[0]["end"]] == "人民币"
