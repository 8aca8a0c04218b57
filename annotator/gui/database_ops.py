"""File > Open database, Open recent and Merge; the reviewer's name; Help > About.

Opening another database opens a new window on it and closes this one (the close writes
what waits, as Quit does), so nothing of one database's state is carried into the other.
The recent list is kept in the per-user settings; a file that has gone is shown as
missing and can be taken off the list.

A merge runs the merge service (annotator.services.team.merge: every check, in one
transaction) on a worker's own connection. When it refuses because a reviewer is not on a
dataset's roster, or because events were made before signing, the window shows the
reviewer and their key's fingerprint and asks the lead; only a yes runs it again with the
trust (or the unsigned events) accepted, which the service records as the lead's events.
"""

from __future__ import annotations

import ast
import platform
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QProgressDialog

from annotator import paths
from annotator.gui.actions import menu_path
from annotator.gui.workers import Job, Jobs
from annotator.services.common import ReviewError, reviewer_name
from annotator.storage.db import StorageError, schema_version

RECENT_KEY = "recent/databases"
MAX_RECENT = 10

# How the merge service words the two refusals a lead may answer with a yes (its --trust
# and --accept-unsigned); tests run the real service, so a change of wording shows there.
_NAME = r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_NOT_ON_ROSTER = re.compile(rf"reviewer {_NAME} \(key (?P<fp>[^)]+)\) is not on the roster "
                            rf"of dataset {_NAME}")
_FIRST_ROSTER = re.compile(rf"is a roster entry for dataset {_NAME}, which has no roster "
                           rf"here; merge with --trust (?P<who>\S+) to take")
_UNSIGNED = re.compile(rf"event \S+ by {_NAME} is not signed .*? and dataset {_NAME} has a "
                       "roster")


def _unquote(text: str) -> str:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text.strip("'\"")
    return value if isinstance(value, str) else text


@dataclass
class MergeRequest:
    path: Path
    lead: str
    trust: set[str] = field(default_factory=set)
    accept_unsigned: bool = False


@dataclass
class MergeQuestion:
    """What the lead is asked before the merge is run again: trust `reviewer` (whose
    key has `fingerprint`) on `dataset`, or take unsigned events (`unsigned`)."""

    text: str
    ok: str
    reviewer: str | None = None
    fingerprint: str | None = None
    dataset: str | None = None
    unsigned: bool = False


def merge_question(message: str, request: MergeRequest) -> MergeQuestion | None:
    """The question a refusal asks the lead, or None for a refusal no yes can answer."""
    m = _NOT_ON_ROSTER.search(message)
    if m is not None:
        who, fp, dataset = _unquote(m.group(1)), m.group("fp"), _unquote(m.group(3))
        if who in request.trust:
            return None
        return MergeQuestion(
            f"{who} is not on the roster of dataset “{dataset}”.\n\n"
            f"Key fingerprint: {fp}\n\n"
            f"Ask {who} for theirs (annotator keys show) and compare them before trusting. "
            f"Trusting puts {who} on the roster with this key, recorded as your decision "
            f"({request.lead}); Cancel merges nothing.",
            f"Trust {who}", reviewer=who, fingerprint=fp, dataset=dataset)
    m = _FIRST_ROSTER.search(message)
    if m is not None:
        who, dataset = m.group("who"), _unquote(m.group(1))
        if who in request.trust:
            return None
        return MergeQuestion(
            f"The other database brings a roster of reviewers for dataset “{dataset}”, "
            f"which has none here, started by {who}.\n\nTake {who}'s roster? It is recorded "
            f"as your decision ({request.lead}); Cancel merges nothing.",
            f"Take {who}'s roster", reviewer=who, dataset=dataset)
    m = _UNSIGNED.search(message)
    if m is not None and not request.accept_unsigned:
        who, dataset = _unquote(m.group(1)), _unquote(m.group(2))
        return MergeQuestion(
            f"Events by {who} on dataset “{dataset}” are not signed: they were made "
            "before annotator signed events, so nothing proves who made them.\n\n"
            f"Take the unsigned events? It is recorded on the dataset as your decision "
            f"({request.lead}); Cancel merges nothing.",
            "Take unsigned events", dataset=dataset, unsigned=True)
    return None


