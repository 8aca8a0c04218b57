"""A bare 元 read by the region of the article (text/figures/region.py), on sentences of
real Hong Kong, Taiwan and mainland papers."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures
from annotator.text.figures.region import bare_yuan, is_traditional, yuan_currency

# Sing Tao Daily (Hong Kong), a bail report
HK = ("民主黨主席兼立法會議員胡志偉昨晚駕車駛進黎宅，逗留至晚上八時半才離開。\n"
      "據悉，黎智英遭警方凍結五千萬元資產，指有關戶口疑涉及串謀欺詐。\n"
      "香港警方昨凌晨准許他以五十萬元現金及人事擔保保釋。")
# United Daily News (Taiwan), police reports
TW = ("凌晨亮水果刀搶超商 雨衣歹徒得手5000元。\n"
      "桃園一名男子積欠酒駕罰鍰9萬元，台灣警方昨日到他家查封。")
# the mainland: Simplified, whatever places it names
CN = "香港特区政府与深圳合作，项目投资246.79亿元，其中深圳出资119.90亿元。"


def _money(text: str) -> dict[str, str | None]:
    return {f.text: f.currency for f in extract_figures(text) if f.kind == "money"}


def test_a_bare_yuan_in_a_hong_kong_paper_is_hkd():
    assert _money(HK) == {"五千萬元": "HKD", "五十萬元": "HKD"}


def test_a_bare_yuan_in_a_taiwan_paper_is_twd():
    assert set(_money(TW).values()) == {"TWD"} and len(_money(TW)) == 2


def test_a_mainland_article_keeps_cny_even_when_it_names_hong_kong():
    assert set(_money(CN).values()) == {"CNY"}


@pytest.mark.parametrize("named, code", [("人民幣五十萬元", "CNY"), ("五十萬元人民幣", "CNY"),
                                          ("五十萬港元", "HKD"), ("五十萬美元", "USD")])
def test_an_amount_that_names_its_currency_keeps_it(named, code):
    text = HK.replace("五十萬元", named)
    assert _money(text)[named] == code


def test_no_clear_region_keeps_the_mainland_reading():
    both = "香港與台灣的業界代表都出席了會議，門票每張三百元。"
    assert yuan_currency(both) is None
    assert _money(both) == {"三百元": "CNY"}


def test_the_script_and_bare_yuan_checks():
    assert is_traditional(HK) and not is_traditional(CN)
    assert bare_yuan("罰鍰9萬元", 2, 5)
    assert not bare_yuan("人民幣9萬元", 3, 6)
    assert not bare_yuan("9萬港元", 0, 4)
