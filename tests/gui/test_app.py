"""Starting up: the reviewer's name, window layout in QSettings, reopening where one was."""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtCore import QSettings

from annotator import paths
from annotator.gui import app as gui_app
from annotator.gui.actions import BINDINGS, keyboard_markdown
from annotator.gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_first_start_asks_for_the_name_and_remembers_it_for_the_cli(monkeypatch):
    asked = []
    name = gui_app.ensure_reviewer(None, lambda: asked.append(1) or "  Ana Li ")
    assert name == "Ana Li" and asked == [1]
    assert paths.load_config()["reviewer"] == "Ana Li"
    assert paths.configured_reviewer() == "Ana Li"  # what the command line uses
    assert gui_app.ensure_reviewer(None, lambda: asked.append(2) or "x") == "Ana Li"
    assert asked == [1]


def test_an_explicit_name_is_not_asked_for(monkeypatch):
    assert gui_app.ensure_reviewer("bo", lambda: "never") == "bo"
    monkeypatch.setenv("ANNOTATOR_REVIEWER", "cy")
    assert gui_app.ensure_reviewer(None, lambda: "never") == "cy"
    assert "reviewer" not in paths.load_config()


def test_no_name_no_window(dialogs, review_db_path):
    dialogs.name = None
    assert gui_app.run(review_db_path, None, dialogs=dialogs) == 2


def test_a_damaged_database_is_refused_with_a_message(dialogs, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 10)
    assert gui_app.run(bad, "ana", dialogs=dialogs) == 2
    assert dialogs.errors and "not an SQLite database" in dialogs.errors[0][1]


def test_a_damaged_page_is_reported_after_start(qtbot, window, dialogs, monkeypatch):
    from annotator.services import browse

    monkeypatch.setattr(browse, "integrity_problems", lambda db: ["row 7 missing from index"])
    window.check_integrity()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=10_000)
    assert "row 7 missing" in dialogs.errors[0][1]
    assert window.status.save_label.text() == "Database damaged"


def test_a_sound_database_passes_quietly(qtbot, window, dialogs):
    window.check_integrity()
    window.jobs.wait()
    qtbot.wait(50)
    assert dialogs.errors == []


def test_layout_and_place_are_kept_in_settings(qtbot, review_db, review_db_path, settings,
                                               dialogs, article_ids):
    w = MainWindow(review_db, "ana", db_path=review_db_path, settings=settings, dialogs=dialogs)
    qtbot.addWidget(w)
    w.show()
    # the offscreen screen is small; the window cannot be narrower than its contents,
    # which grow with the application font an earlier window's theme set
    width = max(780, w.minimumSizeHint().width())
    w.resize(width, 600)
    w.splitter.setSizes([210, 480])
    w.session.open_article(article_ids[2])
    sizes = w.splitter.sizes()
    w.close()
    w2 = MainWindow(review_db, "ana", db_path=review_db_path, settings=settings, dialogs=dialogs)
    qtbot.addWidget(w2)
    w2.show()
    assert (w2.size().width(), w2.size().height()) == (width, 600)
    assert w2.splitter.sizes() == sizes and sizes[0] < 250
    assert w2.session.article.id == article_ids[2]
    w2.close()
    assert QSettings(settings.fileName(), QSettings.Format.IniFormat).value("window/geometry")


def test_help_dialog_and_docs_list_every_shortcut():
    doc = (ROOT / "docs" / "keyboard.md").read_text(encoding="utf-8")
    assert keyboard_markdown() in doc
    keys = [k for b in BINDINGS for k in b.keys]
    assert len(keys) == len(set(keys)), "a key is bound twice"


def test_every_action_has_its_shortcut_in_the_window(window):
    for b in BINDINGS:
        action = window.commands.actions[b.name]
        assert [s.toString() for s in action.shortcuts()] == list(b.keys), b.name


def test_an_empty_database_opens_and_can_import(qtbot, tmp_path, settings, dialogs):
    from annotator.storage.db import open_db

    db = open_db(tmp_path / "empty.db")
    w = MainWindow(db, "ana", db_path=tmp_path / "empty.db", settings=settings, dialogs=dialogs)
    qtbot.addWidget(w)
    w.show()
    assert w.session.article is None and w.session.dataset is None
    assert w.header.title.text() == "No article"
    assert w.commands.confirm() is False
    assert w.windowTitle().startswith("annotator — no dataset")
    dialogs.paths = [str(ROOT / "samples" / "004_05ed09abc584fe42.txt")]
    dialogs.dataset = "first"
    with qtbot.waitSignal(w.files.importFinished, timeout=120_000):
        w.files.ask_import(folder=False)
    assert w.session.dataset == "first" and w.session.article is not None
    assert w.header.title.text() != "No article"
    w.close()
    db.close()


def test_picking_another_dataset_opens_its_first_article(qtbot, window, review_db, article_ids):
    from annotator.storage import articles as repo
    from annotator.storage.db import write_tx

    with write_tx(review_db):
        repo.add_to_dataset(review_db, "second", article_ids[2])
    window.session.reload_datasets()
    box = window.article_list.dataset_box
    row = window.session.datasets.row_of("second")
    box.setCurrentIndex(row)
    box.activated.emit(row)
    assert window.session.dataset == "second"
    assert window.session.article.id == article_ids[2]
    assert window.article_list.table.currentIndex().row() == 0


def test_f1_shows_the_shortcuts(qtbot, window):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    seen = []

    def close_it():
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.windowTitle())
        rows = dialog.view.model().rowCount()
        seen.append(rows)
        dialog.reject()

    QTimer.singleShot(100, close_it)
    qtbot.keyClick(window.text_view, Qt.Key.Key_F1)
    assert seen and seen[0] == "Keyboard shortcuts"
    assert seen[1] == len({b.group for b in BINDINGS})


PAINT_ON_ONE_THREAD = r"""
import os, sys
os.environ.pop("QT_NO_GUI_THREADPOOL", None)
from annotator.gui.app import application
app = application()
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QMainWindow, QTreeView
model = QStandardItemModel()
for i in range(300):
    model.appendRow(QStandardItem(str(i)))
window = QMainWindow()
tree = QTreeView()
tree.setModel(model)
window.setCentralWidget(tree)
window.resize(1480, 900)
window.show()
app.processEvents()
def waits():
    with open("/proc/thread-self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("voluntary_ctxt_switches"))
before = waits()
for _ in range(10):
    tree.verticalScrollBar().repaint()
print(os.environ.get("QT_NO_GUI_THREADPOOL"), waits() - before)
"""


@pytest.mark.skipif(not Path("/proc/thread-self/status").exists(), reason="Linux /proc")
def test_the_window_paints_without_waiting_for_other_threads():
    """A tall scroll bar's gradient is a fill Qt would hand to its thread pool and wait
    for (about 30 waits per repaint); application() keeps such fills on the GUI thread."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", PAINT_ON_ONE_THREAD], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    setting, waits = out.stdout.split()
    assert setting == "1"
    assert int(waits) < 5  # with Qt's pool: about 300
