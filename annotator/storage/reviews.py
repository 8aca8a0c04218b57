"""Review events (append-only) and the review state derived from them.

The events table is the truth; `figure_state` is a cache recomputed for the targets an
event touches, inside the same transaction, so readers never see one without the other.
State is derived per reviewer (each reviewer's latest event on a target), then combined:
an adjudication settles a target until a reviewer acts on it again; reviewers who agree
give that verdict; reviewers who disagree leave the target in conflict.
"""

from __future__ import annotations

import datetime as _dt
import json
import uuid
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlite_utils import Database

from . import signatures
from .clock import now_iso
from .errors import StorageError

# Events annotator writes itself (migration 0006's `rekey`) are no reviewer's and unsigned.
SYSTEM_REVIEWER = "annotator"
UNREVIEWED = {"status": "unreviewed"}
# The parts of a state that make two verdicts the same verdict (notes may differ).
VERDICT_KEYS = ("status", "value", "unit", "currency", "kind", "flag")
DECISIONS = {"confirm", "correct", "flag", "clear"}
PAIR_DECISIONS = {"pair_confirm", "pair_reject"}


@dataclass
class Event:
    id: str
    at: str
    reviewer: str
    action: str
    target_type: str
    target_id: str
    old_state: dict | None
    new_state: dict | None
    note: str | None
    ref: str | None
    batch: str
    # who signed it (`ed25519:BASE64`) and the signature (base64); None: unsigned (written
    # before events were signed, or by annotator itself). Reads of many events leave
    # them None: see `signer_of`.
    signer_key: str | None = None
    signature: str | None = None

    def stored(self) -> list:
        """The event's fields as the row stores them (states as JSON text): what its
        signature covers (annotator.storage.signatures)."""
        return [self.id, self.at, self.reviewer, self.action, self.target_type,
                self.target_id,
                json.dumps(self.old_state, ensure_ascii=False) if self.old_state is not None
                else None,
                json.dumps(self.new_state, ensure_ascii=False) if self.new_state is not None
                else None,
                self.note, self.ref, self.batch]

    def as_dict(self) -> dict:
        return {
            "event_id": self.id, "at": self.at, "reviewer": self.reviewer, "action": self.action,
            "target_type": self.target_type, "target_id": self.target_id,
            "old_state": self.old_state, "new_state": self.new_state, "note": self.note,
            "ref": self.ref, "batch": self.batch,
        }


_COLUMNS = "id, at, reviewer, action, target_type, target_id, old_state, new_state, note, ref, batch"


def _event(row, parsed: dict | None = None) -> Event:
    """An event from its row. `parsed` memoises the JSON of states across the rows of
    one read: a figure's thousands of events hold a handful of distinct states, and
    parsing each again was most of what a decision on such a figure cost. Events of
    one read may share a state dict: treat states as read-only."""
    r = list(row)
    for i in (6, 7):
        raw = r[i]
        if not raw:
            r[i] = None
        elif parsed is None:
            r[i] = json.loads(raw)
        else:
            value = parsed.get(raw)
            if value is None:
                value = parsed[raw] = json.loads(raw)
            r[i] = value
    return Event(*r)


def _events(rows) -> list[Event]:
    parsed: dict = {}
    return [_event(r, parsed) for r in rows]


def new_batch() -> str:
    return uuid.uuid4().hex


def append_event(
    db: Database,
    *,
    reviewer: str,
    action: str,
    target_type: str,
    target_id: str,
    old_state: dict | None,
    new_state: dict | None,
    batch: str,
    note: str | None = None,
    ref: str | None = None,
    at: str | None = None,
    signer: tuple | None = None,
) -> Event:
    """Append one event, signed with the reviewer's key (made on their first event:
    annotator.services.identity, through `use_signer`), or with `signer` (private key,
    public text) where given (a lead's retired key); annotator's own events are
    unsigned."""
    ev = Event(uuid.uuid4().hex, at or next_at(db, target_type, target_id, reviewer),
               reviewer, action, target_type, target_id, old_state, new_state, note, ref, batch)
    row = ev.stored()
    key = signer or _signer_of(reviewer)
    if key is not None:
        ev.signer_key, ev.signature = signatures.sign_fields(key[0], row, key[1])
    _insert(db, ev, row)
    return ev


