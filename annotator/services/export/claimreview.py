"""schema.org ClaimReview JSON-LD, one ClaimReview per reviewed claim.

Built from the same claim records as the JSONL export (annotator.services.export.records.iter_claim_records),
so what a ClaimReview says is what the JSONL says. Unreviewed claims have no verdict yet
and are left out. The file is one JSON array, which is what fact-check aggregators and
`json.load` expect; every item carries its own @context so it can be embedded alone.

The review's date is the date of the last decision on the claim, not of the export, so
exporting the same database twice gives the same file.

Google's ClaimReview documentation requires claimReviewed, reviewRating (with
alternateName) and url, the page that publishes the fact check: that page is the
publisher's, so it is given (`review_url`, `{claim_id}` standing for each claim's id) and
left out when it is not. author is the organisation when one is given, else the reviewers
whose decisions made the verdict. itemReviewed is the Claim with its appearance (the
article, its http(s) address and date when known).

The file is safe to embed: every <, >, &, ' and U+2028/U+2029 in it is written as a JSON
escape, so it can be pasted into <script type="application/ld+json"> as it is, and only
http(s) addresses are written (a scraped javascript:, data: or file: address is left out).
"""

from __future__ import annotations

from typing import IO
from collections.abc import Iterable, Iterator

from annotator.services.export.records import ExportError
from annotator.text.safe import json_escape_invisible, script_safe_json, web_url

CONTEXT = "https://schema.org"

RATING_NAMES = {"confirmed": "Confirmed", "corrected": "Corrected", "flagged": "Flagged"}
DECISION_ACTIONS = {"confirm", "correct", "flag", "adjudicate", "redo"}


def _number(v: float | None) -> str:
    if v is None:
        return "?"
    return str(int(v)) if float(v).is_integer() else repr(v)


def _figure_note(f: dict) -> str | None:
    if f["status"] == "corrected":
        unit = f.get("corrected_unit") or f.get("unit") or ""
        value = f["corrected_value"] if f["corrected_value"] is not None else f["value"]
        suffix = f" {unit}" if unit else ""
        return f"{f['text']}: {_number(f['value'])} -> {_number(value)}{suffix}"
    if f["status"] == "flagged":
        return f"{f['text']}: flagged ({(f.get('flag') or 'other').replace('_', ' ')})"
    return None


def rating(rec: dict) -> dict:
    """The claim's verdict as a schema.org Rating (alternateName is the human verdict)."""
    name = RATING_NAMES[rec["status"]]
    if rec["status"] == "flagged":
        reasons = sorted({(f.get("flag") or "other").replace("_", " ")
                          for f in rec["figures"] if f["status"] == "flagged"})
        name = f"{name}: {', '.join(reasons)}"
    out = {"@type": "Rating", "alternateName": name}
    notes = [n for f in rec["figures"] if (n := _figure_note(f))]
    notes += [f["note"] for f in rec["figures"] if f.get("note")]
    if notes:
        out["ratingExplanation"] = "; ".join(notes)
    return out


class ReviewUrlError(ExportError):
    """A review page address that is not an http(s) address."""


def review_page(review_url: str | None, claim_id: str) -> str | None:
    """The address of the page publishing the review of `claim_id` ({claim_id} in
    `review_url` is replaced by it), or None when no page is given."""
    if review_url is None:
        return None
    url = review_url.replace("{claim_id}", claim_id)
    if web_url(url) is None:
        raise ReviewUrlError(f"the review page address {review_url!r} is not an http(s) "
                             "address (e.g. https://checks.example/hk-talent/{claim_id})")
    return url


def _authors(rec: dict, organisation: str | None) -> dict | list[dict]:
    if organisation:
        return {"@type": "Organization", "name": organisation}
    names = sorted({r["reviewer"] for r in rec.get("reviews", [])
                    if r["action"] in DECISION_ACTIONS})
    return [{"@type": "Person", "name": n} for n in names]


def _item_reviewed(rec: dict) -> dict:
    a = rec["article"]
    appearance = {"@type": "NewsArticle", "identifier": a["id"]}
    url = web_url(a.get("url"))
    if url:
        appearance["url"] = url
    for key, prop in (("title", "headline"), ("date", "datePublished")):
        if a.get(key):
            appearance[prop] = a[key]
    item = {"@type": "Claim", "appearance": [appearance]}
    if a.get("date"):
        item["datePublished"] = a["date"]
    return item


def claim_review(rec: dict, *, organisation: str | None = None,
                 review_url: str | None = None) -> dict | None:
    """One ClaimReview for a claim record, or None for an unreviewed claim."""
    if rec["status"] not in RATING_NAMES:
        return None
    review = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "identifier": rec["claim_id"],
        "claimReviewed": rec["text"],
        "reviewRating": rating(rec),
        "itemReviewed": _item_reviewed(rec),
    }
    url = review_page(review_url, rec["claim_id"])
    if url:
        review["url"] = url
    author = _authors(rec, organisation)
    if author:  # never an invented one: a copy inheriting its review may name nobody
        review["author"] = author
    dates = [r["at"] for r in rec.get("reviews", [])]
    if dates:
        review["datePublished"] = max(dates)[:10]
    if rec["article"].get("language") in ("zh", "en"):
        review["inLanguage"] = rec["article"]["language"]
    return review


def claim_reviews(records: Iterable[dict], *, organisation: str | None = None,
                  review_url: str | None = None) -> Iterator[dict]:
    for rec in records:
        review = claim_review(rec, organisation=organisation, review_url=review_url)
        if review is not None:
            yield review


def write_claimreview(records: Iterable[dict], fp: IO[str], *,
                      organisation: str | None = None,
                      review_url: str | None = None) -> int:
    """Write a JSON array of ClaimReviews; returns how many (usable as export(writer=...)).
    A `review_url` that is not an http(s) address is refused before anything is written."""
    review_page(review_url, "c-0")
    n = 0
    fp.write("[")
    for review in claim_reviews(records, organisation=organisation, review_url=review_url):
        fp.write(("\n" if n == 0 else ",\n")
                 + json_escape_invisible(script_safe_json(review, ensure_ascii=False)))
        n += 1
    fp.write("\n]\n")
    return n
