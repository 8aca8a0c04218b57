"""Window tests: offscreen Qt, a review database and Qt settings per test under tmp_path,
and dialogs that answer from the test instead of waiting for a person."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt window exists
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")  # as gui.app.application() sets it

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from builders import build_review_db  # noqa: E402

from tests.gui.shared import themed_window  # noqa: E402


def pytest_collection_modifyitems(config, items):
    from annotator.gui import compat

    if not compat.binding_loses_references():
        return
    skip = pytest.mark.skip(reason=compat.ADVICE)
    for item in items:
        if "tests/gui/" in item.nodeid and "test_binding.py" not in item.nodeid:
            item.add_marker(skip)


class FakeDialogs:
    """Answers prepared by the test; records what the window asked and reported."""

    def __init__(self):
        self.correct_answer: dict | None = None
        self.flag_answer: tuple[str, str | None] | None = None
        self.name: str | None = "ana"
        self.paths: list[str] = []
        self.dataset: str | None = "imported"
        self.export_request = None      # an ExportRequest to answer File > Export with
        self.export_with = None         # or: fill the real export form, fn(dialog)
        self.export_offered: tuple | None = None  # (dataset, signoff, default path) shown
        self.asked: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.confirm_answer = True
        self.reopen_answer: str | None = "a wrong total in article 2"
        self.database: str | None = None     # File > Open database / Merge answers this
        self.new_name: str | None = None     # File > Change reviewer answers this
        self.confirms: list[tuple[str, str]] = []  # (title, text) of every question asked

    def confirm(self, parent, title, text, ok):
        self.asked.append(f"confirm {title}")
        self.confirms.append((title, text))
        return self.confirm_answer

    def database_path(self, parent, title, new_ok=False):
        self.asked.append(title)
        return self.database

    def new_reviewer_name(self, parent, current):
        self.asked.append(f"reviewer instead of {current}")
        return self.new_name

    def correct(self, parent, figure, surface):
        self.asked.append(f"correct {surface}")
        return self.correct_answer

    def flag(self, parent, what):
        self.asked.append(f"flag {what}")
        return self.flag_answer

    def reviewer_name(self, parent):
        self.asked.append("reviewer")
        return self.name

    def import_paths(self, parent, folder):
        return list(self.paths)

    def dataset_name(self, parent, default, existing=()):
        return self.dataset

    def export_options(self, parent, *, dataset, signoff, default_path):
        """Answers with `export_request`, or lets `export_with` fill in and press the
        buttons of the window's real export form (never shown, never waited on)."""
        from PySide6.QtWidgets import QDialog

        from annotator.gui.widgets.export_dialog import ExportDialog

        self.asked.append(f"export {dataset}")
        self.export_offered = (dataset, signoff, default_path)
        if self.export_with is None:
            return self.export_request
        dlg = ExportDialog(dataset, signoff, default_path, parent)
        try:
            self.export_with(dlg)
            return dlg.request() if dlg.result() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()

    def reopen_reason(self, parent, dataset):
        self.asked.append(f"reopen {dataset}")
        return self.reopen_answer

    def info(self, parent, title, text):
        self.infos.append((title, text))

    def error(self, parent, title, text):
        self.errors.append((title, text))


@pytest.fixture(autouse=True)
def _application(qapp):
    """Models paint status icons, which needs the application object."""
    return qapp


@pytest.fixture(scope="session")
def _review_template(tmp_path_factory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("review") / "review.db"
    ids = build_review_db(path)
    return path, ids


@pytest.fixture
def review_db_path(_review_template, tmp_path) -> Path:
    path = tmp_path / "review.db"
    shutil.copy(_review_template[0], path)
    return path


@pytest.fixture
def article_ids(_review_template) -> list[str]:
    """zh Simplified, English, zh Hong Kong Traditional, tricky offsets; in dataset order."""
    return list(_review_template[1])


@pytest.fixture
def review_db(review_db_path):
    from annotator.storage.db import open_db

    db = open_db(review_db_path)
    yield db
    db.close()


@pytest.fixture
def settings(tmp_path, qapp):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def window(qtbot, qapp, review_db, review_db_path, settings, dialogs):
    w = themed_window(qtbot, qapp, review_db, review_db_path, settings, dialogs)
    yield w
    w.close()


@pytest.fixture
def lead(qtbot, qapp, review_db, review_db_path, settings, dialogs):
    """The window of a lead who reviewed nothing of their own."""
    w = themed_window(qtbot, qapp, review_db, review_db_path, settings, dialogs,
                      reviewer="lead")
    yield w
    w.close()