# Where a reviewer's key is found is the identity service's business (the per-user key
# folder, made on first use: annotator.services.identity), and storage imports no
# service: the services package hands its `signer` over when it is imported.
Signer = Callable[[str], tuple[Ed25519PrivateKey, str] | None]
_signers: list[Signer] = []


def use_signer(fn: Signer) -> None:
    """The function that gives a reviewer's private key and its public text (None: the
    events of that name are unsigned); every event `append_event` writes is signed
    with it."""
    _signers[:] = [fn]


def _signer_of(reviewer: str) -> tuple[Ed25519PrivateKey, str] | None:
    if reviewer == SYSTEM_REVIEWER:
        return None
    if not _signers:
        raise StorageError(
            f"cannot sign the event of {reviewer!r}: no signer is set (import "
            "annotator.services, which sets the reviewers' keys, before writing events)")
    return _signers[0](reviewer)


def next_at(db: Database, target_type: str, target_id: str, reviewer: str) -> str:
    """The time of a new event: a hybrid logical clock.

    State is ordered by event time (`at`, then insertion order), and times come from
    whichever machine wrote the event. A new event is dated by this machine's clock, but
    never earlier than one microsecond after the newest event this database already has
    on the same target or by the same reviewer. So an event written after another was
    seen always orders after it, whatever that one's clock said: a sign-off after a
    merged `reopen`, an adjudication after a merged correction from a machine whose clock
    runs ahead, an undo after the reviewer's own decisions on another machine. A forged
    or fast clock can only reorder events that were written without seeing each other,
    and merge refuses events dated more than its allowed skew ahead of the merging
    machine's clock (annotator.services.merge_checks), so by at most that much.

    Both look-ups use an index ending in `at` (events_target, events_reviewer).
    """
    now = now_iso()
    newest = max(filter(None, (
        db.execute("SELECT MAX(at) FROM events WHERE target_type = ? AND target_id = ?",
                   [target_type, target_id]).fetchone()[0],
        db.execute("SELECT MAX(at) FROM events WHERE reviewer = ?",
                   [reviewer]).fetchone()[0])), default=None)
    if newest is None or not isinstance(newest, str) or newest < now:
        return now
    return _after(newest)


def _after(at: str) -> str:
    """One microsecond after `at`; `at` itself where that cannot be written (a time that
    is not annotator's form, or the last microsecond of 9999): ties order by insertion."""
    try:
        t = _dt.datetime.fromisoformat(at).astimezone(_dt.timezone.utc)
        return (t + _dt.timedelta(microseconds=1)).isoformat(timespec="microseconds")
    except (ValueError, OverflowError):
        return at


def insert_events(db: Database, events: Iterable[Event]) -> int:
    """Insert events, ignoring ones already present (merging twice changes nothing)."""
    return sum(_insert(db, e, e.stored()) for e in events)


def _insert(db: Database, e: Event, row: list) -> int:
    # an unsigned event names only the first columns: migration 0006 writes one before
    # migration 0007 adds the signature columns
    if e.signer_key is None and e.signature is None:
        return db.execute(f"INSERT OR IGNORE INTO events({_COLUMNS}) "
                          "VALUES (?,?,?,?,?,?,?,?,?,?,?)", row).rowcount
    return db.execute(f"INSERT OR IGNORE INTO events({_COLUMNS}, signer_key, signature) "
                      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      [*row, e.signer_key, e.signature]).rowcount


def signer_of(db: Database, event_ids: Iterable[str]) -> dict[str, str | None]:
    """Each event's signer key (None: unsigned), for showing which events are signed."""
    ids = list(event_ids)
    out: dict[str, str | None] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update(db.execute(f"SELECT id, signer_key FROM events WHERE id IN "
                              f"({','.join('?' * len(chunk))})", chunk).fetchall())
    return out


def events_for(db: Database, target_type: str, target_id: str) -> list[Event]:
    return _events(db.execute(
        f"SELECT {_COLUMNS} FROM events WHERE target_type = ? AND target_id = ? "
        "ORDER BY at, rowid", [target_type, target_id]))


def events_by_reviewer(db: Database, reviewer: str) -> list[Event]:
    return _events(db.execute(
        f"SELECT {_COLUMNS} FROM events WHERE reviewer = ? ORDER BY at, rowid", [reviewer]))


