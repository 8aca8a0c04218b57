"""Dataset > Dataset overview: how far the team is, how well it agrees, what is left,
and who has signed.

Everything comes from one `team.dataset_overview` call, run in a worker with its own
connection: on 10,000 figures it takes about a second (agreement and, once signed, the
content hash), too long to freeze the window for. Changes made while the view is open
bring a fresh overview a moment later, coalesced.
"""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QPushButton, QScrollArea, QTableView, QVBoxLayout, QWidget,
)

from annotator.gui.models.reviewers import (
    AgreementPairsModel, RecordTableModel, ReviewerProgressModel, SignaturesModel,
    coefficient, when,
)
from annotator.gui.widgets.signoff_badge import signoff_summary
from annotator.gui.workers import Jobs
from annotator.services import team
from annotator.services.stats import progress_text

REFRESH_DELAY_MS = 400
MAX_ROWS_SHOWN = 8  # a table grows to this many rows, then scrolls


def _label(name: str, wrap: bool = True) -> QLabel:
    label = QLabel("")
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(wrap)
    return label


def _table(model: RecordTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.verticalHeader().setVisible(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    model.modelReset.connect(lambda: _fit(view))
    _fit(view)
    return view


def _fit(view: QTableView) -> None:
    """Tall enough for its few rows: a reviewer hidden below a scroll bar is missed."""
    rows = min(max(view.model().rowCount(), 1), MAX_ROWS_SHOWN)
    row_height = view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(view.horizontalHeader().sizeHint().height() + rows * row_height
                        + 2 * view.frameWidth() + 2)


def _alpha(value: float | None) -> str:
    return "undefined (no variation to measure)" if value is None else coefficient(value)


def _button(action: QAction, text: str) -> QPushButton:
    """A button that triggers the window's action, so keys, menu and button agree."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.setToolTip(action.toolTip())
    button.clicked.connect(action.trigger)
    return button


class DatasetDialog(QDialog):
    overviewShown = Signal(dict)
    failed = Signal(str)

    def __init__(self, session, jobs: Jobs, actions: dict[str, QAction], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Dataset overview")
        self.setObjectName("datasetDialog")
        self.setModal(False)
        self.resize(840, 760)
        self.session, self.jobs, self.window_actions = session, jobs, actions
        self.overview: dict | None = None
        self.progress_model = ReviewerProgressModel(self)
        self.agreement_model = AgreementPairsModel(self)
        self.signatures_model = SignaturesModel(self)
        self._token: object | None = None
        self._again = False
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._build()
        session.changed.connect(lambda _c: self._refresh_soon())
        session.datasetChanged.connect(lambda _n: self._refresh_soon())
        session.externallyChanged.connect(self._refresh_soon)

    # --- layout ---------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = _label("datasetHeading")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.stats = _label("datasetStats")
        self.loading = _label("datasetLoading", wrap=False)
        self.loading.setObjectName("listCount")
        self.open_work = _label("openWork")
        self.progress_table = _table(self.progress_model, "progressTable")
        self.agreement_table = _table(self.agreement_model, "agreementTable")
        self.alpha = _label("alphaLabel")
        self.signoff_state = _label("signoffState")
        self.signoff_state.setStyleSheet("font-weight: 600;")
        self.hash_state = _label("hashState")
        self.reopened = _label("reopenedLabel")
        self.signatures_table = _table(self.signatures_model, "signaturesTable")
        acts = self.window_actions
        for name in ("conflicts_view", "sign_off", "reopen"):
            self.addAction(acts[name])  # their keys work here too
        self.sign_button = _button(acts["sign_off"], "Sign off…")
        self.reopen_button = _button(acts["reopen"], "Reopen…")
        conflicts = _button(acts["conflicts_view"], "Conflicts…")
        refresh = QPushButton("Refresh")
        refresh.setAutoDefault(False)
        refresh.clicked.connect(self.refresh)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.close)

        top = QGridLayout()
        top.addWidget(self.heading, 0, 0)
        top.addWidget(self.loading, 0, 1, Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.stats, 1, 0, 1, 2)
        work_row = QHBoxLayout()
        work_row.addWidget(self.open_work, 1)
        work_row.addWidget(conflicts)
        signoff_buttons = QHBoxLayout()
        signoff_buttons.addWidget(self.signoff_state, 1)
        signoff_buttons.addWidget(self.sign_button)
        signoff_buttons.addWidget(self.reopen_button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(refresh)
        bottom.addWidget(close)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self._group("Open work", work_row))
        layout.addWidget(self._group("Progress per reviewer", self.progress_table))
        agreement = QVBoxLayout()
        agreement.addWidget(self.agreement_table)
        agreement.addWidget(self.alpha)
        layout.addWidget(self._group("Agreement", agreement))
        signoff = QVBoxLayout()
        signoff.addLayout(signoff_buttons)
        signoff.addWidget(self.hash_state)
        signoff.addWidget(self.signatures_table)
        signoff.addWidget(self.reopened)
        layout.addWidget(self._group("Sign-off", signoff))
        layout.addStretch(1)
        scroll = QScrollArea()  # many reviewers and signatures scroll rather than squeeze
        scroll.setObjectName("datasetScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(bottom)

    @staticmethod
    def _group(title: str, content) -> QGroupBox:
        box = QGroupBox(title)
        if isinstance(content, (QVBoxLayout, QHBoxLayout)):
            box.setLayout(content)
        else:
            inner = QVBoxLayout(box)
            inner.addWidget(content)
        return box

    # --- loading ----------------------------------------------------------------------

    def _refresh_soon(self) -> None:
        if self.isVisible():
            self._timer.start()

    def refresh(self) -> None:
        """Compute the overview again in a worker; a request made while one runs is
        served once it is done, not in parallel."""
        dataset = self.session.dataset
        if dataset is None:
            self._show_nothing()
            return
        if self._token is not None:
            self._again = True
            return
        self.loading.setText("Updating…")
        token = self._token = object()
        if self.session.db_path is None:
            self._shown(token, team.dataset_overview(self.session.db, dataset))
            return
        self.jobs.start(self.session.db_path,
                        lambda db, _p, _c: team.dataset_overview(db, dataset),
                        finished=lambda overview: self._shown(token, overview),
                        failed=lambda message: self._failed(token, message))

    def _shown(self, token, overview: dict) -> None:
        if token is not self._token:
            return
        self._token = None
        if overview.get("dataset") == self.session.dataset:
            self.show_overview(overview)
        if self._again or overview.get("dataset") != self.session.dataset:
            self._again = False
            self.refresh()

    def _failed(self, token, message: str) -> None:
        if token is not self._token:
            return
        self._token = None
        self.loading.setText(f"Could not compute the overview: {message}")
        self.failed.emit(message)

    def _show_nothing(self) -> None:
        self.overview = None
        self.heading.setText("No dataset")
        for label in (self.stats, self.open_work, self.alpha, self.signoff_state,
                      self.hash_state, self.reopened, self.loading):
            label.setText("")
        for model in (self.progress_model, self.agreement_model, self.signatures_model):
            model.set_rows([])

    # --- showing ----------------------------------------------------------------------

    def show_overview(self, o: dict) -> None:
        self.overview = o
        stats, work = o["stats"], o["open_work"]
        total = stats["figures"]
        self.heading.setText(f"Dataset {o['dataset']}")
        self.stats.setText(
            f"{stats['articles']:,} articles · {stats['claims']:,} claims · "
            + progress_text(stats["reviewed"], stats["inherited"], total))
        self.open_work.setText(
            f"{work['unreviewed']:,} figure(s) unreviewed · {o['conflicts']:,} conflict(s) "
            "to adjudicate" if work["unreviewed"] or o["conflicts"] else
            "Nothing open: every figure is settled")
        self.progress_model.set_rows(o["progress"])
        self._show_agreement(o["agreement"])
        self._show_signoff(o["signoff"], o["content_matches_signature"])
        self.loading.setText(f"Updated {_dt.datetime.now():%H:%M:%S}")
        if o["signoff"]["signed_off"] != self.session.locked:
            self.session.refresh_signoff()  # signed or reopened from elsewhere (the CLI)
        self.overviewShown.emit(o)

    def _show_agreement(self, a: dict) -> None:
        self.agreement_model.set_rows(a["pairs"])
        if not a["pairs"]:
            self.alpha.setText("Agreement needs two reviewers' decisions on the same figures.")
            return
        self.alpha.setText(
            f"Krippendorff's α: nominal {_alpha(a['alpha_nominal'])} over "
            f"{a['units']:,} figure(s) decided by two or more reviewers · interval "
            f"{_alpha(a['alpha_interval'])} over the accepted values of "
            f"{a['interval_units']:,} figure(s)")

    def _show_signoff(self, st: dict, matches: bool | None) -> None:
        self.signoff_state.setText(signoff_summary(st["signed_off"], st["signers"],
                                                   st["required"]))
        self.signoff_state.setStyleSheet("font-weight: 600; color: #B3261E;"
                                         if st["signed_off"] else "font-weight: 600;")
        if matches is None:
            self.hash_state.setText("No signatures yet: the content is hashed when signed.")
        elif matches:
            self.hash_state.setText(f"The content matches the signed hash "
                                    f"({(st['hash'] or '')[:12]}).")
        else:
            self.hash_state.setText("The content no longer matches the signed hash: it was "
                                    "changed after signing (reopen and sign again).")
        rows = [dict(s, counts=s.get("hash") == st["hash"]) for s in st["signatures"]]
        self.signatures_model.set_rows(rows)
        self.signatures_table.setVisible(bool(rows))
        last = st["reopened"][-1] if st["reopened"] else None
        self.reopened.setText(f"Last reopened by {last['reviewer']} on {when(last['at'])}: "
                              f"{last['reason']}" if last else "")
        self.reopened.setVisible(last is not None)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()
