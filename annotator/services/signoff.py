"""Dataset sign-off: signatures, reopening, the content hash, and signed exports.

Sign-off is derived from the dataset's events like every other review state
(annotator.storage.signoffs): a `signoff` event carries the SHA-256 of the dataset's canonical export at that moment,
and a `reopen` event voids every signature before it. A signature only counts while it
was made over the same content as the latest signature, so a verdict changed between two
signatures cannot be signed off by accident. A dataset is signed off (and locked) when
`required_signoffs` distinct reviewers have counting signatures.

What the hash covers (docs/adr/0003-review-events.md): every field of the JSONL export
except the `reviews` event log (history, which grows on merge without changing any
verdict) and the article's `source` (the path a file was read from on one machine).
Records are taken in claim-id order, so the order articles were imported in does not
matter either.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlite_utils import Database

from annotator import __version__
from annotator.services.export import records as exporter
from annotator.services import identity
from annotator.services.common import Changes, ReviewError, reviewer_name
from annotator.storage import reviews as rv
from annotator.storage import articles as repo
from annotator.storage import queries, signoffs
from annotator.storage import signatures as sig
from annotator.storage.articles import unknown_dataset
from annotator.storage.db import write_tx
from annotator.storage.reanalysis import open_reread_at
from annotator.storage.signoffs import SignoffState, signoff_state

# Bump when the canonical form changes; signatures record the version they used.
CANONICAL_VERSION = 1
RECORD_EXCLUDES = ("reviews",)
ARTICLE_EXCLUDES = ("source",)


class SignoffError(ReviewError):
    """A sign-off, reopen or signed export that cannot be done; the message says why."""


# --- the canonical export and its hash ------------------------------------------------

def canonical_record(rec: dict) -> str:
    """One export record as the hash sees it: history and local paths left out."""
    r = {k: v for k, v in rec.items() if k not in RECORD_EXCLUDES}
    r["article"] = {k: v for k, v in rec["article"].items() if k not in ARTICLE_EXCLUDES}
    return json.dumps(r, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def records_hash(records: Iterable[dict]) -> str:
    """SHA-256 over `claim_id TAB sha256(canonical record) LF` lines in claim-id order.

    Per-record digests keep memory small for big datasets, and the same value can be
    recomputed from an unfiltered JSONL export file without the database.
    """
    return digests_hash(record_digests(records))


def record_digest(rec: dict) -> str:
    return hashlib.sha256(canonical_record(rec).encode("utf-8")).hexdigest()


def record_digests(records: Iterable[dict]) -> list[tuple[str, str]]:
    """(claim id, SHA-256 of its canonical record) of every record, in claim-id order."""
    return sorted((rec["claim_id"], record_digest(rec)) for rec in records)


def digests_hash(digests: Iterable[tuple[str, str]]) -> str:
    """The content hash of a dataset from its records' digests in claim-id order."""
    h = hashlib.sha256()
    for cid, digest in digests:
        h.update(f"{cid}\t{digest}\n".encode())
    return h.hexdigest()


def content_hash(db: Database, dataset: str) -> str:
    return records_hash(exporter.iter_claim_records(db, dataset=dataset))


def _check_dataset(db: Database, dataset: str) -> None:
    problem = unknown_dataset(db, dataset)
    if problem:
        raise SignoffError(problem)


def open_work(db: Database, dataset: str) -> dict:
    """What stands between a dataset and its sign-off: unreviewed figures and conflicts."""
    work = queries.open_work_counts(db, dataset)
    return {"figures": work.figures, "unreviewed": work.unreviewed, "conflicts": work.conflicts}


def stale_figures(db: Database, dataset: str) -> list[str]:
    """Figures whose stored review state is not what their events say.

    Only a change made outside annotator produces one; a signed export refuses them
    because the hash is computed from the stored state.
    """
    bad = []
    for fid, events in rv.dataset_figure_events(db, dataset).items():
        if _expected_state(db, fid, events) != _cached_state(db, fid):
            bad.append(fid)
    return bad


