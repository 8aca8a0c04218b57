"""What a database to merge from must be before anything is copied from it.

A merge is all or nothing: the other database is someone else's file, and whatever it
holds becomes part of this one's history (events are never deleted). So before the
write lock is taken:

- its tables are real tables of the shape this version creates (a VIEW named `events`
  over an endless recursive query would keep the merge reading for ever), and every read
  of it while it is checked runs under a deadline (`bounded`);
- every event it would add has the shape annotator writes (`EVENT_FIELDS`, the state
  tables below): known actions on the target types they apply to, JSON objects where
  states are expected, finite numbers, string names; it points at a figure, pair or
  dataset that exists here or in the other database; an undo or redo refers to an event
  of the same reviewer on the same target, through a chain that ends in a decision; and
  it is dated no more than `max_skew` ahead of this machine's clock (a `reopen` dated
  9999-12-31 would otherwise stay the newest event of its dataset for good); and a
  signed event's signature verifies (annotator.storage.signatures: it was not changed
  after it was signed; who may sign for a dataset is annotator.services.team's check);
- its datasets need at least one sign-off and its figures' values are finite numbers.

The first bad row and the number of bad rows are reported in one MergeError.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import re
import sqlite3
import time
from functools import lru_cache
from pathlib import Path
from collections.abc import Callable, Iterator

from sqlite_utils import Database

from annotator.domain import FIGURE_KINDS, FLAG_REASONS
from annotator.services.common import ReviewError
from annotator.storage import merging, signatures
from annotator.storage import reviews as rv
from annotator.storage.migrations import migrations

DEFAULT_MAX_SKEW_MINUTES = 10.0
SKEW_ENV = "ANNOTATOR_MAX_SKEW"
# Reading the other database while it is checked: a deadline of this many seconds plus
# CHECK_SECONDS_PER_MB for each megabyte of it (its checks take about 0.2 s a megabyte).
CHECK_SECONDS = 60.0
CHECK_SECONDS_PER_MB = 2.0

MAX_ID = 200
MAX_NAME = 200
MAX_STATE_JSON = 100_000


class MergeError(ReviewError):
    """A merge that cannot be done; nothing was changed."""


# --- the clock ---------------------------------------------------------------------------

def max_skew_minutes(value: float | None = None) -> float:
    """The skew allowed: `value`, else $ANNOTATOR_MAX_SKEW (minutes), else 10 minutes."""
    if value is None:
        raw = os.environ.get(SKEW_ENV, "").strip()
        if not raw:
            return DEFAULT_MAX_SKEW_MINUTES
        try:
            value = float(raw)
        except ValueError:
            raise MergeError(f"{SKEW_ENV}={raw!r} is not a number of minutes") from None
    if not math.isfinite(value) or value < 0:
        raise MergeError(f"the allowed clock skew must be a number of minutes of at least 0, "
                         f"got {value!r}")
    return value


_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00\Z")


def parse_at(at: str) -> _dt.datetime | None:
    """An event time as annotator writes it (UTC, microseconds, `+00:00`: the form whose
    string order is time order), or None."""
    if not isinstance(at, str) or not _AT.match(at):
        return None
    try:
        return _dt.datetime.fromisoformat(at)
    except ValueError:
        return None


# --- the tables ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def expected_tables() -> dict[str, tuple]:
    """Each ordinary table this version creates, with its columns as PRAGMA table_info
    gives them (name, declared type, not null, primary key), from a new in-memory database."""
    mem = Database(memory=True)
    migrations.apply(mem)
    out = _table_shapes(mem)
    mem.close()
    return out


def _table_shapes(db: Database) -> dict[str, tuple]:
    objects = merging.schema_objects(db)
    virtual = [o.name for o in objects if o.type == "table" and o.sql.startswith(
        "CREATE VIRTUAL")]
    out = {}
    for o in objects:
        if o.type != "table" or o.name.startswith("sqlite_") or o.name in virtual \
                or any(o.name.startswith(v + "_") for v in virtual):
            continue
        out[o.name] = merging.column_shapes(db, o.name)
    return out


def check_tables(other: Database, p: Path) -> None:
    """Every table this version has must be in the other database as a real table (not a
    view, not a virtual table) with the same columns."""
    kinds = {o.name: (o.type, o.sql) for o in merging.schema_objects(other)
             if o.type in ("table", "view")}
    for name, shape in expected_tables().items():
        kind = kinds.get(name)
        if kind is None:
            raise MergeError(f"{p}: has no table {name!r}; not a complete annotator database, "
                             "nothing was merged")
        if kind[0] != "table" or kind[1].startswith("CREATE VIRTUAL"):
            what = "a view" if kind[0] == "view" else "a virtual table"
            raise MergeError(f"{p}: {name!r} is {what}, not a table; nothing was merged")
        if merging.column_shapes(other, name) != shape:
            raise MergeError(f"{p}: table {name!r} does not have the columns this version "
                             "of annotator gives it; nothing was merged")


def deadline_for(p: Path) -> float:
    size = 0
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):
            size += os.stat(str(p) + suffix).st_size  # stat, never open: see tests/dbguard.py
    return CHECK_SECONDS + CHECK_SECONDS_PER_MB * size / 1e6


@contextlib.contextmanager
def bounded(conn: sqlite3.Connection, p: Path, seconds: float) -> Iterator[None]:
    """Interrupt any statement on `conn` still running `seconds` after this began, and
    say so as a MergeError."""
    end = time.monotonic() + seconds
    hit = []

    def check() -> int:
        if time.monotonic() > end:
            hit.append(True)
            return 1  # SQLite stops the statement ("interrupted")
        return 0

    conn.set_progress_handler(check, 10_000)
    try:
        yield
    except sqlite3.OperationalError as e:
        if hit:
            raise MergeError(f"{p}: reading it took more than {seconds:.0f} s; refused, "
                             "nothing was merged") from e
        raise
    finally:
        conn.set_progress_handler(None, 0)


# --- the events ----------------------------------------------------------------------------

FIGURE_DECISIONS = {"confirm": "confirmed", "correct": "corrected", "flag": "flagged",
                    "clear": "unreviewed"}
PAIR_DECISIONS = {"pair_confirm": "confirmed", "pair_reject": "rejected",
                  "pair_clear": "unreviewed"}
DATASET_ACTIONS = ("signoff", "reopen", "set_required", "rekey", "roster_add",
                   "roster_remove", "accept_unsigned")
CHAINED = ("undo", "redo")
UNDOABLE = set(FIGURE_DECISIONS) | {"adjudicate"} | set(PAIR_DECISIONS)
# action -> the target types it applies to
TARGETS = {**{a: ("figure",) for a in (*FIGURE_DECISIONS, "adjudicate")},
           **{a: ("pair",) for a in PAIR_DECISIONS},
           **{a: ("dataset",) for a in DATASET_ACTIONS},
           **{a: ("figure", "pair") for a in CHAINED}}
TARGET_TABLES = {"figure": ("figures", "id"), "pair": ("passage_pairs", "id"),
                 "dataset": ("datasets", "name")}


def _text(limit: int, *, optional: bool = False) -> Callable:
    def check(v) -> str | None:
        if v is None:
            return None if optional else "is missing"
        if not isinstance(v, str):
            return f"is not text ({type(v).__name__})"
        if not v.strip() and not optional:
            return "is empty"
        if len(v) > limit:
            return f"is longer than {limit} characters"
        if _SURROGATE.search(v):
            return "holds bytes that are not UTF-8"
        return None
    return check


# Invalid UTF-8, as the lenient reading of the events keeps it. Control characters are
# left alone: a local review accepts them in a name or note, and the command line and
# the window escape them when they show one.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _name(v) -> str | None:
    """A reviewer (or dataset) name as a local review stores it: stripped, not empty."""
    problem = _text(MAX_NAME)(v)
    if problem is None and v != v.strip():
        return "has surrounding spaces"
    return problem


def _at(v) -> str | None:
    if v is None:
        return "is missing"
    return None if parse_at(v) else f"{v!r} is not a UTC time as annotator writes it"


# The columns of an event: each checked on its own (the states, with the action, below).
EVENT_FIELDS: dict[str, Callable] = {
    "id": _text(MAX_ID),
    "at": _at,
    "reviewer": _name,
    "action": lambda v: None if isinstance(v, str) and v in TARGETS else f"{v!r} is unknown",
    "target_type": lambda v: None if v in TARGET_TABLES else f"{v!r} is unknown",
    "target_id": _text(MAX_ID),
    "note": _text(MAX_STATE_JSON, optional=True),
    "ref": _text(MAX_ID, optional=True),
    "batch": _text(MAX_ID),
}


def _number(v) -> str | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return "is not a number"
    try:
        return None if math.isfinite(float(v)) else "is not a finite number"
    except OverflowError:
        return "is not a finite number"


def _count(minimum: int) -> Callable:
    def check(v) -> str | None:
        if isinstance(v, bool) or not isinstance(v, int) or not minimum <= v < 2 ** 53:
            return f"is not a whole number of at least {minimum}"
        return None
    return check


def _one_of(values) -> Callable:
    return lambda v: None if isinstance(v, str) and v in values else f"{v!r} is not one of " \
        f"{', '.join(values)}"


def _strings(v) -> str | None:
    if not isinstance(v, list) or len(v) > 100_000 or any(_name(x) for x in v):
        return "is not a list of names"
    return None


def _hex64(v) -> str | None:
    return None if isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v) else \
        "is not a SHA-256 in hex"


def _public_key(v) -> str | None:
    try:
        signatures.parse_public(v)
        return None
    except signatures.BadKey:
        return "is not an Ed25519 public key as annotator writes it"


def _or_none(check: Callable) -> Callable:
    return lambda v: None if v is None else check(v)


_NOTE = _text(MAX_STATE_JSON, optional=True)
FIGURE_STATE = {
    "status": _one_of(("unreviewed", "confirmed", "corrected", "flagged")),
    "value": _or_none(_number), "unit": _or_none(_text(MAX_NAME)),
    "currency": _or_none(_text(MAX_NAME)), "kind": _or_none(_one_of(FIGURE_KINDS)),
    "flag": _or_none(_one_of(FLAG_REASONS)), "note": _NOTE,
}
PAIR_STATE = {"status": _one_of(("unreviewed", "confirmed", "rejected")), "note": _NOTE}
DATASET_STATES = {
    "signoff": {"hash": _or_none(_hex64), "claims": _count(0), "figures": _count(0),
                "canonical": _count(0), "version": _text(MAX_NAME), "signers": _strings,
                "key": lambda v: _public_key(v), "signature": _text(MAX_NAME)},
    "reopen": {"signers": _strings, "hash": _or_none(_hex64),
               "signed_off": lambda v: None if isinstance(v, bool) else "is not true or false"},
    "set_required": {"required": _count(1)},
    "rekey": {"hash": _hex64},
    "roster_add": {"name": _name, "key": lambda v: _public_key(v),
                   "role": _one_of(("lead", "reviewer")),
                   "replaces": lambda v: _public_key(v)},
    "roster_remove": {"name": _name, "key": lambda v: _public_key(v)},
    "accept_unsigned": {"events": _count(1), "source": _text(MAX_NAME)},
}
# keys a state must have: (target type or dataset action, "old" or "new") -> keys
REQUIRED = {"figure": ("status",), "pair": ("status",), ("signoff", "new"): ("hash",),
            ("set_required", "new"): ("required",), ("rekey", "old"): ("hash",),
            ("rekey", "new"): ("hash",), ("roster_add", "new"): ("name", "key", "role"),
            ("roster_remove", "new"): ("name",),
            ("accept_unsigned", "new"): ("events",)}


def _json_object(raw) -> tuple[dict | None, str | None]:
    if not isinstance(raw, str):
        return None, f"is not JSON text ({type(raw).__name__})"
    if len(raw) > MAX_STATE_JSON:
        return None, f"is longer than {MAX_STATE_JSON} characters"

    def refuse(token):
        raise ValueError(f"{token} is not a number")

    try:
        value = json.loads(raw, parse_constant=refuse)
    except (ValueError, RecursionError) as e:
        return None, f"is not JSON ({str(e)[:60]})"
    if not isinstance(value, dict):
        return None, f"is not a JSON object ({type(value).__name__})"
    return value, None


def _state_problem(raw, which: str, action: str, target_type: str) -> str | None:
    if raw is None:
        return None if which == "old" else f"{which}_state is missing"
    value, problem = _json_object(raw)
    if problem:
        return f"{which}_state {problem}"
    table = DATASET_STATES.get(action) if target_type == "dataset" else (
        FIGURE_STATE if target_type == "figure" else PAIR_STATE)
    if table is None:
        return f"{which}_state: no state is expected"
    for key in REQUIRED.get(target_type if target_type != "dataset" else (action, which), ()):
        if key not in value:
            return f"{which}_state has no {key!r}"
    for key, v in value.items():
        check = table.get(key)
        if check is None:
            return f"{which}_state has an unknown field {key!r}"
        if (problem := check(v)) is not None:
            return f"{which}_state {key!r} {problem}"
    if which == "new":
        expected = FIGURE_DECISIONS.get(action) or PAIR_DECISIONS.get(action)
        if expected and value.get("status") != expected:
            return f"new_state status {value.get('status')!r} is not what {action!r} gives"
    return None


class _Events:
    """Looking events up by id, in the other database's new events or in this one."""

    def __init__(self, db: Database | None):
        self.db = db
        self.incoming: dict[str, tuple] = {}  # id -> (action, ref, target, reviewer)

    def get(self, event_id: str) -> tuple | None:
        found = self.incoming.get(event_id)
        if found is None and self.db is not None:
            link = merging.event_link(self.db, event_id)
            if link:
                found = (link.action, link.ref, (link.target_type, link.target_id),
                         link.reviewer)
        return found

    def here(self, event_id) -> bool:
        return self.db is not None and isinstance(event_id, str) and \
            rv.event_exists(self.db, event_id)


