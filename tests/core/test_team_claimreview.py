import json

import pytest

from annotator.services.export import records as exporter
from annotator.services.export.claimreview import claim_review, write_claimreview
from annotator.services import review as svc

from tests.core.factories import claim_ids, figure_ids, make_article


@pytest.fixture
def art(db):
    aid = make_article(db)
    db.execute("UPDATE articles SET url = 'https://news.example/a', date = '2024-03-01' "
               "WHERE id = ?", [aid])
    return aid


def records(db):
    return {r["claim_id"]: r for r in exporter.iter_claim_records(db, dataset="ds")}


def test_one_claimreview_per_reviewed_claim(db, art):
    f, c = figure_ids(db, art), claim_ids(db, art)
    svc.review(db, reviewer="ana", target_id=f[0], action="correct", value=190000)
    svc.review(db, reviewer="ben", target_id=c[1], action="confirm")
    recs = records(db)
    corrected = claim_review(recs[c[0]])
    assert corrected["@context"] == "https://schema.org"
    assert corrected["@type"] == "ClaimReview"
    assert corrected["claimReviewed"] == "香港整体人力短缺达18万人。"
    assert corrected["reviewRating"]["alternateName"] == "Corrected"
    assert corrected["reviewRating"]["ratingExplanation"] == "18万人: 180000 -> 190000 人"
    item = corrected["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2024-03-01"
    assert item["appearance"][0]["url"] == "https://news.example/a"
    assert corrected["author"] == [{"@type": "Person", "name": "ana"}]
    assert corrected["datePublished"] == recs[c[0]]["reviews"][-1]["at"][:10]
    assert claim_review(recs[c[1]])["reviewRating"]["alternateName"] == "Confirmed"
    assert claim_review(recs[c[2]]) is None  # unreviewed: no verdict to publish


def test_flag_reason_in_the_rating_and_organisation_author(db, art):
    c = claim_ids(db, art)
    svc.review(db, reviewer="ana", target_id=c[2], action="flag", reason="outdated",
               note="figures from 2019")
    review = claim_review(records(db)[c[2]], organisation="Example Checks")
    assert review["reviewRating"]["alternateName"] == "Flagged: outdated"
    assert "figures from 2019" in review["reviewRating"]["ratingExplanation"]
    assert review["author"] == {"@type": "Organization", "name": "Example Checks"}


def test_export_writes_a_json_array(db, art, tmp_path):
    svc.review(db, reviewer="ana", target_id=claim_ids(db, art)[0], action="confirm")
    out = tmp_path / "reviews.json"
    summary = exporter.export(db, str(out), fmt="claimreview", dataset="ds",
                              writer=write_claimreview)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert summary.records == len(data) == 1
    assert data[0]["identifier"] == claim_ids(db, art)[0]


def test_empty_export_is_still_valid_json(db, art, tmp_path):
    out = tmp_path / "none.json"
    exporter.export(db, str(out), fmt="claimreview", writer=write_claimreview)
    assert json.loads(out.read_text(encoding="utf-8")) == []
