import json

from annotator.domain import RawArticle
from annotator.readers import ReadError, collect_files, read_file

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
    assert arts[0].source == "http://x/1" and arts[0].external_id == "7"
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