_COMPARED = ("status", "value", "unit", "currency", "kind", "flag", "note")


def _cached_state(db: Database, fid: str) -> tuple:
    st = rv.figure_state(db, fid)
    return (bool(st["conflict"]),) + tuple(st.get(k) for k in _COMPARED)


def _expected_state(db: Database, fid: str, events: list[rv.Event]) -> tuple:
    d = rv.derive(events)
    if (d.status != "unreviewed" or d.conflict) and open_reread_at(db, fid):
        d = rv.Derived(reviewers=d.reviewers, updated_at=d.updated_at)  # ADR 0011: to check again
    if d.status == "unreviewed" and not d.conflict:
        src = repo.duplicate_source(db, fid)
        if src:
            inherited = rv.figure_state(db, src)
            if inherited["status"] != "unreviewed":
                return (False,) + tuple(inherited.get(k) for k in _COMPARED)
    st = dict(d.state, status=d.status)
    return (d.conflict,) + tuple(st.get(k) for k in _COMPARED)


# --- actions --------------------------------------------------------------------------

def sign(db: Database, *, dataset: str, reviewer: str) -> Changes:
    """Sign a fully reviewed, conflict-free dataset over its current content."""
    reviewer = reviewer_name(reviewer)
    with write_tx(db):
        _check_dataset(db, dataset)
        work = open_work(db, dataset)
        if work["unreviewed"] or work["conflicts"]:
            raise SignoffError(
                f"dataset {dataset!r} cannot be signed off: {work['unreviewed']} figure(s) "
                f"unreviewed, {work['conflicts']} conflict(s) unresolved "
                f"(see: annotator conflicts --dataset {dataset})")
        _refuse_stale(db, dataset)
        digest = content_hash(db, dataset)
        before = signoff_state(db, dataset)
        if any(s["reviewer"] == reviewer and s.get("hash") == digest
               and signature_problem(s, dataset) is None for s in before.signatures):
            raise SignoffError(f"{reviewer} has already signed dataset {dataset!r} as it is now")
        found = identity.signer(reviewer)
        if found is None:
            raise SignoffError(f"{reviewer!r} is annotator's own name and cannot sign off")
        key, public = found
        claims = queries.claims_in_dataset(db, dataset)
        ev = rv.append_event(
            db, reviewer=reviewer, action="signoff", target_type="dataset", target_id=dataset,
            old_state={"signers": before.signers, "hash": before.hash},
            new_state={"hash": digest, "claims": claims, "figures": work["figures"],
                       "canonical": CANONICAL_VERSION, "version": __version__,
                       "key": public,
                       "signature": sig.sign_bytes(key, sig.signoff_message(
                           dataset, digest, CANONICAL_VERSION))},
            batch=rv.new_batch())
    return Changes(datasets={dataset}, events=[ev.id])


def signature_problem(signature: dict, dataset: str) -> str | None:
    """Why a sign-off (an entry of SignoffState.signatures) is not its reviewer's key's
    signature of the dataset's content hash, or None. Sign-offs made before they were
    signed this way have none."""
    who = signature.get("reviewer")
    if not signature.get("signature"):
        return (f"the sign-off of {who!r} was made before sign-offs were signed with the "
                f"reviewer's key; {who} signs again (annotator signoff --dataset {dataset}) "
                "to vouch for this content")
    if signature.get("signed_hash") not in (None, signature.get("hash")):
        return (f"the sign-off of {who!r} was made over the content under its old ids "
                f"(before they were renamed); {who} signs again (annotator signoff "
                f"--dataset {dataset}) to vouch for it under the new ones")
    message = sig.signoff_message(dataset, signature.get("hash"), signature.get("canonical"))
    if not sig.verify_bytes(signature.get("key"), signature["signature"], message):
        return (f"the sign-off of {who!r} does not verify with the key it names "
                f"({sig.fingerprint(str(signature.get('key')))})")
    return None


