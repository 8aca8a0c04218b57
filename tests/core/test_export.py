import csv
import io
import json
import os

import pytest

from annotator.services.export import records as ex
from annotator.services import review as svc
from annotator.storage import articles as repo

from tests.core.factories import figure_ids, make_article

CONTRACT_KEYS = {"claim_id", "dataset", "article", "text", "start", "end", "figures", "status",
                 "duplicate_of", "reviews"}
FIGURE_KEYS = {"figure_id", "text", "start", "end", "kind", "value", "value_max", "unit",
               "currency", "qualifier", "warnings", "status", "corrected_value", "flag"}


def _records(db, **kw):
    return list(ex.iter_claim_records(db, **kw))


def test_records_follow_the_contract_and_offsets_select_the_text(samples_db):
    recs = _records(samples_db)
    assert len(recs) == samples_db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    texts = {}
    for r in recs:
        assert set(r) >= CONTRACT_KEYS
        assert set(r["article"]) >= {"id", "source", "title", "language", "script"}
        aid = r["article"]["id"]
        text = texts.setdefault(aid, repo.get_article(samples_db, aid).text)
        assert text[r["start"]:r["end"]] == r["text"]
        for f in r["figures"]:
            assert set(f) >= FIGURE_KEYS
            assert text[f["start"]:f["end"]] == f["text"]
            assert all(set(w) == {"code", "message"} for w in f["warnings"])


def test_status_filter_and_review_history(db):
    aid = make_article(db)
    f = figure_ids(db, aid)
    svc.review(db, reviewer="ana", target_id=f[0], action="correct", value=190000, note="n")
    svc.review(db, reviewer="ana", target_id=f[3], action="confirm")
    svc.review(db, reviewer="ana", target_id=f[4], action="flag", reason="outdated")
    by_status = {r["status"]: r for r in _records(db)}
    assert set(by_status) == {"corrected", "unreviewed", "flagged"}
    corrected = by_status["corrected"]
    assert corrected["figures"][0]["corrected_value"] == 190000
    assert corrected["reviews"][0]["reviewer"] == "ana"
    assert corrected["reviews"][0]["action"] == "correct"
    assert [r["status"] for r in _records(db, statuses=["flagged"])] == ["flagged"]
    with pytest.raises(ex.ExportError, match="unknown status"):
        _records(db, statuses=["done"])


def test_script_conversion_keeps_offsets_on_the_original(samples_db):
    rec = next(r for r in _records(samples_db, script="hk")
               if r["article"]["script"] == "hans" and "6.02" in r["text"])
    assert "6.02萬" in rec["text"]
    assert any(f["text"] == "6.02萬人" for f in rec["figures"])
    orig = next(r for r in _records(samples_db) if r["claim_id"] == rec["claim_id"])
    assert (rec["start"], rec["end"]) == (orig["start"], orig["end"])
    hans = next(r for r in _records(samples_db, script="hans")
                if r["article"]["script"] == "hant" and "6.02" in r["text"])
    assert "6.02万" in hans["text"] and "萬" not in hans["text"]


def test_exporter_refuses_records_that_no_longer_match(db):
    aid = make_article(db)
    db.execute("UPDATE figures SET start = start + 1 WHERE id = ?", [figure_ids(db, aid)[0]])
    with pytest.raises(ex.ExportError, match="no longer select"):
        _records(db)


def test_files_are_written_atomically(db, tmp_path):
    make_article(db)
    out = tmp_path / "out.jsonl"
    out.write_text("old contents\n")
    s = ex.export(db, str(out), fmt="jsonl")
    lines = out.read_text().splitlines()
    assert s.records == len(lines) == 3 and json.loads(lines[0])["dataset"] == "ds"

    def exploding(records, fp):
        fp.write("half a record")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        ex.export(db, str(out), writer=exploding)
    assert out.read_text().splitlines() == lines  # the old file, untouched
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []


def test_csv_has_one_row_per_figure(db, tmp_path):
    make_article(db)
    out = tmp_path / "out.csv"
    ex.export(db, str(out), fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 5 and rows[0]["figure_text"] == "18万人" and rows[0]["value"] == "180000.0"


@pytest.mark.parametrize("sql, message", [
    ("UPDATE figures SET kind = 'number' WHERE id = ?", "no longer fits its id"),
    ("UPDATE figures SET unit = CAST(unit AS BLOB) WHERE id = ?", "no longer fits its id"),
    ("UPDATE figures SET claim_id = 'c-00000000' WHERE id = ?", "is not one of the article's"),
    ("DELETE FROM figures WHERE id = ?", "none of its figures"),
])
def test_exporter_refuses_rows_that_no_longer_fit_their_ids(db, sql, message):
    """What a damaged byte does to a figure row: its kind, the type of a column, the
    claim it belongs to, or the row gone from the index the export reads it through."""
    aid = make_article(db)
    db.execute("PRAGMA foreign_keys = OFF")  # as a damaged byte would, unasked
    db.execute(sql, [figure_ids(db, aid)[0]])
    with pytest.raises(ex.DamagedArticle, match=message):
        _records(db)


def test_each_imported_figure_exports_how_it_was_read(samples_db):
    recs = _records(samples_db)
    figs = [f for r in recs for f in r["figures"]]
    assert figs and all(f["reading"] for f in figs)
    assert any("× 10^4" in f["reading"] for f in figs)  # 5.02万 and the like
    rows = list(ex.csv_rows(recs))
    assert "reading" in ex.CSV_COLUMNS and all(row["reading"] for row in rows)
    out = io.StringIO()
    ex.write_records(recs[:3], out, "jsonl")
    assert all("reading" in f for line in out.getvalue().splitlines()
               for f in json.loads(line)["figures"])


def test_a_figure_stored_before_readings_were_recorded_exports_none(samples_db):
    samples_db.execute("UPDATE figures SET reading = NULL")  # as migration 0008 leaves them
    figs = [f for r in _records(samples_db) for f in r["figures"]]
    assert figs and all(f["reading"] is None for f in figs)
