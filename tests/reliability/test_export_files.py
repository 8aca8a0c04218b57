"""Export files a team can use: one record per line whatever the text quotes, and the
same file permissions as any other file the user writes."""

from __future__ import annotations

import json
import os
import stat

from annotator import export as ex

from tests.core.factories import TEXT, make_article

SENTENCE = "Only 200 people were hired 😀 and 15% left."
# the factory's third claim with three of its spaces turned into line separators: the
# same length, so the stored offsets still select their text
ODD = "Only 200 people\u2028were hired 😀\u2029and\x8515% left."


def _odd_article(db) -> None:
    aid = make_article(db)
    assert len(ODD) == len(SENTENCE)
    db.execute("UPDATE articles SET text = ? WHERE id = ?", [TEXT.replace(SENTENCE, ODD), aid])
    db.execute("UPDATE claims SET text = ? WHERE article_id = ? AND text = ?", [ODD, aid, SENTENCE])


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