def reopen(db: Database, *, dataset: str, reviewer: str, reason: str) -> Changes:
    """Unlock a dataset; every signature made before this no longer counts."""
    reviewer = reviewer_name(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise SignoffError("reopening needs a reason (--reason TEXT)")
    with write_tx(db):
        _check_dataset(db, dataset)
        before = signoff_state(db, dataset)
        if not before.signatures:
            raise SignoffError(f"dataset {dataset!r} has no signatures to void; nothing to reopen")
        ev = rv.append_event(
            db, reviewer=reviewer, action="reopen", target_type="dataset", target_id=dataset,
            old_state={"signers": before.signers, "hash": before.hash,
                       "signed_off": before.signed_off},
            new_state={"signers": [], "hash": None, "signed_off": False},
            batch=rv.new_batch(), note=reason)
    return Changes(datasets={dataset}, events=[ev.id])


def set_required_signoffs(db: Database, *, dataset: str, reviewer: str, required: int) -> Changes:
    """Change how many distinct reviewers must sign; recorded, and refused while locked."""
    reviewer = reviewer_name(reviewer)
    if not isinstance(required, int) or required < 1:
        raise SignoffError(f"required sign-offs must be a whole number of at least 1, "
                           f"got {required!r}")
    with write_tx(db):
        _check_dataset(db, dataset)
        before = signoff_state(db, dataset)
        if before.signed_off:
            raise SignoffError(f"dataset {dataset!r} is signed off; reopen it before changing "
                               "the number of sign-offs it needs")
        ev = rv.append_event(
            db, reviewer=reviewer, action="set_required", target_type="dataset",
            target_id=dataset, old_state={"required": before.required},
            new_state={"required": required}, batch=rv.new_batch())
        signoffs.write_required_signoffs(db, dataset, required)
    return Changes(datasets={dataset}, events=[ev.id])


def apply_required_events(db: Database, datasets: Iterable[str]) -> None:
    """Make `datasets.required_signoffs` follow the latest `set_required` event (after a merge)."""
    for name in datasets:
        latest = [e for e in rv.events_for(db, "dataset", name) if e.action == "set_required"]
        if latest and latest[-1].new_state:
            signoffs.write_required_signoffs(db, name, int(latest[-1].new_state["required"]))


# --- verification and the signed export -------------------------------------------------

def _refuse_stale(db: Database, dataset: str) -> None:
    bad = stale_figures(db, dataset)
    if bad:
        raise SignoffError(
            f"dataset {dataset!r}: the stored review state of {len(bad)} figure(s) (first: "
            f"{bad[0]}) does not match the event log; the database was changed outside "
            "annotator")


def verify_signed(db: Database, dataset: str) -> tuple[SignoffState, str]:
    """The sign-off state and current hash, or SignoffError if the content is not as signed."""
    state, digest, _ = verified_content(db, dataset)
    return state, digest


def verified_content(db: Database, dataset: str) -> tuple[SignoffState, str, list]:
    """verify_signed's answer and the records' digests (record_digests) it hashed."""
    _check_dataset(db, dataset)
    state = signoff_state(db, dataset)
    if not state.signed_off:
        raise SignoffError(
            f"dataset {dataset!r} is not signed off ({len(state.signers)} of {state.required} "
            "required signature(s)); see: annotator signoff --dataset "
            f"{dataset} --show")
    _refuse_stale(db, dataset)
    digests = record_digests(exporter.iter_claim_records(db, dataset=dataset))
    digest = digests_hash(digests)
    if digest != state.hash:
        raise SignoffError(
            f"dataset {dataset!r} no longer matches what was signed (signed {state.hash[:12]}, "
            f"now {digest[:12]}); it was changed after sign-off. Reopen and sign it again.")
    return state, digest, digests
