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
- a name already on the roster with another key is refused (no key rotation yet); the
  same name and key again only changes the role.

A merge takes roster entries from another database only when they count on top of this
database's roster, and never starts a roster here (annotator.services.team).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional
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
from annotator.storage.reviews import SYSTEM_REVIEWER

ROSTER_ACTION = "roster_add"
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


def show_line(name: str) -> str:
    """One line to give to a lead: the public key and the name."""
    return f"{public_key(name)} {name}"


_signers: dict[tuple, tuple[Ed25519PrivateKey, str]] = {}


def signer(name: str) -> Optional[tuple[Ed25519PrivateKey, str]]:
    """The key to sign `name`'s events with, and its public text; None for annotator's
    own events. Looked up once per name and config folder: finding the key file's path
    cost as much as signing."""
    if name == SYSTEM_REVIEWER:
        return None
    where = (os.environ.get("ANNOTATOR_CONFIG"), name)  # what paths.config_path reads
    found = _signers.get(where)
    if found is None:
        found = _signers[where] = (private_key(name), public_key(name))
    return found


# --- rosters ------------------------------------------------------------------------------

@dataclass
class Member:
    name: str
    key: str
    role: str
    added_by: str
    at: str

    @property
    def fingerprint(self) -> str:
        return sig.fingerprint(self.key)

    def as_dict(self) -> dict:
        return {**asdict(self), "fingerprint": self.fingerprint}


def replay(members: dict[str, Member], event: rv.SignedEvent, dataset: str) -> Optional[str]:
    """Apply one roster event to `members`; the reason it does not count, or None."""
    signer_key = event.signer_key
    reviewer = event.reviewer
    if not sig.verify(signer_key, event.signature, event.fields):
        return f"roster entry by {reviewer!r} is not validly signed"
    try:
        new = json.loads(event.new_state_text)
        name, key, role = new["name"], new["key"], new["role"]
    except (ValueError, TypeError, KeyError):
        return "roster entry has no name, key and role"
    if role not in ROLES:
        return f"roster entry has an unknown role {role!r}"
    if members:
        lead = members.get(reviewer)
        if lead is None or lead.role != "lead" or lead.key != signer_key:
            return (f"roster entry for {name!r} is signed by {reviewer!r} (key "
                    f"{sig.fingerprint(signer_key)}), who is not a lead of dataset {dataset!r}")
    elif not (name == reviewer and key == signer_key and role == "lead"):
        return (f"the first roster entry of dataset {dataset!r} must put its own signer on "
                "the roster as lead")
    existing = members.get(name)
    if existing is not None and existing.key != key:
        return (f"{name!r} is already on the roster of dataset {dataset!r} with another key "
                f"({existing.fingerprint}); the entry with key {sig.fingerprint(key)} is refused")
    members[name] = Member(name, key, role, reviewer, event.at)
    return None


def roster(db: Database, dataset: str) -> dict[str, Member]:
    """The dataset's trusted reviewers by name (entries that do not count are skipped)."""
    members: dict[str, Member] = {}
    for event in rv.signed_events_of(db, "dataset", dataset, ROSTER_ACTION):
        replay(members, event, dataset)
    return members


def add_member(db: Database, *, dataset: str, reviewer: str, name: str, key: str,
               role: str = "reviewer") -> list[rv.Event]:
    """`reviewer` (a lead of the dataset, or anyone for its first entry, who becomes its
    lead) puts `name` with public `key` on the dataset's roster. Returns the events
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
    own = public_key(reviewer)
    if not members:
        written.append(_entry(db, dataset, reviewer, reviewer, own, "lead"))
        members = roster(db, dataset)
    lead = members.get(reviewer)
    if lead is None or lead.role != "lead" or lead.key != own:
        leads = ", ".join(sorted(m.name for m in members.values() if m.role == "lead"))
        raise IdentityError(f"only a lead of dataset {dataset!r} can change its roster "
                            f"(its leads: {leads}); {reviewer!r} with key "
                            f"{sig.fingerprint(own)} is not one")
    existing = members.get(name)
    if existing is not None and existing.key != key:
        raise IdentityError(f"{name!r} is already on the roster of dataset {dataset!r} with "
                            f"another key ({existing.fingerprint}, not {sig.fingerprint(key)})")
    if existing is not None and (existing.role == role or existing.role == "lead"):
        return written
    written.append(_entry(db, dataset, reviewer, name, key, role))
    return written


def _entry(db: Database, dataset: str, reviewer: str, name: str, key: str,
           role: str) -> rv.Event:
    return rv.append_event(db, reviewer=reviewer, action=ROSTER_ACTION, target_type="dataset",
                           target_id=dataset, old_state=None,
                           new_state={"name": name, "key": key, "role": role},
                           batch=rv.new_batch())
