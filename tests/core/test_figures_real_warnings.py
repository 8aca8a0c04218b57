"""Warnings on real news must be right: article.inconsistent only for the same subject,
unit and period stated in different sentences; no date alarm on a street number."""

from __future__ import annotations

from annotator.text.claims import find_claims
from annotator.text.figures import extract_figures


def _flagged(text, code="article.inconsistent"):
    figs = [f for c in find_claims(text) for f in c.figures]
    return [f.text for f in figs if any(w.code == code for w in f.warnings)]


def test_a_list_in_one_sentence_is_not_a_contradiction():
    assert _flagged("但纺织服装鞋帽制造业、造纸及纸制品业则呈负增长，同比分别下降3%和0.7%。") == []
    assert _flagged("Nissan claims is a 20% and 16% improvement in fuel economy.") == []
    assert _flagged("Unemployment among men and women between the ages of 25 and 54 rose.") == []


def test_words_of_change_alone_name_no_subject():
    text = ("全县固定资产投资完成246.79亿元，同比增长15.3%，位列三县两区第一。"
            "其中第三产业投资完成119.90亿元，同比增长15.2%，位列三县两区第二。")
    assert _flagged(text) == []


def test_respective_values_and_different_subjects():
    text = ("2019年1-7月，东莞规模以上工业增加值同比增长6.8%。"
            "先进制造业、高技术制造业规模以上工业增加值分别增长了10.4%、17.3%。")
    assert _flagged(text) == []


def test_bare_numbers_have_no_unit_to_compare():
    text = ("群組再多5宗個案（個案編號：3857、3895、3919）。"
            "另外，1名的士司機確診（個案編號：3991)。")
    assert _flagged(text) == []
    assert _flagged("三次产业投资占比由去年同期的1.1:50.3:48.6调整为0.7:50.7:48.6。") == []


def test_different_periods_are_not_a_contradiction():
    text = "2023年香港青年失业率达到15%。报告又称，2024年香港青年失业率达到17%。"
    assert _flagged(text) == []


def test_the_same_subject_twice_is_still_flagged():
    text = "香港青年失业率达到15%。报告又称，香港青年失业率达到17%。"
    assert _flagged(text) == ["15%", "17%"]


def test_a_street_number_is_not_a_date():
    assert extract_figures("地址:觀塘開源道48號威利廣場23樓") == []
    assert extract_figures("中山路100号之3") == []
    assert [f.kind for f in extract_figures("5号上午")] == ["date"]
    assert [f.value for f in extract_figures("9月8号")] == [908]
