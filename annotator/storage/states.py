"""Derived review state: `figure_state`, each pair's state and the copies'
`duplicate_of`, recomputed from the events for what an event (or a new pair) touches,
inside the caller's transaction, so readers never see one without the other.

`Touched` collects what was recomputed (annotator.services.common.Changes is one), so a
view refreshes exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from collections.abc import Iterable

from sqlite_utils import Database

from annotator.text.normalise import fold

from . import articles as repo
from . import duplicates as store
from . import reanalysis
from . import reviews as rv

CLAIM_MATCH = 0.8      # folded claim sentences this similar are the same claim


@dataclass
class Touched:
    """The figures, claims, articles and pairs whose derived state was recomputed."""
    figures: set[str] = field(default_factory=set)
    claims: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    pairs: set[str] = field(default_factory=set)


# --- figures ---------------------------------------------------------------------------

def refresh_figures(db: Database, figure_ids: Iterable[str], touched: Touched) -> None:
    """Recompute derived state for these figures and for the copies that inherit it."""
    todo = list(dict.fromkeys(figure_ids))
    seen: set[str] = set()
    while todo:
        fid = todo.pop(0)
        if fid in seen:
            continue
        seen.add(fid)
        _refresh_one(db, fid)
        row = db.execute("SELECT claim_id, article_id FROM figures WHERE id = ?", [fid]).fetchone()
        if row:
            touched.figures.add(fid)
            touched.claims.add(row[0])
            touched.articles.add(row[1])
        todo.extend(r[0] for r in db.execute(
            "SELECT id FROM figures WHERE duplicate_of = ?", [fid]))


def _refresh_one(db: Database, fid: str) -> None:
    d = rv.derive(rv.events_for(db, "figure", fid))
    if (d.status != "unreviewed" or d.conflict) and reanalysis.open_reread_at(db, fid):
        # read differently since its last decision: back in front of reviewers (ADR 0011)
        d = rv.Derived("unreviewed", dict(rv.UNREVIEWED), False, d.reviewers, d.updated_at)
        rv.write_figure_state(db, fid, d)
        return
    if d.status == "unreviewed" and not d.conflict:
        src = db.execute("SELECT duplicate_of FROM figures WHERE id = ?", [fid]).fetchone()
        if src and src[0]:
            inherited = rv.figure_state(db, src[0])
            if inherited["status"] != "unreviewed":
                d = rv.Derived(inherited["status"],
                               {k: inherited.get(k) for k in rv.VERDICT_KEYS + ("note",)},
                               False, {}, d.updated_at)
                rv.write_figure_state(db, fid, d, inherited_from=src[0])
                return
    rv.write_figure_state(db, fid, d)


# --- pairs -------------------------------------------------------------------------------

def refresh_pairs(db: Database, pair_ids: Iterable[str], touched: Touched) -> None:
    for pid in pair_ids:
        d = rv.derive(rv.events_for(db, "pair", pid))
        store.set_pair_state(db, pid, d.status, d.conflict, d.updated_at)
        touched.pairs.add(pid)
        pair = store.get_pair(db, pid)
        if pair:
            touched.articles.update({pair.a_article, pair.b_article})
        figs = []
        for link in store.links_of_pair(db, pid):
            store.recompute_duplicate_of(db, link.kind, link.copy_id)
            if link.kind == "figure":
                figs.append(link.copy_id)
        refresh_figures(db, figs, touched)


# --- linking a pair's copies -------------------------------------------------------------

def link_pair(db: Database, pair: store.PairRow, touched: Touched | None = None) -> None:
    """Point the claims (and their figures) inside the second copy at the matching
    claims of the first copy, then let their state inherit."""
    a_claims = _claims_in(db, pair.a_article, pair.a_start, pair.a_end)
    b_claims = _claims_in(db, pair.b_article, pair.b_start, pair.b_end)
    copies: list[str] = []
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
            copies.append(fcopy)
    # only copies of reviewed figures have a state to inherit (new imports mostly do not)
    reviewed = store.copies_of_reviewed(db, copies) if copies else set()
    copies = [f for f in copies if f in reviewed]
    if copies:
        refresh_figures(db, copies, touched if touched is not None else Touched())


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
