"""The event history of a claim, figure, duplicate pair or dataset."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from annotator.services.common import ReviewError
from annotator.storage import articles as repo
from annotator.storage import reviews as rv


def history(db: Database, target_id: str) -> list[rv.Event]:
    if repo.claim_exists(db, target_id):
        fids = repo.figure_ids_of_claim(db, target_id)
        events = [e for fid in fids for e in rv.events_for(db, "figure", fid)]
        return sorted(events, key=lambda e: e.at)
    for kind in ("figure", "pair", "dataset"):
        events = rv.events_for(db, kind, target_id)
        if events:
            return events
    if repo.figure_exists(db, target_id) or repo.dataset_exists(db, target_id):
        return []
    raise ReviewError(f"no claim, figure, pair or dataset with id {target_id}")


def unsigned(db: Database, events: list[rv.Event]) -> set[str]:
    """The ids of those events that carry no reviewer's signature (made before events
    were signed, or taken by a merge with --accept-unsigned)."""
    signers = rv.signer_of(db, [e.id for e in events])
    return {e.id for e in events if signers.get(e.id) is None}


@dataclass(frozen=True)
class Decision:
    """One event on a figure as the window lists it."""
    at: str
    reviewer: str
    action: str
    detail: str
    signed: bool

    def line(self) -> str:
        mark = "" if self.signed else "  (unsigned)"
        when = self.at[:16].replace("T", " ")
        detail = f" {self.detail}" if self.detail else ""
        return f"{when}  {self.reviewer}  {self.action}{detail}{mark}"


def figure_decisions(db: Database, figure_id: str, *,
                     last: int = 3) -> tuple[list[Decision], int]:
    """The figure's latest `last` events, oldest first, each marked signed or not, and how
    many there are in all (a figure a whole team decided on has thousands)."""
    events = rv.events_for(db, "figure", figure_id)
    shown = events[-last:] if last else events
    unsigned_ids = unsigned(db, shown)
    out = []
    for e in shown:
        new = {k: v for k, v in (e.new_state or {}).items() if k not in ("status", "note")}
        detail = ", ".join(f"{k}={v}" for k, v in new.items())
        out.append(Decision(e.at, e.reviewer, e.action, detail, e.id not in unsigned_ids))
    return out, len(events)
