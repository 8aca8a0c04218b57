"""describe_value: the value a reviewer reads next to a figure."""

from __future__ import annotations

import pytest

from annotator.text.figures import describe_value, extract_figures


@pytest.mark.parametrize(
    "kind, value, value_max, unit, currency, shown",
    [
        ("date", 1100, None, "date", None, "????-11"),  # 去年11月: the year is not written
        ("date", 628, None, "date", None, "????-06-28"),
        ("date", 13, None, "date", None, "????-??-13"),
        ("date", 20241000, None, "date", None, "2024-10"),
        ("date", 20250224, None, "date", None, "2025-02-24"),
        ("range", 20201200, 20210200, "date", None, "2020-12 – 2021-02"),
        ("year", 2027, None, None, None, "2027"),
        ("range", 2024, 2027, "year", None, "2024–2027"),
        ("money", 38500, None, None, "HKD", "HKD 38,500"),
        ("money", 1.55, None, None, "CNY", "CNY 1.55"),
        ("money", 20, None, None, None, "20 (currency not given)"),
        ("money", 50, None, "cent", None, "50 cent"),
        ("range", 31000, 55000, None, "HKD", "HKD 31,000–55,000"),
        ("percent", 4.3, None, "%", None, "4.3%"),
        ("percent", -5.5, None, "%", None, "-5.5%"),
        ("percent", 2, None, "pp", None, "2 pp"),
        ("percent", 2.4, None, "‰", None, "2.4‰"),
        ("range", 57, 80, "%", None, "57–80%"),
        ("range", 18000, 23000, "人", None, "18,000–23,000 人"),
        ("range", 1000, None, None, None, "≥ 1,000"),
        ("range", None, 1500, None, None, "≤ 1,500"),
        ("count", 5000, None, "人", None, "5,000 人"),
        ("count", 1100, None, "positions", None, "1,100 positions"),
        ("number", 1234567.25, None, None, None, "1,234,567.25"),
        ("number", 0, None, None, None, "0"),
        ("ordinal", 2, None, "季", None, "#2 季"),
        ("ordinal", 5, None, "No.", None, "No. 5"),
        ("change", 0.73, None, "%", None, "0.73%"),
        ("number", None, None, None, None, ""),
    ],
)
def test_describe_value(kind, value, value_max, unit, currency, shown):
    assert describe_value(kind, value, value_max, unit, currency) == shown


def test_every_figure_of_an_article_reads_as_something():
    text = "去年11月，约3.8万港元；1.8万至2.3万人；from 2024 to 2027; 第二季 rose 4.3%."
    shown = [describe_value(f.kind, f.value, f.value_max, f.unit, f.currency) for f in extract_figures(text)]
    assert shown == ["????-11", "HKD 38,000", "18,000–23,000 人", "2024–2027", "#2 季", "4.3%"]
