from annotator.services import search
from annotator.storage import articles as repo


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
