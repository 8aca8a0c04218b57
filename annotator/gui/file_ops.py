"""File > Import and File > Export: ask, run the core function in a worker, report.

The progress dialog's Cancel stops an import between files; what was committed stays.
"""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog

from annotator.export import export
from annotator.gui.workers import Job, Jobs

MAX_ERRORS_SHOWN = 20


class FileOps(QObject):
    importFinished = Signal(object)   # services.importing.ImportSummary
    exportFinished = Signal(object)   # ExportSummary
    failed = Signal(str)

    def __init__(self, session, dialogs, jobs: Jobs, parent_widget):
        super().__init__(parent_widget)
        self.session, self.dialogs, self.jobs = session, dialogs, jobs
        self.parent_widget = parent_widget
        self.progress: Optional[QProgressDialog] = None
        self.job: Optional[Job] = None

    # --- import -----------------------------------------------------------------------

    def ask_import(self, folder: bool = False) -> Optional[Job]:
        paths = self.dialogs.import_paths(self.parent_widget, folder)
        if not paths:
            return None
        dataset = self.dialogs.dataset_name(self.parent_widget, self.session.dataset or "default")
        if not dataset:
            return None
        return self.start_import(paths, dataset)

    def start_import(self, paths: list[str], dataset: str) -> Job:
        # imported here: the text engine loads dictionaries the window does not need to start
        from annotator.services.importing import import_paths

        self.progress = dlg = QProgressDialog("Importing…", "Cancel", 0, 0, self.parent_widget)
        dlg.setWindowTitle("Import")
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        self.job = job = self.jobs.start(
            self.session.db_path,
            lambda db, progress, cancelled: import_paths(
                db, paths, dataset=dataset, progress=progress, cancelled=cancelled),
            progress=self._progress, finished=lambda summary: self._imported(summary, dataset),
            failed=self._failed)
        dlg.canceled.connect(job.cancel)
        dlg.show()
        return job

    def _progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)
            self.progress.setLabelText(f"Importing file {done} of {total}…")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _imported(self, summary, dataset: str) -> None:
        self._close_progress()
        self.session.invalidate_totals()
        self.session.reload_datasets(select=dataset)
        if self.session.article is None:
            self.session.open_row(0)
        line = summary.line() + (" (cancelled)" if summary.cancelled else "")
        self.session.message.emit(line)
        if summary.errors:
            errors = "\n".join(str(e) for e in summary.errors[:MAX_ERRORS_SHOWN])
            more = len(summary.errors) - MAX_ERRORS_SHOWN
            if more > 0:
                errors += f"\n… and {more} more"
            self.dialogs.error(self.parent_widget, "Import finished with errors",
                               f"{line}\n\nSkipped:\n{errors}")
        self.importFinished.emit(summary)

    def _failed(self, message: str) -> None:
        self._close_progress()
        self.session.message.emit(message)
        self.dialogs.error(self.parent_widget, "Failed", message)
        self.failed.emit(message)

    # --- export -----------------------------------------------------------------------

    def ask_export(self) -> Optional[Job]:
        default = f"{self.session.dataset or 'claims'}.jsonl"
        target = self.dialogs.export_target(self.parent_widget, default)
        if target is None:
            return None
        return self.start_export(*target)

    def start_export(self, path: str, fmt: str) -> Job:
        dataset = self.session.dataset
        self.session.message.emit(f"Exporting to {path}…")
        self.job = job = self.jobs.start(
            self.session.db_path,
            lambda db, _progress, _cancelled: export(db, path, fmt=fmt, dataset=dataset),
            finished=self._exported, failed=self._failed)
        return job

    def _exported(self, summary) -> None:
        self.session.message.emit(f"Exported {summary.records} record(s) to {summary.path}")
        self.exportFinished.emit(summary)
