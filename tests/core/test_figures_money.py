"""Money: which number a currency word belongs to, sub-units, colloquial and scaled forms."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures


def _figs(text: str, lang: str = "auto"):
    figs = extract_figures(text, lang)
    for f in figs:
        assert text[f.start : f.end] == f.text
    return [(f.text, f.kind, f.value, f.currency) for f in figs]


@pytest.mark.parametrize(
    "text, want",
    [
        # the amount before the word opened with a currency: the word opens the next one
        ("rmb 10 usd 20", [("rmb 10", "money", 10, "CNY"), ("usd 20", "money", 20, "USD")]),
        ("$ 20,000.00 $ 37,305.97 expenses",
         [("$ 20,000.00", "money", 20000, "USD"), ("$ 37,305.97", "money", 37305.97, "USD")]),
        # otherwise it closes the previous one
        ("10 rmb 20 usd", [("10 rmb", "money", 10, "CNY"), ("20 usd", "money", 20, "USD")]),
        ("10 $ 30 $", [("10 $", "money", 10, "USD"), ("30 $", "money", 30, "USD")]),
        ("4人民币 5美元", [("4人民币", "money", 4, "CNY"), ("5美元", "money", 5, "USD")]),
        # unless it is glued to the next number
        ("3 USD50 cards", [("3", "number", 3, None), ("USD50", "money", 50, "USD")]),
        ("1 $10 bill", [("1", "number", 1, None), ("$10", "money", 10, "USD")]),
    ],
)
def test_a_currency_between_two_numbers(text, want):
    assert _figs(text) == want


@pytest.mark.parametrize(
    "text, surface, value, currency",
    [
        ("if they had 15 USD 50 more", "15 USD 50", 15.5, "USD"),
        ("10 $ 30 cent", "10 $ 30 cent", 10.3, "USD"),
        ("3 dollars 50 cents", "3 dollars 50 cents", 3.5, "USD"),
        ("losses in excess of 30 MUSD were reported", "in excess of 30 MUSD", 30e6, "USD"),
        ("an increase to 120 MEUR", "120 MEUR", 120e6, "EUR"),
        ("48.5 MGBP purchase price", "48.5 MGBP", 48.5e6, "GBP"),
        ("revenues of MAUD 60", "MAUD 60", 60e6, "AUD"),
        ("a budget of 250 kEUR.", "250 kEUR", 250e3, "EUR"),
        ("totalling twenty MUSD", "twenty MUSD", 20e6, "USD"),
        ("The price starts at dollar 22.5 million.", "dollar 22.5 million", 22.5e6, "USD"),
        ("lend me 100,000 ரூ for", "100,000 ரூ", 100000, "LKR"),
        ("it costs 5,000 ₹ now", "5,000 ₹", 5000, "INR"),
        ("about 30,000 ₩ a month", "about 30,000 ₩", 30000, "KRW"),
        ("a budget of SEK 40 million", "SEK 40 million", 40e6, "SEK"),
        ("It may need one kuai and five mao five.", "one kuai and five mao five", 1.55, "CNY"),
    ],
)
def test_english_amounts(text, surface, value, currency):
    figs = [f for f in extract_figures(text) if f.kind == "money"]
    assert [(f.text, f.currency) for f in figs] == [(surface, currency)]
    assert figs[0].value == pytest.approx(value)


def test_sub_units_keep_their_unit():
    (sen,) = extract_figures("Do you think sen 100,000 is expensive?")
    assert (sen.text, sen.kind, sen.value, sen.unit, sen.currency) == ("sen 100,000", "money", 100000, "sen", None)
    (sat,) = extract_figures("2 satoshis one day")
    assert (sat.text, sat.unit) == ("2 satoshis", "satoshi")


@pytest.mark.parametrize(
    "text, want",
    [
        ("the dollar 10 years ago", [("10", "count", 10, None)]),  # a word currency needs a scale or a clause end
        ("the dollar 0.5% higher", [("0.5%", "percent", 0.5, None)]),
        ("USD 5% of the fund", [("5%", "percent", 5, None)]),  # a percent is not an amount
        ("he paid 10 dollars 20 people", [("10 dollars", "money", 10, "USD"), ("20", "count", 20, None)]),
        ("Sen. Warren won 100 votes", [("100", "count", 100, None)]),
        ("the Maud 60 report", [("60", "number", 60, None)]),
    ],
)
def test_english_non_amounts(text, want):
    assert _figs(text) == want


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("这个手机壳花费我三块", "三块", 3),
        ("每斤卖3块5", "3块5", 3.5),
        ("三块五一斤", "三块五", 3.5),
        ("西瓜两块一个", "两块", 2),
        ("两块五毛钱", "两块五毛钱", 2.5),
        ("五毛钱", "五毛钱", 0.5),
        ("价格涨了五毛五", "五毛五", 0.55),
        ("两块钱", "两块钱", 2),
        ("50元6角三分", "50元6角三分", 50.63),
        ("我们有 202107211321363588510367 美元", "202107211321363588510367 美元", 2.021072113213636e23),
    ],
)
def test_chinese_colloquial_and_long_amounts(text, surface, value):
    figs = [f for f in extract_figures(text, "zh") if f.kind == "money"]
    assert [(f.text, f.currency) for f in figs] == [(surface, "CNY" if "美元" not in text else "USD")]
    assert figs[0].value == pytest.approx(value)


@pytest.mark.parametrize(
    "text, want",
    [
        ("切成三块。", [("三块", "count", 3, None)]),  # pieces, where nothing speaks of money
        ("获得三块金牌", [("三块", "count", 3, None)]),
        ("三块五花肉", [("三块", "count", 3, None)]),  # 五花肉 is pork belly
        ("一块去吃饭", []),  # "together"
        ("三毛的书", []),  # a writer's name
        ("订单号 2021072113213635885 已发货", []),  # an ID stays an ID
    ],
)
def test_chinese_non_amounts(text, want):
    assert _figs(text, "zh") == want


def test_a_line_break_inside_a_prefix_currency_is_read_not_raised():
    (f,) = extract_figures("pay C\n $ 5 now")
    assert (f.currency, f.value) == ("CAD", 5)
