"""Ed25519 signatures over review events (through `cryptography`; nothing hand-made).

A signature covers a canonical serialisation of every field of an event as it is
stored (the states as the JSON text in the row, not re-serialised), so verifying needs
nothing but the row: a merge checks the other database's rows as they are.
Keys travel as text: `ed25519:` + the standard base64 of the 32 raw bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, \
    Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "ed25519:"
# The stored event fields a signature covers, in this order.
FIELDS = ("id", "at", "reviewer", "action", "target_type", "target_id", "old_state",
          "new_state", "note", "ref", "batch")
# Told apart from anything else a key might sign, and versioned.
DOMAIN = "annotator-event/1"


class BadKey(ValueError):
    """A public key or signature that is not one annotator writes."""


def canonical(row: Sequence) -> bytes:
    """The bytes signed for an event: a compact JSON array of DOMAIN and the stored
    fields (FIELDS order; text or null), UTF-8."""
    if len(row) != len(FIELDS):
        raise ValueError(f"an event has {len(FIELDS)} fields, got {len(row)}")
    return json.dumps([DOMAIN, *row], ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8", "surrogateescape")


def public_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return PREFIX + base64.b64encode(raw).decode("ascii")


def parse_public(text) -> Ed25519PublicKey:
    if not isinstance(text, str) or not text.startswith(PREFIX):
        raise BadKey(f"{str(text)[:60]!r} is not an annotator public key "
                        f"({PREFIX}BASE64)")
    try:
        raw = base64.b64decode(text[len(PREFIX):], validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as e:
        raise BadKey(f"{text[:60]!r} is not an Ed25519 public key") from e


def fingerprint(text: str) -> str:
    """A short name for a public key, to read out or compare by eye: SHA256: and the
    first 16 hex digits of the hash of its raw bytes, in groups of four."""
    try:
        raw = base64.b64decode(text[len(PREFIX):], validate=True)
    except (binascii.Error, ValueError, TypeError):
        raw = str(text).encode("utf-8", "surrogateescape")
    h = hashlib.sha256(raw).hexdigest()[:16]
    return "SHA256:" + ":".join(h[i:i + 4] for i in range(0, 16, 4))


def sign_fields(key: Ed25519PrivateKey, row: Sequence, public: str | None = None) -> tuple[str, str]:
    """(signer key text, signature text) for an event's stored fields."""
    signature = key.sign(canonical(row))
    return public or public_text(key.public_key()), base64.b64encode(signature).decode("ascii")


def verify_fields(signer_key, signature, row: Sequence) -> bool:
    """Whether `signature` is `signer_key`'s signature of exactly these stored fields."""
    try:
        key = parse_public(signer_key)
        raw = base64.b64decode(signature, validate=True) if isinstance(signature, str) else b""
        key.verify(raw, canonical(row))
        return True
    except (BadKey, InvalidSignature, binascii.Error, ValueError, TypeError):
        return False


# --- sign-offs and export manifests ---------------------------------------------------

# A sign-off's own signature: over the dataset's name, its canonical content hash and the
# canonical form's version, so it can be checked with nothing but those (a signed
# export's manifest carries it; annotator verify needs no database).
SIGNOFF_DOMAIN = "annotator-signoff/1"
# The exporter's signature over the manifest of a signed export (every field but itself).
MANIFEST_DOMAIN = "annotator-export-manifest/1"


def signoff_message(dataset: str, content_hash: str, canonical_version: int) -> bytes:
    return json.dumps([SIGNOFF_DOMAIN, dataset, content_hash, canonical_version],
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8",
                                                                        "surrogateescape")


def manifest_message(manifest: dict) -> bytes:
    """The bytes an export manifest's signature covers: the manifest without its
    `export_signature`, as JSON with sorted keys and no spaces, UTF-8."""
    body = {k: v for k, v in manifest.items() if k != "export_signature"}
    return json.dumps([MANIFEST_DOMAIN, body], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"), allow_nan=False).encode("utf-8",
                                                                     "surrogateescape")


def sign_bytes(key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message)).decode("ascii")


def verify_bytes(signer_key, signature, message: bytes) -> bool:
    """Whether `signature` (base64) is `signer_key`'s signature of `message`."""
    try:
        key = parse_public(signer_key)
        raw = base64.b64decode(signature, validate=True) if isinstance(signature, str) else b""
        key.verify(raw, message)
        return True
    except (BadKey, InvalidSignature, binascii.Error, ValueError, TypeError):
        return False
