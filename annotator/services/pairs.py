"""Duplicate passage pairs once found: linking the copies' claims and figures to the
first copy, reading pairs, and the reviewers' decisions on them.

Kept apart from the finding (annotator.services.duplicates, which needs datasketch and
numpy) so that the window can show and review pairs without loading those.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Iterable, Optional

from sqlite_utils import Database

from annotator.services.common import Changes, ReviewError, check_unlocked, reviewer_name
from annotator.services.review import refresh_figures
from annotator.storage import articles as repo
from annotator.storage import duplicates as store
from annotator.storage import reviews as rv
from annotator.storage.db import write_tx
from annotator.text.normalise import fold

CLAIM_MATCH = 0.8      # folded claim sentences this similar are the same claim


# --- linking the copies' claims and figures ----------------------------------------------

def link_pair(db: Database, pair: store.PairRow, changes: Optional[Changes] = None) -> None:
    """Point the claims (and their figures) inside the second copy at the matching
    claims of the first copy, then let their state inherit."""
    a_claims = _claims_in(db, pair.a_article, pair.a_start, pair.a_end)
    b_claims = _claims_in(db, pair.b_article, pair.b_start, pair.b_end)
    touched: list[str] = []
    # A pair just found is not rejected (unless merged decisions rejected it already):
    # then each new link only fills a copy that has no source yet.
    if store.pair_status(db, pair.id) == "rejected":
        def point(kind, copy_id, _source):
            store.recompute_duplicate_of(db, kind, copy_id)
    else:
        def point(kind, copy_id, source):
            store.point_copy_at(db, kind, copy_id, source)
    for bid, best in _match_claims(a_claims, b_claims):
        source = _root(db, "claims", best)
        store.add_link(db, pair.id, "claim", bid, source)
        point("claim", bid, source)
        for fcopy, fsrc in _match_figures(db, bid, source):
            store.add_link(db, pair.id, "figure", fcopy, fsrc)
            point("figure", fcopy, fsrc)
            touched.append(fcopy)
    # only copies of reviewed figures have a state to inherit (new imports mostly do not)
    reviewed = store.copies_of_reviewed(db, touched) if touched else set()
    touched = [f for f in touched if f in reviewed]
    if touched:
        refresh_figures(db, touched, changes if changes is not None else Changes())


def _match_claims(a_claims: list[tuple[str, str]], b_claims: list[tuple[str, str]]):
    """Pairs (copy claim, source claim): equal folded text first, then the most similar
    remaining one above CLAIM_MATCH."""
    by_text: dict[str, list[str]] = {}
    for aid, atext in a_claims:
        by_text.setdefault(atext, []).append(aid)
    used: set[str] = set()
    pending = []
    out = []
    for bid, btext in b_claims:
        exact = [a for a in by_text.get(btext, []) if a != bid and a not in used]
        if exact:
            used.add(exact[0])
            out.append((bid, exact[0]))
        else:
            pending.append((bid, btext))
    for bid, btext in pending:
        best, score = None, CLAIM_MATCH
        for aid, atext in a_claims:
            if aid == bid or aid in used:
                continue
            m = SequenceMatcher(None, atext, btext, autojunk=False)
            if m.real_quick_ratio() >= score and m.quick_ratio() >= score:
                r = m.ratio()
                if r >= score:
                    best, score = aid, r
        if best is not None:
            used.add(best)
            out.append((bid, best))
    return out


def _claims_in(db: Database, article_id: str, start: int, end: int) -> list[tuple[str, str]]:
    return [(cid, fold(text)) for cid, text in db.execute(
        "SELECT id, text FROM claims WHERE article_id = ? AND start >= ? AND end <= ? "
        "ORDER BY seq", [article_id, start, end])]


def _root(db: Database, table: str, item_id: str) -> str:
    """Follow duplicate_of to the first copy (chains form when a third copy arrives)."""
    seen = {item_id}
    while True:
        row = db.execute(f"SELECT duplicate_of FROM {table} WHERE id = ?", [item_id]).fetchone()
        if not row or not row[0] or row[0] in seen:
            return item_id
        item_id = row[0]
        seen.add(item_id)


def _match_figures(db: Database, copy_claim: str, source_claim: str) -> list[tuple[str, str]]:
    """Figures of two matching claims, paired in order by kind and value."""
    def figs(cid):
        return repo.figures_of_claim(db, cid, "id, kind, value, value_max")

    copies, sources = figs(copy_claim), figs(source_claim)
    out, j = [], 0
    for fid, kind, value, vmax in copies:
        for k in range(j, len(sources)):
            sid, skind, svalue, svmax = sources[k]
            if skind == kind and svalue == value and svmax == vmax:
                out.append((fid, _root(db, "figures", sid)))
                j = k + 1
                break
    return out


# --- reading and reviewing pairs ---------------------------------------------------------

def pair_dict(db: Database, p: store.PairRow, sources: Optional[dict] = None) -> dict:
    def side(aid, s, e):
        src = (sources or {}).get(aid)
        if src is None:
            row = db.execute("SELECT source FROM articles WHERE id = ?", [aid]).fetchone()
            src = row[0] if row else None
        return {"article_id": aid, "source": src, "start": s, "end": e}

    return {"pair_id": p.id, "a": side(p.a_article, p.a_start, p.a_end),
            "b": side(p.b_article, p.b_start, p.b_end), "similarity": p.similarity,
            "scope": p.scope, "status": store.pair_status(db, p.id)}


def pairs_for_article(db: Database, article_id: str) -> list[dict]:
    return [pair_dict(db, p) for p in store.pairs_of_article(db, article_id)]


def list_pairs(db: Database, dataset: Optional[str] = None):
    if dataset is None:
        rows = db.execute("SELECT id FROM passage_pairs ORDER BY rowid")
    else:
        rows = db.execute(
            "SELECT p.id FROM passage_pairs p WHERE EXISTS (SELECT 1 FROM dataset_articles da "
            "WHERE da.dataset = ? AND da.article_id IN (p.a_article, p.b_article)) "
            "ORDER BY p.rowid", [dataset])
    for (pid,) in rows.fetchall():
        yield pair_dict(db, store.get_pair(db, pid))


PAIR_ACTIONS = {"confirm": "confirmed", "reject": "rejected", "clear": "unreviewed"}


def review_pair(db: Database, *, reviewer: str, pair_id: str, action: str,
                note: Optional[str] = None) -> Changes:
    """A reviewer's decision on a duplicate pair: confirm (it is a repeat) or reject (it is
    not: its copies stop inheriting the first copy's reviews)."""
    reviewer = reviewer_name(reviewer)
    if action not in PAIR_ACTIONS:
        raise ReviewError(f"unknown pair action {action!r}; use confirm, reject or clear")
    with write_tx(db):
        pair = store.get_pair(db, pair_id)
        if pair is None:
            raise ReviewError(f"no duplicate pair with id {pair_id}")
        figure_ids = [c for k, c, _ in store.links_of_pair(db, pair_id) if k == "figure"]
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


def refresh_pairs(db: Database, pair_ids: Iterable[str], changes: Changes) -> None:
    for pid in pair_ids:
        d = rv.derive(rv.events_for(db, "pair", pid))
        store.set_pair_state(db, pid, d.status, d.conflict, d.updated_at)
        changes.pairs.add(pid)
        pair = store.get_pair(db, pid)
        if pair:
            changes.articles.update({pair.a_article, pair.b_article})
        figs = []
        for kind, copy_id, _src in store.links_of_pair(db, pid):
            store.recompute_duplicate_of(db, kind, copy_id)
            if kind == "figure":
                figs.append(copy_id)
        refresh_figures(db, figs, changes)
