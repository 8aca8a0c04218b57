"""Digits that name a product, a case or a hotline are not figures (real news excerpts)."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures


def _surfaces(text):
    return [f.text for f in extract_figures(text)]


def test_a_han_product_name_that_recurs_is_no_figure():
    text = ("阿里发布了首款AI芯片“含光800”。据了解，含光800主要应用于视觉场景，"
            "一块含光800相当于10块GPU。")
    assert _surfaces(text) == ["10块"]


@pytest.mark.parametrize(
    "text, kept",
    [
        ("过去半年，平头哥先后发布玄铁910、无剑SoC平台。", []),
        ("开发者用虚幻4重新打造《英雄联盟》召唤师峡谷", []),
        ("请通过铁路12306官方网站购票，铁路12306网站未发生用户信息泄漏。", []),
    ],
)
def test_han_names_glued_to_digits(text, kept):
    assert _surfaces(text) == kept


@pytest.mark.parametrize(
    "text, surface",
    [
        ("截至目前共有800人参加", "800人"),
        ("含百分之6酒精含量的啤酒", "百分之6"),
        ("人数达1000，创新高", "1000"),
        ("同比增长5%", "5%"),
    ],
)
def test_quantities_after_han_words_stay(text, surface):
    assert surface in _surfaces(text)


@pytest.mark.parametrize(
    "text, kept",
    [
        ("「外傭」群組再多5宗個案（個案編號：3857、3895、3919、3920、3923）。", ["5宗"]),
        ("首名確診外傭，即第3664個案，警方找到進一步消息", []),
        ("自殺防治諮詢安心專線：0800-788995（24小時） 生命線協談專線：1995 張老師專線：1980", []),
        ("威利廣場23樓 | 電話:26269999 |", []),
        ("Call the hotline 1823 for help.", []),
    ],
)
def test_case_and_hotline_numbers_are_no_figures(text, kept):
    assert [s for s in _surfaces(text) if s not in ("23樓",)] == kept


def test_latin_product_names():
    assert _surfaces("传iPhone 11成本下降了10% 但苹果没打算降价") == ["10%"]
    text = "differences between QGIS 2.8 and the old one. The changes in QGIS 2.8 fall into groups."
    assert _surfaces(text) == []


def test_a_currency_code_before_a_number_is_no_name():
    assert _surfaces("It costs USD 20 each") != []
