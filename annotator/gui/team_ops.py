"""Dataset > Sign off and Reopen: ask, call the sign-off service, say what it decided.

Signing hashes the dataset's whole export (about 0.8 s for 10,000 figures), so it runs
in a worker with its own connection. What would refuse a signature at once (figures
unreviewed or in conflict) is checked before the question is asked, and every refusal
names the window's own command (Dataset > Conflicts, Ctrl+Shift+C), not the CLI's.
"""

from __future__ import annotations


from PySide6.QtCore import QObject, Signal, SignalInstance

from annotator.gui.actions import in_window_terms, menu_path
from annotator.gui.workers import Job, Jobs
from annotator.services import signoff as signoff_service
from annotator.services.common import Changes, ReviewError
from annotator.storage.db import StorageError


def _sign(db, dataset: str, reviewer: str) -> Changes | ReviewError:
    """A refusal is an answer, not a failure: hand it back to be shown as it is."""
    try:
        return signoff_service.sign(db, dataset=dataset, reviewer=reviewer)
    except ReviewError as e:
        return e


class TeamOps(QObject):
    signFinished = Signal(bool, str)    # signed?, what was said
    reopenFinished = Signal(bool, str)

    def __init__(self, session, dialogs, jobs: Jobs, parent_widget):
        super().__init__(parent_widget)
        self.session, self.dialogs, self.jobs = session, dialogs, jobs
        self.parent_widget = parent_widget
        self.job: Job | None = None

    def _dataset(self) -> str | None:
        if self.session.dataset is None:
            self.session.message.emit("No dataset is open")
        return self.session.dataset

    # --- sign off ---------------------------------------------------------------------

    def ask_sign_off(self) -> bool:
        """True when a signing was started; `signFinished` says how it ended."""
        dataset = self._dataset()
        if dataset is None or self.job is not None:
            return False
        s = self.session
        refusal = self.open_work_refusal(dataset)
        if refusal is not None:
            self._refused("Sign-off refused", refusal, self.signFinished)
            return False
        state = s.signoff
        have = len(state.signers) if state else 0
        need = state.required if state else 2
        if not self.dialogs.confirm(
                self.parent_widget, "Sign off",
                f"Sign dataset {dataset!r} as {s.reviewer}?\n\nYour signature records the "
                f"content as it is now. {have} of {need} required signature(s) so far; with "
                f"{need} the dataset is locked until someone reopens it.", "Sign off"):
            return False
        self.start_sign_off(dataset)
        return True

    def open_work_refusal(self, dataset: str) -> str | None:
        """Why `dataset` cannot be signed now (the service's own check), else None."""
        try:
            work = signoff_service.open_work(self.session.db, dataset)
        except StorageError as e:
            return f"not signed: {e}"
        left, conflicts = work["unreviewed"], work["conflicts"]
        if not (left or conflicts):
            return None
        todo = []
        if left:
            todo.append(f"review the {left} figure(s) left ({menu_path('next_unreviewed')} "
                        "finds the next)")
        if conflicts:
            todo.append(f"settle the conflicts in {menu_path('conflicts_view')}")
        return (f"{dataset!r} cannot be signed off yet: {left} figure(s) unreviewed, "
                f"{conflicts} conflict(s) unresolved. To sign it, {' and '.join(todo)}.")

    def start_sign_off(self, dataset: str) -> None:
        reviewer = self.session.reviewer
        if self.session.db_path is None:
            self._signed(dataset, _sign(self.session.db, dataset, reviewer))
            return
        self.session.message.emit(f"Signing {dataset!r}…")
        self.job = self.jobs.start(
            self.session.db_path, lambda db, _p, _c: _sign(db, dataset, reviewer),
            finished=lambda result: self._signed(dataset, result),
            failed=lambda message: self._refused("Sign-off failed", f"not signed: {message}"))

    def _signed(self, dataset: str, result: Changes | ReviewError) -> None:
        self.job = None
        if isinstance(result, ReviewError):
            self._refused("Sign-off refused", in_window_terms(str(result)), self.signFinished)
            return
        s = self.session
        s.apply(result)
        state = s.signoff
        if state is not None and state.signed_off:
            text = f"{dataset!r} signed off by {', '.join(state.signers)} — locked"
        else:
            have = len(state.signers) if state else 1
            need = state.required if state else 2
            text = f"Signed {dataset!r} as {s.reviewer} ({have} of {need} signatures)"
        s.message.emit(text)
        self.signFinished.emit(True, text)

    def _refused(self, title: str, text: str, signal: SignalInstance | None = None) -> None:
        """The whole reason in a dialog; the status line keeps its first sentence."""
        self.job = None
        self.session.message.emit(text.split(". ")[0])
        self.dialogs.error(self.parent_widget, title, text)
        (signal if signal is not None else self.signFinished).emit(False, text)

    # --- reopen -----------------------------------------------------------------------

    def ask_reopen(self) -> bool:
        dataset = self._dataset()
        if dataset is None:
            return False
        state = self.session.signoff
        if state is None or not state.signatures:
            text = f"dataset {dataset!r} has no signatures; there is nothing to reopen"
            self.session.message.emit(text)
            self.reopenFinished.emit(False, text)
            return False
        reason = self.dialogs.reopen_reason(self.parent_widget, dataset)
        if not reason:
            return False
        return self.reopen(dataset, reason)

    def reopen(self, dataset: str, reason: str) -> bool:
        s = self.session
        try:
            changes = signoff_service.reopen(s.db, dataset=dataset, reviewer=s.reviewer,
                                             reason=reason)
        except ReviewError as e:
            self._refused("Reopen refused", in_window_terms(str(e)), self.reopenFinished)
            return False
        except StorageError as e:  # the window waits only briefly for another's lock
            self._refused("Reopen not saved", str(e), self.reopenFinished)
            return False
        s.apply(changes)
        text = f"{dataset!r} reopened: the signatures made before no longer count"
        s.message.emit(text)
        self.reopenFinished.emit(True, text)
        return True