def _run_merge(db, request: MergeRequest, progress):
    """A refusal is an answer, not a failure: it comes back to be asked about or shown."""
    from annotator.services import team

    try:
        return team.merge(db, request.path, progress=progress, trust=sorted(request.trust),
                          accept_unsigned=request.accept_unsigned, lead=request.lead)
    except (ReviewError, StorageError) as e:
        return e


def merge_report(summary) -> str:
    """The whole outcome of a merge, a line for each part."""
    s = summary
    lines = [f"Merged {Path(s.source).name}",
             f"New events: {s.events:,}",
             f"Articles added: {s.articles:,} ({s.claims:,} claims, {s.figures:,} figures)",
             f"Duplicate pairs: {s.pairs:,}  ·  dataset memberships: {s.memberships:,}",
             f"Figures updated: {len(s.changes.figures):,}",
             f"In conflict now: {len(s.conflicts):,}"
             + (f" (settle them in {menu_path('conflicts_view')})" if s.conflicts else "")]
    if s.trusted:
        lines.append(f"Put on the roster: {', '.join(s.trusted)}")
    if s.unsigned:
        lines.append(f"Unsigned events taken: {s.unsigned:,} (recorded in the dataset's "
                     "history)")
    for name in s.unrostered:
        lines.append(f"Dataset “{name}” has no roster of reviewers: signatures were checked, "
                     "not who may sign")
    if s.unknown_targets:
        lines.append(f"{s.unknown_targets:,} event(s) are on figures this database does not "
                     "have (articles analysed by another version): kept, not applied")
    for name in s.changed_signed:
        lines.append(f"Dataset “{name}” is signed off but the merge changed its content: "
                     f"its signed export is refused until it is reopened "
                     f"({menu_path('reopen')}) and signed again")
    return "\n".join(lines)


def merge_status(summary) -> str:
    return (f"Merged {Path(summary.source).name}: {summary.events:,} new event(s), "
            f"{len(summary.conflicts):,} in conflict")


# --- the recent list ----------------------------------------------------------------------

