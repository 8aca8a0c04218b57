"""Undo and redo, as events: a reviewer's last action (all the events it wrote, as one)
is taken back by an `undo` event per target and applied again by a `redo`, so the
command line and the tests can undo exactly what the window can, whoever wrote the
decision.
"""

from __future__ import annotations


from sqlite_utils import Database

from annotator.services.common import Changes, ReviewError, check_unlocked, reviewer_name
from annotator.storage import reviews as rv
from annotator.storage.db import write_tx
from annotator.storage.states import refresh_figures, refresh_pairs


UNDOABLE = {"confirm", "correct", "flag", "clear", "adjudicate", "pair_confirm", "pair_reject"}


def next_batches(db: Database, reviewer: str) -> tuple[list[rv.Event] | None,
                                                list[rv.Event] | None]:
    """The batches the reviewer's next undo and next redo act on, or None.

    Equivalent to replaying all their events into an undo and a redo stack (an action
    pushes on the undo stack and clears the redo stack, an undo moves the top across, a
    redo moves it back), but read from the newest event backwards, so it costs what the
    reviewer's recent history costs, not all of it.
    """
    undo_top = redo_top = None
    later_undos = later_redos = 0
    redo_open = True  # no action newer than what we look at has cleared the redo stack
    for evs in rv.batches_by_reviewer_newest_first(db, reviewer):
        action = evs[0].action
        if action == "undo":
            if undo_top is None:
                later_undos += 1
            if redo_top is None and redo_open:
                if later_redos:
                    later_redos -= 1
                else:
                    redo_top = evs
        elif action in UNDOABLE or action == "redo":
            if undo_top is None:
                if later_undos:
                    later_undos -= 1
                else:
                    undo_top = evs
            if action == "redo":
                later_redos += 1
            else:
                redo_open = False
        if undo_top is not None and (redo_top is not None or not redo_open):
            break
    return undo_top, redo_top


def can_undo(db: Database, reviewer: str) -> bool:
    return next_batches(db, reviewer)[0] is not None


def can_redo(db: Database, reviewer: str) -> bool:
    return next_batches(db, reviewer)[1] is not None


def undo(db: Database, *, reviewer: str) -> Changes:
    """Undo the reviewer's last action (all the events it wrote, as one)."""
    return _undo_redo(db, reviewer_name(reviewer), "undo")


def redo(db: Database, *, reviewer: str) -> Changes:
    return _undo_redo(db, reviewer_name(reviewer), "redo")


def _undo_redo(db: Database, reviewer: str, kind: str) -> Changes:
    with write_tx(db):
        undo_top, redo_top = next_batches(db, reviewer)
        top = undo_top if kind == "undo" else redo_top
        if top is None:
            raise ReviewError(f"nothing to {kind} for reviewer {reviewer}")
        batch = rv.new_batch()
        changes = Changes()
        figs: list[str] = []
        pairs: list[str] = []
        for e in top:
            if e.target_type == "figure":
                check_unlocked(db, [e.target_id])
            # undo restores what was before; redo re-applies what the undo took back
            restored = e.old_state
            ev = rv.append_event(db, reviewer=reviewer, action=kind, target_type=e.target_type,
                                 target_id=e.target_id, old_state=e.new_state,
                                 new_state=restored, batch=batch, ref=e.id)
            changes.events.append(ev.id)
            changes.acted_on.append(origin(db, e))
            (figs if e.target_type == "figure" else pairs).append(e.target_id)
        refresh_figures(db, figs, changes)
        if pairs:
            refresh_pairs(db, pairs, changes)
    return changes


def origin(db: Database, e: rv.Event) -> rv.Event:
    """The decision an undo or redo event goes back to (an undo of a redo of a confirm
    is about the confirm). A chain that comes back on itself ends where it would repeat:
    an undo event that refers to itself made Undo spin for ever holding the write lock."""
    by_id = {x.id: x for x in rv.events_for(db, e.target_type, e.target_id)}
    return rv.origin_of(e, by_id)  # stops at a cycle (an undo that refers to itself)
