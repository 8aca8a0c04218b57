"""The errors storage raises: each message says what is wrong and what to do."""

from __future__ import annotations


class StorageError(RuntimeError):
    """A database cannot be used as it is; the message says why and what to do."""


class DatabaseBusy(StorageError):
    """Another window or command kept the database locked for longer than the busy
    timeout; nothing was written, and trying again later is the remedy."""


class WriteFailed(StorageError):
    """The disk refused a write (full, read-only, failing); the transaction was rolled
    back, so nothing of it was written and everything committed before it stands."""
