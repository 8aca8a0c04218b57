"""Who a reviewer is: an Ed25519 key pair per reviewer name, and each dataset's roster.

A reviewer's key is made the first time they write an event, and kept in the per-user
config folder (`keys/` beside the config file; the private key is readable by its owner
only), so someone working alone never deals with it. `annotator keys show` prints the
public key to hand to a lead.

A dataset's **roster** says which key each trusted reviewer name signs with. It is not a
table but the dataset's `roster_add` events (so it merges, and its history shows), each
signed like every event, and derived by replaying them in order (`replay`):

- the first entry of a dataset may be written by anyone, and must put its own signer on
  the roster as `lead` (`team add` does that for the caller of the first `team add`);
- every later entry counts only if it is signed with the key of a lead on the roster;
- a name already on the roster with another key is refused, unless the entry says which
  key it replaces (`team add NAME NEWKEY --replace`, after the reviewer's `keys rotate`):
  events signed with the old key before the replacement stay valid, later ones do not;
- a `roster_remove` entry takes a name off (never the last lead): its events dated before
  the removal stay valid, later ones are refused at a merge.

A merge takes roster entries from another database only when they count on top of this
database's roster, and never starts a roster here (annotator.services.team).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding, NoEncryption, PrivateFormat, load_pem_private_key,
)
from sqlite_utils import Database

from annotator import paths
from annotator.services.common import ReviewError
from annotator.storage import articles as repo
from annotator.storage import reviews as rv
from annotator.storage import signatures as sig
from annotator.storage.db import now_iso
from annotator.storage.reviews import SYSTEM_REVIEWER

ROSTER_ACTION = "roster_add"
ROSTER_REMOVE = "roster_remove"
ROSTER_ACTIONS = (ROSTER_ACTION, ROSTER_REMOVE)
ROLES = ("lead", "reviewer")


class IdentityError(ReviewError):
    """A key that cannot be read or made, or a roster change that is refused."""


# --- keys ---------------------------------------------------------------------------------

def keys_dir() -> Path:
    return paths.config_path().parent / "keys"


def key_path(name: str) -> Path:
    return keys_dir() / (quote(name, safe="") + ".pem")


_cache: dict[str, Ed25519PrivateKey] = {}
_public: dict[str, str] = {}


def private_key(name: str) -> Ed25519PrivateKey:
    """The reviewer's private key, made (and saved) the first time it is needed."""
    p = key_path(name)
    cached = _cache.get(str(p))
    if cached is not None:
        return cached
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        data = _create(p)
    except OSError as e:
        raise IdentityError(f"{p}: cannot read the key of {name!r}: {e.strerror}") from e
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise IdentityError(f"{p}: not a readable private key of {name!r}") from e
    if not isinstance(key, Ed25519PrivateKey):
        raise IdentityError(f"{p}: the key of {name!r} is not an Ed25519 key")
    _cache[str(p)] = key
    return key


def _create(p: Path) -> bytes:
    """Write a new key with mode 0600, complete or not at all: written to a temporary
    file first and linked into place, so two processes making one at once keep one."""
    try:
        p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                                                         NoEncryption())
        tmp = p.with_name(f".{p.name}.{uuid.uuid4().hex}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, p)
            except FileExistsError:
                pass  # another process made it first: theirs is the key
        finally:
            os.unlink(tmp)
        return p.read_bytes()
    except OSError as e:
        raise IdentityError(f"{p}: cannot save a new key: {e.strerror}") from e


def public_key(name: str) -> str:
    """The reviewer's public key as text (`ed25519:BASE64`)."""
    p = str(key_path(name))
    if p not in _public:
        _public[p] = sig.public_text(private_key(name).public_key())
    return _public[p]


def retired_dir() -> Path:
    return keys_dir() / "retired"


def rotate_key(name: str) -> tuple[str, str]:
    """Replace `name`'s key pair with a new one; the old private key is kept in
    keys/retired/ (a lead signs the roster change with it). Returns (old public key,
    new public key)."""
    old = public_key(name)
    p = key_path(name)
    stamp = now_iso().replace(":", "").replace("+", "Z")
    target = retired_dir() / f"{quote(name, safe='')}.{stamp}.pem"
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.replace(p, target)
    except OSError as e:
        raise IdentityError(f"{p}: cannot retire the key of {name!r}: {e.strerror}") from e
    _forget(name)
    return old, public_key(name)


def retired_key(name: str, public: str) -> Ed25519PrivateKey | None:
    """The retired private key of `name` whose public key is `public`, if kept here."""
    try:
        candidates = sorted(retired_dir().glob(quote(name, safe="") + ".*.pem"))
    except OSError:
        return None
    for path in candidates:
        try:
            key = load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError):
            continue
        if isinstance(key, Ed25519PrivateKey) and sig.public_text(key.public_key()) == public:
            return key
    return None


