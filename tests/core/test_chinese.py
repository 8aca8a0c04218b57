"""Script conversion, offset maps, script detection and folding."""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text import chinese
from annotator.text.chinese import (
    CONFIGS,
    OffsetMap,
    UnsupportedConfig,
    backend,
    convert,
    convert_paragraphs,
    convert_with_offsets,
    detect_script,
)
from annotator.text.normalise import fold, fold_version, fold_with_offsets

ROOT = Path(__file__).resolve().parents[2]
SIMPLIFIED = (ROOT / "samples" / "001_1bdd7b1565627bd6.txt").read_text(encoding="utf-8")
ENGLISH = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("00[0234]_*.txt"))]
CASES = ROOT.parent / "shared" / "benchmarks" / "opencc" / "testcases.json"
# Tests naming particular phrase conversions need the current dictionaries of the official
# binding; the rest also pass with opencc-python-reimplemented.
current_dictionaries = pytest.mark.skipif(not backend().startswith("OpenCC "),
                                          reason="needs the official OpenCC dictionaries")


def _length_changing_cases() -> list[tuple[str, str, str]]:
    """(config, input, expected) of OpenCC's own cases whose output has another length."""
    if not CASES.exists():
        return []
    data = json.loads(re.sub(r",(\s*[}\]])", r"\1", CASES.read_text(encoding="utf-8")))
    return [(config, case["input"], out) for case in data["cases"]
            for config, out in case["expected"].items()
            if config in CONFIGS and len(out) != len(case["input"])]


# ---------------------------------------------------------------- convert


@current_dictionaries
@pytest.mark.parametrize("config, text, expected", [
    ("s2t", "胚胎发育受到干扰", "胚胎發育受到干擾"),
    ("t2s", "萬人", "万人"),
    ("s2hk", "赞叹沙河涌汹涌的波浪", "讚歎沙河涌洶湧的波浪"),
    ("s2twp", "内存和鼠标", "記憶體和滑鼠"),
    ("tw2sp", "記憶體和滑鼠", "内存和鼠标"),
])
def test_convert_known_phrases(config, text, expected):
    assert convert(text, config) == expected


@pytest.mark.parametrize("config", CONFIGS)
def test_nul_characters_do_not_cut_the_conversion_short(config):
    # the official binding hands text to C++ as a C string: its two-step conversions
    # (s2hk, s2twp ...) used to drop everything after a NUL
    text = "发展\x00\n香港 0 发展"
    out = convert(text, config)
    assert out.split("\x00") == [convert(p, config) for p in text.split("\x00")]
    assert convert_with_offsets(text, config)[0] == out == convert_paragraphs(text, config)


def test_unknown_configuration_names_the_valid_ones():
    with pytest.raises(ValueError, match="s2twp") as err:
        convert("汉字", "s2x")
    assert not isinstance(err.value, UnsupportedConfig)
    with pytest.raises(ValueError):
        convert("", "nope")


def test_backend_names_implementation_and_version():
    name = backend()
    assert name.startswith(("OpenCC ", "opencc-python-reimplemented "))
    assert re.search(r"\d+\.\d+", name)


def test_configuration_missing_from_backend_is_a_clear_error(monkeypatch):
    real = chinese._get_backend()
    lacking = chinese._Backend(real.name, real.version, lambda config: config != "t2hk",
                               real.create)
    monkeypatch.setattr(chinese, "_backend", lacking)
    monkeypatch.setattr(chinese, "_converters", {})
    with pytest.raises(UnsupportedConfig, match="t2hk.*not provided"):
        convert("漢字", "t2hk")
    assert convert("汉字", "s2t") == "漢字"


def test_one_converter_per_configuration_even_under_threads(monkeypatch):
    monkeypatch.setattr(chinese, "_converters", {})
    made = []
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait()
        made.append(chinese._converter("s2hk"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(c) for c in made}) == 1


def test_convert_paragraphs_matches_one_call():
    long_text = (SIMPLIFIED + "\n") * 4
    assert len(long_text) > chinese._MAX_PIECE
    assert convert_paragraphs(long_text, "s2t") == convert(long_text, "s2t")
    one_line = SIMPLIFIED.replace("\n", "") * 3
    assert convert_paragraphs(one_line, "s2twp") == convert(one_line, "s2twp")


@given(st.text(alphabet="汉字发展。！ \nab", max_size=300), st.integers(5, 40))
def test_pieces_cover_the_text_within_the_limit(text, limit):
    pieces = list(chinese._pieces(text, limit))
    assert "".join(pieces) == text
    assert all(0 < len(p) <= limit for p in pieces)


# ---------------------------------------------------------------- offsets


def test_equal_length_conversion_has_identity_map():
    out, mapping = convert_with_offsets(SIMPLIFIED, "s2hk")
    assert out == convert(SIMPLIFIED, "s2hk")
    assert mapping.is_identity
    assert mapping.span_to_target(10, 20) == (10, 20)
    assert mapping.span_to_source(10, 20) == (10, 20)


