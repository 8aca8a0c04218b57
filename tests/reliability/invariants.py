"""What must hold in a review database after anything at all happened to the processes
writing it: the file is sound, every acknowledged event is there, every decision is
whole, and the stored review state is exactly what the events say."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from annotator.storage import reviews as rv

_KEYS = ("status", "value", "unit", "currency", "kind", "flag", "note", "conflict")


def integrity_errors(db) -> list[str]:
    rows = [r[0] for r in db.execute("PRAGMA integrity_check")]
    problems = [] if rows == ["ok"] else [f"integrity_check: {rows[:3]}"]
    fk = db.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        problems.append(f"foreign_key_check: {fk[:3]}")
    return problems


def missing_events(db, acknowledged: Iterable[str]) -> set[str]:
    have = {r[0] for r in db.execute("SELECT id FROM events")}
    return set(acknowledged) - have


def review_state_errors(db) -> list[str]:
    """Decisions whole, and figure_state recomputed from the events (with the state a
    copy inherits from its first copy) equal to what is stored."""
    events = list(rv.all_events(db))
    return _batch_errors(db, events) + _state_errors(db, events)


def _batch_errors(db, events: list[rv.Event]) -> list[str]:
    fig_claim = dict(db.execute("SELECT id, claim_id FROM figures"))
    claim_figs: dict[str, set[str]] = defaultdict(set)
    for fid, cid in fig_claim.items():
        claim_figs[cid].add(fid)
    by_id = {e.id: e for e in events}
    batches: dict[str, list[rv.Event]] = defaultdict(list)
    for e in events:
        batches[e.batch].append(e)
    problems = []
    for batch, evs in batches.items():
        action = evs[0].action
        figs = {e.target_id for e in evs if e.target_type == "figure"}
        if action in rv.DECISIONS and len(figs) > 1:
            claims = {fig_claim.get(f) for f in figs}
            if len(claims) != 1 or figs != claim_figs[claims.pop()]:
                problems.append(f"batch {batch}: a claim decision covers part of its claim")
        if action in ("undo", "redo"):
            refs = [by_id.get(e.ref) for e in evs]
            if None in refs:
                problems.append(f"batch {batch}: {action} of an event that is not there")
                continue
            undone = {r.batch for r in refs}
            if len(undone) != 1 or len(batches[undone.pop()]) != len(evs):
                problems.append(f"batch {batch}: {action} covers part of a decision")
    return problems


def _state_errors(db, events: list[rv.Event]) -> list[str]:
    by_figure: dict[str, list[rv.Event]] = defaultdict(list)
    for e in events:
        if e.target_type == "figure":
            by_figure[e.target_id].append(e)
    copies_of = dict(db.execute("SELECT id, duplicate_of FROM figures"))
    stored = _stored_states(db)
    problems = []
    for fid, source in copies_of.items():
        want = _expected(rv.derive(by_figure.get(fid, [])), stored.get(source) if source else None)
        have = stored.get(fid, {"status": "unreviewed", "conflict": False})
        if any(want.get(k) != have.get(k) for k in _KEYS):
            problems.append(f"figure {fid}: stored {have} but events say {want}")
    return problems


def _expected(d: rv.Derived, inherited: dict | None) -> dict:
    """What services.review stores for a figure (see its _refresh_one)."""
    if d.status == "unreviewed" and not d.conflict and inherited is not None \
            and inherited["status"] != "unreviewed":
        return {**{k: inherited.get(k) for k in _KEYS}, "conflict": False}
    if d.status == "unreviewed" and not d.conflict:
        return {"status": "unreviewed", "conflict": False}
    return {**{k: d.state.get(k) for k in _KEYS}, "status": d.status, "conflict": d.conflict}


def _stored_states(db) -> dict[str, dict]:
    out = {}
    for row in db.execute(
            "SELECT figure_id, status, corrected_value, corrected_unit, corrected_currency, "
            "corrected_kind, flag, note, conflict FROM figure_state"):
        out[row[0]] = dict(zip(_KEYS, row[1:]))
        out[row[0]]["conflict"] = bool(out[row[0]]["conflict"])
    return out
