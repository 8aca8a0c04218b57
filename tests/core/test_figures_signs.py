"""Minus signs and list bullets. trafilatura writes every <li> as "- ", so a line of a
list reads like a negative number; 79 of 85 negative values taken from real news pages
were such bullets."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures


def _values(text: str) -> list[tuple[str, float]]:
    return [(f.text, f.value) for f in extract_figures(text)]


@pytest.mark.parametrize("text, expected", [
    ("- 30 people were injured in the crash\n", [("30", 30.0)]),
    ("Casualties:\n- 30 people were injured\n- 4 died\n", [("30", 30.0), ("4", 4.0)]),
    ("点击排行\n- 163675成龙参观张北草原天路", [("163675", 163675.0)]),
])
def test_a_bullet_opening_a_line_of_words_is_not_a_minus_sign(text, expected):
    got = _values(text)
    assert [(t, v) for t, v in got if t.strip("- ") in {e[0] for e in expected}] == expected


@pytest.mark.parametrize("text, value", [
    ("- 1 4/5", -1.8),            # a line that is only the quantity (Recognizers-Text)
    ("- 10  k", -10000.0),
    ("Temperatures fell to -5 overnight.", -5.0),
    ("The index closed at -15 points.", -15.0),
    ("气温降至零下", None),
])
def test_real_minus_signs_stay(text, value):
    values = [v for _t, v in _values(text)]
    assert (values[0] if values else None) == value


def test_a_hyphen_inside_a_name_is_no_sign():
    assert all(v > 0 for _t, v in _values("The A-5 road and COVID-19 wards; scores 10 -12."))


# Clock times are not figures to check: each is read from a real sentence of the
# development set (Xinhua on Shenzhou-9, HK and Taiwan police reports, AP).
@pytest.mark.parametrize("text, clock", [
    ("北京时间6月24日12时55分，在航天员的精准操控下，天宫一号与神舟九号对接", "12时55分"),
    ("飛行服務隊表示，約今午12時於大東山以南500米發現疑似", "今午12時"),
    ("截至下午12時半，飛行服務隊共派出11部超", "下午12時半"),
    ("今晨3時許，位在文心路的一棟住宅大樓", "今晨3時許"),
    ("葫蘆街一處民宅，16日下午1時48分驚傳一對97歲母親", "下午1時48分"),
    ("胡志偉昨晚六時四十五分駕車駛進黎宅，逗留至晚上八時半才離開", "六時四十五分"),
    ("建立時間16:41 更新時間17:24", "16:41 更新時間17:24"),
    ("The blast came at 8:51 p.m. (1451 GMT) from Russia.", "8:51 p.m. (1451 GMT"),
])
def test_clock_times_are_not_figures(text, clock):
    s = text.index(clock)
    e = s + len(clock)
    assert [f.text for f in extract_figures(text) if f.start < e and f.end > s] == []


@pytest.mark.parametrize("text, kept", [
    ("北京时间6月24日12时55分，在航天员的精准操控下", ["6月24日"]),
    ("截至下午12時半，飛行服務隊共派出11部超", ["11部"]),
    ("恒指上涨300点，收报2万点", ["300点", "2万点"]),  # index points
    ("他连续工作了12小时", ["12小时"]),  # a duration
])
def test_figures_beside_clock_times_stay(text, kept):
    assert [f.text for f in extract_figures(text)] == kept


# Numbering is not a quantity: list items, discourse enumeration, articles of a law.
# Sentences from the development set (a happiness ranking, a WeChat account's menu,
# Qiushi, a Legislative Council report, an HKFP report).
@pytest.mark.parametrize("text", [
    "The happiest countries are as follows:\n1. Finland\n2. Norway\n3. Australia",
    "as follows:  1. Finland   2. Norway  3. Australia   4. Canada",
    "Follow them on Twitter. 5. Kristi Dosh The sports business reporter",
    "扫描下方二维码解锁更多技能\n1、回复【公租房】查看最新消息\n2、回复【福利】查看各种政策福利",
    "制度和国家治理体系的优越性。\n第一，中国特色社会主义制度和国家治理体系",
    "指出《基本法》的有關條文，包括第十二條訂明香港特別行政區",
    "中共的監視機構中成為同謀」。第四項是「乾淨雲端儲存」。",
    "The group was banned under Article 8 of the Societies Ordinance.",
])
def test_numbering_is_not_a_figure(text):
    assert extract_figures(text) == []


@pytest.mark.parametrize("text, kept", [
    ("投资增长15.2%，位列三县两区第二，投资占比由去年上升", ["15.2%", "第二"]),  # a rank
    ("He scored 2. The team won the match.", ["2"]),
    ("价格上涨了5.2%。30人受伤", ["5.2%", "30人"]),
    ("共有1、2、3号线停运", ["1", "2", "3号"]),
])
def test_ranks_and_counts_beside_numbering_stay(text, kept):
    assert [f.text for f in extract_figures(text)] == kept