@current_dictionaries
def test_phrase_conversions_map_each_word_to_its_replacement():
    text = "我们的内存和鼠标，算法很重要。\n第二行 互联网 英伟达"
    out, mapping = convert_with_offsets(text, "s2twp")
    assert out == "我們的記憶體和滑鼠，演算法很重要。\n第二行 網際網路 輝達"
    for word, replacement in [("内存", "記憶體"), ("算法", "演算法"), ("互联网", "網際網路"),
                              ("英伟达", "輝達"), ("重要", "重要"), ("第二行", "第二行")]:
        start = text.index(word)
        t_start, t_end = mapping.span_to_target(start, start + len(word))
        assert out[t_start:t_end] == replacement
        assert mapping.span_to_source(t_start, t_end) == (start, start + len(word))


@current_dictionaries
def test_same_length_line_with_compensating_phrases_is_not_taken_as_identity():
    text = "互联网 英伟达"  # +1 and -1 in one line
    out, mapping = convert_with_offsets(text, "s2twp")
    assert len(out) == len(text)
    assert not mapping.is_identity
    assert out[slice(*mapping.span_to_target(4, 7))] == "輝達"


@current_dictionaries
def test_offset_inside_a_rewritten_phrase_widens_to_the_whole_phrase():
    text = "用算法"
    out, mapping = convert_with_offsets(text, "s2twp")
    assert out == "用演算法"
    assert mapping.to_target(2, "start") == 1 and mapping.to_target(2, "end") == 4
    assert mapping.to_target(3) == 4
    with pytest.raises(IndexError):
        mapping.to_target(4)


@pytest.mark.skipif(not CASES.exists(), reason="OpenCC test cases not available")
@pytest.mark.parametrize("config, text, expected", _length_changing_cases())
def test_opencc_length_changing_cases_keep_a_consistent_map(config, text, expected):
    out, mapping = convert_with_offsets(text, config)
    assert out == convert(text, config)
    if len(out) != len(text):
        assert not mapping.is_identity
    _check_map(text, out, mapping)


def _check_map(text: str, out: str, mapping: OffsetMap) -> None:
    assert mapping.to_target(0) == 0 and mapping.to_target(len(text), "end") == len(out)
    targets = [mapping.to_target(k) for k in range(len(text) + 1)]
    assert targets == sorted(targets)
    inside = {k for e in mapping.edits for k in range(e[0] + 1, e[1])}
    for k in range(len(text) + 1):
        if k not in inside:
            assert mapping.to_source(mapping.to_target(k)) == k
    # Outside the edits, characters correspond one for one.
    edited = {k for e in mapping.edits for k in range(e[0], e[1])}
    for k in range(len(text)):
        if k not in edited:
            assert mapping.to_target(k + 1, "end") - mapping.to_target(k) == 1


_PHRASES = ["内存", "鼠标", "算法", "互联网", "英伟达", "软件", "发展", "，", " ", "\n", "a", "B超"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PHRASES), max_size=40), st.sampled_from(["s2twp", "s2t", "tw2sp"]))
def test_offset_maps_are_consistent_on_phrase_soup(parts, config):
    text = "".join(parts)
    out, mapping = convert_with_offsets(text, config)
    assert out == convert(text, config)
    _check_map(text, out, mapping)


# ---------------------------------------------------------------- script detection


def test_detect_script_on_samples():
    assert detect_script(SIMPLIFIED) == "hans"
    assert detect_script(convert(SIMPLIFIED, "s2hk")) == "hant"
    assert detect_script(convert(SIMPLIFIED, "s2tw")) == "hant"
    for text in ENGLISH:
        assert detect_script(text) is None


def test_simplified_characters_are_those_s2t_changes_on_their_own():
    from annotator.text.chinese import _count_simplified

    chars = sorted(set(SIMPLIFIED + convert(SIMPLIFIED, "s2hk")) | set("发后干只着里𠮶𡒄𠀾𧹑𨱂"))
    for c in chars:
        assert _count_simplified(c) == int(convert(c, "s2t") != c), c
    assert _count_simplified("".join(chars)) == sum(convert(c, "s2t") != c for c in chars)


def test_detect_script_mixed_and_shared_only():
    half = len(SIMPLIFIED) // 2
    assert detect_script(SIMPLIFIED[:half] + convert(SIMPLIFIED[half:], "s2t")) == "mixed"
    assert detect_script("人口 100") == "hans"  # characters both scripts share
    assert detect_script("") is None
    assert detect_script("Hong Kong 2025") is None


def test_a_traditional_name_does_not_make_simplified_text_mixed():
    assert detect_script(SIMPLIFIED + "\n記者 張熹瓏") == "hans"


# ---------------------------------------------------------------- folding


