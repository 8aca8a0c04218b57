"""Units from real news: symbols after a number, Chinese measures, and a half after
the unit (三斤半, 一年半, 一個半小時)."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures


def _figs(text):
    return [(f.text, f.kind, f.value, f.unit) for f in extract_figures(text)]


@pytest.mark.parametrize(
    "text, surface, value, unit",
    [
        ("用GPU需要40块，延时300ms，单路视频功耗2.8W；", "300ms", 300, "ms"),
        ("用GPU需要40块，延时300ms，单路视频功耗2.8W；", "2.8W", 2.8, "W"),
        ("It puts out 151 PS along with 197 Nm of torque", "151", 151, "PS"),
        ("It puts out 151 PS along with 197 Nm of torque", "197", 197, "Nm"),
        ("能效比500 IPS/W，是第二名的", "500", 500, "IPS/W"),
        ("7.62mm子弹", "7.62mm", 7.62, "mm"),
        ("a 300mm lens", "300mm", 300, "mm"),
        ("200g of sugar", "200g", 200, "g"),
        ("a 2L bottle", "2L", 2, "L"),
        ("a 150cc engine", "150cc", 150, "cc"),
        ("he weighs 180 lbs", "180", 180, "lbs"),
        ("top speed of 100 kph", "100", 100, "kph"),
        ("at 60 fps", "60", 60, "fps"),
        ("it was 25°C", "25°C", 25, "°C"),
        ("气温28℃", "28℃", 28, "°C"),
        ("兩人墜落垂直高度約十公尺；現場", "約十公尺", 10, "公尺"),
        ("直径5毫米", "5毫米", 5, "毫米"),
        ("长3公分", "3公分", 3, "公分"),
        ("高10厘米", "10厘米", 10, "厘米"),
        ("500毫升", "500毫升", 500, "毫升"),
        ("28摄氏度", "28摄氏度", 28, "摄氏度"),
        ("5吋螢幕", "5吋", 5, "吋"),
        ("3加侖", "3加侖", 3, "加仑"),
        ("首批3車合共7人會送去", "3車", 3, "车"),
        ("現時已涉及3間房", "3間", 3, "间"),
        ("突然傳出3聲巨響", "3聲", 3, "声"),
        ("前往宫古岛及冲绳的5晚6天旅程", "5晚", 5, "晚"),
    ],
)
def test_units(text, surface, value, unit):
    got = [f for f in extract_figures(text) if f.text == surface]
    assert got, _figs(text)
    assert got[0].value == pytest.approx(value) and got[0].unit == unit, _figs(text)


def test_mm_after_money_is_still_million():
    (f,) = extract_figures("a $5mm deal")
    assert f.kind == "money" and f.value == 5_000_000


def test_5g_is_still_a_network():
    assert extract_figures("5G network") == []


@pytest.mark.parametrize(
    "text, surface, value, unit",
    [
        ("买了三斤半", "三斤半", 3.5, "斤"),
        ("这块芯片从设计到流片只用了一年半时间。", "一年半", 1.5, "年"),
        ("會議開了一個半小時", "一個半小時", 1.5, "小时"),
        ("两个半月", "两个半月", 2.5, "月"),
        ("2年半", "2年半", 2.5, "年"),
    ],
)
def test_a_half_after_the_unit(text, surface, value, unit):
    got = [f for f in extract_figures(text) if f.text == surface]
    assert got, _figs(text)
    assert got[0].value == value and got[0].unit == unit


def test_a_half_that_opens_a_word_is_not_added():
    assert all(f.value != 1.5 for f in extract_figures("一年半导体产值"))


@pytest.mark.parametrize(
    "text, surface, kind, value, unit",
    [
        ("After a three-year silence, the band", "three", "count", 3, "years"),
        ("the station that is currently home to a six-member crew", "six", "count", 6, "member"),
        ("sold a majority stake in its seven-month-old operation", "seven", "count", 7, "months"),
        ("compiled an 800-page report", "800", "count", 800, "page"),
        ("The 56-year-old said he was grateful", "56", "count", 56, "years"),
        ("An all-new 2.0-liter, naturally aspirated engine", "2.0", "count", 2, "liter"),
        ("courtesy of an 8-inch touchscreen", "8", "count", 8, "inch"),
        ("freed last night after five-and-a-half years in captivity", "five-and-a-half", "count", 5.5, "years"),
        ("The meeting lasted an hour and a half.", "an hour and a half", "count", 1.5, "hours"),
    ],
)
def test_hyphenated_number_adjectives_carry_their_unit(text, surface, kind, value, unit):
    assert (surface, kind, value, unit) in _figs(text)


@pytest.mark.parametrize("text", ["a one-off payment", "a one-sided game"])
def test_hyphen_words_that_are_no_measure(text):
    assert _figs(text) == []


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("profit of $1.2 billion in the fourth quarter of 2014", "fourth quarter", 4),
        ("In the fourth quarter, JPMorgan posted", "fourth quarter", 4),
        ("its third-quarter results", "third-quarter", 3),
        ("in the first quarter", "first quarter", 1),
    ],
)
def test_a_ranked_quarter_is_a_period(text, surface, value):
    assert (surface, "ordinal", value, "quarter") in _figs(text)


def test_three_quarters_stays_a_fraction():
    assert ("three quarters", "number", 0.75, None) in _figs("three quarters of them")


@pytest.mark.parametrize(
    "text, surface, low, high",
    [
        ("until the end of the 2022/23 season.", "2022/23", 2022, 2023),
        ("the 2019-20 season", "2019-20", 2019, 2020),
        ("the 2019/2020 financial year", "2019/2020", 2019, 2020),
        ("the 1999/00 season", "1999/00", 1999, 2000),
    ],
)
def test_a_season_across_two_years_is_a_year_range(text, surface, low, high):
    got = [(f.text, f.kind, f.value, f.value_max, f.unit) for f in extract_figures(text)]
    assert (surface, "range", low, high, "year") in got


def test_a_year_and_month_stays_a_date():
    assert [(f.text, f.kind) for f in extract_figures("in 2011-12 the index")] == [("2011-12", "date")]
