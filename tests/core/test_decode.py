import codecs

import pytest

from annotator.text.decode import DecodeError, decode_bytes

ZH = ("香港劳工及福利局于去年11月发布的最新一轮人力推算报告，预计到2028年，香港整体人力短缺达18万人。"
      "创科业界的人力需求预计将由2023年的6.02万人增至2028年的9.64万人。")
ZH_HK = ("香港勞工及福利局於去年11月發佈的最新一輪人力推算報告，預計到2028年，香港整體人力短缺達18萬人。"
         "創科業界的人力需求預計將由2023年的6.02萬人增至2028年的9.64萬人。")
EN = "Last year, the Science and Technology Park held 1,100 positions and received 70,000 applications."


@pytest.mark.parametrize("data, encoding", [
    (ZH.encode("utf-8"), "utf_8"),
    (codecs.BOM_UTF8 + ZH.encode("utf-8"), "utf_8_sig"),
    (ZH.encode("gb18030"), "gb18030"),
    (ZH_HK.encode("big5"), "big5hkscs"),
    (ZH_HK.encode("big5hkscs"), "big5hkscs"),
    (ZH.encode("utf-16"), "utf_16"),
    (ZH.encode("utf-16-le"), "utf_16_le"),
    (ZH.encode("utf-16-be"), "utf_16_be"),
    (EN.encode("utf-16-le"), "utf_16_le"),
])
def test_encodings_are_detected(data, encoding):
    d = decode_bytes(data)
    assert d.encoding == encoding
    assert d.text.lstrip("\ufeff") in (ZH, ZH_HK, EN)


def test_hkscs_characters_survive():
    text = "佢哋喺度食咗飯，呢度係屋邨。" * 5
    assert decode_bytes(text.encode("big5hkscs")).text == text


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (bytes(range(256)) * 20, "binary"),
    (b"PK\x03\x04" + b"\x00\x01\x02" * 300, "binary"),
    (EN.encode() + b"\x00\x00" + EN.encode(), "NUL"),
])
def test_bad_input_is_a_clear_error(data, message):
    with pytest.raises(DecodeError, match=message):
        decode_bytes(data)


def test_a_few_broken_bytes_in_utf8_are_replaced_with_a_warning():
    data = ZH.encode("utf-8") + b"\xff\xfe\xfa" + ZH.encode("utf-8")
    d = decode_bytes(data)
    assert d.encoding == "utf_8"
    assert d.text.startswith(ZH) and d.text.endswith(ZH)
    assert "\ufffd" in d.text
    assert d.warnings and "replaced" in d.warnings[0]


def test_emoji_and_astral_characters_round_trip():
    text = "𠮷野家 😀 raised 5.02万 🇭🇰"
    assert decode_bytes(text.encode("utf-8")).text == text
