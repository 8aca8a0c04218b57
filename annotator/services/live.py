"""Syncing in the background while a reviewer works (the window's hub connection).

Two threads, neither of them the caller's:

- the **syncer** has its own connection to the replica and runs annotator.services.sync
  whenever there is something to do: a new local event (it asks SQLite for the newest
  event's rowid every `LOCAL_CHECK` seconds, a query of microseconds, so a decision made
  in the window or on the command line is sent at once), a notification from the hub, or
  a retry while the hub is unreachable;
- the **listener** holds a PostgreSQL connection that LISTENs on the hub's channel
  (annotator.storage.hub.CHANNEL): every write to the hub notifies it at commit, so other
  reviewers' decisions arrive as soon as they are made, with no polling of the hub.

Being offline is a state, never an error: decisions are saved locally as always and
counted as "to send"; the syncer retries with a growing pause (1 s to 30 s) and at once
when the listener gets through again.
"""

from __future__ import annotations

import datetime as _dt
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Callable

from annotator.services import sync
from annotator.storage import hub as hubstore
from annotator.storage import hub_local as local
from annotator.storage.db import StorageError, open_db

LOCAL_CHECK = 0.2  # seconds between asking the replica for its newest event
RETRY_FIRST, RETRY_MOST = 1.0, 30.0


@dataclass(frozen=True)
class SyncState:
    hub: str
    online: bool = False
    syncing: bool = False
    to_send: int = 0
    offline_since: _dt.datetime | None = None
    refused: str | None = None  # the last batch the checks refused
    error: str | None = None  # why the hub cannot be reached
    received: int = 0  # events received by the last sync
    synced_at: _dt.datetime | None = None

    def text(self) -> str:
        """The status bar's words."""
        if self.refused:
            return "Hub: refused a batch (see the tooltip)"
        if not self.online:
            if self.offline_since is None:
                return "Hub: connecting…"
            since = self.offline_since.astimezone().strftime("%H:%M")
            send = f", {self.to_send} to send" if self.to_send else ""
            return f"Hub: offline since {since}{send}"
        if self.to_send:
            return f"Hub: {self.to_send} to send"
        return "Hub: synced"

    def tooltip(self) -> str:
        lines = [f"Hub {self.hub}"]
        if self.synced_at:
            lines.append(f"last synced {self.synced_at.astimezone():%H:%M:%S}")
        if self.error:
            lines.append(self.error)
        if self.refused:
            lines.append(self.refused)
        return "\n".join(lines)


class LiveSync:
    def __init__(self, db_path: Path, url: str, *, dataset: str | None = None,
                 on_state: Callable[[SyncState], None] | None = None,
                 on_received: Callable[[int], None] | None = None):
        self.db_path, self.url, self.dataset = Path(db_path), url, dataset
        self.on_state, self.on_received = on_state, on_received
        self.state = SyncState(hubstore.safe_url(url))
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._hub_id: str | None = None
        self._latest = 0  # the hub's newest number this replica has synced up to
        self._lock = threading.Lock()

    def start(self) -> None:
        for target, name in ((self._syncer, "hub-sync"), (self._listener, "hub-listen")):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._threads:
            t.join(timeout)
        self._threads = []

    def poke(self) -> None:
        """Sync now (after a local decision, or when the hub says it has news)."""
        self._wake.set()

    # --- the syncer ---------------------------------------------------------------------

    def _publish(self, **changes) -> None:
        with self._lock:
            self.state = replace(self.state, **changes)
            state = self.state
        if self.on_state:
            self.on_state(state)

    def _syncer(self) -> None:
        try:
            db = open_db(self.db_path, check=False)
        except StorageError as e:
            self._publish(error=str(e), refused=str(e))
            return
        try:
            self._loop(db)
        finally:
            db.close()

    def _loop(self, db) -> None:
        seen = -1
        retry_at, pause = 0.0, RETRY_FIRST
        refused_at = None
        while not self._stop.is_set():
            woke = self._wake.wait(LOCAL_CHECK)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                newest = local.newest_rowid(db)
            except Exception:  # the database busy or gone for a moment: next round
                continue
            offline = not self.state.online
            due = woke or newest != seen or (offline and time.monotonic() >= retry_at)
            if not due or (refused_at is not None and newest == refused_at and not woke):
                continue
            self._publish(syncing=True)
            try:
                s = sync.sync(db, self.url, dataset=self.dataset)
            except hubstore.HubError as e:
                retry_at, pause = time.monotonic() + pause, min(pause * 2, RETRY_MOST)
                self._publish(online=False, syncing=False, error=str(e),
                              offline_since=self.state.offline_since
                              or _dt.datetime.now(_dt.timezone.utc),
                              to_send=self._pending(db))
                seen = newest
                continue
            except sync.SyncError as e:
                refused_at = newest
                self._publish(online=True, syncing=False, refused=str(e),
                              to_send=self._pending(db))
                seen = newest
                continue
            except StorageError as e:  # the replica locked by a long import: soon again
                self._publish(syncing=False, error=str(e))
                continue
            refused_at = None
            pause = RETRY_FIRST
            self._latest = max(self._latest, s.latest)
            # what was there before this sync: a decision made while it ran is sent by
            # the next round (the events it received only make that round a quick one)
            seen = newest
            self._publish(online=True, syncing=False, offline_since=None, error=None,
                          refused=None, received=s.pulled_events,
                          synced_at=_dt.datetime.now(_dt.timezone.utc),
                          to_send=self._pending(db))
            if s.pulled_events and self.on_received:
                self.on_received(s.pulled_events)

    def _pending(self, db) -> int:
        try:
            return local.pending(db, self._hub_id, self.dataset)
        except Exception:
            return self.state.to_send

    # --- the listener -------------------------------------------------------------------

    def _listener(self) -> None:
        pause = RETRY_FIRST
        while not self._stop.is_set():
            try:
                conn = hubstore.listen(self.url)
            except Exception:
                self._stop.wait(pause)
                pause = min(pause * 2, RETRY_MOST)
                continue
            pause = RETRY_FIRST
            try:
                self._hub_id = hubstore.hub_id_of(conn)
                self.poke()  # (again) reachable: sync what waited
                while not self._stop.is_set():
                    for note in conn.notifies(timeout=1.0):
                        try:
                            number = int(note.payload)
                        except ValueError:
                            number = None
                        if number is None or number > self._latest:
                            self.poke()
            except Exception:
                self.poke()  # lost: the syncer finds out and says offline
            finally:
                try:
                    conn.close()
                except Exception:
                    pass
