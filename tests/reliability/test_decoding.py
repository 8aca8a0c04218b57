"""Encodings that scraped files really arrive in, at the sizes they really have: a
headline-only file is a handful of characters, and the detector alone guesses those
wrong (GB18030 read as Korean, UTF-16 without a BOM refused as binary)."""

from __future__ import annotations

import codecs
import os

import pytest

from annotator.text.decode import DecodeError, decode_bytes

HEADLINES_HANS = ["今年增长5%。", "香港人才缺口扩大", "失业率降至2.9%", "创科人员增至9.64万人",
                  "政府拨款十亿元", "预计到2028年短缺18万人"]
HEADLINES_HANT = ["今年增長5%。", "香港人才缺口擴大", "失業率降至2.9%", "創科人員增至9.64萬人",
                  "政府撥款十億元", "佢哋喺度食咗飯"]
ARTICLE = ("香港劳工及福利局于去年11月发布的最新一轮人力推算报告，预计到2028年，香港整体人力短缺达18万人。\n"
           "创科业界的人力需求预计将由2023年的6.02万人增至2028年的9.64万人。\n")


@pytest.mark.parametrize("text", HEADLINES_HANS)
def test_short_gb18030_is_read_as_chinese(text):
    d = decode_bytes(text.encode("gb18030"))
    assert (d.text, d.encoding) == (text, "gb18030")


@pytest.mark.parametrize("text, codec", [(t, c) for t in HEADLINES_HANT for c in ("big5hkscs", "big5")
                                         if c == "big5hkscs" or "佢" not in t])
def test_short_big5_is_read_as_chinese(text, codec):
    d = decode_bytes(text.encode(codec))
    assert (d.text, d.encoding) == (text, "big5hkscs")


@pytest.mark.parametrize("codec", ["utf_16_le", "utf_16_be"])
@pytest.mark.parametrize("text", [ARTICLE, ARTICLE.replace("\n", ""), "5%", "第5名，增长3%"])
def test_utf16_without_bom_mostly_chinese(text, codec):
    d = decode_bytes(text.encode(codec))
    assert (d.text, d.encoding) == (text, codec)


def test_utf16_with_a_byte_cut_off_is_read_with_a_warning():
    d = decode_bytes(ARTICLE.encode("utf-16-le") + b"\x41")
    assert d.text == ARTICLE and "last byte" in d.warnings[0]


@pytest.mark.parametrize("data", [os.urandom(4096), b"\x89PNG\r\n\x1a\n" + os.urandom(4000),
                                  b"\x1f\x8b\x08\x00" + bytes(range(256)) * 8,
                                  bytes(4096), b"\x01\x00" * 1000])
def test_binary_with_nul_bytes_is_still_refused(data):
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(data)


@pytest.mark.parametrize("text", ["Café costs €5 — “quoted”, it’s 5%.",
                                  "Señor Müller paid €5 for the crème brûlée."])
def test_cp1252_english_is_not_replacement_characters(text):
    d = decode_bytes(text.encode("cp1252"))
    assert (d.text, d.encoding) == (text, "cp1252")


def test_short_legacy_file_is_not_taken_for_damaged_utf8():
    # seven broken UTF-8 sequences used to pass as "a few broken bytes"
    d = decode_bytes("今年增長5%。".encode("big5"))
    assert "\ufffd" not in d.text


def test_utf8_with_a_damaged_stretch_is_still_utf8():
    body = ARTICLE * 20
    data = body.encode() + b"\xff\xc0\x80\xe4\xb8" * 10 + body.encode()
    d = decode_bytes(data)
    assert d.encoding == "utf_8" and d.text.startswith(body) and d.text.endswith(body)
    assert "replaced" in d.warnings[0]


def test_utf16_bom_variants_round_trip():
    for data in (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
                 codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be")):
        assert decode_bytes(data).text == ARTICLE
