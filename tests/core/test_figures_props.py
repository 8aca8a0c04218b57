"""Properties of the figure engine on arbitrary input: never raises, spans consistent,
sorted without overlaps, deterministic."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text.claims import find_claims
from annotator.text.figures import extract_figures, figure_to_dict

_PIECES = st.sampled_from(
    ["1", "23", "4.5", "6,000", "万", "亿", "两", "十", "三", "百分之", "%", "-", " ", "至", "年", "月",
     "日", "人", "元", "HK$", "$", "million", " to ", "from ", "more than ", "约", "超过", "。", ".",
     "\n", "二〇二四", "１２", "／", "/", "½", "e5", "^", "第", "No. ", "🙂", "İ", "𝟘", "，", "one",
     "half", "and a half", " dollars", "个百分点", "成", "折", "分之", "又", "负", "点",
     "萬", "約", "超過", "佔比", "從", "增加至", "間", "季度", "m", " people", "the two ", " second largest"]
)
_TEXT = st.one_of(st.text(max_size=80), st.lists(_PIECES, max_size=25).map("".join))


def _check(text, figs):
    last_end = -1
    for f in figs:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.start >= last_end
        last_end = f.end
        if f.link is not None:
            assert 0 <= f.link < len(figs) and figs[f.link].link == figs.index(f)
        figure_to_dict(f)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.sampled_from(["auto", "zh", "en"]))
def test_extract_never_raises_and_is_consistent(text, lang):
    figs = extract_figures(text, lang)
    _check(text, figs)
    again = extract_figures(text, lang)
    assert [figure_to_dict(f) for f in again] == [figure_to_dict(f) for f in figs]


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_claims_never_raise(text):
    for c in find_claims(text):
        assert text[c.start : c.end] == c.text
        _check(text, c.figures)
