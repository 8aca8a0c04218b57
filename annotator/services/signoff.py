"""Dataset sign-off state, derived from the dataset's events.

A dataset is signed off (and locked) when at least `required_signoffs` distinct reviewers
have signed it since it was last reopened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from annotator.storage import reviews as rv


@dataclass
class SignoffState:
    dataset: str
    required: int
    signatures: list[dict] = field(default_factory=list)  # since the last reopen
    reopened: list[dict] = field(default_factory=list)

    @property
    def signers(self) -> list[str]:
        return sorted({s["reviewer"] for s in self.signatures})

    @property
    def signed_off(self) -> bool:
        return len(self.signers) >= self.required


def signoff_state(db: Database, dataset: str) -> SignoffState:
    row = db.execute("SELECT required_signoffs FROM datasets WHERE name = ?", [dataset]).fetchone()
    state = SignoffState(dataset, row[0] if row else 2)
    for e in rv.events_for(db, "dataset", dataset):
        if e.action == "signoff":
            state.signatures = [s for s in state.signatures if s["reviewer"] != e.reviewer]
            state.signatures.append({"reviewer": e.reviewer, "at": e.at, **(e.new_state or {})})
        elif e.action == "reopen":
            state.signatures = []
            state.reopened.append({"reviewer": e.reviewer, "at": e.at, "reason": e.note})
    return state


def locked_datasets_for_figures(db: Database, figure_ids: list[str]) -> list[str]:
    if not figure_ids:
        return []
    marks = ",".join("?" * len(figure_ids))
    names = [r[0] for r in db.execute(
        f"SELECT DISTINCT da.dataset FROM figures f JOIN dataset_articles da "
        f"ON da.article_id = f.article_id WHERE f.id IN ({marks}) ORDER BY da.dataset",
        figure_ids)]
    signed = {r[0] for r in db.execute(
        "SELECT DISTINCT target_id FROM events WHERE target_type = 'dataset'")}
    return [n for n in names if n in signed and signoff_state(db, n).signed_off]
