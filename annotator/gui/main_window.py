"""The review window: assembles the panels and wires them to the session and actions.

Nothing is implemented here: the session holds what is shown, the actions change it,
the widgets draw it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from annotator.gui import highlights
from annotator.gui.actions import BINDINGS, ReviewActions, SCRIPT_ACTIONS, in_window_terms
from annotator.gui.dialogs import Dialogs
from annotator.gui.file_ops import FileOps
from annotator.gui.session import ReviewSession
from annotator.gui.team_ops import TeamOps
from annotator.gui.widgets.article_header import ArticleHeader, DuplicateBanner
from annotator.gui.widgets.article_list import ArticleListPanel
from annotator.gui.widgets.claims_panel import ClaimsPanel
from annotator.gui.widgets.conflicts_view import ConflictsDialog
from annotator.gui.widgets.dataset_view import DatasetDialog
from annotator.gui.widgets.search_dialog import SearchDialog
from annotator.gui.widgets.shortcuts_dialog import ShortcutsDialog
from annotator.gui.widgets.signoff_badge import SignoffBadge
from annotator.gui.widgets.status import ReviewStatusBar
from annotator.gui.widgets.text_view import ArticleTextView
from annotator.gui.checkpoints import Checkpoints
from annotator.gui.database_ops import DatabaseOps
from annotator.gui.workers import Jobs
from annotator.gui.writes import Writer
from annotator.services import history
from annotator.storage.db import StorageError

DEFAULT_SIZE = (1440, 880)
DEFAULT_SPLIT = (310, 1130)         # article list | text and claims, at DEFAULT_SIZE
DEFAULT_REVIEW_SPLIT = (620, 510)   # text | claims
ARTICLE_LIST_MIN_WIDTH = 150
CLAIMS_MIN_WIDTH = 240
MENU_ORDER = ("File", "Review", "Navigate", "View", "Dataset", "Help")
SEPARATE_BEFORE = {"import", "export", "change_reviewer", "quit", "undo", "pair_confirm", "next_unreviewed", "other_copy",
                   "search", "cycle_script", "sign_off"}


class MainWindow(QMainWindow):
    def __init__(self, db, reviewer: str, *, db_path: Path,
                 settings: QSettings | None = None, dialogs: Dialogs | None = None):
        """`db_path` is where `db` was opened: workers open their own connections to it."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings if settings is not None else QSettings()
        self.dialogs = dialogs or Dialogs()
        self.session = ReviewSession(db, reviewer, db_path, self)
        self.jobs = Jobs(self)
        self.checkpoints = Checkpoints(db, db_path, self.jobs, self)
        self.writer = Writer(self.session, self.jobs, self)
        self._build_panels()
        self.commands = ReviewActions(self.session, self.dialogs, self, self.review_area,
                                     writer=self.writer)
        self.header = ArticleHeader([self.commands.actions[n] for n in SCRIPT_ACTIONS])
        self.banner = DuplicateBanner([self.commands.actions[n] for n in
                                       ("other_copy", "pair_confirm", "pair_reject")])
        self.centre_layout.insertWidget(0, self.header)
        self.centre_layout.insertWidget(1, self.banner)
        self.files = FileOps(self.session, self.dialogs, self.jobs, self)
        self.team = TeamOps(self.session, self.dialogs, self.jobs, self)
        self.databases = DatabaseOps(self, self.dialogs, self.jobs)
        self.owns_db = False  # a window opened by File > Open closes its database itself
        self.successor: MainWindow | None = None  # the window File > Open put here
        self._leaving = False  # the reviewer already agreed to leave (File > Open)
        self.search_dialog: SearchDialog | None = None
        self.dataset_dialog: DatasetDialog | None = None
        self.conflicts_dialog: ConflictsDialog | None = None
        self._put_off: bool | None = None  # a redraw waiting for the batch (its reveal)
        self._build_menus()
        self._wire()
        self._update_title()
        self.resize(*DEFAULT_SIZE)
        self._restore_layout()
        self._open_start()

    # --- assembly ---------------------------------------------------------------------

    def _build_panels(self) -> None:
        s = self.session
        self.article_list = ArticleListPanel(s.datasets, s.articles)
        # The list's own minimum (its dataset box) is wider than a list needs; with the
        # Latin font (DejaVu Sans is wide) the window could not be narrower than 830 px.
        self.article_list.setMinimumWidth(ARTICLE_LIST_MIN_WIDTH)
        self.text_view = ArticleTextView()
        centre = QWidget()
        centre.setObjectName("centrePanel")
        self.centre_layout = QVBoxLayout(centre)
        self.centre_layout.setContentsMargins(0, 0, 0, 0)
        self.centre_layout.setSpacing(0)
        self.centre_layout.addWidget(self.text_view, 1)
        self.claims_panel = ClaimsPanel(s.claims)
        # One minimum whether or not its list shows a scroll bar (9 px), so the panes
        # come back at the sizes they were left at.
        self.claims_panel.setMinimumWidth(CLAIMS_MIN_WIDTH)
        self.review_area = QSplitter(Qt.Orientation.Horizontal)
        self.review_area.setObjectName("reviewSplitter")
        self.review_area.addWidget(centre)
        self.review_area.addWidget(self.claims_panel)
        self.review_area.setStretchFactor(0, 3)
        self.review_area.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.article_list)
        self.splitter.addWidget(self.review_area)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        # The first layout (a saved one replaces it): at 1280 px the claims pane gets
        # about 470 px, room for a figure and its reading side by side; the article list
        # keeps its titles' first words and its counts.
        self.splitter.setSizes(list(DEFAULT_SPLIT))
        self.review_area.setSizes(list(DEFAULT_REVIEW_SPLIT))
        for sp in (self.splitter, self.review_area):
            sp.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.status = ReviewStatusBar(s.reviewer)
        self.signoff_badge = SignoffBadge()
        self.status.insertPermanentWidget(0, self.signoff_badge)
        self.setStatusBar(self.status)

    def _build_menus(self) -> None:
        menus = {name: self.menuBar().addMenu(f"&{name}") for name in MENU_ORDER}
        for b in BINDINGS:
            if b.review_area or b.window != "main":
                continue  # variants of menu commands, or keys of another window
            menu = menus[b.group]
            if b.name in SEPARATE_BEFORE:
                menu.addSeparator()
            menu.addAction(self.commands.actions[b.name])
            if b.name == "open_database":
                menu.addMenu(self.databases.recent_menu)
        a = self.commands
        d = self.databases
        menus["Review"].aboutToShow.connect(a.history.describe_actions)
        a.connect_action("import", lambda: self.files.ask_import(folder=False))
        a.connect_action("import_folder", lambda: self.files.ask_import(folder=True))
        a.connect_action("export", self.files.ask_export)
        a.connect_action("quit", self.close)
        a.connect_action("search", self.open_search)
        a.connect_action("shortcuts", lambda: ShortcutsDialog(self).exec())
        a.connect_action("focus_list", self._focus_filter)
        a.connect_action("dataset_view", self.open_dataset_view)
        a.connect_action("conflicts_view", self.open_conflicts_view)
        a.connect_action("sign_off", self.team.ask_sign_off)
        a.connect_action("reopen", self.team.ask_reopen)
        a.connect_action("open_database", d.ask_open)
        a.connect_action("merge", d.ask_merge)
        a.connect_action("change_reviewer", d.ask_reviewer)
        a.connect_action("about", d.show_about)

    def _wire(self) -> None:
        s, lst = self.session, self.article_list
        s.articleOpened.connect(self._article_opened)
        s.currentChanged.connect(self._current_changed)
        s.figuresChanged.connect(lambda _ids: self._redraw(reveal=False))
        s.scriptChanged.connect(self._script_changed)
        s.progressChanged.connect(
            lambda settled, total, inherited: self.status.show_progress(
                s.dataset or "", settled, total, inherited))
        s.pairsChanged.connect(self._pairs_changed)
        s.saved.connect(self.status.show_saved)
        s.saved.connect(self.checkpoints.changed)
        s.unsaved.connect(self.status.show_unsaved)
        s.externallyChanged.connect(self._externally_changed)
        s.message.connect(self.say)
        s.datasetChanged.connect(self._dataset_changed)
        s.signoffChanged.connect(self._signoff_changed)
        s.settled.connect(self._settled)
        self.databases.reviewerChanged.connect(self._reviewer_changed)
        lst.datasetPicked.connect(self._pick_dataset)
        lst.rowPicked.connect(s.open_row)
        self.text_view.offsetClicked.connect(s.select_at)
        self.claims_panel.figurePicked.connect(s.select_figure)
        self.claims_panel.claimPicked.connect(s.select_claim)

    # --- reacting to the session --------------------------------------------------------

    def _article_opened(self, article_id: str) -> None:
        s = self.session
        self.header.show_article(s.article)
        self.text_view.show_text(s.shown.text if s.shown else "")
        self.article_list.show_article(article_id)
        if s.article is None:
            self.claims_panel.detail.show_nothing("No article")
            self._redraw(reveal=False)
        # else the session selects a figure (or says there is none) next, and
        # _current_changed draws the marks and the detail once, for that cursor

    def _current_changed(self) -> None:
        s = self.session
        self.claims_panel.show_current(s.figure_id, s.claim_id)
        self._redraw(reveal=True)
        self.banner.show_pair(s.pair, self._other_label())

    def _pairs_changed(self) -> None:
        self._redraw(reveal=False)
        self.banner.show_pair(self.session.pair, self._other_label())
        self.commands.refresh_enabled()

    def _externally_changed(self) -> None:
        s = self.session
        self.article_list.show_article(s.article.id if s.article else "")
        self._update_title()

    def _script_changed(self, _script: str) -> None:
        s = self.session
        self.text_view.show_text(s.shown.text if s.shown else "")
        self._redraw(reveal=True)

    def _redraw(self, reveal: bool) -> None:
        s = self.session
        if s.batching:
            self._put_off = bool(reveal or self._put_off)
            return
        if s.article is None or s.shown is None:
            self.text_view.set_marks([])
            return
        self.text_view.set_marks(highlights.marks_for(
            s.article, s.shown, figure_id=s.figure_id, claim_id=s.claim_id,
            search_hit=s.search_hit))
        figure = s.current_figure()
        self.claims_panel.detail.show_current(s.article, s.shown, s.current_claim(), figure)
        if figure is not None:
            self.claims_panel.detail.show_decisions(*history.figure_decisions(s.db, figure.id))
        if reveal:
            self._reveal_cursor()

    def _settled(self) -> None:
        if self._put_off is not None:
            reveal, self._put_off = self._put_off, None
            self._redraw(reveal)

    def _reveal_cursor(self) -> None:
        s = self.session
        fig, claim = s.current_figure(), s.current_claim()
        span = (fig.start, fig.end) if fig else (claim.start, claim.end) if claim else None
        if s.search_hit is not None and fig is None:
            span = s.search_hit
        if span is not None and s.shown is not None:
            self.text_view.reveal(*s.shown.span_to_display(*span))

    def _other_label(self) -> str:
        s = self.session
        if s.pair is None:
            return ""
        from annotator.services import browse

        other = s.pair[1]["article_id"]
        found = browse.article_summaries(s.db, [other]).get(other)
        return found.label if found else other

    def _dataset_changed(self, name: str) -> None:
        self.article_list.show_dataset(name)
        self._update_title()

    def _signoff_changed(self) -> None:
        self.signoff_badge.show_state(self.session.signoff)
        self._update_title()

    def _reviewer_changed(self, name: str) -> None:
        self.status.show_reviewer(name)
        self.commands.history.refresh()
        self._update_title()

    def _pick_dataset(self, name: str) -> None:
        self.session.set_dataset(name)

    def _update_title(self) -> None:
        s = self.session
        where = f" — {s.db_path.name}" if s.db_path else ""
        locked = " (signed off, locked)" if s.locked else ""
        self.setWindowTitle(f"annotator — {s.dataset or 'no dataset'}{locked}{where}")

    def say(self, text: str) -> None:
        """A message on the status line, in the window's terms; one too long for the room
        the line has beside its permanent labels is shown whole in a dialog, never cut."""
        text = in_window_terms(text)
        self.status.say(text)
        if self.isVisible() and not self.fits_status(text):
            self.dialogs.info(self, "annotator", text)

    def fits_status(self, text: str) -> bool:
        st = self.status
        lefts = [w.geometry().left() for w in st.findChildren(QWidget)
                 if w.parent() is st and w.isVisible() and w.geometry().left() > 0]
        room = (min(lefts) if lefts else st.width()) - 24  # the message's own margins
        return st.fontMetrics().horizontalAdvance(text) <= room

    def _focus_filter(self) -> None:
        self.article_list.filter_edit.setFocus()
        self.article_list.filter_edit.selectAll()

    # --- search ---------------------------------------------------------------------

    def open_search(self) -> SearchDialog:
        if self.search_dialog is None:
            self.search_dialog = SearchDialog(self.session, self.jobs, self)
            self.search_dialog.hitActivated.connect(self.show_hit)
        self.search_dialog.show()
        self.search_dialog.raise_()
        self.search_dialog.activateWindow()
        return self.search_dialog

    def show_hit(self, hit: dict) -> None:
        s = self.session
        if s.article is None or s.article.id != hit["article_id"]:
            if s.articles.row_of(hit["article_id"]) is None and s.dataset is not None:
                self.article_list.filter_edit.clear()
                self.article_list.apply_filter_now()
            s.open_article(hit["article_id"])
        s.search_hit = (hit["start"], hit["end"])
        inside = [f for f in (s.article.figures if s.article else [])
                  if f.start < hit["end"] and hit["start"] < f.end]
        if inside:
            s.select_figure(inside[0].id)
        else:
            s.select_at(s.shown.span_to_display(hit["start"], hit["end"])[0] if s.shown else 0)
        self._redraw(reveal=False)
        if s.shown is not None:
            self.text_view.reveal(*s.shown.span_to_display(hit["start"], hit["end"]))

    # --- team views -------------------------------------------------------------------

    def open_dataset_view(self) -> DatasetDialog:
        if self.dataset_dialog is None:
            self.dataset_dialog = DatasetDialog(self.session, self.jobs, self.commands.actions,
                                                self)
        return self._present(self.dataset_dialog)

    def open_conflicts_view(self) -> ConflictsDialog:
        if self.conflicts_dialog is None:
            self.conflicts_dialog = ConflictsDialog(self.session, self.commands, self.dialogs,
                                                    self)
        return self._present(self.conflicts_dialog)

    @staticmethod
    def _present(dialog):
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    # --- start and close --------------------------------------------------------------

    def check_integrity(self):
        """Warn (once the check is done) if the database file is damaged."""
        from annotator.services import browse

        path = self.session.db_path
        if path is None:
            return None
        return self.jobs.start(path, lambda db, _p, _c: browse.integrity_problems(db),
                               finished=self._integrity_checked)

    def _integrity_checked(self, problems: list[str]) -> None:
        if not problems:
            return
        name = self.session.db_path.name if self.session.db_path else "the database"
        self.status.show_unsaved("Database damaged")
        self.dialogs.error(self, "The database is damaged",
                           f"{name}: {'; '.join(problems[:3])}\n\nStop reviewing in this file. "
                           f"Restore a backup (files named {name}.bak-*) or recover it with "
                           "the sqlite3 '.recover' command.")

    def _open_start(self) -> None:
        s = self.session
        s.reload_datasets(select=str(self.settings.value("session/dataset", "", type=str))
                          or None)
        last = str(self.settings.value("session/article", "", type=str))
        if last and s.articles.row_of(last) is not None:
            s.open_article(last)
        else:
            s.open_row(0)
        self.text_view.setFocus()

    def _restore_layout(self) -> None:
        st = self.settings
        geometry = st.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = st.value("window/state")
        if state is not None:
            self.restoreState(state)
        for key, sp in (("window/mainSplitter", self.splitter),
                        ("window/reviewSplitter", self.review_area),
                        ("window/claimsSplitter", self.claims_panel.splitter)):
            value = st.value(key)
            if value is not None:
                sp.restoreState(value)

    def save_layout(self) -> None:
        st = self.settings
        st.setValue("window/geometry", self.saveGeometry())
        st.setValue("window/state", self.saveState())
        st.setValue("window/mainSplitter", self.splitter.saveState())
        st.setValue("window/reviewSplitter", self.review_area.saveState())
        st.setValue("window/claimsSplitter", self.claims_panel.splitter.saveState())
        st.setValue("session/dataset", self.session.dataset or "")
        st.setValue("session/article", self.session.article.id if self.session.article else "")
        st.sync()

    def replace_with(self, path: Path) -> MainWindow | None:
        """File > Open: a new window on `path` in place of this one, which closes as Quit
        closes it. None (and this window stays) when the file cannot be opened or the
        reviewer stays for decisions that could not be saved yet."""
        from annotator.storage.db import open_db

        if not self._may_leave():
            return None
        try:
            db = open_db(path, check=False)
        except StorageError as e:
            self._leaving = False
            self.writer.resume()
            self.dialogs.error(self, "Cannot open the database", str(e))
            return None
        self.save_layout()
        new = MainWindow(db, self.session.reviewer, db_path=Path(path),
                         settings=self.settings, dialogs=self.dialogs)
        new.owns_db = True
        self.successor = new
        new.show()
        new.check_integrity()
        self.close()
        return new

    def _may_leave(self) -> bool:
        """Whether this window may close: decisions still waiting for another program's
        lock are written first, and if some cannot be, the reviewer decides."""
        if self._leaving:
            return True
        left = self.writer.finish()  # decisions waiting for a lock: one last, longer wait
        if left and not self.dialogs.confirm(
                self, "Decisions not saved",
                f"{left} decision(s) could not be saved: another program still has the "
                "database locked.\n\nQuit anyway and lose them, or stay and let the window "
                "keep trying?", "Quit without saving"):
            self.writer.resume()
            return False
        self._leaving = True
        return True

    def closeEvent(self, event) -> None:
        if not self._may_leave():
            event.ignore()
            return
        for dialog in (self.search_dialog, self.dataset_dialog, self.conflicts_dialog):
            if dialog is not None:  # they show this database: not beside another's window
                dialog.close()
        self.checkpoints.stop()
        self.save_layout()
        self.session.stop()
        self.article_list.stop()
        self.jobs.cancel_all()  # an import stops after its current file; committed work stays
        self.jobs.wait(30_000)
        self.checkpoints.final()  # the decisions into the database file itself
        if self.owns_db:
            self.session.db.close()
        super().closeEvent(event)
