"""What every service shares: the change summary views refresh from, the error a refused
request raises, the rule for a reviewer's name and the lock check of signed-off datasets.

Services import from here, never from one another, for these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from annotator.storage import reviews as rv
from annotator.storage import signoffs
from annotator.storage.states import Touched


class ReviewError(ValueError):
    """A review request that cannot be carried out; the message says why."""


@dataclass
class Changes(Touched):
    """What one service call changed, for views to refresh: the targets whose derived
    state storage recomputed (Touched), the datasets and the events written."""
    datasets: set[str] = field(default_factory=set)
    events: list[str] = field(default_factory=list)
    # After an undo or redo: the decisions it took back or applied again (the original
    # events, through any chain of undos and redos), so it can say what it did.
    acted_on: list[rv.Event] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.events)

    def update(self, other: Changes) -> None:
        self.figures |= other.figures
        self.claims |= other.claims
        self.articles |= other.articles
        self.pairs |= other.pairs
        self.datasets |= other.datasets
        self.events += other.events



def reviewer_name(reviewer: str | None) -> str:
    """The reviewer's name as events record it; refuses an empty one."""
    r = (reviewer or "").strip()
    if not r:
        raise ReviewError("no reviewer name: pass --reviewer NAME or set ANNOTATOR_REVIEWER")
    return r


# --- locks ------------------------------------------------------------------------------

def check_unlocked(db: Database, figure_ids: list[str]) -> None:
    """Refuse review actions on figures of a signed-off dataset."""
    locked = signoffs.locked_datasets_for_figures(db, figure_ids)
    if locked:
        raise ReviewError(
            f"dataset {locked[0]!r} is signed off and locked; reopen it first "
            f"(annotator reopen --dataset {locked[0]} --reviewer NAME --reason TEXT)")
