"""Reviewers' decisions on figures: confirm, correct, flag, clear, and a lead's
adjudication.

Each call is one transaction that appends events and has storage refresh the derived
state of everything they touch (annotator.storage.states); it returns a `Changes`
summary that views refresh from.
"""

from __future__ import annotations

import math

from sqlite_utils import Database

from annotator.domain import FIGURE_KINDS, FLAG_REASONS
from annotator.storage import articles as repo
from annotator.storage import reviews as rv
from annotator.storage.db import write_tx
from annotator.storage.states import refresh_figures
from annotator.services.common import Changes, ReviewError, check_unlocked, reviewer_name


ACTIONS = ("confirm", "correct", "flag", "clear")


def normalise_reason(reason: str | None) -> str:
    r = (reason or "").strip().lower().replace("-", "_").replace(" ", "_")
    if r not in FLAG_REASONS:
        raise ReviewError(f"unknown flag reason {reason!r}; use one of: {', '.join(FLAG_REASONS)}")
    return r


def figure_ids_of(db: Database, target_id: str) -> list[str]:
    """A figure id names itself; a claim id names all the claim's figures."""
    if repo.figure_exists(db, target_id):
        return [target_id]
    figures = repo.figure_ids_of_claim(db, target_id)
    if figures:
        return figures
    if repo.claim_exists(db, target_id):
        raise ReviewError(f"claim {target_id} has no figures")
    raise ReviewError(f"no figure or claim with id {target_id}")


def _new_state(action: str, *, value, unit, currency, kind, reason, note) -> dict:
    if action == "confirm":
        st = {"status": "confirmed"}
    elif action == "clear":
        return {"status": "unreviewed"}
    elif action == "correct":
        if value is not None and (not isinstance(value, (int, float)) or not math.isfinite(value)):
            raise ReviewError(f"corrected value must be a finite number, got {value!r}")
        if kind is not None and kind not in FIGURE_KINDS:
            raise ReviewError(f"unknown kind {kind!r}; use one of: {', '.join(FIGURE_KINDS)}")
        if value is None and unit is None and currency is None and kind is None:
            raise ReviewError("a correction needs a value, unit, currency or kind")
        st = {"status": "corrected", "value": value, "unit": unit, "currency": currency,
              "kind": kind}
    elif action == "flag":
        st = {"status": "flagged", "flag": normalise_reason(reason)}
    else:
        raise ReviewError(f"unknown action {action!r}; use one of: {', '.join(ACTIONS)}")
    if note:
        st["note"] = note
    return {k: v for k, v in st.items() if v is not None}


def review(
    db: Database,
    *,
    reviewer: str,
    target_id: str,
    action: str,
    value: float | None = None,
    unit: str | None = None,
    currency: str | None = None,
    kind: str | None = None,
    reason: str | None = None,
    note: str | None = None,
) -> Changes:
    """Record one reviewer decision on a figure (or on every figure of a claim)."""
    reviewer = reviewer_name(reviewer)
    new = _new_state(action, value=value, unit=unit, currency=currency, kind=kind,
                     reason=reason, note=note)
    with write_tx(db):
        fids = figure_ids_of(db, target_id)
        if action == "correct" and len(fids) > 1 and value is not None:
            raise ReviewError(f"claim {target_id} has {len(fids)} figures: correct one figure id")
        check_unlocked(db, fids)
        batch = rv.new_batch()
        changes = Changes()
        for fid in fids:
            events = rv.events_for(db, "figure", fid)
            old = rv.reviewer_state(events, reviewer)
            ev = rv.append_event(db, reviewer=reviewer, action=action, target_type="figure",
                                 target_id=fid, old_state=old, new_state=new, batch=batch,
                                 note=note)
            changes.events.append(ev.id)
        refresh_figures(db, fids, changes)
    return changes


def adjudicate(db: Database, *, reviewer: str, figure_id: str, action: str,
               value=None, unit=None, currency=None, kind=None, reason=None,
               note=None) -> Changes:
    """A lead's final decision on a figure in conflict (or any figure)."""
    reviewer = reviewer_name(reviewer)
    new = _new_state(action, value=value, unit=unit, currency=currency, kind=kind,
                     reason=reason, note=note)
    with write_tx(db):
        fids = figure_ids_of(db, figure_id)
        check_unlocked(db, fids)
        batch = rv.new_batch()
        changes = Changes()
        for fid in fids:
            old = rv.derive(rv.events_for(db, "figure", fid)).state
            ev = rv.append_event(db, reviewer=reviewer, action="adjudicate", target_type="figure",
                                 target_id=fid, old_state=old, new_state=new, batch=batch,
                                 note=note)
            changes.events.append(ev.id)
        refresh_figures(db, fids, changes)
    return changes