def _forget(name: str) -> None:
    p = str(key_path(name))
    _cache.pop(p, None)
    _public.pop(p, None)
    for where in [w for w in _signers if w[1] == name]:
        _signers.pop(where, None)


def show_line(name: str) -> str:
    """One line to give to a lead: the public key and the name."""
    return f"{public_key(name)} {name}"


_signers: dict[tuple, tuple] = {}


def signer(name: str) -> tuple[Ed25519PrivateKey, str] | None:
    """The key to sign `name`'s events with, and its public text; None for annotator's
    own events. Looked up once per name and config folder (finding the key file's path
    cost as much as signing), and read again when the key file was replaced since (a
    `keys rotate` run by another process while the window is open): one stat."""
    if name == SYSTEM_REVIEWER:
        return None
    where = (os.environ.get("ANNOTATOR_CONFIG"), name)  # what paths.config_path reads
    found = _signers.get(where)
    if found is not None and _stamp(found[2]) == found[3]:
        return found[0], found[1]
    if found is not None:
        _forget(name)
    path = str(key_path(name))
    key, public = private_key(name), public_key(name)
    _signers[where] = (key, public, path, _stamp(path))
    return key, public


def _stamp(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


# --- rosters ------------------------------------------------------------------------------

@dataclass
class Member:
    name: str
    key: str
    role: str
    added_by: str
    at: str
    removed_at: str | None = None  # taken off the roster then (None: on it)
    # keys this member signed with before, each with the time it was replaced
    former: dict = field(default_factory=dict)
    # (removed, added again) time pairs: events dated between count as removed
    gaps: list = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.removed_at is None

    def problem(self, key: str, at: str) -> str | None:
        """Why an event signed with `key` and dated `at` does not count as this
        member's, or None."""
        if self.removed_at is not None and at > self.removed_at:
            return f"was removed from the roster at {self.removed_at}"
        for removed, added in self.gaps:
            if removed < at < added:
                return f"was off the roster from {removed} to {added}"
        if key == self.key:
            return None
        if key in self.former:
            if at <= self.former[key]:
                return None
            return (f"signed with their old key {sig.fingerprint(key)}, which was replaced "
                    f"at {self.former[key]}")
        return "another key"

    @property
    def fingerprint(self) -> str:
        return sig.fingerprint(self.key)

    def as_dict(self) -> dict:
        return {"name": self.name, "key": self.key, "role": self.role,
                "added_by": self.added_by, "at": self.at, "fingerprint": self.fingerprint}


def replay(members: dict[str, Member], event: rv.SignedEvent, dataset: str) -> str | None:
    """Apply one roster event to `members` (every name ever on the roster, removed ones
    too); the reason it does not count, or None."""
    signer_key = event.signer_key
    reviewer, at, action = event.reviewer, event.at, event.action
    if not sig.verify_fields(signer_key, event.signature, event.fields):
        return f"roster entry by {reviewer!r} is not validly signed"
    try:
        new = json.loads(event.new_state_text)
        name = new["name"]
        if action == ROSTER_ACTION:
            key, role, replaces = new["key"], new["role"], new.get("replaces")
    except (ValueError, TypeError, KeyError):
        return "roster entry has no name, key and role"
    active = {n: m for n, m in members.items() if m.active}
    if active:
        lead = active.get(reviewer)
        if lead is None or lead.role != "lead" or signer_key != lead.key:
            return (f"roster entry for {name!r} is signed by {reviewer!r} (key "
                    f"{sig.fingerprint(signer_key)}), who is not a lead of dataset {dataset!r}")
    elif action != ROSTER_ACTION or not (name == reviewer and key == signer_key
                                         and role == "lead"):
        return (f"the first roster entry of dataset {dataset!r} must put its own signer on "
                "the roster as lead")
    existing = members.get(name)
    if action == ROSTER_REMOVE:
        if existing is None or not existing.active:
            return f"{name!r} is not on the roster of dataset {dataset!r}"
        if existing.role == "lead" and [m for m in active.values() if m.role == "lead"] == \
                [existing]:
            return f"{name!r} is the last lead of dataset {dataset!r} and cannot be removed"
        existing.removed_at = at
        return None
    if role not in ROLES:
        return f"roster entry has an unknown role {role!r}"
    if existing is not None and not existing.active:
        existing.gaps.append((existing.removed_at, at))
        existing.removed_at = None
        if existing.key != key:
            existing.former[existing.key] = at
        existing.key, existing.role = key, role
        return None
    if existing is not None and existing.key != key:
        if replaces != existing.key:
            return (f"{name!r} is already on the roster of dataset {dataset!r} with another "
                    f"key ({existing.fingerprint}); the entry with key "
                    f"{sig.fingerprint(key)} is refused")
        existing.former[existing.key] = at
        existing.key, existing.role = key, role
        return None
    if existing is not None:
        existing.role = role
        return None
    members[name] = Member(name, key, role, reviewer, at)
    return None


def roster_all(db: Database, dataset: str) -> dict[str, Member]:
    """Every name ever on the dataset's roster, removed ones with `removed_at`."""
    members: dict[str, Member] = {}
    for event in rv.signed_events_of(db, "dataset", dataset, ROSTER_ACTIONS):
        replay(members, event, dataset)
    return members


def roster(db: Database, dataset: str) -> dict[str, Member]:
    """The dataset's trusted reviewers by name (entries that do not count are skipped)."""
    return {n: m for n, m in roster_all(db, dataset).items() if m.active}


def add_member(db: Database, *, dataset: str, reviewer: str, name: str, key: str,
               role: str = "reviewer", replace: bool = False) -> list[rv.Event]:
    """`reviewer` (a lead of the dataset, or anyone for its first entry, who becomes its
    lead) puts `name` with public `key` on the dataset's roster; with `replace`, `key`
    replaces the key `name` has there (after their `keys rotate`). Returns the events
    written (none when the entry is already there). The caller holds the write lock."""
    if role not in ROLES:
        raise IdentityError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    if (problem := repo.unknown_dataset(db, dataset)):
        raise IdentityError(problem)
    try:
        sig.parse_public(key)
    except sig.BadKey as e:
        raise IdentityError(str(e)) from None
    name = name.strip()
    if not name:
        raise IdentityError("a roster entry needs a reviewer name")
    written = []
    members = roster(db, dataset)
    if not members:
        written.append(_entry(db, dataset, reviewer, ROSTER_ACTION,
                              {"name": reviewer, "key": public_key(reviewer), "role": "lead"}))
        members = roster(db, dataset)
    signing = _lead_signer(members, dataset, reviewer)
    existing = members.get(name)
    if existing is not None and existing.key != key:
        if not replace:
            raise IdentityError(f"{name!r} is already on the roster of dataset {dataset!r} "
                                f"with another key ({existing.fingerprint}, not "
                                f"{sig.fingerprint(key)}); after a key rotation, add the new "
                                "key with --replace")
        role = "lead" if existing.role == "lead" else role
        written.append(_entry(db, dataset, reviewer, ROSTER_ACTION,
                              {"name": name, "key": key, "role": role,
                               "replaces": existing.key}, signing))
        return written
    if replace and existing is None:
        raise IdentityError(f"{name!r} is not on the roster of dataset {dataset!r}: there is "
                            "no key to replace (add them without --replace)")
    if existing is not None and (existing.role == role or existing.role == "lead"):
        return written
    written.append(_entry(db, dataset, reviewer, ROSTER_ACTION,
                          {"name": name, "key": key, "role": role}, signing))
    return written


def remove_member(db: Database, *, dataset: str, reviewer: str, name: str) -> rv.Event:
    """A lead takes `name` off the dataset's roster: their events dated after this are
    refused at a merge, earlier ones stay valid. The last lead cannot be removed. The
    caller holds the write lock."""
    if (problem := repo.unknown_dataset(db, dataset)):
        raise IdentityError(problem)
    members = roster(db, dataset)
    signing = _lead_signer(members, dataset, reviewer)
    existing = members.get(name)
    if existing is None:
        raise IdentityError(f"{name!r} is not on the roster of dataset {dataset!r}")
    if existing.role == "lead" and [m.name for m in members.values() if m.role == "lead"] == \
            [name]:
        raise IdentityError(f"{name!r} is the last lead of dataset {dataset!r}: make another "
                            "lead first (team add NAME KEY --lead)")
    return _entry(db, dataset, reviewer, ROSTER_REMOVE, {"name": name, "key": existing.key},
                  signing)


def _lead_signer(members: dict[str, Member], dataset: str,
                 reviewer: str) -> tuple[Ed25519PrivateKey, str] | None:
    """The key `reviewer` signs a roster change with: their roster key, which after they
    rotated their own key is the retired one (None: their current key)."""
    lead = members.get(reviewer)
    own = public_key(reviewer)
    if lead is not None and lead.role == "lead":
        if lead.key == own:
            return None
        old = retired_key(reviewer, lead.key)
        if old is not None:
            return old, lead.key
    leads = ", ".join(sorted(m.name for m in members.values() if m.role == "lead"))
    raise IdentityError(f"only a lead of dataset {dataset!r} can change its roster "
                        f"(its leads: {leads}); {reviewer!r} with key "
                        f"{sig.fingerprint(own)} is not one")


def _entry(db: Database, dataset: str, reviewer: str, action: str, new_state: dict,
           signing: tuple[Ed25519PrivateKey, str] | None = None) -> rv.Event:
    return rv.append_event(db, reviewer=reviewer, action=action, target_type="dataset",
                           target_id=dataset, old_state=None, new_state=new_state,
                           batch=rv.new_batch(), signer=signing)
