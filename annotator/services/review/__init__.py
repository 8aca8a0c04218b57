"""Reviewing figures, split by job: the decisions (decisions.py), undo and redo as
events (undo.py), and saying what a decision was (describe.py). The derived state they
refresh is storage's (annotator.storage.states).

The package's names are the review API the command line and the window call.
"""

from annotator.services.common import Changes, ReviewError
from annotator.services.review.decisions import (
    ACTIONS, adjudicate, figure_ids_of, normalise_reason, review,
)
from annotator.services.review.describe import NextSteps, describe, figure_surfaces, next_steps
from annotator.services.review.undo import UNDOABLE, can_redo, can_undo, redo, undo

__all__ = [
    "ACTIONS", "Changes", "NextSteps", "ReviewError", "UNDOABLE", "adjudicate", "can_redo",
    "can_undo", "describe", "figure_ids_of", "figure_surfaces", "next_steps",
    "normalise_reason", "redo", "review", "undo",
]
