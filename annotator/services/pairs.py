"""Duplicate passage pairs once found: reading them and the reviewers' decisions on
them. Finding pairs and linking their copies is storage's, as the duplicate index is
(annotator.storage.duplicate_finder, annotator.storage.states).
"""

from __future__ import annotations


from sqlite_utils import Database

from annotator.services.common import Changes, ReviewError, check_unlocked, reviewer_name
from annotator.storage import articles as repo
from annotator.storage import duplicates as store
from annotator.storage import reviews as rv
from annotator.storage.db import write_tx
from annotator.storage.states import refresh_pairs


# --- reading and reviewing pairs ---------------------------------------------------------

def pair_dict(db: Database, p: store.PairRow, sources: dict | None = None) -> dict:
    def side(aid, s, e):
        src = (sources or {}).get(aid)
        if src is None:
            src = repo.article_source(db, aid)
        return {"article_id": aid, "source": src, "start": s, "end": e}

    return {"pair_id": p.id, "a": side(p.a_article, p.a_start, p.a_end),
            "b": side(p.b_article, p.b_start, p.b_end), "similarity": p.similarity,
            "scope": p.scope, "status": store.pair_status(db, p.id)}


def pairs_for_article(db: Database, article_id: str) -> list[dict]:
    return [pair_dict(db, p) for p in store.pairs_of_article(db, article_id)]


def list_pairs(db: Database, dataset: str | None = None):
    for pid in store.pair_ids(db, dataset):
        yield pair_dict(db, store.get_pair(db, pid))


PAIR_ACTIONS = {"confirm": "confirmed", "reject": "rejected", "clear": "unreviewed"}


def review_pair(db: Database, *, reviewer: str, pair_id: str, action: str,
                note: str | None = None) -> Changes:
    """A reviewer's decision on a duplicate pair: confirm (it is a repeat) or reject (it is
    not: its copies stop inheriting the first copy's reviews)."""
    reviewer = reviewer_name(reviewer)
    if action not in PAIR_ACTIONS:
        raise ReviewError(f"unknown pair action {action!r}; use confirm, reject or clear")
    with write_tx(db):
        pair = store.get_pair(db, pair_id)
        if pair is None:
            raise ReviewError(f"no duplicate pair with id {pair_id}")
        figure_ids = [link.copy_id for link in store.links_of_pair(db, pair_id)
                      if link.kind == "figure"]
        check_unlocked(db, figure_ids)
        events = rv.events_for(db, "pair", pair_id)
        new = {"status": PAIR_ACTIONS[action]}
        if note:
            new["note"] = note
        changes = Changes()
        ev = rv.append_event(db, reviewer=reviewer, action=f"pair_{action}", target_type="pair",
                             target_id=pair_id, old_state=rv.reviewer_state(events, reviewer),
                             new_state=new, batch=rv.new_batch(), note=note)
        changes.events.append(ev.id)
        refresh_pairs(db, [pair_id], changes)
    return changes
