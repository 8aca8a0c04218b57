"""The one place that decides how an export is written: signed or not, JSONL, CSV or
ClaimReview, with which options. `annotator export` and File > Export both call
`run_export`, so the same options write the same file."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import IO
from collections.abc import Callable, Iterable, Iterator

from sqlite_utils import Database

from annotator.services.export import records as exporter
from annotator.services.export import signed as signed_export
from annotator.services.export.claimreview import write_claimreview
from annotator.services.signoff import SignoffError

FORMATS = exporter.FORMATS + ("claimreview",)

Writer = Callable[[Iterable[dict], IO[str]], int]
Wrap = Callable[[Iterable[dict]], Iterator[dict]]


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how (statuses None: every claim)."""

    fmt: str = "jsonl"
    dataset: str | None = None
    statuses: tuple[str, ...] | None = None
    script: str = "original"
    signed: bool = False
    neutralise: bool = True  # CSV: cells that would start a formula open with '
    review_url: str | None = None  # ClaimReview: the page publishing each review
    organisation: str | None = None  # ClaimReview: its author
    reviewer: str | None = None  # who exports: signs a signed export's manifest


@dataclass
class ExportResult:
    records: int
    path: str | None
    manifest: str | None = None
    hash: str | None = None


def writer_for(options: ExportOptions) -> Writer:
    """The function writing records in the chosen format with the chosen options."""
    if options.fmt == "claimreview":
        return functools.partial(write_claimreview, review_url=options.review_url,
                                 organisation=options.organisation)
    if options.fmt not in exporter.FORMATS:
        raise exporter.ExportError(f"unknown format {options.fmt!r}; use one of: "
                                   f"{', '.join(FORMATS)}")
    return lambda recs, fp: exporter.write_records(recs, fp, options.fmt,
                                                   neutralise=options.neutralise)


def run_export(db: Database, output: str | None, options: ExportOptions, *,
               wrap: Wrap | None = None, into: IO[str] | None = None) -> ExportResult:
    """Export as `options` say to `output` (a path, or None / "-" for standard output;
    `into` a text stream instead). `wrap` sees every record on its way to the writer (a
    progress count, a cancel between records). A signed export (`options.signed`) goes
    through annotator.services.export.signed: refused unless the dataset is signed off
    and unchanged, and written with its manifest."""
    statuses = list(options.statuses) if options.statuses else None
    if options.signed:
        if options.dataset is None:
            raise SignoffError("a signed export needs a dataset (--dataset)")
        done = signed_export.export_signed(
            db, output, dataset=options.dataset, reviewer=options.reviewer, fmt=options.fmt,
            statuses=statuses, script=options.script, neutralise=options.neutralise,
            review_url=options.review_url, organisation=options.organisation)
        return ExportResult(done.records, done.path, done.manifest, done.hash)
    base = writer_for(options)
    write: Writer = base if wrap is None else (lambda recs, fp: base(wrap(recs), fp))
    if into is not None:
        records = exporter.iter_claim_records(db, dataset=options.dataset, statuses=statuses,
                                              script=options.script)
        return ExportResult(write(records, into), None)
    summary = exporter.export(db, output, fmt=options.fmt, dataset=options.dataset,
                              statuses=statuses, script=options.script, writer=write)
    return ExportResult(summary.records, summary.path)
