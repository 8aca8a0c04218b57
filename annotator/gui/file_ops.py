"""File > Import and File > Export: ask, run the core function in a worker, report.

The progress dialog's Cancel stops an import between files; what was committed stays.
It stops an export between records; the file is written to a temporary file and renamed,
so a cancelled export leaves the file that was there, or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog

from annotator.gui.widgets.export_dialog import FORMATS, ExportRequest
from annotator.gui.workers import Job, Jobs
from annotator.services.export import run as export_service
from annotator.services.export.records import ExportError
from annotator.services.export.run import ExportOptions
from annotator.services.signoff import SignoffError

MAX_ERRORS_SHOWN = 20
EXPORT_PROGRESS_EVERY = 200  # records between two progress reports
EXPORT_DIALOG_DELAY_MS = 400  # a quick export finishes before its progress dialog shows


@dataclass
class ExportDone:
    """How an export ended: written (`path`), refused (`refused`) or cancelled."""

    records: int = 0
    path: str | None = None
    manifest: str | None = None
    hash: str | None = None
    refused: str | None = None
    cancelled: bool = False

    def line(self) -> str:
        if self.refused:
            return f"Export refused: {self.refused}"
        if self.cancelled:
            return f"Export cancelled after {self.records:,} record(s); nothing was replaced"
        text = f"Exported {self.records} record(s) to {self.path}"
        if self.manifest:
            text += f" and {Path(self.manifest).name} (sha256 {self.hash[:12]}…)"
        return text


class ExportCancelled(Exception):
    """Raised between two records; the atomic writer removes its temporary file."""


def _counted(records: Iterable[dict], progress: Callable[[int, int], None],
             cancelled: Callable[[], bool], seen: list[int]) -> Iterator[dict]:
    for rec in records:
        if cancelled():
            raise ExportCancelled()
        seen[0] += 1
        if seen[0] % EXPORT_PROGRESS_EVERY == 0:
            progress(seen[0], 0)
        yield rec


def run_export(db, request: ExportRequest, dataset: str | None,
               progress: Callable[[int, int], None] = lambda done, total: None,
               cancelled: Callable[[], bool] = lambda: False,
               reviewer: str | None = None) -> ExportDone:
    """Export as `annotator export` does with the same options: both call
    services.export.run.run_export. The core's refusals are an answer, not a failure:
    they come back in `refused`, worded as the core words them."""
    options = ExportOptions(fmt=request.fmt, dataset=dataset,
                            statuses=tuple(request.statuses) if request.statuses else None,
                            script=request.script, signed=request.signed,
                            neutralise=request.neutralise,
                            reviewer=reviewer)  # signs a signed export's manifest
    seen = [0]
    try:
        done = export_service.run_export(
            db, request.path, options,
            wrap=lambda recs: _counted(recs, progress, cancelled, seen))
        return ExportDone(done.records, done.path, done.manifest, done.hash)
    except ExportCancelled:
        return ExportDone(seen[0], cancelled=True)
    except (ExportError, SignoffError) as e:
        return ExportDone(refused=str(e))


def import_report(summary, shown: int = MAX_ERRORS_SHOWN) -> str:
    """The whole summary of an import, a line for each part, with the files it could not
    read and what it warned about (the status line has room for a few words only)."""
    from annotator.readers import skipped_summary  # the readers load only for an import

    lines = [f"Dataset: {summary.dataset}" + (" (cancelled: the files read so far are in)"
                                              if summary.cancelled else ""),
             f"Files read: {summary.files}",
             f"Articles added: {summary.articles_added:,}",
             f"Already present: {summary.articles_known:,}",
             f"Claims: {summary.claims:,}  ·  figures: {summary.figures:,}",
             f"Duplicated passages: {summary.duplicate_pairs:,}",
             f"Errors: {len(summary.errors)}"]
    if summary.skipped:
        lines.append(skipped_summary(summary.skipped))
    for title, items in (("Not imported", summary.errors), ("Warnings", summary.warnings)):
        if items:
            lines += ["", f"{title}:"] + [str(e) for e in items[:shown]]
            if len(items) > shown:
                lines.append(f"… and {len(items) - shown} more")
    return "\n".join(lines)


def import_status(summary) -> str:
    """A few words for the status line; the report dialog has the rest."""
    text = (f"Import {'cancelled' if summary.cancelled else 'finished'}: "
            f"{summary.articles_added:,} added, {summary.articles_known:,} already present")
    return text + (f", {len(summary.errors)} error(s)" if summary.errors else "")


class FileOps(QObject):
    importFinished = Signal(object)   # services.importing.ImportSummary
    exportFinished = Signal(object)   # ExportDone
    failed = Signal(str)

    def __init__(self, session, dialogs, jobs: Jobs, parent_widget):
        super().__init__(parent_widget)
        self.session, self.dialogs, self.jobs = session, dialogs, jobs
        self.parent_widget = parent_widget
        self.progress: QProgressDialog | None = None
        self.job: Job | None = None
        self.export_job: Job | None = None
        self.export_progress: QProgressDialog | None = None

    # --- import -----------------------------------------------------------------------

    def ask_import(self, folder: bool = False) -> Job | None:
        paths = self.dialogs.import_paths(self.parent_widget, folder)
        if not paths:
            return None
        dataset = self._ask_dataset(self.session.dataset or "default")
        if not dataset:
            return None
        return self.start_import(paths, dataset)

    def _ask_dataset(self, default: str) -> str | None:
        """The existing datasets are offered, so a typo is not a new dataset unseen."""
        return self.dialogs.dataset_name(self.parent_widget, default,
                                         existing=self.session.datasets.names())

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
        dlg = self.progress
        if dlg is not None:
            # the label first: setValue on a modal progress dialog runs the event loop,
            # where the import's end may close the dialog
            dlg.setLabelText(f"Importing file {done} of {total}…")
            dlg.setMaximum(max(total, 1))
            dlg.setValue(done)

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
        self.session.message.emit(import_status(summary))
        # the whole summary where it is not cut: a dialog Enter closes
        if summary.errors:
            self.dialogs.error(self.parent_widget, "Import finished with errors",
                               import_report(summary))
        else:
            self.dialogs.info(self.parent_widget, "Import finished", import_report(summary))
        self.importFinished.emit(summary)

    def _failed(self, message: str) -> None:
        self._close_progress()
        self.session.message.emit(message)
        self.dialogs.error(self.parent_widget, "Failed", message)
        self.failed.emit(message)

    # --- export -----------------------------------------------------------------------

    def ask_export(self) -> Job | None:
        s = self.session
        name = s.dataset or "claims"
        folder = s.db_path.parent if s.db_path is not None else Path.cwd()
        request = self.dialogs.export_options(
            self.parent_widget, dataset=s.dataset, signoff=s.signoff,
            default_path=str(folder / f"{name}{FORMATS['jsonl'][1]}"))
        if request is None:
            return None
        return self.start_export(request)

    def start_export(self, request: ExportRequest) -> Job | None:
        """In a worker with its own connection; `exportFinished` reports how it ended."""
        if self.export_job is not None:
            self.session.message.emit("An export is already running")
            return None
        dataset, reviewer = self.session.dataset, self.session.reviewer
        self.session.message.emit(f"Exporting to {request.path}…")
        if self.session.db_path is None:  # no file to open a second connection to
            self._exported(run_export(self.session.db, request, dataset,
                                      reviewer=self.session.reviewer))
            return None
        self.export_job = job = self.jobs.start(
            self.session.db_path,
            lambda db, progress, cancelled: run_export(db, request, dataset, progress,
                                                       cancelled, reviewer=reviewer),
            progress=self._export_progress, finished=self._exported,
            failed=self._export_failed)
        self._export_dialog(job, cancellable=not request.signed)
        return job

    def _export_dialog(self, job: Job, cancellable: bool) -> None:
        dlg = QProgressDialog("Exporting…", "Cancel", 0, 0, self.parent_widget)
        dlg.setWindowTitle("Export")
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        if cancellable:
            dlg.canceled.connect(job.cancel)
        else:  # a signed export is checked and written as one read; it runs to the end
            dlg.setCancelButton(None)
        dlg.setMinimumDuration(EXPORT_DIALOG_DELAY_MS)  # Qt shows it then, if still open
        self.export_progress = dlg

    def _export_progress(self, done: int, _total: int) -> None:
        if self.export_progress is not None:
            self.export_progress.setLabelText(f"Exporting… {done:,} record(s) written")

    def _close_export_dialog(self) -> None:
        self.export_job = None
        if self.export_progress is not None:
            self.export_progress.close()
            self.export_progress.deleteLater()
            self.export_progress = None

    def _exported(self, done: ExportDone) -> None:
        self._close_export_dialog()
        self.session.message.emit(done.line())
        if done.refused:
            self.dialogs.error(self.parent_widget, "Export refused", done.refused)
        self.exportFinished.emit(done)

    def _export_failed(self, message: str) -> None:
        self._close_export_dialog()
        self.session.message.emit(f"Export failed: {message}")
        self.dialogs.error(self.parent_widget, "Export failed", message)
        self.failed.emit(message)
