"""The signed export: a signed-off dataset's records, refused unless they are the
content its signatures vouch for, and a manifest beside them."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from sqlite_utils import Database

from annotator import __version__
from annotator.services import signoff
from annotator.services.export import records as exporter
from annotator.services.export.claimreview import write_claimreview
from annotator.services.signoff import CANONICAL_VERSION, SignoffError, SignoffState
from annotator.storage.db import now_iso

SIGNED_FORMATS = ("jsonl", "csv", "claimreview")


@contextlib.contextmanager
def _snapshot(db: Database) -> Iterator[None]:
    """One read transaction: the verification and the records written see the same data."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


@dataclass
class SignedExport:
    records: int
    path: str
    manifest: str
    hash: str


def manifest_path(output: str | os.PathLike) -> Path:
    p = Path(output)
    return p.with_name(p.name + ".manifest.json")


def export_signed(db: Database, output: str | os.PathLike, *, dataset: str,
                  fmt: str = "jsonl", statuses: Optional[Iterable[str]] = None,
                  script: str = "original") -> SignedExport:
    """Export a signed-off dataset and a manifest beside it, refusing changed content."""
    if output in (None, "-"):
        raise SignoffError("a signed export needs an output file (-o FILE): its manifest is "
                           "written beside it")
    if fmt not in SIGNED_FORMATS:
        raise SignoffError(f"unknown format {fmt!r}; use one of: {', '.join(SIGNED_FORMATS)}")
    wanted = list(statuses) if statuses else None
    with _snapshot(db):
        state, digest = signoff.verify_signed(db, dataset)
        records = exporter.iter_claim_records(db, dataset=dataset, statuses=wanted, script=script)
        with exporter.atomic_writer(output, newline="" if fmt == "csv" else None,
                                    database=db) as fp:
            n = _writer(fmt)(records, fp)
    manifest = _manifest(state, digest, output, fmt=fmt, records=n, statuses=wanted,
                         script=script)
    mpath = manifest_path(output)
    with exporter.atomic_writer(mpath, database=db) as fp:
        fp.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return SignedExport(n, str(output), str(mpath), digest)


def _writer(fmt: str):
    if fmt == "claimreview":
        return write_claimreview
    return lambda recs, fp: exporter.write_records(recs, fp, fmt)


def _manifest(state: SignoffState, digest: str, output, *, fmt: str, records: int,
              statuses, script: str) -> dict:
    with open(output, "rb") as f:
        file_digest = hashlib.sha256(f.read()).hexdigest()
    signatures = [{"reviewer": s["reviewer"], "at": s["at"], "hash": s.get("hash")}
                  for s in state.counting]
    return {
        "dataset": state.dataset,
        "hash": digest,
        "hash_algorithm": "sha256",
        "canonical": CANONICAL_VERSION,
        "signers": signatures,
        "required_signoffs": state.required,
        "signed_off_at": max(s["at"] for s in signatures),
        "exported_at": now_iso(),
        "tool": {"name": "annotator", "version": __version__},
        "file": {"name": Path(output).name, "format": fmt, "records": records,
                 "sha256": file_digest, "statuses": statuses, "script": script},
    }
