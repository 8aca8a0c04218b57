"""Claims found in the five real sample articles, checked against a careful reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain import Span
from annotator.text.claims import find_claims

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _text(prefix: str) -> str:
    return next(SAMPLES.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def claims():
    return {p: find_claims(_text(p)) for p in ("000", "001", "002", "003", "004")}


def _figures(claims):
    return [f for c in claims for f in c.figures]


def _one(claims, surface: str, kind: str | None = None):
    found = [f for f in _figures(claims) if f.text == surface and (kind is None or f.kind == kind)]
    assert found, f"{surface!r} not found; have {[f.text for f in _figures(claims)]}"
    return found[0]


def test_spans_point_into_the_article(claims):
    for prefix, cs in claims.items():
        text = _text(prefix)
        for c in cs:
            assert text[c.start : c.end] == c.text
            for f in c.figures:
                assert text[f.start : f.end] == f.text
                assert c.start <= f.start < f.end <= c.end


def test_links_index_the_claims_own_figures(claims):
    for cs in claims.values():
        for c in cs:
            for i, f in enumerate(c.figures):
                if f.link is not None:
                    partner = c.figures[f.link]
                    assert partner.link == i
                    assert {f.role, partner.role} == {"from", "to"}


def test_000_counts_and_percentages(claims):
    cs = claims["000"]
    assert _one(cs, "1,100").unit == "positions" and _one(cs, "1,100").value == 1100
    assert _one(cs, "70,000").unit == "applications"
    assert _one(cs, "only 200").value == 200 and _one(cs, "only 200").unit == "people"
    assert _one(cs, "4.3%").value == 4.3
    assert _one(cs, "57,600").value == 57600
    assert _one(cs, "15%").value == 15
    assert _one(cs, "15.6%").value == 15.6
    assert _one(cs, "35,500").value == 35500
    ten = _one(cs, "about 10,000")
    assert (ten.value, ten.qualifier, ten.unit) == (10000, "approximately", "graduates")
    assert _one(cs, "700").unit == "jobs"
    assert _one(cs, "1,000").unit == "jobs"
    assert _one(cs, "more than 1,600").qualifier == "more than"
    assert _one(cs, "more than 1,000").unit == "companies"


def test_000_money(claims):
    cs = claims["000"]
    gdp = _one(cs, "around of 45 billion Hong Kong dollars")
    assert (gdp.value, gdp.currency, gdp.qualifier) == (45e9, "HKD", "approximately")
    pay = _one(cs, "as high as HK $ 38,500")
    assert (pay.kind, pay.value, pay.currency) == ("money", 38500, "HKD")
    low = _one(cs, "about 19,000 Hong Kong dollars")
    assert (low.value, low.currency, low.qualifier) == (19000, "HKD", "approximately")


def test_000_changes_ranges_and_years(claims):
    cs = claims["000"]
    a, b = _one(cs, "0.73%"), _one(cs, "1.5%")
    assert (a.kind, a.role, b.kind, b.role) == ("change", "from", "change", "to")
    c23, c14 = _one(cs, "23%"), _one(cs, "14%")
    assert (c23.role, c23.value, c14.role, c14.value) == ("from", 23, "to", 14)
    assert _one(cs, "2012").kind == "year" and _one(cs, "2016").kind == "year"
    r = _one(cs, "57% -80%")
    assert (r.kind, r.value, r.value_max, r.unit) == ("range", 57, 80, "%")
    ages = _one(cs, "15 to 24")
    assert (ages.kind, ages.value, ages.value_max) == ("range", 15, 24)
    years = _one(cs, "from 2024 to 2027")
    assert (years.kind, years.unit, years.value, years.value_max) == ("range", "year", 2024, 2027)
    assert _one(cs, "March 29").kind == "date"


def test_000_invents_nothing(claims):
    surfaces = " | ".join(f.text for f in _figures(claims["000"]))
    for bad in ("21", "Fourteenth", "ad_1", "B2B", "2"):
        assert bad not in [f.text for f in _figures(claims["000"])], surfaces
    assert not any("21st" in f.text for f in _figures(claims["000"]))
    report_year = _text("000").index("Report 2027") + len("Report ")
    assert not any(f.start == report_year for f in _figures(claims["000"]))


def test_001_malformed_dates_are_figures_with_warnings(claims):
    cs = claims["001"]
    d = _one(cs, "628日")
    assert d.kind == "date" and [w.code for w in d.warnings] == ["date.missing_month"]
    ym = _one(cs, "202410月")
    assert ym.kind == "date" and "date.missing_year_marker" in [w.code for w in ym.warnings]


def test_001_counts(claims):
    cs = claims["001"]
    assert (_one(cs, "超过50家").value, _one(cs, "超过50家").qualifier) == (50, "over")
    assert (_one(cs, "近5000名").value, _one(cs, "近5000名").qualifier) == (5000, "nearly")
    assert _one(cs, "18万人").value == 180000 and _one(cs, "18万人").unit == "人"
    assert _one(cs, "超过5000人").value == 5000
    assert _one(cs, "超过10万人").value == 100000
    assert (_one(cs, "4万多").value, _one(cs, "4万多").qualifier) == (40000, "over")
    assert (_one(cs, "仅1.05万人").value, _one(cs, "仅1.05万人").qualifier) == (10500, "only")
    assert _one(cs, "2.76万人").value == 27600
    assert _one(cs, "5.02万人").value == 50200
    assert _one(cs, "4.76万人").value == 47600
    assert (_one(cs, "超过10年").value, _one(cs, "超过10年").unit) == (10, "年")


def test_001_percent_ranges_changes_money(claims):
    cs = claims["001"]
    assert _one(cs, "13%").value == 13
    assert _one(cs, "20%").value == 20
    assert _one(cs, "53%").value == 53
    assert (_one(cs, "约95%").value, _one(cs, "约95%").qualifier) == (95, "approximately")
    r = _one(cs, "6万至6.5万")
    assert (r.kind, r.value, r.value_max) == ("range", 60000, 65000)
    r = _one(cs, "1.8万至2.3万人")
    assert (r.kind, r.value, r.value_max, r.unit) == ("range", 18000, 23000, "人")
    r = _one(cs, "5-6名")
    assert (r.kind, r.value, r.value_max, r.unit) == ("range", 5, 6, "名")
    a, b = _one(cs, "6.02万人"), _one(cs, "9.64万人")
    assert (a.role, a.value, b.role, b.value) == ("from", 60200, "to", 96400)
    a, b = _one(cs, "13所"), _one(cs, "22所")
    assert (a.kind, a.role, b.role) == ("change", "from", "to")
    low, high = _one(cs, "3.1万"), _one(cs, "5.5万港元")
    assert (low.kind, low.currency, low.value) == ("money", "HKD", 31000)
    assert (high.kind, high.currency, high.value) == ("money", "HKD", 55000)
    revenue = _one(cs, "2604.31亿元")
    assert (revenue.value, revenue.currency) == (260431000000, "CNY")


def test_001_invents_nothing(claims):
    texts = [f.text for f in _figures(claims["001"])]
    for bad in ("一", "佰", "九九", "二次", "一个", "十人"):
        assert bad not in texts


def test_002_header_figures(claims):
    cs = claims["002"]
    d = _one(cs, "February 24, 2025")
    assert (d.kind, d.value) == ("date", 20250224)
    r = _one(cs, "1001-5000")
    assert (r.kind, r.value, r.value_max) == ("range", 1001, 5000)
    assert _one(cs, "over 3,000").unit == "visitors"


def test_003_money_count_range(claims):
    cs = claims["003"]
    spend = _one(cs, "over HKD130 billion")
    assert (spend.kind, spend.value, spend.currency, spend.qualifier) == ("money", 130e9, "HKD", "over")
    labs = _one(cs, "28")
    assert (labs.kind, labs.unit) == ("count", "laboratories")
    r = _one(cs, "10 to 15")
    assert (r.kind, r.value, r.value_max, r.unit) == ("range", 10, 15, "years")
    assert not any("14th" in f.text for f in _figures(cs))


def test_004_money_and_counts(claims):
    cs = claims["004"]
    raised = _one(cs, "more than $1.6 billion")
    assert (raised.value, raised.currency, raised.qualifier) == (1.6e9, "USD", "more than")
    valued = _one(cs, "over $4.5 billion")
    assert (valued.value, valued.currency, valued.qualifier) == (4.5e9, "USD", "over")
    assert _one(cs, "six").unit == "areas"
    assert _one(cs, "four", "count").unit in ("tycoons", "years")
    assert _one(cs, "20th").kind == "ordinal"
    assert _one(cs, "fifth").kind == "ordinal"


def test_boilerplate_sentences_are_not_claims():
    text = "Sales rose 5% in 2024. Subscribe for 30 days free!"
    cut = text.index("Subscribe")
    claims = find_claims(text, [Span(cut, len(text), "footer")])
    assert [c.text for c in claims] == ["Sales rose 5% in 2024."]


def test_change_split_across_sentences_loses_its_link():
    claims = find_claims("销量由100台。增至200台。")
    for c in claims:
        for f in c.figures:
            assert f.link is None or f.link < len(c.figures)
