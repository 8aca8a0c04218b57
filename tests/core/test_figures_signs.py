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
