"""The window's hub connection: background sync (annotator.services.live) and its state
in the status bar ("Hub: synced", "Hub: 3 to send", "Hub: offline since 14:02").

The syncing runs in threads of its own with their own connections; their reports come
to the GUI thread through a queued signal, and nothing here waits on the network. Other
reviewers' decisions land in the database, where the window's own check for changes made
by other programs (once a second) shows them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel

from annotator.services.live import LiveSync, SyncState


class HubSync(QObject):
    changed = Signal(object)  # SyncState, from the sync threads

    def __init__(self, window, db_path: Path, url: str, dataset: str | None = None):
        super().__init__(window)
        self.label = QLabel("Hub: connecting…")
        self.label.setObjectName("hubLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        window.statusBar().addPermanentWidget(self.label)
        self.changed.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self.live = LiveSync(db_path, url, dataset=dataset, on_state=self.changed.emit)
        self.live.start()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)
        window.destroyed.connect(self.stop)

    def _show(self, state: SyncState) -> None:
        self.label.setText(state.text())
        self.label.setToolTip(state.tooltip())

    def stop(self) -> None:
        self.live.stop()


def attach(window, db_path: Path, url: str | None) -> HubSync | None:
    """Sync the window's database with the hub at `url` in the background (none: no hub)."""
    if not url:
        return None
    window.hub_sync = HubSync(window, Path(db_path), url)
    return window.hub_sync
