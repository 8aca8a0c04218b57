"""The window shows the dataset's progress as the core and `annotator stats` count it:
the status bar, the article list's Reviewed column and the dataset overview, with the
copies that inherit a first copy's review counted apart (CONTEXT.md, Duplicate)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from annotator.services import browse, review, stats
from tests.gui.shared import show_active

DATASET = "samples"


def _review_a_first_copy_and_more(db) -> None:
    source = db.execute("SELECT duplicate_of FROM figures WHERE duplicate_of IS NOT NULL "
                        "ORDER BY duplicate_of LIMIT 1").fetchone()[0]
    plain = db.execute("SELECT id FROM figures WHERE duplicate_of IS NULL ORDER BY id "
                       "LIMIT 1 OFFSET 7").fetchone()[0]
    review.review(db, reviewer="ana", target_id=source, action="confirm")
    review.review(db, reviewer="ana", target_id=plain, action="flag", reason="outdated")


def test_status_bar_article_list_and_overview_agree(qtbot, qapp, samples_db, tmp_path,
                                                    settings, dialogs):
    from annotator.gui import theme
    from annotator.gui.main_window import MainWindow
    from annotator.gui.widgets.dataset_view import DatasetDialog

    db = samples_db
    _review_a_first_copy_and_more(db)
    progress = browse.dataset_progress(db, DATASET)
    assert progress.inherited >= 1 and progress.reviewed == 2
    words = progress.text()
    assert words == stats.progress_text(*[stats.dataset_stats(db, DATASET)[0][k] for k in
                                          ("reviewed", "inherited", "figures")])

    theme.apply(qapp)
    w = MainWindow(db, "ana", db_path=tmp_path / "samples.db", settings=settings,
                   dialogs=dialogs)
    qtbot.addWidget(w)
    show_active(qtbot, w)
    assert w.session.dataset == DATASET

    qtbot.waitUntil(lambda: w.status.progress_label.text() == f"{DATASET}: {words}",
                    timeout=5_000)

    model = w.session.articles
    settled = inherited = figures = 0
    for row in range(model.rowCount()):
        shown = model.index(row, 1).data()
        m = re.fullmatch(r"(\d+)/(\d+)(?: \((\d+) inherited\))?", shown)
        assert m, shown
        settled += int(m[1])
        figures += int(m[2])
        inherited += int(m[3] or 0)
        tip = model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
        assert ("inherited" in tip) == bool(m[3])
    assert (settled, inherited, figures) == (progress.settled, progress.inherited,
                                             progress.total)

    w.dataset_dialog = DatasetDialog(w.session, w.jobs, w.commands.actions, w)
    with qtbot.waitSignal(w.dataset_dialog.overviewShown, timeout=20_000):
        w.open_dataset_view()
    assert w.dataset_dialog.stats.text().endswith(words)
    w.close()
