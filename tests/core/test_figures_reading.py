"""Each figure says how it was read (`reading`), in steps a reviewer can check."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures, figure_to_dict


def _reading(text, surface):
    return next(f.reading for f in extract_figures(text) if f.text == surface)


@pytest.mark.parametrize(
    "text, surface, steps",
    [
        ("营收5.02万元", "5.02万元", ["5.02万 -> 5.02 × 10^4 = 50,200", "元 -> CNY"]),
        # a bare 元 in a Hong Kong article
        ("香港特區政府宣布，香港立法會通過撥款370元", "370元", ["元 in a Hong Kong article -> HKD"]),
        ("It cost $4.9 billion.", "$4.9 billion",
         ["4.9 billion -> 4.9 × 10^9 = 4,900,000,000", "$ -> USD"]),
        ("民國105年3月19日，台灣台北市政府，台灣", "民國105年3月19日",
         ["Minguo year 105 + 1911 = 2016", "month 3", "day 19", "2016-03-19"]),
        ("大约2000名市民", "大约2000名", ["qualifier: approximately", "unit: 名"]),
        ("二十三人到场", "二十三人", ["二十三 -> 23 (Chinese numeral, cn2an)"]),
        ("屏住呼吸2分35秒", "2分35秒", ["2分35秒 -> 2 × 60 + 35 = 155 秒"]),
        ("nine million people watched", "nine million", ["nine million -> 9,000,000 (number words)"]),
        ("10月1日报道", "10月1日", ["year not given", "????-10-01"]),
    ],
)
def test_reading_names_each_step(text, surface, steps):
    reading = _reading(text, surface)
    for step in steps:
        assert step in reading, reading


def test_every_figure_has_a_reading_and_it_is_exported_by_the_figures_command():
    figs = extract_figures("2019年营收增长3.5%，达120亿元，约有6亿人次出行。From 2010 to 2015 it rose.")
    assert figs and all(f.reading for f in figs)
    assert all(figure_to_dict(f)["reading"] == f.reading for f in figs)


@pytest.mark.parametrize(
    "text, surface, value, kind",
    [
        ("the twenty-fifth anniversary of the handover", "twenty-fifth", 25, "ordinal"),
        ("at the forty-second session of the council", "forty-second", 42, "ordinal"),
        ("one hundred and first day", "one hundred and first", 101, "ordinal"),
        ("it earned three billions last year", "three billions", 3_000_000_000, "number"),
    ],
)
def test_compound_ordinals_and_plural_scales_are_read_by_text2num(text, surface, value, kind):
    f = next(f for f in extract_figures(text) if f.text == surface)
    assert (f.value, f.kind) == (value, kind) and "(text2num)" in f.reading


def test_a_fraction_and_plain_scales_stay_the_engines():
    assert [(f.text, f.value) for f in extract_figures("one fifth of them")] == [("one fifth", 0.2)]
    assert extract_figures("billions of dollars were lost") == []
