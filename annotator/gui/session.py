"""What the reviewer is looking at: dataset, article, script, current claim and figure.

The widgets show this state and report the reviewer's clicks back to it; the actions
change it. After a write, `apply(changes)` refreshes only what the service says it
touched: the figures of the open article, the listed rows of the touched articles, and
(a moment later, coalesced) the dataset's progress count.

Other programs write to the same database (`annotator review` from a script, a second
window, a merge). SQLite's data_version, asked every WATCH_MS on the window's own
connection, says when any other connection has committed; `reread()` then shows what
they wrote, the cursor staying where the reviewer left it.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.gui.models.articles import ArticleListModel
from annotator.gui.models.claims import ClaimTreeModel
from annotator.gui.models.datasets import DatasetListModel
from annotator.services import browse
from annotator.services import signoff as signoff_service
from annotator.services.common import Changes
from annotator.storage import changes as db_changes

PROGRESS_DELAY_MS = 150
WATCH_MS = 1000  # asking costs microseconds; a second is soon enough to see a CLI review
DISPLAY_CACHE = 8


class ReviewSession(QObject):
    datasetChanged = Signal(str)
    articleOpened = Signal(str)        # "" when no article is open
    currentChanged = Signal()          # figure, claim or duplicate pair under the cursor
    figuresChanged = Signal(list)      # ids of figures of the open article whose state changed
    scriptChanged = Signal(str)
    progressChanged = Signal(int, int, int)  # settled, total, inherited (of the dataset)
    pairsChanged = Signal()            # the open article's duplicate pairs were (re)read
    saved = Signal(str)
    message = Signal(str)
    changed = Signal(object)           # the Changes of every write shown (team views follow it)
    signoffChanged = Signal()          # the current dataset's sign-off state was (re)read
    settled = Signal()                 # the outermost batch() ended: draw what it put off
    externallyChanged = Signal()       # another connection wrote; what is shown was re-read
    unsaved = Signal(str)              # a decision is not in the database (why, what next)

    def __init__(self, db, reviewer: str, db_path: Path | None = None, parent=None):
        super().__init__(parent)
        self.db, self.reviewer = db, reviewer
        self.db_path = Path(db_path) if db_path is not None else None
        self.datasets = DatasetListModel(db, self)
        self.articles = ArticleListModel(db, self)
        self.claims = ClaimTreeModel(self)
        self.dataset: str | None = None
        self.article: browse.ArticleView | None = None
        self.shown: browse.Displayed | None = None
        self.script = "original"
        self.figure_id: str | None = None
        self.claim_id: str | None = None
        self.pair: tuple[dict, dict] | None = None  # (pair, the other copy's side)
        self.search_hit: tuple[int, int] | None = None
        self.signoff: signoff_service.SignoffState | None = None
        self._displays: OrderedDict[tuple[str, str], browse.Displayed] = OrderedDict()
        self._total: int | None = None
        self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_DELAY_MS)
        self._progress_timer.timeout.connect(self.recount_progress)
        self._batch = 0
        # Why the last decisions are not saved (set by the window's writer), else None:
        # while it is set nothing may say "All changes saved".
        self.not_saved: str | None = None
        self._version = db_changes.data_version(db)
        self._watch = QTimer(self, interval=WATCH_MS)
        self._watch.timeout.connect(self.check_for_changes)
        self._watch.start()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One keystroke's write and move, drawn once when it ends.

        A confirm changes a figure and then moves the cursor; drawing the text's marks and
        the detail for the figure just decided, only to draw them again for the next one,
        was half the Python a confirm spent on drawing. The signals still go out as they
        happen; views that can wait (`batching`) draw on `settled`, which comes before
        control returns to the event loop, so before anything is painted.
        """
        self._batch += 1
        try:
            yield
        finally:
            self._batch -= 1
            if self._batch == 0:
                self.settled.emit()

    @property
    def batching(self) -> bool:
        return self._batch > 0

    def _reload_pairs(self) -> None:
        if self.article is None:
            return
        self.article.pairs = browse.duplicate_pairs(self.db, self.article.id)
        self.pair = self._pair_at(self._cursor_offset())
        self.pairsChanged.emit()

    # --- datasets and articles ----------------------------------------------------------

    def reload_datasets(self, select: str | None = None) -> None:
        self.datasets.reload()
        names = self.datasets.names()
        wanted = select if select in names else self.dataset if self.dataset in names else None
        self.set_dataset(wanted or (names[0] if names else None), force=True)

    def set_dataset(self, name: str | None, force: bool = False) -> None:
        if name == self.dataset and not force:
            return
        self.dataset = name
        self._total = None
        self.articles.set_dataset(name)
        self.datasetChanged.emit(name or "")
        self.refresh_signoff()
        if self.article is not None and self.articles.row_of(self.article.id) is None:
            self.open_row(0)  # the open article is not in this dataset
        self._progress_timer.start()  # counting is a query over the dataset: not before paint

    def open_article(self, article_id: str | None, figure_id: str | None = None) -> bool:
        article = browse.load_article(self.db, article_id) \
            if article_id else None
        self.article = article
        self.search_hit = None
        self.shown = self._display(article) if article else None
        self.claims.set_article(article, self.shown)
        self.figure_id = self.claim_id = None
        self.pair = None
        self.articleOpened.emit(article.id if article else "")
        if article is not None:
            target = figure_id or self._first_unreviewed_or_first()
            if target:
                self.select_figure(target)
            else:
                self.currentChanged.emit()
        return article is not None

    def open_row(self, row: int) -> bool:
        """Open the listed article at `row`; none there (an empty list) shows none."""
        return self.open_article(self.articles.id_at(row))

    def _first_unreviewed_or_first(self) -> str | None:
        figures = self.article.figures if self.article else []
        for f in figures:
            if not f.reviewed:
                return f.id
        return figures[0].id if figures else None

    # --- script ---------------------------------------------------------------------

    def set_script(self, script: str) -> None:
        if script not in browse.DISPLAY_SCRIPTS:
            raise ValueError(f"unknown script {script!r}")
        if script == self.script:
            return
        self.script = script
        if self.article is not None:
            self.shown = self._display(self.article)
            self.claims.set_displayed(self.shown)
        self.scriptChanged.emit(script)

    def _display(self, article: browse.ArticleView) -> browse.Displayed:
        key = (article.id, self.script)
        shown = self._displays.get(key)
        if shown is None:
            shown = browse.display(article.text, article.script, self.script)
            self._displays[key] = shown
            while len(self._displays) > DISPLAY_CACHE:
                self._displays.popitem(last=False)
        else:
            self._displays.move_to_end(key)
        return shown

    # --- the cursor: current figure, claim, duplicate pair --------------------------------

    def current_figure(self) -> browse.FigureView | None:
        return self._figure(self.figure_id) if self.figure_id else None

    def current_claim(self) -> browse.ClaimView | None:
        if self.article is None or self.claim_id is None:
            return None
        return next((c for c in self.article.claims if c.id == self.claim_id), None)

    def _figure(self, figure_id: str) -> browse.FigureView | None:
        if self.article is None:
            return None
        return next((f for f in self.article.figures if f.id == figure_id), None)

    def select_figure(self, figure_id: str) -> bool:
        fig = self._figure(figure_id)
        if fig is None:
            return False
        if fig.id != self.figure_id:
            self.figure_id, self.claim_id = fig.id, fig.claim_id
            self.pair = self._pair_at(fig.start)
            self.currentChanged.emit()
        return True

    def select_claim(self, claim_id: str) -> bool:
        claim = next((c for c in (self.article.claims if self.article else []) if c.id == claim_id),
                     None)
        if claim is None:
            return False
        if self.figure_id is not None or claim.id != self.claim_id:
            self.figure_id, self.claim_id = None, claim.id
            self.pair = self._pair_at(claim.start)
            self.currentChanged.emit()
        return True

    def select_at(self, display_offset: int) -> None:
        """A click in the text: the figure under it, else its claim, else just the passage."""
        if self.article is None or self.shown is None:
            return
        offset = self.shown.to_source(min(max(display_offset, 0), len(self.shown.text)))
        figures = self.article.figures
        hit = next((f for f in figures if f.start <= offset < f.end), None) or \
            next((f for f in figures if f.start < offset <= f.end), None)
        if hit is not None:
            self.select_figure(hit.id)
            return
        claim = next((c for c in self.article.claims if c.start <= offset < c.end), None)
        if claim is not None:
            self.select_claim(claim.id)
            return
        pair = self._pair_at(offset)
        if pair != self.pair:
            self.pair = pair
            self.currentChanged.emit()

    def _pair_at(self, offset: int) -> tuple[dict, dict] | None:
        if self.article is None:
            return None
        for pair in self.article.pairs:
            sides = (pair["a"], pair["b"])
            for i, side in enumerate(sides):
                if side["article_id"] == self.article.id and side["start"] <= offset < side["end"]:
                    return pair, sides[1 - i]
        return None

    # --- moving -----------------------------------------------------------------------

    def next_figure(self) -> bool:
        return self._step(+1)

    def previous_figure(self) -> bool:
        return self._step(-1)

    def _step(self, direction: int) -> bool:
        figures = self.article.figures if self.article else []
        ids = [f.id for f in figures]
        if self.figure_id in ids:
            i = ids.index(self.figure_id) + direction
        elif self.claim_id is not None:
            in_claim = [k for k, f in enumerate(figures) if f.claim_id == self.claim_id]
            i = in_claim[0] if in_claim and direction > 0 else (in_claim[0] - 1 if in_claim else 0)
        else:
            i = 0 if direction > 0 else len(ids) - 1
        if 0 <= i < len(ids):
            return self.select_figure(ids[i])
        return self._step_article(direction)

    def _step_article(self, direction: int) -> bool:
        row = self.articles.row_of(self.article.id) if self.article else None
        target = 0 if row is None else row + direction
        aid = self.articles.id_at(target)
        if aid is None:
            self.message.emit("End of the list" if direction > 0 else "Start of the list")
            return False
        self.open_article(aid)
        figures = self.article.figures if self.article else []
        if figures:
            self.select_figure(figures[0].id if direction > 0 else figures[-1].id)
        return True

    def next_unreviewed(self) -> bool:
        """The next unreviewed figure after the cursor: in the open article, then on
        through the listed articles. Read from the database, so decisions made elsewhere
        (the command line, another reviewer) count."""
        order = self.articles.ids
        row = self.articles.row_of(self.article.id) if self.article else None
        cur = self.current_figure()
        if row is None and self.article is not None:  # the open article is filtered out
            after = cur.seq if cur else -1
            here = next((f for f in self.article.figures if f.seq > after and not f.reviewed),
                        None)
            if here is not None:
                return self.select_figure(here.id)
        found = browse.next_unreviewed(
            self.db, order, start_index=row or 0,
            after_seq=(cur.seq if cur else -1) if row is not None else None, first_chunk=1)
        if found is None:
            self.message.emit("Every figure in the list is reviewed")
            return False
        if self.article is None or found.article_id != self.article.id:
            return self.open_article(found.article_id, figure_id=found.figure_id)
        return self.select_figure(found.figure_id)

    # --- after a write ----------------------------------------------------------------

    def apply(self, changes: Changes, reveal: bool = False) -> None:
        """Show what a service call changed; `reveal` moves the cursor to it (undo/redo)."""
        if self.article is not None:
            mine = [f for f in changes.figures if self.claims.figure_index(f).isValid()]
            if mine:
                self.claims.update_figures(browse.figures_by_id(self.db, mine))
                self.figuresChanged.emit(mine)
            if changes.pairs:
                self._reload_pairs()
        self.articles.refresh_articles(changes.articles)
        if self.dataset is not None and self.dataset in changes.datasets:
            self.refresh_signoff()
        self._progress_timer.start()
        self.changed.emit(changes)
        self.report_saved()
        if reveal and changes.figures:
            here = [f.id for f in self.article.figures if f.id in changes.figures] \
                if self.article else []
            self.reveal_figure(here[0] if here else sorted(changes.figures)[0])

    def report_saved(self) -> None:
        """The save label's word after a write: saved only if nothing is waiting."""
        if self.not_saved is None:
            self.saved.emit("All changes saved")
        else:
            self.unsaved.emit(self.not_saved)

    # --- writes made elsewhere ----------------------------------------------------------

    def check_for_changes(self) -> bool:
        """Re-read what is shown if another connection has committed since last asked."""
        try:
            version = db_changes.data_version(self.db)
            if version == self._version:
                return False
            self.reread()
        except sqlite3.Error as e:  # asked again on the next tick; a timer must not raise
            self.message.emit(f"Could not re-read the database: {e}")
            return False
        self._version = version
        return True

    def reread(self) -> None:
        """Show what others wrote: figure states, the list's counts, progress, pairs and
        sign-off; the article, figure and script under the reviewer's eyes stay."""
        self._total = None  # an import elsewhere may have added figures
        self._reread_datasets()
        if self.article is not None:
            mine = {f.id: f for f in self.article.figures}
            fresh = browse.figures_by_id(self.db, list(mine))
            differ = {fid: fig for fid, fig in fresh.items() if fig != mine[fid]}
            if differ:
                self.claims.update_figures(differ)
                self.figuresChanged.emit(list(differ))
            self._reload_pairs()
        self.articles.refresh_all()
        self.refresh_signoff()
        self.recount_progress()
        self.externallyChanged.emit()

    def _reread_datasets(self) -> None:
        """A dataset made or grown elsewhere (an import, a merge): list it anew."""
        found = browse.datasets(self.db)
        if found == self.datasets.rows():
            return
        self.datasets.reload()
        if self.dataset is not None and self.dataset not in self.datasets.names():
            self.reload_datasets()
            return
        self.articles.reload()
        self.datasetChanged.emit(self.dataset or "")

    def reveal_figure(self, figure_id: str) -> None:
        if self._figure(figure_id) is None:
            aid = browse.article_of_figure(self.db, figure_id)
            if aid is None:
                return
            self.open_article(aid, figure_id=figure_id)
        self.select_figure(figure_id)

    def _cursor_offset(self) -> int:
        fig, claim = self.current_figure(), self.current_claim()
        return fig.start if fig else claim.start if claim else -1

    # --- sign-off -------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self.signoff is not None and self.signoff.signed_off

    def refresh_signoff(self) -> None:
        """Re-read who has signed the dataset; its events are few, so this is cheap."""
        self.signoff = signoff_service.signoff_state(self.db, self.dataset) \
            if self.dataset is not None else None
        self.signoffChanged.emit()

    def recount_progress(self) -> None:
        if self.dataset is None:
            self.progressChanged.emit(0, 0, 0)
            return
        if self._total is None:
            self._total = browse.dataset_total(self.db, self.dataset)
        progress = browse.dataset_progress(self.db, self.dataset, total=self._total)
        self.progressChanged.emit(progress.settled, progress.total, progress.inherited)

    def stop(self) -> None:
        """No more reads: the window is closing and the database will be closed."""
        self._progress_timer.stop()
        self._watch.stop()

    def invalidate_totals(self) -> None:
        self._total = None
        self._displays.clear()
