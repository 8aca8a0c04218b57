"""Automatic checks: each warning code fires on a malformed figure and stays quiet on
a well-formed one."""

from __future__ import annotations

from annotator.domain import Figure
from annotator.text.checks import check_article, check_figure
from annotator.text.claims import find_claims
from annotator.text.figures import extract_figures


def _codes(text):
    return [[w.code for w in f.warnings] for f in extract_figures(text)]


def test_dates():
    assert _codes("于628日举办") == [["date.missing_month"]]
    assert _codes("202410月，名单扩容") == [["date.missing_year_marker"]]
    assert _codes("2024年13月") == [["date.impossible"]]
    assert _codes("2月30日") == [["date.impossible"]]
    assert _codes("2024年2月29日") == [[]]
    assert _codes("6月28日") == [[]]


def test_bad_grouping():
    assert _codes("a budget of 1,00,000 rupees") == [["number.bad_grouping"]]
    assert _codes("it was 12,34 in total") == [["number.bad_grouping"]]
    assert _codes("it was 1,234,567 in total") == [[]]


def test_share_over_100():
    assert _codes("就业人数比重153%") == [["percent.over_100"]]
    assert _codes("its share of the market was 130%") == [["percent.over_100"]]
    assert _codes("营收同比增长119.1%") == [[]]  # growth may exceed 100%
    assert _codes("比重53%") == [[]]


def test_inverted_range():
    assert _codes("缺口将达到6.5万至6万") == [["range.inverted"]]
    assert _codes("缺口将达到6万至6.5万") == [[]]


def test_check_figure_reads_a_figure_from_anywhere():
    text = "占比 120%"
    f = Figure(text="120%", start=3, end=7, kind="percent", value=120.0, unit="%")
    assert [w.code for w in check_figure(text, f)] == ["percent.over_100"]


def test_article_inconsistency_needs_the_same_subject():
    text = "香港青年失业率达到15%。报告又称，香港青年失业率达到17%。另外，香港整体失业率为3%。"
    figs = [f for c in find_claims(text) for f in c.figures]
    flagged = [f.text for f in figs if any(w.code == "article.inconsistent" for w in f.warnings)]
    assert flagged == ["15%", "17%"]


def test_article_repeats_with_the_same_value_pass():
    text = "The youth unemployment rate reached 15%. Later: the youth unemployment rate reached 15%."
    figs = extract_figures(text)
    check_article(text, figs)
    assert all(not f.warnings for f in figs)


def test_english_inconsistency():
    text = ("The youth unemployment rate reached 15.6% in February. "
            "Officials said the youth unemployment rate reached 16.2% that month.")
    figs = extract_figures(text)
    check_article(text, figs)
    assert [f.text for f in figs if f.warnings] == ["15.6%", "16.2%"]


def test_samples_raise_no_inconsistency():
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parents[2] / "samples").glob("00[0-4]_*.txt")):
        claims = find_claims(path.read_text(encoding="utf-8"))
        codes = [w.code for c in claims for f in c.figures for w in f.warnings]
        assert "article.inconsistent" not in codes, path.name
