"""The signed export: a signed-off dataset's records, refused unless they are the
content its signatures vouch for, and a manifest beside them."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable

from sqlite_utils import Database

from annotator import __version__
from annotator.services import signoff
from annotator.services.export import records as exporter
from annotator.services import identity
from annotator.services.common import reviewer_name
from annotator.services.export.claimreview import review_page, write_claimreview
from annotator.services.export.verify import MANIFEST_FORMAT, MANIFEST_VERSION
from annotator.services.signoff import CANONICAL_VERSION, SignoffError, SignoffState
from annotator.storage import signatures as sig
from annotator.storage.db import now_iso, read_snapshot

SIGNED_FORMATS = ("jsonl", "csv", "claimreview")


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
                  reviewer: str | None = None, fmt: str = "jsonl",
                  statuses: Iterable[str] | None = None, script: str = "original",
                  neutralise: bool = True, review_url: str | None = None,
                  organisation: str | None = None) -> SignedExport:
    """Export a signed-off dataset and a manifest beside it, refusing changed content.

    The manifest (docs/adr/0008-signed-export-manifest.md) carries every sign-off's
    signature of the content hash with its key, the roster the dataset has here, the
    digest of each of the dataset's records (they hash to the signed content hash), and
    the written file's SHA-256, and is signed by `reviewer`, who exports it:
    `annotator verify` checks it all with no database."""
    if output in (None, "-"):
        raise SignoffError("a signed export needs an output file (-o FILE): its manifest is "
                           "written beside it")
    if fmt not in SIGNED_FORMATS:
        raise SignoffError(f"unknown format {fmt!r}; use one of: {', '.join(SIGNED_FORMATS)}")
    exporter_key = identity.signer(reviewer_name(reviewer or "")) if reviewer else None
    if exporter_key is None:
        raise SignoffError("a signed export's manifest is signed by whoever exports it: "
                           "name them (--reviewer NAME, or ANNOTATOR_REVIEWER)")
    wanted = list(statuses) if statuses else None
    write = writer_for_signed(fmt, neutralise=neutralise, review_url=review_url,
                              organisation=organisation)
    with read_snapshot(db):
        state, digest, digests = signoff.verified_content(db, dataset)
        for s in state.counting:
            if (problem := signoff.signature_problem(s, dataset)) is not None:
                raise SignoffError(f"dataset {dataset!r} cannot be exported signed: {problem}")
        members = identity.roster(db, dataset)
        records = exporter.iter_claim_records(db, dataset=dataset, statuses=wanted, script=script)
        with exporter.atomic_writer(output, newline="" if fmt == "csv" else None,
                                    database=db) as fp:
            n = write(records, fp)
    manifest = _manifest(state, digest, digests, members, output, fmt=fmt, records=n,
                         statuses=wanted, script=script, neutralise=neutralise,
                         review_url=review_url, organisation=organisation,
                         exporter=(reviewer_name(reviewer), *exporter_key))
    mpath = manifest_path(output)
    with exporter.atomic_writer(mpath, database=db) as fp:
        fp.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return SignedExport(n, str(output), str(mpath), digest)


def writer_for_signed(fmt: str, *, neutralise: bool = True, review_url: str | None = None,
                      organisation: str | None = None):
    if fmt == "claimreview":
        review_page(review_url, "c-0")  # refused before anything is read or written
        return functools.partial(write_claimreview, review_url=review_url,
                                 organisation=organisation)
    return lambda recs, fp: exporter.write_records(recs, fp, fmt, neutralise=neutralise)


def _manifest(state: SignoffState, digest: str, digests: list, members: dict, output, *,
              fmt: str, records: int, statuses, script: str, neutralise: bool,
              review_url: str | None, organisation: str | None, exporter) -> dict:
    with open(output, "rb") as f:
        file_digest = hashlib.sha256(f.read()).hexdigest()
    signatures = [{"reviewer": s["reviewer"], "at": s["at"], "hash": s["hash"],
                   "canonical": s.get("canonical"), "key": s["key"],
                   "fingerprint": sig.fingerprint(s["key"]), "signature": s["signature"]}
                  for s in state.counting]
    name, key, public = exporter
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "dataset": state.dataset,
        "hash": digest,
        "hash_algorithm": "sha256",
        "canonical": CANONICAL_VERSION,
        "signatures": signatures,
        "required_signoffs": state.required,
        "signed_off_at": max(s["at"] for s in signatures),
        "roster": [{"name": m.name, "key": m.key, "role": m.role,
                    "fingerprint": m.fingerprint}
                   for m in sorted(members.values(), key=lambda m: m.name)],
        "claims": [[cid, d] for cid, d in digests],
        "exported_at": now_iso(),
        "exported_by": {"reviewer": name, "key": public, "fingerprint": sig.fingerprint(public)},
        "tool": {"name": "annotator", "version": __version__},
        "file": {"name": Path(output).name, "format": fmt, "records": records,
                 "sha256": file_digest, "statuses": statuses, "script": script,
                 "neutralised": neutralise if fmt == "csv" else None,
                 "review_url": review_url, "organisation": organisation},
    }
    manifest["export_signature"] = sig.sign_bytes(key, sig.manifest_message(manifest))
    return manifest
