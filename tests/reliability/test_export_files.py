"""Export files a team can use: one record per line whatever the text quotes, and the
same file permissions as any other file the user writes."""

from __future__ import annotations

import json
import os
import stat

from annotator.services.export import records as ex

from annotator.domain import RawArticle
from annotator.storage import articles as repo
from annotator.storage.db import write_tx

from tests.core.factories import TEXT, _claim, _fig, make_article

SENTENCE = "Only 200 people were hired 😀 and 15% left."
# the factory's third claim with three of its spaces turned into line separators: the
# same length, so the stored offsets still select their text
ODD = "Only 200 people\u2028were hired 😀\u2029and\x8515% left."


def _odd_article(db) -> None:
    """The factory's article with its third sentence odd, stored under its own id (an
    export refuses text that no longer matches its article's id)."""
    text = TEXT.replace(SENTENCE, ODD)
    s1, s2 = "香港整体人力短缺达18万人。", "创科业界的人力需求将由6.02万人增至9.64万人。"
    claims = [
        _claim(text, s1, [_fig(text, "18万人", "count", 180000, unit="人")]),
        _claim(text, s2, [_fig(text, "6.02万人", "count", 60200, unit="人")]),
        _claim(text, ODD, [_fig(text, "200 people", "count", 200, unit="people"),
                           _fig(text, "15%", "percent", 15, unit="%")]),
    ]
    with write_tx(db):
        aid = repo.insert_article(db, RawArticle(source="odd.txt", text=text, title="t"),
                                  language="zh", script="hans", boilerplate=[], claims=claims)
        repo.add_to_dataset(db, "ds", aid)


def test_jsonl_records_stay_on_one_line_with_unicode_line_separators(db, tmp_path):
    _odd_article(db)
    out = tmp_path / "claims.jsonl"
    summary = ex.export(db, str(out))
    content = out.read_text(encoding="utf-8")
    lines = content.splitlines()  # splits at U+2028, U+2029 and NEL too
    assert len(lines) == summary.records == 3
    texts = [json.loads(line)["text"] for line in lines]
    assert any("\u2028" in t and "\u2029" in t and "\x85" in t for t in texts)


def test_a_new_export_file_gets_the_ordinary_file_mode(db, tmp_path):
    make_article(db)
    out = tmp_path / "new.jsonl"
    ex.export(db, str(out))
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_replacing_an_export_keeps_its_mode(db, tmp_path):
    make_article(db)
    out = tmp_path / "shared.csv"
    out.write_text("old\n")
    os.chmod(out, 0o640)
    ex.export(db, str(out), fmt="csv")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text().startswith("dataset,claim_id")
