import json
import os
import warnings

import pytest

from annotator.domain import RawArticle
from annotator.readers import ReadError, ReadWarning, collect_files, read_file

from tests.conftest import SAMPLES


def _read(path):
    return list(read_file(path))


def test_txt_title_is_first_non_empty_line(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("\n\n  Title here  \nBody 5%.\n", encoding="utf-8")
    [art] = _read(p)
    assert art.title == "Title here"
    assert art.text == "\n\n  Title here  \nBody 5%.\n"  # stored verbatim


def test_markdown_heading_title(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    [art] = _read(p)
    assert art.title == "标题" and art.fmt == "md"


def test_jsonl_bad_line_is_reported_with_its_number_and_others_import(tmp_path):
    p = tmp_path / "dump.jsonl"
    lines = [json.dumps({"text": "first 1%", "title": "t1", "url": "http://x/1", "id": 7}),
             "{not json",
             json.dumps({"content": "third 3%"}),
             json.dumps({"title": "no text"}),
             json.dumps([1, 2])]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(p)
    arts = [i for i in items if isinstance(i, RawArticle)]
    errs = [i for i in items if isinstance(i, ReadError)]
    assert [a.text for a in arts] == ["first 1%", "third 3%"]
    # the source is the file and line it came from; the record's url is kept beside it
    assert arts[0].source.endswith("dump.jsonl:1") and arts[0].url == "http://x/1"
    assert arts[0].external_id == "7"
    assert arts[1].source.endswith("dump.jsonl:3")
    assert [e.source.rsplit(" ", 1)[-1] for e in errs][0] == "2"
    assert "line 2" in str(errs[0]) and "invalid JSON" in str(errs[0])
    assert len(errs) == 3


def test_every_record_error_names_its_line_or_record_from_1(tmp_path):
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text('{"text": "ok 1%"}\n{"text": "tab\tinside"}\n{"title": "x"}\n',
                     encoding="utf-8")
    arr = tmp_path / "arr.json"
    arr.write_text(json.dumps([{"text": "a 1"}, {"title": "no text"}, 5]), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"text": "a 1"},\n  {"text": }\n]', encoding="utf-8")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text('title,text\nT,ok 1%\n\nU,"two\nlines"\nV,\n', encoding="utf-8")
    errors = [str(e) for p in (jsonl, arr, broken, sheet) for e in _read(p)
              if isinstance(e, ReadError)]
    assert errors == [
        f"{jsonl}: line 2: invalid JSON (Invalid control character at column 14)",
        f"{jsonl}: line 3: no 'text' or 'content' field with text",
        f"{arr}: record 2: no 'text' or 'content' field with text",
        f"{arr}: record 3: expected a JSON object, got int",
        f"{broken}: line 3: invalid JSON (Expecting value at column 12)",
        f"{sheet}: line 6: no 'text' or 'content' field with text",
    ]
    # the articles keep the sources they have always been stored with
    assert [a.source for a in _read(arr) if isinstance(a, RawArticle)] == [f"{arr}#0"]
    assert [a.source for a in _read(sheet) if isinstance(a, RawArticle)] == \
        [f"{sheet}:2", f"{sheet}:5"]


def test_json_list_and_single_object(tmp_path):
    p = tmp_path / "a.json"
    p.write_text(json.dumps([{"text": "a 1"}, {"content": "b 2", "title": "B"}]), encoding="utf-8")
    assert [a.text for a in _read(p)] == ["a 1", "b 2"]
    p.write_text(json.dumps({"text": "only 3"}), encoding="utf-8")
    assert [a.text for a in _read(p)] == ["only 3"]


def test_csv_columns_and_missing_text_column(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("Title,Text,URL\nT,\"line one\nline two 5%\",http://u\n", encoding="utf-8")
    [art] = _read(p)
    assert art.text == "line one\nline two 5%" and art.url == "http://u" and art.title == "T"
    q = tmp_path / "b.csv"
    q.write_text("title,body\nx,y\n", encoding="utf-8")
    [err] = _read(q)
    assert isinstance(err, ReadError) and "no 'text'" in err.message


def test_html_takes_main_text_not_chrome():
    [art] = _read(SAMPLES / "103_chinadaily_page.html")
    assert art.title == "HK, mainland agree to inno-tech cooperation"
    assert "Ministry of Science and Technology signed an agreement" in art.text
    for chrome in ("Subscribe for $1 a week", "Most popular", "All rights reserved", "dataLayer"):
        assert chrome not in art.text


def test_html_without_article_text_is_an_error(tmp_path):
    p = tmp_path / "empty.html"
    p.write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    [err] = _read(p)
    assert isinstance(err, ReadError)


def test_unsupported_and_missing_paths(tmp_path):
    p = tmp_path / "doc.pdf"
    p.write_bytes(b"%PDF-1.4")
    [err] = _read(p)
    assert "unsupported format" in err.message
    files, errors = collect_files([tmp_path / "nope", tmp_path])
    assert files == [] and "no such file" in errors[0].message


def test_folders_are_walked_recursively_sorted_skipping_hidden_and_docs(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / ".git" / "x.txt").write_text("x")
    (tmp_path / "README.md").write_text("docs")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    files, errors = collect_files([tmp_path, tmp_path / "a.txt"])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.txt", "b/z.txt"]
    assert errors == []


def test_all_samples_read_without_errors():
    files, errors = collect_files([SAMPLES])
    items = [i for f in files for i in read_file(f)]
    assert not errors and not [i for i in items if isinstance(i, ReadError)]
    assert len([i for i in items if isinstance(i, RawArticle)]) == 12


def test_large_jsonl_dumps_are_streamed_line_by_line(tmp_path, monkeypatch):
    import annotator.readers as readers

    monkeypatch.setattr(readers, "STREAM_BYTES", 100)  # anything larger streams
    p = tmp_path / "dump.jsonl"
    good = json.dumps({"text": "香港整体人力短缺达18万人。", "id": 1}, ensure_ascii=False)
    p.write_bytes(b"\n".join([good.encode(), b"{broken", good.replace("18", "19").encode(),
                              b'{"text": "bad \xff byte 5%"}', b"\x00\x00"]) + b"\n")
    items = list(read_file(p))
    arts = [i for i in items if isinstance(i, RawArticle)]
    assert [a.text for a in arts] == ["香港整体人力短缺达18万人。", "香港整体人力短缺达19万人。",
                                      "bad \ufffd byte 5%"]
    assert arts[0].source.endswith("dump.jsonl:1") and arts[1].source.endswith("dump.jsonl:3")
    errors = [str(i) for i in items if isinstance(i, ReadError)]
    assert any("line 2: invalid JSON" in e for e in errors)
    assert any("line 5" in e and "NUL" in e for e in errors)
    assert any(isinstance(i, readers.ReadWarning) and "line 4" in i.source for i in items)


def test_a_streamed_dump_imports_like_a_small_one(tmp_path, monkeypatch):
    import annotator.readers as readers
    from annotator.services.importing import import_paths
    from annotator.storage.db import open_db

    lines = [json.dumps({"text": f"The fund grew {i}% to {i * 100} members."}) for i in range(40)]
    (tmp_path / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = []
    for stream_bytes in (10**9, 100):
        monkeypatch.setattr(readers, "STREAM_BYTES", stream_bytes)
        d = open_db(tmp_path / f"{stream_bytes}.db")
        s = import_paths(d, [tmp_path / "d.jsonl"], workers=1)
        counts.append((s.articles_added, s.figures, len(s.errors)))
        d.close()
    assert counts[0] == counts[1] == (40, 80, 0)


# --- bad input keeps the good ---------------------------------------------------------

ZH = "香港整体人力短缺达18万人。创科业界的人力需求预计将由2023年的6.02万人增至2028年的9.64万人。\n"


def test_a_text_file_with_stray_nul_bytes_is_imported_without_them_and_a_warning(tmp_path):
    p = tmp_path / "scraped.txt"
    p.write_bytes(("标题\n" + ZH).encode() + b"\x00\x00" + ZH.encode())
    items = _read(p)
    [art] = [i for i in items if isinstance(i, RawArticle)]
    assert art.text == "标题\n" + ZH + ZH and art.title == "标题"
    [w] = [i for i in items if isinstance(i, ReadWarning)]
    assert w.source == str(p) and "2 NUL byte(s) removed" in w.message


def test_binary_under_a_text_name_is_still_refused(tmp_path):
    import gzip
    import random

    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(7).randbytes(4000))
    q = tmp_path / "archive.jsonl"
    q.write_bytes(gzip.compress((json.dumps({"text": ZH}) + "\n").encode() * 50, mtime=0))
    for path in (p, q):
        [err] = _read(path)
        assert isinstance(err, ReadError) and "binary" in err.message


def test_a_csv_record_with_a_nul_is_reported_by_its_line_and_the_others_are_kept(tmp_path):
    p = tmp_path / "sheet.csv"
    p.write_bytes(b"title,text,url\n"
                  b"one,\"Sales rose 4% in 2024.\",https://example.com/1\n"
                  b"two,\"cut\x00here 5%\",https://example.com/2\n"
                  b"three,\"Hiring grew by 1,200 people.\",https://example.com/3\n"
                  b"four,\"The fund reached HK$3.4 billion.\",https://example.com/4\n")
    items = _read(p)
    arts = [i for i in items if isinstance(i, RawArticle)]
    assert [a.title for a in arts] == ["one", "three", "four"]
    assert [str(e) for e in items if isinstance(e, ReadError)] == \
        [f"{p}: line 3: text contains NUL characters"]


def test_a_nul_in_a_csv_title_is_the_record_s_problem_too(tmp_path):
    p = tmp_path / "sheet.csv"
    p.write_bytes(b"title,text\nbad\x00title,Up 3%.\nok,Up 4%.\n")
    items = _read(p)
    assert [a.text for a in items if isinstance(a, RawArticle)] == ["Up 4%."]
    [err] = [e for e in items if isinstance(e, ReadError)]
    assert "line 2" in str(err) and "NUL" in err.message and "title" in err.message


def test_a_jsonl_line_with_a_raw_nul_byte_is_reported_and_the_other_lines_kept(tmp_path):
    good = [json.dumps({"text": f"第{i}篇：{ZH}"}, ensure_ascii=False).encode() for i in range(3)]
    p = tmp_path / "feed.jsonl"
    p.write_bytes(b"\n".join([good[0], b'{"text": "cut\x00 off 5%"}', good[1], good[2]]) + b"\n")
    items = _read(p)
    assert len([a for a in items if isinstance(a, RawArticle)]) == 3
    [err] = [e for e in items if isinstance(e, ReadError)]
    assert str(err).startswith(f"{p}: line 2: ") and "NUL" in err.message


def test_a_csv_error_in_one_record_does_not_lose_the_records_after_it(tmp_path, monkeypatch):
    import annotator.readers as readers

    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 40)  # the field size limit
    p = tmp_path / "sheet.csv"
    p.write_text("title,text\na,Up 3%.\nb,\"" + "x" * 60 + "\"\nc,Up 4%.\nd,Up 5%.\n",
                 encoding="utf-8")
    items = list(readers._csv(str(p), p.read_text(encoding="utf-8"), "utf_8", ","))
    assert [a.title for a in items if isinstance(a, RawArticle)] == ["a", "c", "d"]
    [err] = [e for e in items if isinstance(e, ReadError)]
    assert "line 3" in str(err) and "malformed CSV" in err.message


# --- symbolic links -------------------------------------------------------------------

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")


@needs_symlinks
def test_a_symlinked_folder_is_followed_and_a_loop_reported_once(tmp_path):
    shared = tmp_path / "shared"
    (shared / "2024").mkdir(parents=True)
    (shared / "2024" / "a.txt").write_text(ZH, encoding="utf-8")
    top = tmp_path / "in"
    top.mkdir()
    (top / "b.txt").write_text("Sales rose 4%.", encoding="utf-8")
    os.symlink(shared, top / "feeds")                     # a folder kept elsewhere
    os.symlink(top, top / "again")                        # a link back to an ancestor
    os.symlink("..", shared / "2024" / "up")              # and one inside the linked folder
    notes = []
    files, errors = collect_files([top], notes=notes)
    assert [f.relative_to(top).as_posix() for f in files] == ["b.txt", "feeds/2024/a.txt"]
    assert errors == [] and all(isinstance(n, ReadWarning) for n in notes)
    assert [str(n) for n in notes] == [
        f"{top / 'again'}: symbolic link back to {top}, a folder it is in: not followed (a loop)",
        f"{top / 'feeds' / '2024' / 'up'}: symbolic link back to {top / 'feeds'}, a folder it is "
        "in: not followed (a loop)",
    ]


@needs_symlinks
def test_a_folder_linked_twice_is_read_once(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "a.txt").write_text(ZH, encoding="utf-8")
    top = tmp_path / "in"
    top.mkdir()
    os.symlink(shared, top / "one")
    os.symlink(shared, top / "two")
    files, errors = collect_files([top])
    assert [f.relative_to(top).as_posix() for f in files] == ["one/a.txt"] and errors == []


@needs_symlinks
def test_a_dangling_link_in_a_folder_is_an_error_naming_its_target(tmp_path):
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    files, errors = collect_files([tmp_path])
    items = [i for f in files for i in read_file(f)] + errors
    [err] = [i for i in items if isinstance(i, ReadError)]
    assert err.source == str(tmp_path / "dangling.txt")
    assert "cannot read" in err.message and "gone.txt" in err.message


# --- file names in messages -----------------------------------------------------------

def test_control_characters_in_a_file_name_are_escaped_in_its_messages(tmp_path):
    p = tmp_path / "x.txt\nerror: forged.txt"
    p.write_bytes(b"")
    [err] = _read(p)
    assert "\n" not in str(err)
    assert str(err) == f"{tmp_path}/x.txt\\nerror: forged.txt: empty file"
    w = ReadWarning(str(tmp_path / "a\rb\x1b[31m.txt"), "1 NUL byte(s) removed")
    assert str(w) == f"{tmp_path}/a\\rb\\x1b[31m.txt: 1 NUL byte(s) removed"


def test_ordinary_unicode_names_stay_readable():
    err = ReadError("语料 corpus/文章 一 😀.txt: line 3", "no 'text' or 'content' field")
    assert str(err) == "语料 corpus/文章 一 😀.txt: line 3: no 'text' or 'content' field"
    odd = ReadError("a\u2028b\u202ec\udcff.txt", "empty file")  # line separator, bidi, bad byte
    assert str(odd) == "a\\u2028b\\u202ec\\xff.txt: empty file"


# --- library warnings -----------------------------------------------------------------

GLOBE_PAGE = """<html><head><title>Putting savings goals in perspective</title>
<meta name="last-modified" content="2014-12-29 08:57:25 EST"></head><body><article>
<h1>Putting savings goals in perspective</h1>
<p>Even with Martin's good job and modest pension, the couple saves 15% of their income and
expects $40,000 a year in retirement, about 60% of what they spend today.</p>
<p>Their home is worth $1.2 million, and they plan to retire in 2030.</p>
</article></body></html>"""


def test_a_library_s_timezone_warning_does_not_reach_the_terminal(tmp_path):
    p = tmp_path / "globe.html"
    p.write_text(GLOBE_PAGE, encoding="utf-8")
    import trafilatura  # noqa: F401  (importing it adds urllib3's filters: not the reader's)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        filters = list(warnings.filters)
        [art] = _read(p)
        assert warnings.filters == filters  # silenced around the call only
    assert art.date == "2014-12-29"
    assert [w.category.__name__ for w in caught] == []


# --- provenance -----------------------------------------------------------------------

def test_an_html_article_s_source_is_its_file_and_its_canonical_url_is_kept(tmp_path):
    page = GLOBE_PAGE.replace("</title>", '</title><link rel="canonical" '
                              'href="https://www.theglobeandmail.com/article22278347/">')
    a, b = tmp_path / "globe.html", tmp_path / "globe-again.html"
    a.write_text(page, encoding="utf-8")
    b.write_text(page.replace("2030", "2031"), encoding="utf-8")
    [art_a], [art_b] = _read(a), _read(b)
    assert (art_a.source, art_b.source) == (str(a), str(b))
    assert art_a.url == art_b.url == "https://www.theglobeandmail.com/article22278347/"


def test_record_sources_are_their_file_and_line_also_with_a_url(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text(json.dumps({"text": "Up 3%.", "url": "https://example.com/a"}) + "\n"
                 + json.dumps({"text": "Up 4%.", "url": "https://example.com/a"}) + "\n",
                 encoding="utf-8")
    arts = _read(p)
    assert [(a.source, a.url) for a in arts] == [(f"{p}:1", "https://example.com/a"),
                                                 (f"{p}:2", "https://example.com/a")]
    q = tmp_path / "sheet.csv"
    q.write_text("text,url\nUp 5%.,https://example.com/b\n", encoding="utf-8")
    [art] = _read(q)
    assert (art.source, art.url) == (f"{q}:2", "https://example.com/b")


# --- HTML main text and titles (docs/adr/0006-main-text-extraction.md) ---------------

from annotator.readers import adds_prose, page_title, strip_site  # noqa: E402


def test_default_extraction_is_taken_when_it_adds_prose_the_precise_one_lost():
    precise = "多地项目连环爆雷\n网友评论仅供其表达个人看法，并不表明网易立场。\n- 推荐\n- 娱乐"
    plain = precise + "\n" + ("近日，龙湖集团公布了2019年中期业绩报告。上半年，龙湖实现合约销售金额"
                              "1056.2亿元，同比增长8.8%。")
    assert adds_prose(precise, plain)


def test_default_extraction_is_not_taken_for_lists_or_when_it_loses_text():
    precise = "政府刊憲，行政長官委任林大輝為香港電台顧問委員會主席，下月1日起生效，任期兩年。"
    hot_list = precise + "\n索羅斯：二戰後最大危機降臨\n今日信報\n國泰蝕99億破紀錄 恐裁員\n今日信報"
    assert not adds_prose(precise, hot_list)
    other = "A different article entirely, with a long sentence that ends here, and more of it."
    assert not adds_prose(precise, other)


def _page(title="", og="", h1="", site="", links=()):
    metas = (f'<meta property="og:title" content="{og}">' if og else "") + \
            (f'<meta property="og:site_name" content="{site}">' if site else "")
    nav = "".join(f'<a href="/{i}">{t}</a>' for i, t in enumerate(links))
    return (f"<html><head><title>{title}</title>{metas}</head><body><nav>{nav}</nav>"
            f"{'<h1>' + h1 + '</h1>' if h1 else ''}<p>body</p></body></html>")


def test_title_site_and_section_pieces_go_by_the_pages_own_evidence():
    html = _page(title="平鎮輪胎行惡火 疏散7人1女命喪 | 社會 | 中央社 CNA",
                 links=["社會", "中央社 CNA"])
    assert page_title(html, "平鎮輪胎行惡火 疏散7人1女命喪 | 社會 | 中央社 CNA") == \
        "平鎮輪胎行惡火 疏散7人1女命喪"
    html = _page(title="街市重開 鼠患不改 - 東方日報", site="東方日報")
    assert page_title(html, "街市重開 鼠患不改 - 東方日報") == "街市重開 鼠患不改"
    # the page's other title shows the suffix is the site's
    html = _page(title="姚明对周琦说了啥？周琦上下半场判若两人_网易新闻",
                 og="姚明对周琦说了啥？周琦上下半场判若两人")
    assert page_title(html, "姚明对周琦说了啥？周琦上下半场判若两人_网易新闻") == \
        "姚明对周琦说了啥？周琦上下半场判若两人"


def test_title_keeps_a_subtitle_and_a_headline_with_separators():
    html = _page(title="Hating Millennials - the prejudice you're allowed to boast about",
                 h1="Hating Millennials")
    assert page_title(html, "Hating Millennials - the prejudice you're allowed to boast about") \
        == "Hating Millennials - the prejudice you're allowed to boast about"
    assert strip_site("新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家_藍天 :: 痞客邦 PIXNET ::",
                      ["痞客邦 pixnet"], {"藍天"}) == "新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家"


def test_title_that_is_only_a_section_name_becomes_the_headline():
    html = _page(title="香港航空往來沖繩4航班延至今日出發 - RTHK", site="RTHK",
                 links=["大中華", "本地"])
    assert page_title(html, "大中華") == "香港航空往來沖繩4航班延至今日出發"


def test_title_from_a_sidebar_gives_way_to_the_pages_title():
    html = _page(title="英国美女在殡仪馆工作太痛苦，转行当美人鱼！每小时收入近千元")
    assert page_title(html, "韩庚将在新西兰大婚，刘诗诗也来过！") == \
        "英国美女在殡仪馆工作太痛苦，转行当美人鱼！每小时收入近千元"


def test_og_title_cut_by_an_unescaped_quote_is_made_whole_from_the_h1():
    html = ('<html><head><title>多地项目连环爆雷 狂奔的龙湖集团"暗伤"曝露？_网易财经</title>'
            '<meta property="og:title" content="多地项目连环爆雷 狂奔的龙湖集团"暗伤"曝露？">'
            '</head><body><h1>多地项目连环爆雷 狂奔的龙湖集团"暗伤"曝露？</h1></body></html>')
    assert page_title(html, "多地项目连环爆雷 狂奔的龙湖集团") == "多地项目连环爆雷 狂奔的龙湖集团\"暗伤\"曝露？"


# A page whose body is a run of <section> blocks of inline text (WeChat-style editors)
# and which hides it with visibility: hidden until its script has loaded the images.
_SECTION_BODY = (
    '<html><head><title>新款手机发布</title></head><body>'
    '<div class="wrap"><h1 class="media_title">新款手机发布</h1>'
    '<div class="meta_list">' + ''.join(f'<span>标签{i}</span><a href="/t{i}">话题{i}</a>'
                                        for i in range(40)) + '</div>'
    '<div class="media_meta"><span>某某科技</span><em>昨天</em></div>'
    '<div class="media_body" id="body_box" style="visibility: hidden;">'
    '<section style="margin: 0 16px;"><span style="font-size: 15px;">今天凌晨，某公司在旧金山举行发布会，'
    '正式发布新一代旗舰手机，共有三款机型，起售价为6999元。</span></section>'
    '<section style="text-align: center;"><img data-src="https://img.example/a.jpg"></section>'
    '<section><span>三款手机都采用新的处理器，屏幕刷新率达到120赫兹，电池容量为5000毫安时，'
    '比上一代多出百分之二十。</span></section>'
    '<section><span>新机将于下月在国内上市，首批备货约200万台，预售已经开始。</span></section>'
    '</div></div>'
    '<div class="profile_inner"><p class="profile_meta"><label>微信号</label><span>FViewTech</span></p>'
    '<p class="profile_meta"><label>功能介绍</label><span>聚焦手机互联网领域的行业思考</span></p></div>'
    '<p>信息来源于网络</p><p>经过重新编排</p>'
    '<div class="qr_code"><span>微信扫一扫</span><span>关注该公众号</span></div>'
    '<script>document.getElementById("body_box").style.visibility = "visible";</script>'
    '</body></html>')


def test_a_body_of_section_blocks_hidden_until_its_script_runs_is_read(tmp_path):
    p = tmp_path / "article.html"
    p.write_text(_SECTION_BODY, encoding="utf-8")
    [art] = list(read_file(p))
    assert isinstance(art, RawArticle), art
    lines = art.text.splitlines()
    # each block is a paragraph of its own, not run together into one line
    for part in ("起售价为6999元", "电池容量为5000毫安时", "首批备货约200万台"):
        assert sum(part in line for line in lines) == 1, art.text
    assert not any("6999元" in line and "5000毫安时" in line for line in lines), art.text


def _js_string(obj) -> str:
    """obj as a page's script writes it: JSON inside a double-quoted JS string literal."""
    return json.dumps(json.dumps(obj, ensure_ascii=True))


def test_a_gallery_keeps_the_captions_of_all_its_slides_from_the_pages_json(tmp_path):
    captions = ["第一张图：这座城市的港口每年吞吐货物超过3000万吨，是全国第五大港口。",
                "第二张图：港区去年新建的三座深水码头可以同时停靠8艘万吨级货轮，装卸一艘只要一天。",
                "第三张图：每天有大约1200辆货车从这里出发，把卸下的集装箱运往内地的二十多个城市。"]
    page = ('<html><head><title>一座港口城市</title></head><body>'
            '<div class="gallery"><ul><li><img data-src="https://img.example/1.jpg"></li>'
            '<li><img data-src="https://img.example/2.jpg"></li></ul></div>'
            '<div class="info-box"><h2 class="title">一座港口城市</h2>'
            f'<div class="abstract"><span><em>1</em>/3</span>{captions[0]}</div></div>'
            '<script>var DATA = {}; DATA.galleryInfo = {title: "一座港口城市", '
            f'gallery: JSON.parse({_js_string({"count": 3, "sub_images": [{"url": "https://img.example/1.jpg"}], "sub_abstracts": captions})})}};</script>'
            '</body></html>')
    p = tmp_path / "gallery.html"
    p.write_text(page, encoding="utf-8")
    [art] = list(read_file(p))
    assert isinstance(art, RawArticle), art
    for c in captions:
        assert c in art.text, art.text
    assert art.text.index(captions[0]) < art.text.index(captions[1]) < art.text.index(captions[2])


def test_a_keyword_list_in_the_pages_json_is_not_added_to_the_text(tmp_path):
    body = "".join(f"<p>第{i}段：这座城市的港口每年吞吐货物超过3000万吨，是全国第五大港口之一。</p>"
                   for i in range(4))
    page = ('<html><head><title>港口</title><script type="application/ld+json">'
            + json.dumps({"keywords": ["港口", "货运", "第五大港口之一", "物流"]}, ensure_ascii=False)
            + f'</script></head><body><article><h1>港口</h1>{body}</article></body></html>')
    p = tmp_path / "tags.html"
    p.write_text(page, encoding="utf-8")
    [art] = list(read_file(p))
    assert "货运" not in art.text and "物流" not in art.text, art.text