def recent_databases(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # an ini file gives a one-item list back as a string
        return [value] if value else []
    if not isinstance(value, (list, tuple)):
        return []
    return [str(v) for v in value if str(v)]


def remember_database(settings: QSettings, path: Path) -> list[str]:
    """`path` first in the recent list (once), the list at most MAX_RECENT long."""
    p = str(Path(path).expanduser().absolute())
    listed = [p] + [r for r in recent_databases(settings) if r != p]
    settings.setValue(RECENT_KEY, listed[:MAX_RECENT])
    settings.sync()
    return listed[:MAX_RECENT]


def forget_databases(settings: QSettings, which: Callable[[str], bool]) -> list[str]:
    kept = [r for r in recent_databases(settings) if not which(r)]
    settings.setValue(RECENT_KEY, kept)
    settings.sync()
    return kept


# --- Help > About -------------------------------------------------------------------------

def _distribution_version(*names: str) -> str | None:
    from importlib import metadata

    for name in names:
        try:
            return f"{metadata.version(name)} ({name})"
        except metadata.PackageNotFoundError:
            continue
    return None


def about_text(db, db_path: Path | None) -> str:
    import PySide6
    from PySide6 import QtCore

    import annotator

    try:
        schema = schema_version(db) or "none"
    except sqlite3.Error as e:
        schema = f"unreadable ({e})"
    opencc = _distribution_version("OpenCC", "opencc-python-reimplemented", "opencc") \
        or "not installed"
    return "\n".join([
        f"annotator {annotator.__version__}",
        "Checks the figures in news articles (Chinese and English).",
        "",
        f"Database: {db_path if db_path is not None else '(in memory)'}",
        f"Schema: {schema}",
        f"Python: {platform.python_version()} ({platform.python_implementation()})",
        f"Qt: {QtCore.qVersion()}  ·  PySide6: {PySide6.__version__}",
        f"SQLite: {sqlite3.sqlite_version}",
        f"OpenCC: {opencc}",
        f"Settings and keys: {paths.config_path().parent}",
    ])


class DatabaseOps(QObject):
    mergeFinished = Signal(bool, str)   # merged?, what was said
    reviewerChanged = Signal(str)

    def __init__(self, window, dialogs, jobs: Jobs):
        super().__init__(window)
        self.window, self.dialogs, self.jobs = window, dialogs, jobs
        self.session = window.session
        self.merge_job: Job | None = None
        self.merge_progress: QProgressDialog | None = None
        self.recent_menu = QMenu("Open &recent", window)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        if self.session.db_path is not None:
            remember_database(window.settings, self.session.db_path)

    # --- open ---------------------------------------------------------------------------

    def ask_open(self):
        path = self.dialogs.database_path(self.window, "Open a database", new_ok=True)
        if not path:
            return None
        return self.open(Path(path))

    def open(self, path: Path):
        """A new window on `path` (this one closes); None when it is not opened."""
        path = Path(path).expanduser()
        current = self.session.db_path
        if current is not None and path.exists() and current.exists() \
                and path.resolve() == current.resolve():
            self.session.message.emit(f"{path.name} is the database open now")
            return self.window
        if not path.exists() and not self.dialogs.confirm(
                self.window, "New database",
                f"{path} does not exist.\n\nCreate a new, empty annotator database there?",
                "Create"):
            return None
        return self.window.replace_with(path)

    def fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        listed = recent_databases(self.window.settings)
        current = str(self.session.db_path.absolute()) if self.session.db_path else None
        missing = 0
        for i, p in enumerate(listed, start=1):
            path = Path(p)
            gone = not path.exists()
            missing += gone
            label = f"{path.name} — {path.parent}" + ("  (missing)" if gone else "")
            action = QAction(f"&{i % 10} {label}" if i <= 10 else label, menu)
            action.setObjectName("recentDatabase")
            action.setData(p)
            action.setToolTip(p)
            action.setStatusTip(f"{p} is no longer there: choose it to take it off the list"
                                if gone else f"Open {p}")
            if p == current:
                action.setCheckable(True)
                action.setChecked(True)
            action.triggered.connect(lambda _c=False, q=p: self.open_recent(q))
            menu.addAction(action)
        if not listed:
            empty = menu.addAction("(no databases opened yet)")
            empty.setEnabled(False)
        menu.addSeparator()
        prune = menu.addAction("Remove &missing files from the list")
        prune.setObjectName("recentPrune")
        prune.setEnabled(missing > 0)
        prune.triggered.connect(self.remove_missing)
        clear = menu.addAction("&Clear the list")
        clear.setObjectName("recentClear")
        clear.setEnabled(bool(listed))
        clear.triggered.connect(self.clear_recent)

    def open_recent(self, p: str):
        path = Path(p)
        if not path.exists():
            if self.dialogs.confirm(self.window, "Database missing",
                                    f"{p} is no longer there (moved, renamed or deleted)."
                                    "\n\nTake it off the recent list?", "Remove from list"):
                forget_databases(self.window.settings, lambda r: r == p)
                self.session.message.emit(f"{path.name} taken off the recent list")
            return None
        return self.open(path)

    def remove_missing(self) -> list[str]:
        kept = forget_databases(self.window.settings, lambda r: not Path(r).exists())
        self.session.message.emit("Missing files taken off the recent list")
        return kept

    def clear_recent(self) -> None:
        current = self.session.db_path
        forget_databases(self.window.settings, lambda r: True)
        if current is not None:  # the open one stays: it is the most recent
            remember_database(self.window.settings, current)
        self.session.message.emit("Recent list cleared")

    # --- merge --------------------------------------------------------------------------

    def ask_merge(self) -> Job | None:
        if self.merge_job is not None:
            self.session.message.emit("A merge is already running")
            return None
        path = self.dialogs.database_path(self.window, "Merge another reviewer's database")
        if not path:
            return None
        return self.start_merge(MergeRequest(Path(path), self.session.reviewer))

    def start_merge(self, request: MergeRequest) -> Job | None:
        if self.session.db_path is None:
            self._merged(request, _run_merge(self.session.db, request, None))
            return None
        self.session.message.emit(f"Merging {request.path.name}…")
        self.merge_job = job = self.jobs.start(
            self.session.db_path,
            lambda db, progress, _cancelled: _run_merge(db, request, progress),
            progress=self._merge_progress,
            finished=lambda result: self._merged(request, result),
            failed=lambda message: self._merge_refused(request, f"merge failed: {message}"))
        dlg = QProgressDialog(f"Merging {request.path.name}: checking it, then copying…",
                              "", 0, 0, self.window)
        dlg.setWindowTitle("Merge")
        dlg.setCancelButton(None)  # one transaction: it runs to its end, or changes nothing
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(300)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        self.merge_progress = dlg
        return job

    def _merge_progress(self, done: int, total: int) -> None:
        dlg = self.merge_progress
        if dlg is not None:
            dlg.setMaximum(max(total, 1))
            dlg.setValue(done)  # last: a modal dialog runs the event loop here

    def _close_merge_dialog(self) -> None:
        self.merge_job = None
        if self.merge_progress is not None:
            self.merge_progress.close()
            self.merge_progress.deleteLater()
            self.merge_progress = None

    def _merged(self, request: MergeRequest, result) -> None:
        self._close_merge_dialog()
        if isinstance(result, (ReviewError, StorageError)):
            question = merge_question(str(result), request)
            if question is None:
                self._merge_refused(request, str(result))
                return
            if not self.dialogs.confirm(self.window, "Merge: a decision for the lead",
                                        question.text, question.ok):
                self._merge_refused(request, f"not merged: {question.ok.lower()} declined; "
                                             "nothing was changed", show=False)
                return
            if question.unsigned:
                request.accept_unsigned = True
            elif question.reviewer:
                request.trust.add(question.reviewer)
            self.start_merge(request)
            return
        self.session.invalidate_totals()
        self.session.check_for_changes()  # the worker's commit: shown now, not in a second
        self.session.message.emit(merge_status(result))
        self.dialogs.info(self.window, "Merge finished", merge_report(result))
        self.mergeFinished.emit(True, merge_report(result))

    def _merge_refused(self, request: MergeRequest, text: str, show: bool = True) -> None:
        self._close_merge_dialog()
        self.session.message.emit(f"Not merged: {request.path.name}")
        if show:
            self.dialogs.error(self.window, "Merge refused", text)
        self.mergeFinished.emit(False, text)

    # --- the reviewer ---------------------------------------------------------------------

    def ask_reviewer(self) -> str | None:
        s = self.session
        typed = self.dialogs.new_reviewer_name(self.window, s.reviewer)
        if typed is None:
            return None
        try:
            name = reviewer_name(typed)
        except ReviewError:
            self.dialogs.error(self.window, "Reviewer", "A reviewer name cannot be empty; "
                                                        f"still reviewing as {s.reviewer}.")
            return None
        if name == s.reviewer:
            return name
        # decisions still waiting for a lock keep the name they were made under
        s.reviewer = name
        config = paths.load_config()
        config["reviewer"] = name
        paths.save_config(config)  # the next start, and the command line, use it too
        s.message.emit(f"Reviewing as {name}: decisions from now on are recorded as {name}'s")
        self.reviewerChanged.emit(name)
        return name

    # --- about --------------------------------------------------------------------------

    def show_about(self) -> str:
        text = about_text(self.session.db, self.session.db_path)
        self.dialogs.info(self.window, "About annotator", text)
        return text
