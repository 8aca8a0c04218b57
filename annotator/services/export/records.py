"""Exporting claims: JSONL (the contract), CSV (one row per figure, for spreadsheets;
a text cell that would start a formula opens with an apostrophe unless told otherwise).

Every record's offsets are re-checked against the stored original text before it is
written; a record that fails is refused (ExportError), never written wrong. Files are
written to a temporary file beside the target and renamed over it, so a crash leaves the
old file or none, never half of one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from collections.abc import Callable, Iterable, Iterator

from sqlite_utils import Database

from annotator.domain import STATUSES, claim_status
from annotator.storage import articles as repo
from annotator.storage import exports as reads
from annotator.storage.db import StorageError, database_path, is_database_file
from annotator.text import chinese
from annotator.text.chinese import conversion_config
from annotator.text.safe import json_escape_invisible, neutralise_cell

SCRIPTS = ("original", "hans", "hant", "hk", "tw")
FORMATS = ("jsonl", "csv")
CLAIM_STATUSES = STATUSES


class ExportError(RuntimeError):
    pass


class DamagedArticle(ExportError, StorageError):
    """What the database holds no longer matches itself (an article's text and its id,
    a span and its text): nothing is exported as if it were sound. A StorageError too,
    so every command that reads claim records (sign-off hashes them) reports it as one
    `error:` line."""


@dataclass
class ExportSummary:
    records: int
    path: str | None


def iter_claim_records(
    db: Database,
    *,
    dataset: str | None = None,
    statuses: Iterable[str] | None = None,
    script: str = "original",
) -> Iterator[dict]:
    if script not in SCRIPTS:
        raise ExportError(f"unknown script {script!r}; use one of: {', '.join(SCRIPTS)}")
    wanted = set(statuses) if statuses else None
    if wanted and not wanted <= set(CLAIM_STATUSES):
        bad = ", ".join(sorted(wanted - set(CLAIM_STATUSES)))
        raise ExportError(f"unknown status {bad}; use: {', '.join(CLAIM_STATUSES)}")
    try:
        yield from _records(db, dataset, wanted, script)
    except sqlite3.DatabaseError as e:
        raise DamagedArticle(f"{database_path(db)}: the database cannot be read ({one_line(e)}); "
                             "annotator check lists what is wrong") from e


def one_line(e: BaseException, limit: int = 160) -> str:
    """An SQLite error as one short line: a column that does not decode is quoted whole
    in the message, line breaks and all."""
    message = str(e).split(" with text '", 1)[0]
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit - 1] + "…"


def _records(db: Database, dataset: str | None, wanted: set[str] | None,
             script: str) -> Iterator[dict]:
    rows = reads.dataset_articles(db, dataset)
    # every article first (one SHA-256 each, an article in several datasets once): a
    # damaged one stops the export before any record is written, to standard output too
    verified: set[str] = set()
    for _, aid, source, *_ in rows:
        if aid not in verified:
            _article_text(db, aid, source, verified)
    for ds, aid, source, title, language, art_script, url, date in rows:
        text = _article_text(db, aid, source, verified)
        article = {"id": aid, "source": source, "title": title, "language": language,
                   "script": art_script if art_script in ("hans", "hant") else None,
                   "url": url, "date": date}
        config = conversion_config(script, art_script)
        for rec in _article_claims(db, aid, text):
            if wanted and rec["status"] not in wanted:
                continue
            rec = {"claim_id": rec.pop("claim_id"), "dataset": ds, "article": article, **rec}
            if config:
                _convert_record(rec, config)
            yield rec


def _article_text(db: Database, aid: str, source: str, verified: set[str]) -> str:
    """The article's stored text, refused unless it still hashes to the article's id (one
    SHA-256 of the text: the export's offsets and ids vouch for exactly this text)."""
    text = repo.article_text(db, aid)
    if text is None:
        raise DamagedArticle(f"article {aid} ({source}): its text cannot be found by its id; "
                             "the database is damaged (annotator check lists what is wrong)")
    if aid not in verified:
        if not repo.id_matches(aid, text):
            raise DamagedArticle(
                f"article {aid} ({source}): its stored text no longer matches its id (it was "
                "changed or damaged after it was imported); refusing to export it. "
                "annotator check lists every problem")
        verified.add(aid)
    return text


def _article_claims(db: Database, aid: str, text: str) -> Iterator[dict]:
    figures: dict[str, list[dict]] = {}
    for row in reads.figure_rows(db, aid):
        (fid, cid, ftext, start, end, kind, value, vmax, unit, cur, qual, warnings, role, link,
         fdup, status, cval, cunit, ccur, ckind, flag, note, conflict, reading) = row
        _verify(text, start, end, ftext, f"figure {fid}")
        _verify_row(row, fid, repo.id_fits(fid, aid, start, end, kind), aid)
        figures.setdefault(cid, []).append({
            "figure_id": fid, "text": ftext, "start": start, "end": end, "kind": kind,
            "value": value, "value_max": vmax, "unit": unit, "currency": cur, "qualifier": qual,
            "warnings": json.loads(warnings), "status": status, "corrected_value": cval,
            "corrected_unit": cunit, "corrected_currency": ccur, "corrected_kind": ckind,
            "flag": flag, "note": note, "conflict": bool(conflict), "role": role,
            "linked_figure_id": link, "duplicate_of": fdup, "reading": reading,
        })
    claims = reads.claim_rows(db, aid)
    _verify_links(aid, figures, {row[0] for row in claims})
    reviews = _reviews(db, aid)
    for row in claims:
        cid, ctext, start, end, dup = row
        _verify(text, start, end, ctext, f"claim {cid}")
        _verify_row(row, cid, repo.id_fits(cid, aid, start, end), aid)
        figs = figures.get(cid, [])
        if not figs:  # a claim is a sentence stating a figure: its figures were lost
            raise DamagedArticle(f"claim {cid} of article {aid}: none of its figures can be "
                                 "read; refusing to export it (annotator check lists what is "
                                 "wrong)")
        yield {
            "claim_id": cid, "text": ctext, "start": start, "end": end, "figures": figs,
            "status": claim_status([f["status"] for f in figs]),
            "duplicate_of": dup,
            "reviews": [r for f in figs for r in reviews.get(f["figure_id"], [])],
        }


def _reviews(db: Database, aid: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for fid, reviewer, action, at, new_state, note in reads.figure_review_rows(db, aid):
        state = json.loads(new_state) if new_state else {}
        out.setdefault(fid, []).append({
            "reviewer": reviewer, "action": action, "at": at, "figure_id": fid,
            "status": state.get("status"), "corrected_value": state.get("value"),
            "flag": state.get("flag"), "note": note})
    return out


def _verify(text: str, start: int, end: int, surface: str, what: str) -> None:
    if not repo.selects(text, start, end, surface):
        raise DamagedArticle(f"{what}: stored offsets [{start}:{end}] no longer select "
                             f"{surface!r}; refusing to export a record that points at the "
                             "wrong text")


def _verify_row(row: tuple, row_id, fits: bool, aid: str) -> None:
    """A claim's or figure's id is the hash of its article, offsets (and kind): a row
    whose id does not fit them, or holding bytes where SQLite stored text (a damaged
    type byte), is refused. A few microseconds a row."""
    if not fits or any(type(v) is bytes for v in row):
        raise DamagedArticle(f"{'claim' if str(row_id).startswith('c-') else 'figure'} "
                             f"{row_id!r} of article {aid}: the stored row no longer fits its "
                             "id; refusing to export it (annotator check lists what is wrong)")


def _verify_links(aid: str, figures: dict[str, list[dict]], claim_ids: set[str]) -> None:
    """Every figure belongs to one of its article's claims, and a linked figure is one of
    the article's figures: a figure left out, or pointing nowhere, is refused."""
    ids = {f["figure_id"] for figs in figures.values() for f in figs}
    for cid, figs in figures.items():
        for f in figs:
            if cid not in claim_ids:
                raise DamagedArticle(f"figure {f['figure_id']} of article {aid}: its claim "
                                     f"{cid} is not one of the article's; refusing to export "
                                     "it")
            if f["linked_figure_id"] is not None and f["linked_figure_id"] not in ids:
                raise DamagedArticle(f"figure {f['figure_id']} of article {aid}: its linked "
                                     f"figure {f['linked_figure_id']} is not one of the "
                                     "article's; refusing to export it")


def _convert_record(rec: dict, config: str) -> None:
    rec["text"] = chinese.convert(rec["text"], config)
    if rec["article"].get("title"):
        rec["article"] = dict(rec["article"], title=chinese.convert(rec["article"]["title"], config))
    for f in rec["figures"]:
        f["text"] = chinese.convert(f["text"], config)
        if f["unit"]:
            f["unit"] = chinese.convert(f["unit"], config)


CSV_COLUMNS = [
    "dataset", "claim_id", "claim_status", "article_id", "source", "title", "language",
    "claim_text", "claim_start", "claim_end", "figure_id", "figure_text", "start", "end", "kind",
    "value", "value_max", "unit", "currency", "qualifier", "warnings", "status",
    "corrected_value", "flag", "note", "duplicate_of", "reading",
]


def csv_rows(records: Iterable[dict], *, neutralise: bool = True) -> Iterator[dict]:
    """One row per figure. With `neutralise` (the default) a text cell that a spreadsheet
    would run as a formula (=, +, -, @, tab, carriage return first) opens with an
    apostrophe; numbers stay numbers (text.safe.neutralise_cell says why)."""
    for row in _csv_rows(records):
        yield {k: neutralise_cell(v) for k, v in row.items()} if neutralise else row


def _csv_rows(records: Iterable[dict]) -> Iterator[dict]:
    for r in records:
        a = r["article"]
        base = {"dataset": r["dataset"], "claim_id": r["claim_id"], "claim_status": r["status"],
                "article_id": a["id"], "source": a["source"], "title": a["title"],
                "language": a["language"], "claim_text": r["text"], "claim_start": r["start"],
                "claim_end": r["end"], "duplicate_of": r["duplicate_of"]}
        for f in r["figures"]:
            yield {**base, "figure_id": f["figure_id"], "figure_text": f["text"],
                   "start": f["start"], "end": f["end"], "kind": f["kind"], "value": f["value"],
                   "value_max": f["value_max"], "unit": f["unit"], "currency": f["currency"],
                   "qualifier": f["qualifier"],
                   "warnings": "; ".join(w["code"] for w in f["warnings"]),
                   "status": f["status"], "corrected_value": f["corrected_value"],
                   "flag": f["flag"], "note": f["note"], "reading": f["reading"]}


# U+2028, U+2029 and NEL end a line for many line readers (Python's str.splitlines,
# older JavaScript): escaped, a claim quoting them stays on its one line. The other C1
# controls, DEL and bidirectional controls are escaped too, so the file is safe to print
# on a terminal (json.dumps escapes C0 controls itself). JSON parsers read the escapes
# back as the same characters.


def write_records(records: Iterable[dict], fp: IO[str], fmt: str, *,
                  neutralise: bool = True) -> int:
    """Write `records` as `fmt`; `neutralise` is for CSV (see csv_rows)."""
    n = 0
    if fmt == "jsonl":
        for r in records:
            fp.write(json_escape_invisible(json.dumps(r, ensure_ascii=False)) + "\n")
            n += 1
    elif fmt == "csv":
        w = csv.DictWriter(fp, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        w.writeheader()
        for row in csv_rows(records, neutralise=neutralise):
            w.writerow(row)
            n += 1
    else:
        raise ExportError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return n


@contextmanager
def atomic_writer(path: str | os.PathLike, newline: str | None = None, *,
                  database: Database | None = None) -> Iterator[IO[str]]:
    """Write to a temporary file beside `path`, fsync, then rename over it.

    The temporary file is private (mode 0600) while it is written; the finished file gets
    the mode the file it replaces had, or the one a new file gets under the umask, so an
    export on a shared drive stays readable by the team. `database` is the database the
    records come from: renaming over it (or its -wal or -shm) would destroy it under its
    open connections, so that is refused before anything is written.
    """
    target = Path(path)
    if database is not None and is_database_file(database, target):
        raise ExportError(f"{target}: that is the database being exported (or one of its "
                          "files); choose another output file")
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(target)
    remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                               dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fp:
            yield fp
            fp.flush()
            os.chmod(fp.fileno() if os.chmod in os.supports_fd else tmp, mode)
            os.fsync(fp.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete the temporary files an export to `target` left when its process was killed
    (`.NAME.PID.XXXX.tmp` whose PID no longer runs); a running export's file stays."""
    prefix, removed = f".{target.name}.", []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid = name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or _running(int(pid)):
            continue
        try:
            os.unlink(target.parent / name)
            removed.append(target.parent / name)
        except OSError:
            pass
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process, or no way to tell: leave its file alone
    return True


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without setting it (os.umask would race with threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (a power cut right after it keeps the new file)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def export(
    db: Database,
    output: str | None,
    *,
    fmt: str = "jsonl",
    dataset: str | None = None,
    statuses: Iterable[str] | None = None,
    script: str = "original",
    writer: Callable[[Iterable[dict], IO[str]], int] | None = None,
    neutralise: bool = True,
) -> ExportSummary:
    """Export claims to `output` (a path, or None / "-" for stdout). `neutralise` (CSV):
    cells that would start a spreadsheet formula open with an apostrophe."""
    if fmt not in FORMATS and writer is None:
        raise ExportError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    records = iter_claim_records(db, dataset=dataset, statuses=statuses, script=script)
    write = writer or (lambda recs, fp: write_records(recs, fp, fmt, neutralise=neutralise))
    if output in (None, "-"):
        if fmt == "csv":
            buf = io.StringIO(newline="")
            n = write(records, buf)
            sys.stdout.write(buf.getvalue())
        else:
            n = write(records, sys.stdout)
        sys.stdout.flush()
        return ExportSummary(n, None)
    with atomic_writer(output, newline="" if fmt == "csv" else None, database=db) as fp:
        n = write(records, fp)
    return ExportSummary(n, str(output))
