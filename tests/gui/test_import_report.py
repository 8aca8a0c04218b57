"""The import's summary is shown whole (a dialog Enter closes), never cut off in the
status line, which keeps a few words that fit."""

from __future__ import annotations

import importlib.util

import pytest
from PySide6.QtCore import Qt

from annotator.gui.file_ops import import_report, import_status
from annotator.readers import ReadError, ReadWarning
from annotator.services.importing import ImportSummary

ENGINE = importlib.util.find_spec("annotator.text.claims") is not None
CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_report_holds_every_part_of_the_summary(tmp_path):
    s = ImportSummary("hk-talent 2025 (second batch)", files=12, articles_added=1234,
                      articles_known=5, claims=301, figures=1207, duplicate_pairs=3,
                      errors=[ReadError("bad.csv", "row 7: no text")],
                      warnings=[ReadWarning("a.txt", "2 NUL characters removed")],
                      skipped=[tmp_path / "x.docx"])
    text = import_report(s)
    for part in ("hk-talent 2025 (second batch)", "Files read: 12", "Articles added: 1,234",
                 "Already present: 5", "Claims: 301", "figures: 1,207",
                 "Duplicated passages: 3", "Errors: 1", "1 file(s) skipped",
                 "bad.csv: row 7: no text", "a.txt: 2 NUL characters removed"):
        assert part in text
    assert import_status(s) == "Import finished: 1,234 added, 5 already present, 1 error(s)"
    many = ImportSummary("d", errors=[ReadError(f"{i}.txt", "empty") for i in range(25)])
    assert "… and 5 more" in import_report(many)


@pytest.mark.skipif(not ENGINE, reason="the figure engine is not installed")
def test_a_menu_import_at_1280_shows_its_summary_whole(qtbot, window, dialogs, review_db):
    from tests.conftest import SAMPLES

    window.resize(1280, 720)
    dialogs.paths = [str(SAMPLES / "004_05ed09abc584fe42.txt"),
                     str(SAMPLES / "000_9a8e113bea1e7b93.txt")]
    dialogs.dataset = "a dataset with a name long enough to have cut the old line"
    with qtbot.waitSignal(window.files.importFinished, timeout=120_000) as done:
        qtbot.keyClick(window.text_view, Qt.Key.Key_O, CTRL)
    summary = done.args[0]
    in_db = review_db.execute(
        "SELECT COUNT(*) FROM dataset_articles WHERE dataset = ?", [dialogs.dataset]
    ).fetchone()[0]
    assert in_db == summary.articles_added + summary.articles_known == 2
    assert dialogs.infos[-1] == ("Import finished", import_report(summary))
    assert f"Articles added: {summary.articles_added}" in dialogs.infos[-1][1]
    line = window.status.currentMessage()
    assert line == import_status(summary)
    assert window.fits_status(line)  # nothing of it is cut
    assert len(dialogs.infos) == 1  # the line fits: no second dialog for it
