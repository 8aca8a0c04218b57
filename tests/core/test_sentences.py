"""Sentence splitting of scraped Chinese and English text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text.sentences import split_sentences

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _texts(text):
    return [s.text for s in split_sentences(text)]


def test_chinese_punctuation_and_closing_quotes():
    text = "他说：“人才太短缺。”车品觉说。真的吗？是的！还有；分号…"
    assert _texts(text) == ["他说：“人才太短缺。”", "车品觉说。", "真的吗？", "是的！", "还有；", "分号…"]


def test_english_abbreviations_and_numbers_do_not_split():
    text = "Mr. Liu met Dr. Wang in the U.S. Army office. Growth was 4.3% and pay HK $ 38,500. No. 5 won."
    assert _texts(text) == [
        "Mr. Liu met Dr. Wang in the U.S. Army office.",
        "Growth was 4.3% and pay HK $ 38,500.",
        "No. 5 won.",
    ]


def test_line_breaks_always_end_a_sentence():
    text = "达2.76万人,比重53%\n\n佰模云三维科技有限公司联合创始人说"
    assert _texts(text) == ["达2.76万人,比重53%", "佰模云三维科技有限公司联合创始人说"]


def test_odd_spacing_is_stripped_and_offsets_hold():
    text = "  First one.   Second  one!  \n\t 第三句。 "
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["First one.", "Second  one!", "第三句。"]
    for s in sents:
        assert text[s.start : s.end] == s.text


def test_samples_round_trip():
    for path in sorted(SAMPLES.glob("00[0-4]_*.txt")):
        text = path.read_text(encoding="utf-8")
        sents = split_sentences(text)
        assert sents
        for a, b in zip(sents, sents[1:]):
            assert a.end <= b.start
        for s in sents:
            assert text[s.start : s.end] == s.text == s.text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .。!?！？\n”」 Mr5,%")), max_size=60))
def test_never_raises_and_spans_hold(text):
    sents = split_sentences(text)
    for s in sents:
        assert s.text and text[s.start : s.end] == s.text
    assert split_sentences(text) == sents