@pytest.mark.parametrize("text, expected", [
    ("萬人", "万人"),
    ("１２％", "12%"),
    ("100㎡", "100m2"),
    ("ﬁnance", "finance"),
    ("Straße", "strasse"),
    ("  香港\u3000 國際\n\n機場 ", "香港 国际 机场"),
    ("e\u0301", "é"),
    ("", ""),
])
def test_fold(text, expected):
    assert fold(text) == expected
    folded, offsets = fold_with_offsets(text)
    assert folded == expected
    assert len(offsets) == len(folded)


def test_fold_version_names_what_folding_depends_on():
    assert backend() in fold_version() and unicodedata.unidata_version in fold_version()


def test_fold_makes_scripts_and_widths_equal():
    assert fold(convert(SIMPLIFIED, "s2hk")) == fold(SIMPLIFIED)
    assert fold(convert(SIMPLIFIED, "s2t")) == fold(SIMPLIFIED)


def test_fold_offsets_point_at_the_source_characters():
    text = "Ａ萬 ㎡\u3000ﬁ"
    folded, offsets = fold_with_offsets(text)
    assert folded == "a万 m2 fi"
    assert [text[o] for o in offsets] == ["Ａ", "萬", " ", "㎡", "㎡", "\u3000", "ﬁ", "ﬁ"]


@current_dictionaries
def test_fold_offsets_through_length_changing_t2s_phrases():
    text = "用網際網路"
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    assert offsets == sorted(offsets) and all(0 <= o < len(text) for o in offsets)


_FOLD_ALPHABET = st.sampled_from(
    list("aZ09 \t\n萬發国際，。！Ａ１％ﬁ㎡ßİ\u3000\u00a0") + ["e\u0301", "\u0301", "①", "½"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_FOLD_ALPHABET, max_size=60).map("".join))
def test_fold_with_offsets_agrees_with_fold(text):
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    assert len(offsets) == len(folded)
    assert offsets == sorted(offsets)
    assert all(0 <= o < len(text) for o in offsets)
    for ch, o in zip(folded, offsets):
        if ch != " " and not unicodedata.combining(ch):  # a mark may sit on a space
            assert not text[o].isspace()
    # Every visible starter of the original is represented in the folded text.
    starters = {i for i, c in enumerate(text) if not c.isspace() and not unicodedata.combining(c)}
    assert starters <= set(offsets)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_fold_with_offsets_never_fails(text):
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    assert offsets == sorted(offsets)


def test_script_counts_compare_only_lines_that_kept_their_length():
    from annotator.text.chinese import _han_replaced, _line_blocks

    assert _han_replaced("发展\n香港\n", "發展\n香港\n") == 1
    assert _han_replaced("内存\n香港\n", "記憶體\n香港") is None      # lengths differ
    assert _han_replaced("内存\n香港软\n", "記憶體\n香港\n") is None  # one line longer, one shorter
    text = "一行\n" * 5000 + "长" * 9000
    blocks = list(_line_blocks(text))
    assert "".join(blocks) == text and all(len(b) <= 8192 for b in blocks)


def _han_changed_line_by_line(text: str, config: str) -> int:
    """The count the way it was first written: one line at a time."""
    import re
    from difflib import SequenceMatcher

    from annotator.text.chinese import _HAN, _converter, _pieces

    conv, changed = _converter(config), 0
    for piece in _pieces(text):
        out = conv.convert(piece)
        if len(out) == len(piece):
            changed += sum(1 for a, b in zip(piece, out) if a != b and _HAN.match(a))
        else:
            for tag, i1, i2, _, _ in SequenceMatcher(None, piece, out,
                                                     autojunk=False).get_opcodes():
                if tag != "equal":
                    changed += len(re.findall(_HAN, piece[i1:i2]))
    return changed


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["发展", "發展", "香港", "内存", "記憶體", "干扰", "乾燥", "软件",
                                 "\n", "。", "，", " ", "abc", "12"]), max_size=40))
def test_script_counts_equal_the_line_by_line_count(parts):
    from annotator.text.chinese import _han_changed

    text = "".join(parts)
    for config in ("s2t", "t2s"):
        assert _han_changed(text, config) == _han_changed_line_by_line(text, config)


def test_script_detection_on_the_foldings_conversion_counts_what_its_own_does():
    from annotator.text.normalise import fold_steps

    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted((ROOT / "samples").iterdir())]
    texts += [convert(SIMPLIFIED, "s2hk"), convert(SIMPLIFIED, "s2twp"), SIMPLIFIED + convert(SIMPLIFIED, "s2t"),
              "内存和鼠标\n記憶體和滑鼠\n", "乾隆年間，干涉若干"]
    for text in texts:
        *_, nfkc, converted = fold_steps(text)
        assert detect_script(text, t2s=(nfkc, converted)) == detect_script(text)
        counted = chinese._han_replaced(nfkc, converted)
        assert counted is None or counted == chinese._han_changed(text, "t2s")
