"""A dataset's sign-off state, derived from its events as figure states are
(annotator.storage.reviews): who signed, over which content hash, and whether it is
locked.

A `signoff` event carries the SHA-256 of the dataset's canonical export at that moment
(annotator.services.signoff computes it), a `reopen` event voids every signature before
it, and a `rekey` event (migration 0006) says the same content hashes differently under
renamed ids. A signature only counts while it was made over the same content as the
latest signature; a dataset is signed off (and locked) when `required_signoffs` distinct
reviewers have counting signatures.
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
    def hash(self) -> str | None:
        """The content the counting signatures vouch for: the latest signature's hash."""
        return self.signatures[-1].get("hash") if self.signatures else None

    @property
    def counting(self) -> list[dict]:
        return [s for s in self.signatures if s.get("hash") == self.hash]

    @property
    def stale(self) -> list[dict]:
        """Signatures made over content that has changed since (they no longer count)."""
        return [s for s in self.signatures if s.get("hash") != self.hash]

    @property
    def signers(self) -> list[str]:
        return sorted({s["reviewer"] for s in self.counting})

    @property
    def signed_off(self) -> bool:
        return len(self.signers) >= self.required

    def as_dict(self) -> dict:
        return {"dataset": self.dataset, "required": self.required, "signed_off": self.signed_off,
                "signers": self.signers, "hash": self.hash, "signatures": self.signatures,
                "stale_signatures": self.stale, "reopened": self.reopened}


def required_signoffs(db: Database, dataset: str) -> int:
    """How many distinct reviewers must sign the dataset (2 for one not stored)."""
    row = db.execute("SELECT required_signoffs FROM datasets WHERE name = ?", [dataset]).fetchone()
    return row[0] if row else 2


def write_required_signoffs(db: Database, dataset: str, required: int) -> None:
    db.execute("UPDATE datasets SET required_signoffs = ? WHERE name = ?", [required, dataset])


def signoff_state(db: Database, dataset: str) -> SignoffState:
    state = SignoffState(dataset, required_signoffs(db, dataset))
    # each reviewer's latest signature, in the order they were made (a dict keeps the
    # order of insertion: re-signing moves a reviewer to the end); one pass over the
    # events, where rebuilding the list for every signature was quadratic in them.
    # Events are in time order: annotator dates a new event after every event it has
    # seen on the same target (storage.reviews.next_at), and merge refuses events
    # dated ahead of its clock, so a sign-off written after a reopen counts.
    signatures: dict[str, dict] = {}
    for e in rv.events_for(db, "dataset", dataset):
        if e.action == "signoff":
            signatures.pop(e.reviewer, None)
            signatures[e.reviewer] = {"reviewer": e.reviewer, "at": e.at, **(e.new_state or {})}
        elif e.action == "reopen":
            signatures = {}
            state.reopened.append({"reviewer": e.reviewer, "at": e.at, "reason": e.note})
        elif e.action == "rekey":
            # the same content under new ids (migration 0006): signatures made over the
            # old hash vouch for the new one
            old, new = (e.old_state or {}).get("hash"), (e.new_state or {}).get("hash")
            for s in signatures.values():
                if old and new and s.get("hash") == old:
                    s["signed_hash"] = old
                    s["hash"] = new
    state.signatures = list(signatures.values())
    return state


def signed_datasets(db: Database) -> list[str]:
    """The datasets that have ever had a sign-off event, by name."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT target_id FROM events WHERE target_type = 'dataset' "
        "AND action = 'signoff' ORDER BY target_id")]


def locked_datasets_for_figures(db: Database, figure_ids: list[str]) -> list[str]:
    """The signed-off datasets these figures' articles belong to, by name."""
    if not figure_ids:
        return []
    names: set[str] = set()
    for i in range(0, len(figure_ids), 500):
        chunk = figure_ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        names.update(r[0] for r in db.execute(
            f"SELECT DISTINCT da.dataset FROM figures f JOIN dataset_articles da "
            f"ON da.article_id = f.article_id WHERE f.id IN ({marks})", chunk))
    signed = set(signed_datasets(db))
    return sorted(n for n in names if n in signed and signoff_state(db, n).signed_off)