def batches_by_reviewer_newest_first(db: Database, reviewer: str,
                                     chunk: int = 256) -> Iterable[list[Event]]:
    """A reviewer's batches (the events of one action), newest first, read in chunks."""
    offset = 0
    current: list[Event] = []
    while True:
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM events WHERE reviewer = ? ORDER BY at DESC, rowid DESC "
            "LIMIT ? OFFSET ?", [reviewer, chunk, offset]).fetchall()
        for r in rows:
            e = _event(r)
            if current and current[0].batch != e.batch:
                yield list(reversed(current))
                current = []
            current.append(e)
        if len(rows) < chunk:
            break
        offset += chunk
    if current:
        yield list(reversed(current))


def all_events(db: Database) -> Iterable[Event]:
    parsed: dict = {}
    for r in db.execute(f"SELECT {_COLUMNS} FROM events ORDER BY at, rowid"):
        if len(parsed) > 100_000:  # notes make states distinct: keep the memo small
            parsed.clear()
        yield _event(r, parsed)


def reviewer_state(events: list[Event], reviewer: str) -> dict:
    """A reviewer's own current state of one target: their latest event's new state."""
    origins = _origins(events)
    for e in reversed(events):
        if (e.reviewer == reviewer and e.new_state is not None
                and origins[e.id].action != "adjudicate"):
            return e.new_state
    return dict(UNREVIEWED)


def verdict(state: dict) -> tuple:
    return tuple(state.get(k) for k in VERDICT_KEYS)


@dataclass
class Derived:
    status: str = "unreviewed"
    state: dict = field(default_factory=lambda: dict(UNREVIEWED))
    conflict: bool = False
    reviewers: dict = field(default_factory=dict)  # reviewer -> their state (reviewed only)
    updated_at: str | None = None


def derive(events: list[Event]) -> Derived:
    """Combine a target's events into its current state."""
    per: dict[str, dict] = {}
    last_at: dict[str, str] = {}
    adjudications: list[Event] = []
    origins = _origins(events)
    for e in events:
        origin = origins[e.id]
        if origin.action == "adjudicate":
            # an adjudication, or an undo/redo of one: it never counts as a reviewer's verdict
            if e.action == "undo":
                adjudications = [a for a in adjudications if origins[a.id].id != origin.id]
            else:
                adjudications.append(e)
        elif e.new_state is not None:
            per[e.reviewer] = e.new_state
            last_at[e.reviewer] = e.at
    adjudication = adjudications[-1] if adjudications else None
    reviewed = {r: s for r, s in per.items() if s.get("status", "unreviewed") != "unreviewed"}
    updated = max([e.at for e in events], default=None)
    if adjudication is not None and all(at <= adjudication.at for at in last_at.values()):
        st = adjudication.new_state or dict(UNREVIEWED)
        return Derived(st.get("status", "unreviewed"), st, False, reviewed, updated)
    if not reviewed:
        return Derived(reviewers={}, updated_at=updated)
    # states read together share their dicts: each distinct one is compared once
    verdicts = {verdict(s) for s in {id(s): s for s in reviewed.values()}.values()}
    if len(verdicts) > 1:
        return Derived("unreviewed", dict(UNREVIEWED), True, reviewed, updated)
    latest = max(reviewed, key=lambda r: last_at[r])
    st = reviewed[latest]
    return Derived(st.get("status", "unreviewed"), st, False, reviewed, updated)


def origin_of(e: Event, by_id: dict[str, Event]) -> Event:
    """The decision an undo/redo chain goes back to. A chain that comes back on itself
    (an undo referring to itself, or a cycle: only a database edited outside annotator
    has one, merge refuses them) ends at the last event before it repeats."""
    seen = {e.id}
    while e.action in ("undo", "redo") and e.ref in by_id and e.ref not in seen:
        e = by_id[e.ref]
        seen.add(e.id)
    return e


def _origins(events: list[Event]) -> dict[str, Event]:
    """Each event's origin (`origin_of`), in one pass over events that refer to earlier
    ones: linear in the events, where walking every chain again cost its length each."""
    by_id = {e.id: e for e in events}
    out: dict[str, Event] = {}
    for e in events:
        if e.action not in ("undo", "redo") or e.ref not in by_id:
            out[e.id] = e
        elif e.ref in out and out[e.ref].id != e.id:
            out[e.id] = out[e.ref]
        else:  # refers to a later event (clock skew), or to itself
            out[e.id] = origin_of(e, by_id)
    return out


