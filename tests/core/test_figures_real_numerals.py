"""Chinese numerals from real news: ○ as a zero, 廿/卅 and elided places."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures
from annotator.text.figures.numerals import cn_value, fold


def _figs(text):
    return [(f.text, f.kind, f.value) for f in extract_figures(text)]


@pytest.mark.parametrize(
    "numeral, value",
    [
        ("卅二", 32),
        ("廿一", 21),
        ("五百卅四", 534),
        ("百二万", 1_200_000),
        ("一百十一", 111),
        ("一万三", 13_000),
        ("两千三百万", 23_000_000),
        ("一亿三千万", 130_000_000),
    ],
)
def test_numeral_values(numeral, value):
    assert cn_value(numeral) == value


def test_a_white_circle_next_to_numerals_is_a_zero():
    (f,) = extract_figures("陽性個案五十四宗，百分比約為百分之零點○四，即是")[1:]
    assert f.kind == "percent" and f.value == pytest.approx(0.04) and f.text == "約為百分之零點○四"
    assert _figs("二○二四年") == [("二○二四年", "year", 2024)]


def test_a_white_circle_elsewhere_stays_a_circle():
    assert fold("○○公司") == "○○公司"
    assert extract_figures("○○公司") == []


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("航警調查，卅二歲萬姓男子為陸裔美籍", "卅二歲", 32),
        ("卅三歲妻子是擁有加拿大國籍的台灣人", "卅三歲", 33),
        ("百二萬", "百二萬", 1_200_000),
    ],
)
def test_numerals_in_sentences(text, surface, value):
    got = [f for f in extract_figures(text) if f.text == surface]
    assert got and got[0].value == value, _figs(text)
