"""Names and titles from the database show as the characters they are, never as markup.

Qt reads a QLabel's or a tooltip's text as HTML when it looks like markup, so a dataset
named `<font color=red size=6>x</font>` (or a reviewer, or a scraped title) would restyle
the window, or show a link or an image. Every label showing one is plain text; every
tooltip showing one is escaped (theme.plain_tooltip).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLabel

from annotator.services.review import review
from annotator.storage import articles as repo
from annotator.storage.db import write_tx
from annotator.storage.reviews import dataset_figure_ids

MARKUP = "<font color=red size=6>x</font>"
DATASET = f"ds {MARKUP}"
ANA, BEN, LEAD = f"ana {MARKUP}", "ben <b>B</b>", "lead <img src=x>"
RAW = ("<font", "<b>", "<img")


def _hostile(db) -> None:
    """Every article of `samples` also in a dataset with a markup name, titled with
    markup, and two reviewers with markup names who disagree on its first figures."""
    ids = [r[0] for r in db.execute(
        "SELECT article_id FROM dataset_articles WHERE dataset = 'samples' ORDER BY seq")]
    with write_tx(db):
        for aid in ids:
            repo.add_to_dataset(db, DATASET, aid)
            db.execute("UPDATE articles SET title = ? WHERE id = ?", [f"title {MARKUP}", aid])
    figures = dataset_figure_ids(db, DATASET)[:4]
    for fid in figures:
        review(db, reviewer=ANA, target_id=fid, action="confirm", note=f"note {MARKUP}")
    review(db, reviewer=BEN, target_id=figures[0], action="flag", reason="outdated",
           note=f"see {MARKUP}")
    review(db, reviewer=BEN, target_id=figures[1], action="correct", value=1.0)


@pytest.fixture
def hostile_window(qtbot, qapp, review_db, review_db_path, settings, dialogs):
    from annotator.gui import theme
    from annotator.gui.main_window import MainWindow

    _hostile(review_db)
    theme.apply(qapp)
    w = MainWindow(review_db, LEAD, db_path=review_db_path, settings=settings,
                   dialogs=dialogs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.session.reload_datasets(select=DATASET)
    assert w.session.dataset == DATASET
    yield w
    w.close()


def _shows_raw(text: str) -> bool:
    return any(raw in (text or "") for raw in RAW)


def _model_problems(model, where: str) -> list[str]:
    problems = []
    if model is None:
        return problems

    def columns(parent: QModelIndex) -> int:
        try:
            return model.columnCount(parent)
        except TypeError:  # a list model: one column
            return 0 if parent.isValid() else 1

    def visit(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            for col in range(columns(parent)):
                index = model.index(row, col, parent)
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str) and _shows_raw(tip):
                    problems.append(f"{where} [{row},{col}] tooltip {tip!r}")
                if col == 0 and model.rowCount(index) > 0:
                    visit(index)

    visit(QModelIndex())
    for col in range(columns(QModelIndex())):
        tip = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        if isinstance(tip, str) and _shows_raw(tip):
            problems.append(f"{where} header {col} tooltip {tip!r}")
    return problems


def _everything_shown(window) -> list[str]:
    """Every label, tooltip and item tooltip of the window and its dialogs that would
    render a stored name as markup."""
    problems = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLabel) and _shows_raw(widget.text()) \
                and widget.textFormat() != Qt.TextFormat.PlainText:
            problems.append(f"label {widget.objectName() or type(widget).__name__}: "
                            f"{widget.text()!r} ({widget.textFormat()})")
        if _shows_raw(widget.toolTip()):
            problems.append(f"tooltip of {widget.objectName() or type(widget).__name__}: "
                            f"{widget.toolTip()!r}")
        if isinstance(widget, (QAbstractItemView, QComboBox)):
            problems += _model_problems(widget.model(),
                                        widget.objectName() or type(widget).__name__)
    for action in window.findChildren(QAction):
        if _shows_raw(action.toolTip()):
            problems.append(f"action {action.text()!r} tooltip {action.toolTip()!r}")
    return problems


def test_names_and_titles_show_as_plain_text(qtbot, hostile_window):
    w = hostile_window
    qtbot.waitUntil(lambda: MARKUP in w.status.progress_label.text(), timeout=10_000)
    w.open_conflicts_view()
    dialog = w.conflicts_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=10_000)
    assert set(dialog.take_buttons) == {ANA, BEN}
    with qtbot.waitSignal(_overview(w).overviewShown, timeout=20_000):
        w.open_dataset_view()
    shown = [lab.text() for lab in QApplication.allWidgets() if isinstance(lab, QLabel)]
    assert any(LEAD in t for t in shown) and any(DATASET in t for t in shown)
    problems = _everything_shown(w)
    assert not problems, "\n".join(problems)


def _overview(window):
    if window.dataset_dialog is None:
        from annotator.gui.widgets.dataset_view import DatasetDialog

        window.dataset_dialog = DatasetDialog(window.session, window.jobs,
                                              window.commands.actions, window)
    return window.dataset_dialog


def test_status_bar_labels_are_plain(qtbot):
    from annotator.gui.widgets.status import ReviewStatusBar

    bar = ReviewStatusBar(MARKUP)
    qtbot.addWidget(bar)
    bar.show_progress(DATASET, 1, 2)
    bar.show_unsaved(f"Not saved: {MARKUP}")
    for label in (bar.reviewer_label, bar.progress_label, bar.save_label):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert bar.reviewer_label.text() == f"Reviewer: {MARKUP}"


def test_export_dialog_offers_to_leave_formulas_as_they_are(qtbot):
    from annotator.gui.widgets.export_dialog import ExportDialog

    dlg = ExportDialog(DATASET, None, "claims.jsonl")
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.where.textFormat() == Qt.TextFormat.PlainText and MARKUP in dlg.where.text()
    assert not dlg.neutralise.isVisible()  # a CSV choice
    dlg.set_format("csv")
    assert dlg.neutralise.isVisible() and dlg.neutralise.isChecked()
    assert dlg.request().neutralise is True
    dlg.neutralise.setChecked(False)
    assert dlg.request().neutralise is False and dlg.request().path == "claims.csv"
