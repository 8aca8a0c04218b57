"""Dates in real news sentences: a date right after another date, a clause or a colon
is read whole, not as the bare numbers inside it."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures


def _figs(text):
    return [(f.text, f.kind, f.value, f.value_max) for f in extract_figures(text)]


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("今年4月，6月28日", "6月28日", 628),
        ("第一板斧是，5月28日拉布威胁称", "5月28日", 528),
        ("第二板斧是，6月2日拉布在议会中表示", "6月2日", 602),
        ("据外媒报道，9月30日，日本现存的唯一一家", "9月30日", 930),
        ("死者為台南市興南客運司機，8月24日中午駕駛高鐵專車", "8月24日", 824),
        ("特區政府本月已正式刊憲，8月4日(周六)正式「殺街」", "8月4日", 804),
        ("市士林區葫蘆街一處民宅，16日下午", "16日", 16),
        ("44歲陳姓客運司機，7日凌晨以狗鍊", "7日", 7),
        ("擁有加拿大國籍的台灣人；十七日深夜，萬疑似因故", "十七日", 17),
        ("目前11月的航线安排已经出炉", "11月", 1100),
    ],
)
def test_date_after_a_clause(text, surface, value):
    got = [f for f in extract_figures(text) if f.text == surface]
    assert got, _figs(text)
    assert got[0].kind == "date" and got[0].value == value, _figs(text)


def test_date_alone_and_after_a_date_agree():
    assert _figs("6月28日") == [("6月28日", "date", 628, None)]
    assert _figs("今年4月，6月28日")[-1] == ("6月28日", "date", 628, None)


def test_a_number_with_a_point_or_grouping_is_not_opened_as_a_date():
    assert all(f.kind != "date" or f.text != "5月" for f in extract_figures("增长3.5月"))


def test_numeral_days_need_a_part_of_the_day():
    # 停市三日 is three days, not the third.
    assert all(f.kind != "date" for f in extract_figures("停市三日大清洗後昨重開"))


@pytest.mark.parametrize(
    "text, surface, low, high",
    [
        ("她於7月25日至29日，以及8月1日至3日，曾入住", "7月25日至29日", 725, 729),
        ("她於7月25日至29日，以及8月1日至3日，曾入住", "8月1日至3日", 801, 803),
        ("5月20日至31日", "5月20日至31日", 520, 531),
        ("1-10月，全县固定资产投资完成", "1-10月", 100, 1000),
        ("流动性危机。 2019年1-7月，东莞规模以上工业增加值", "2019年1-7月", 20190100, 20190700),
        ("5至6月份", "5至6月份", 500, 600),
    ],
)
def test_ranges_within_one_month_or_year(text, surface, low, high):
    got = [f for f in extract_figures(text) if f.text == surface]
    assert got, _figs(text)
    f = got[0]
    assert (f.kind, f.unit, f.value, f.value_max) == ("range", "date", low, high)
    assert not f.warnings


def test_a_date_range_into_the_next_year_is_not_inverted():
    (f,) = extract_figures("12月28日至1月3日")
    assert f.kind == "range" and f.value_max == 103 and not f.warnings


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("（中央社記者邱俊欽桃園傳真 105年3月19日", "105年3月19日", 20160319),
        ("民國38年5月", "民國38年5月", 19490500),
        ("臺灣這裡112年5月1日起實施", "112年5月1日", 20230501),
    ],
)
def test_minguo_dates_in_taiwan_papers(text, surface, value):
    got = [f for f in extract_figures(text) if f.text == surface]
    assert got and got[0].kind == "date" and got[0].value == value, _figs(text)


def test_minguo_year_alone_needs_the_era_name():
    assert _figs("中華民國113年") == [("民國113年", "year", 2024, None)]


@pytest.mark.parametrize(
    "text",
    [
        "香港特區政府105年3月19日",  # a Hong Kong paper
        "中央社记者桃园传真 105年3月19日",  # Simplified
        "臺灣法院判處有期徒刑25年6月",  # a prison term
    ],
)
def test_not_minguo(text):
    assert all(f.value < 10000 for f in extract_figures(text)), _figs(text)
