"""English figures: numbers, money, percent, ranges, changes, dates, non-figures."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures, figure_to_dict


def _one(source, **want):
    figs = extract_figures(source)
    assert len(figs) == 1, [(f.text, f.kind) for f in figs]
    f = figs[0]
    for key, value in want.items():
        assert getattr(f, key) == value, (key, getattr(f, key), value)
    return f


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("they hired 1,100 people", "1,100", 1100),
        ("sales of 2.5 million", "2.5 million", 2.5e6),
        ("a 1.2bn deal", "1.2bn", 1.2e9),
        ("forty-two", "forty-two", 42),
        ("one hundred and sixty-one", "one hundred and sixty-one", 161),
        ("half a million people", "half a million", 5e5),
        ("two thirds", "two thirds", 2 / 3),
    ],
)
def test_numbers(text, surface, value):
    f = _one(text, text=surface)
    assert f.value == pytest.approx(value)


@pytest.mark.parametrize(
    "text, surface, kind, value, unit, currency",
    [
        ("$3m", "$3m", "money", 3e6, None, "USD"),
        ("HK$3m", "HK$3m", "money", 3e6, None, "HKD"),
        ("£2.5m", "£2.5m", "money", 2.5e6, None, "GBP"),
        ("it raised 3m euros", "3m euros", "money", 3e6, None, "EUR"),
        ("3m jobs", "3m", "count", 3e6, "jobs", None),
        ("3.5m visitors", "3.5m", "count", 3.5e6, "visitors", None),
        ("1.2m people", "1.2m", "count", 1.2e6, "people", None),
        ("3m new jobs", "3m", "count", 3e6, "jobs", None),
    ],
)
def test_m_is_million_with_a_currency_or_a_count_noun(text, surface, kind, value, unit, currency):
    _one(text, text=surface, kind=kind, value=value, unit=unit, currency=currency)


@pytest.mark.parametrize(
    "text", ["a 1m wall", "1m isn't a number.", "a 2m high wall", "2m high walls", "the 100m hurdles",
             "a 30m tower stands"],
)
def test_m_is_a_metre_otherwise(text):
    f = _one(text, kind="count", unit="m")
    assert f.value < 1000


def test_word_numbers_are_counts():
    for text, unit in (("two months", "months"), ("five universities", "universities"),
                       ("China's four AI tycoons", "tycoons"), ("in six areas", "areas")):
        _one(text, kind="count", unit=unit)


@pytest.mark.parametrize(
    "text",
    ["cooperation between the two sides", "the two parties will focus on", "The two sides could share",
     "their three children", "its two subsidiaries", "these four projects", "both two"],
)
def test_a_small_number_word_after_a_determiner_is_no_figure(text):
    assert extract_figures(text) == []


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("the two million residents", "two million", 2e6),
        ("the twenty sides", "twenty", 20),
        ("the first two years", "two", 2),
        ("Hong Kong has five universities", "five", 5),
        ("the 2 sides", "2", 2),
        ("the two to three years", "two to three", 2),
    ],
)
def test_numbers_after_determiners_that_stay_figures(text, surface, value):
    _one(text, text=surface, value=value)


def test_money_and_currency():
    _one("as high as HK $ 38,500", value=38500, currency="HKD", qualifier="up to")
    _one("invested over HKD130 billion", value=130e9, currency="HKD", qualifier="over")
    _one("around of 45 billion Hong Kong dollars per year", value=45e9, currency="HKD")
    _one("raised more than $1.6 billion", value=1.6e9, currency="USD", qualifier="more than")
    _one("about 100 billion yuan", currency="CNY", value=1e11)
    figs = extract_figures("pay HK$500 or $20")
    assert [f.currency for f in figs] == ["HKD", None]  # a bare $ next to HK$ is not assumed USD


def test_percent_forms():
    _one("rose 4.3% y-o-y", kind="percent", value=4.3, unit="%")
    _one("fell 2 percentage points", kind="percent", value=2, unit="pp")
    _one("twenty per cent", kind="percent", value=20)


def test_ranges_changes_dates():
    _one("Taiwan (57% -80%)", kind="range", value=57, value_max=80, unit="%")
    _one("people aged 15 to 24", kind="range", value=15, value_max=24, unit="years")
    _one("Employees: 1001-5000", kind="range", value=1001, value_max=5000)
    figs = extract_figures("the ratio will rise from 0.73% to 1.5%")
    assert [(f.text, f.kind, f.role, f.link) for f in figs] == [
        ("0.73%", "change", "from", 1), ("1.5%", "change", "to", 0)]
    figs = extract_figures("has dropped from 23% in 2012 to 14% in 2016.")
    assert [(f.text, f.kind) for f in figs] == [
        ("23%", "change"), ("2012", "year"), ("14%", "change"), ("2016", "year")]
    assert figs[0].link == 2 and figs[2].link == 0
    f = _one("from December 2020 to February 2021", kind="range", unit="date")
    assert figure_to_dict(f)["iso"] == "2020-12" and figure_to_dict(f)["iso_max"] == "2021-02"
    f = _one("February 24, 2025, 10:43 pm", kind="date", value=20250224)
    assert figure_to_dict(f)["iso"] == "2025-02-24"


def test_bounded_ranges():
    f = _one("larger than twenty and less or equal than thirty five", kind="range")
    assert (f.value, f.value_max, f.qualifier) == (20, 35, "(]")
    f = _one("between 20 and 30", kind="range", value=20, value_max=30)
    f = _one("more than thirty", value=30, qualifier="more than")


def test_ordinals():
    _one("the region's 20th anniversary", kind="ordinal", value=20)
    _one("the fifth company", kind="ordinal", value=5)
    _one("the world's second largest biotech fundraising hub", text="second", kind="ordinal", value=2)
    _one("the second-biggest economy", text="second", kind="ordinal", value=2)
    for text in ("wait a second", "the second test", "in the second half"):
        assert extract_figures(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "the 21st Century Business Herald",
        "The “Fourteenth Five-Year Plan” clearly supports",
        "the “14th Five-year” Plan",
        "Dayta, which provides B2B solutions",
        "[ad_1]",
        "COVID-19 and G20 and IPv6 and A4 paper",
        "Call +852 2345 6789 or mail kathyzhang@chinadailyhk.com",
        "see https://example.com/a/2024/10?id=123",
        "commit 9f2c3a1b7e4d5f60a1b2c3d4e5f60718",
        "the “Human Resources Projection Report 2027”",
    ],
)
def test_not_figures(text):
    assert extract_figures(text) == []


def test_dict_is_json_ready():
    d = figure_to_dict(extract_figures("about 19,000 Hong Kong dollars")[0])
    assert d["currency"] == "HKD" and d["qualifier"] == "approximately" and d["warnings"] == []
    assert set(d) >= {"text", "start", "end", "kind", "value", "value_max", "unit", "role", "link"}
