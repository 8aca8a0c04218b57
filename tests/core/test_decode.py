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


def test_a_few_stray_nul_bytes_are_removed_with_a_warning_naming_their_count():
    # a scraper that wrote a C string's terminator, twice, between two paragraphs
    d = decode_bytes(EN.encode() + b"\x00\x00\n" + EN.encode())
    assert d.text == EN + "\n" + EN and "\x00" not in d.text
    assert d.encoding == "utf_8"
    assert any("2 NUL byte(s) removed" in w for w in d.warnings)


@pytest.mark.parametrize("codec, text", [("utf-8", ZH), ("gb18030", ZH), ("big5hkscs", ZH_HK)])
def test_stray_nul_bytes_in_chinese_text_leave_the_encoding_and_characters_whole(codec, text):
    data = text.encode(codec)
    cut = data.index("。".encode(codec)) + len("。".encode(codec))
    d = decode_bytes(data[:cut] + b"\x00" + data[cut:])
    assert d.text == text and d.warnings == ["1 NUL byte(s) removed"]


def test_a_file_padded_with_zeros_after_a_crash_keeps_its_text():
    # a write cut short by a crash leaves the rest of the file's last block zeros
    d = decode_bytes(ZH.encode() + bytes(4096))
    assert d.text == ZH and d.warnings == ["4096 NUL byte(s) removed"]


def _zip_of_text() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("article.txt", (EN + ZH) * 20)
    return buf.getvalue()


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_are_still_binary(seed):
    import random

    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(random.Random(seed).randbytes(random.Random(seed).choice([300, 4096, 65536])))


@pytest.mark.parametrize("data", [
    bytes(4096),                                                      # all zeros
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
    __import__("gzip").compress(((EN + ZH) * 20).encode(), mtime=0),   # an archive of text
    _zip_of_text(),
    b"SQLite format 3\x00\x10\x00\x02\x02\x00@  " + bytes(4000) + b"CREATE TABLE t(x)",
    b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x03\x00>\x00" + bytes(range(256)) * 4,
    EN.encode() * 3 + bytes(range(32)) * 10,                           # text then binary
])
def test_binary_files_with_nul_bytes_are_still_refused(data):
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(data)


def test_many_nul_bytes_inside_text_are_not_stray():
    # every tenth byte a NUL: not a stray byte or two but something else; refused
    body = EN.encode()
    data = b"".join(body[i:i + 9] + b"\x00" for i in range(0, len(body), 9)) * 5
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(data)


def test_record_files_can_keep_the_nul_bytes_where_they_are():
    # a JSONL or CSV reader reports the record holding them, not the file
    line = b'{"text": "Sales rose 4%."}\n'
    data = line + b'{"text": "cut\x00 here"}\n' + line
    d = decode_bytes(data, keep_nul=True)
    assert d.text == data.decode() and d.encoding == "utf_8"
    assert decode_bytes(line, keep_nul=True).text == line.decode()
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(__import__("random").Random(3).randbytes(4096), keep_nul=True)