def _chain_problem(events: _Events, start: tuple, good: set[str]) -> str | None:
    """An undo or redo must refer to an event of the same reviewer on the same target,
    through undos and redos that end, without a cycle, in a decision that can be undone."""
    action, ref, target, reviewer = start
    seen: set[str] = set()
    while True:
        if ref in good:
            break
        if ref is None:
            return f"{action} refers to no event"
        if ref in seen:
            return f"{action} refers back to itself through a cycle of undo/redo events"
        seen.add(ref)
        found = events.get(ref)
        if found is None:
            return f"{action} refers to event {ref}, which is in neither database"
        if found[2] != target or found[3] != reviewer:
            return f"{action} refers to event {ref}, of another target or reviewer"
        if found[0] not in CHAINED:
            if found[0] not in UNDOABLE:
                return f"{action} refers to a {found[0]!r} event, which cannot be undone"
            break
        action, ref = found[0], found[1]
    good.update(seen)
    return None


def _exists(d: Database | None, table: str, column: str, key: str) -> bool:
    return d is not None and merging.target_exists(d, table, column, key)


def event_problems(other: Database, db: Database | None, *, max_skew: float,
                   now: _dt.datetime | None = None) -> Iterator[tuple[str, str]]:
    """(event id, problem) for each event of `other` that `db` lacks and would refuse, in
    the order they are stored. `db` None: merging into a database that does not exist yet.
    A signed event whose signature does not verify was changed after it was signed.
    Unsigned ones (written before events were signed) pass here: whether they may come
    in depends on the rosters of their datasets (annotator.services.team)."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    latest = now + _dt.timedelta(minutes=max_skew)
    events = _Events(db)
    chained: list[tuple[str, tuple]] = []
    seen_ids: set = set()
    found_targets: set[tuple] = set()
    with merging.stored_events(other) as rows:
        for stored in rows:
            rowid, ev, row = stored.rowid, stored.values, stored.fields
            label = ev["id"] if isinstance(ev["id"], str) and not _text(MAX_ID)(ev["id"]) \
                else f"at row {rowid}"
            if events.here(ev["id"]):
                continue  # already here: merging skips it
            problem = _event_problem(ev, other, db, latest, found_targets) or \
                _signature_problem(other, rowid, ev, row)
            if problem is None and ev["id"] in seen_ids:
                problem = "appears twice"
            seen_ids.add(ev["id"])
            if problem is not None:
                yield label, problem
                continue
            key = (ev["action"], ev["ref"], (ev["target_type"], ev["target_id"]), ev["reviewer"])
            events.incoming[ev["id"]] = key
            if ev["action"] in CHAINED:
                chained.append((ev["id"], key))
    good: set[str] = set()
    for event_id, key in chained:
        if (problem := _chain_problem(events, key, good)) is not None:
            yield event_id, problem


def _event_problem(ev: dict, other: Database, db: Database | None,
                   latest: _dt.datetime, found_targets: set) -> str | None:
    for name, check in EVENT_FIELDS.items():
        if (problem := check(ev[name])) is not None:
            return f"{name} {problem}"
    if ev["target_type"] not in TARGETS[ev["action"]]:
        return f"a {ev['action']!r} event cannot be on a {ev['target_type']!r}"
    if (ev["ref"] is None) != (ev["action"] not in CHAINED):
        return "ref is missing" if ev["ref"] is None else \
            f"a {ev['action']!r} event refers to no other event (ref must be empty)"
    if parse_at(ev["at"]) > latest:
        return (f"is dated {ev['at']}, more than the allowed clock skew ahead of this "
                f"machine's clock ({latest.isoformat(timespec='seconds')} at the latest)")
    for which in ("old", "new"):
        problem = _state_problem(ev[f"{which}_state"], which, ev["action"], ev["target_type"])
        if problem is not None:
            return problem
    target = (ev["target_type"], ev["target_id"])
    if target not in found_targets:
        table, column = TARGET_TABLES[ev["target_type"]]
        if not (_exists(other, table, column, ev["target_id"])
                or _exists(db, table, column, ev["target_id"])):
            return f"is on {ev['target_type']} {ev['target_id']}, which is in neither database"
        found_targets.add(target)
    return None


def _signature_problem(other: Database, rowid: int, ev: dict, row: list) -> str | None:
    """Read only for an event whose fields passed (a source that is not what it says
    fails those first, under the deadline)."""
    stored = merging.event_signature(other, rowid)
    key, signature = stored.signer_key, stored.signature
    if key is None and signature is None:
        return None
    if not signatures.verify_fields(key, signature, row):
        return ("has a signature that does not verify: the event was changed after "
                f"{ev['reviewer']!r} signed it")
    if ev["action"] == "signoff":
        return _signoff_problem(ev, key)
    return None


def _signoff_problem(ev: dict, signer_key: str) -> str | None:
    """A sign-off's own signature (over the dataset and its content hash) must be made
    with the key that signed the event."""

    state = json.loads(ev["new_state"])
    if "signature" not in state:
        return None  # made before sign-offs were signed: a signed export asks for a new one
    if state.get("key") != signer_key:
        return (f"is a sign-off by {ev['reviewer']!r} naming another key than the one that "
                "signed the event")
    message = signatures.signoff_message(ev["target_id"], state["hash"],
                                         state.get("canonical"))
    if not signatures.verify_bytes(state["key"], state["signature"], message):
        return (f"is a sign-off by {ev['reviewer']!r} whose signature of the dataset's "
                "content hash does not verify")
    return None


def row_problems(other: Database) -> Iterator[tuple[str, str]]:
    """Datasets and figures whose values annotator could not have written."""
    for d in merging.dataset_rows(other):
        name, required, created = d.name, d.required_signoffs, d.created_at
        problem = _name(name) and f"name {_name(name)}" or (
            _count(1)(required) and f"required_signoffs {_count(1)(required)}") or (
            _text(MAX_NAME)(created) and f"created_at {_text(MAX_NAME)(created)}")
        if problem:
            yield f"dataset {name!r}", problem
    for fid in merging.figures_without_finite_values(other):
        yield f"figure {fid}", "value is not a finite number"


def check_source(other: Database, db: Database | None, p: Path, *,
                 max_skew: float, now: _dt.datetime | None = None) -> None:
    """Refuse the other database if any of its rows or new events is bad: one message
    naming the first and counting them all."""
    for kind, problems in (("row", row_problems(other)),
                           ("event", event_problems(other, db, max_skew=max_skew, now=now))):
        first, count = None, 0
        for label, problem in problems:
            first = first or (label, problem)
            count += 1
        if first is not None:
            what = f"event {first[0]}" if kind == "event" else first[0]
            raise MergeError(f"{p}: {what} {first[1]}; {count} bad {kind}(s) in all; "
                             "nothing was merged")