def write_figure_state(db: Database, figure_id: str, d: Derived,
                       inherited_from: str | None = None) -> None:
    st = d.state
    if d.status == "unreviewed" and not d.conflict and inherited_from is None:
        db.execute("DELETE FROM figure_state WHERE figure_id = ?", [figure_id])
        return
    db.execute(
        "INSERT OR REPLACE INTO figure_state(figure_id, status, corrected_value, corrected_unit, "
        "corrected_currency, corrected_kind, flag, note, conflict, inherited_from, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [figure_id, d.status, st.get("value"), st.get("unit"), st.get("currency"),
         st.get("kind"), st.get("flag"), st.get("note"), int(d.conflict), inherited_from,
         d.updated_at],
    )


def figure_state(db: Database, figure_id: str) -> dict:
    row = db.execute(
        "SELECT status, corrected_value, corrected_unit, corrected_currency, corrected_kind, "
        "flag, note, conflict, inherited_from FROM figure_state WHERE figure_id = ?",
        [figure_id]).fetchone()
    if not row:
        return {"status": "unreviewed", "conflict": False}
    keys = ("status", "value", "unit", "currency", "kind", "flag", "note", "conflict",
            "inherited_from")
    out = dict(zip(keys, row))
    out["conflict"] = bool(out["conflict"])
    return out


# --- a dataset's figures and their events ------------------------------------------

def dataset_figure_ids(db: Database, dataset: str | None = None) -> list[str]:
    if dataset is None:
        return [r[0] for r in db.execute("SELECT id FROM figures ORDER BY article_id, seq")]
    return [r[0] for r in db.execute(
        "SELECT f.id FROM dataset_articles da JOIN figures f ON f.article_id = da.article_id "
        "WHERE da.dataset = ? ORDER BY da.seq, f.seq", [dataset])]


def dataset_figure_events(db: Database,
                          dataset: str | None = None) -> dict[str, list[Event]]:
    """Every figure of the dataset (all figures if None) with its events, oldest first."""
    out: dict[str, list[Event]] = {fid: [] for fid in dataset_figure_ids(db, dataset)}
    for e in all_events(db):
        if e.target_type == "figure" and e.target_id in out:
            out[e.target_id].append(e)
    return out


# --- events as stored, with their signatures ------------------------------------------

@dataclass(frozen=True)
class SignedEvent:
    """An event's stored fields (states as JSON text, as signatures.FIELDS orders them:
    what its signature covers) with its signer key and signature (None: unsigned)."""
    fields: tuple
    signer_key: str | None
    signature: str | None

    @property
    def id(self) -> str:
        return self.fields[0]

    @property
    def at(self) -> str:
        return self.fields[1]

    @property
    def reviewer(self) -> str:
        return self.fields[2]

    @property
    def action(self) -> str:
        return self.fields[3]

    @property
    def target_type(self) -> str:
        return self.fields[4]

    @property
    def target_id(self) -> str:
        return self.fields[5]

    @property
    def new_state_text(self) -> str | None:
        return self.fields[7]


_SIGNED = ", ".join(signatures.FIELDS) + ", signer_key, signature"


def _signed_event(row) -> SignedEvent:
    return SignedEvent(tuple(row[:-2]), row[-2], row[-1])


def signed_events_of(db: Database, target_type: str, target_id: str,
                     actions: Iterable[str]) -> list[SignedEvent]:
    """A target's events of these actions, oldest first, as stored and signed."""
    wanted = list(actions)
    return [_signed_event(r) for r in db.execute(
        f"SELECT {_SIGNED} FROM events WHERE target_type = ? AND target_id = ? AND "
        f"action IN ({','.join('?' * len(wanted))}) ORDER BY at, rowid",
        [target_type, target_id, *wanted])]


def all_signed_events(db: Database) -> Iterable[SignedEvent]:
    """Every event, oldest first, as stored and signed."""
    for r in db.execute(f"SELECT {_SIGNED} FROM events ORDER BY at, rowid"):
        yield _signed_event(r)


def event_exists(db: Database, event_id) -> bool:
    return db.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone() is not None


def events_on_count(db: Database, target_type: str, target_id: str) -> int:
    return db.execute("SELECT COUNT(*) FROM events WHERE target_type = ? AND target_id = ?",
                      [target_type, target_id]).fetchone()[0]
