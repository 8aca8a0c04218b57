"""File > Import and File > Export run in workers with their own connections."""

from __future__ import annotations

import csv
import importlib.util
import json
import threading

import pytest
from PySide6.QtCore import Qt

from annotator.gui.widgets.export_dialog import ExportRequest
from annotator.gui.workers import Jobs

CTRL = Qt.KeyboardModifier.ControlModifier
ENGINE = importlib.util.find_spec("annotator.text.claims") is not None


def test_export_jsonl_from_the_menu_key(qtbot, window, dialogs, tmp_path):
    qtbot.keyClick(window.text_view, Qt.Key.Key_A)  # confirm one figure first
    target = tmp_path / "out.jsonl"
    dialogs.export_request = ExportRequest(str(target), "jsonl")
    with qtbot.waitSignal(window.files.exportFinished, timeout=20_000) as done:
        qtbot.keyClick(window.text_view, Qt.Key.Key_E, CTRL)
    assert done.args[0].records > 0
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == done.args[0].records
    statuses = [f["status"] for r in records for f in r["figures"]]
    assert statuses.count("confirmed") == 1
    assert {r["dataset"] for r in records} == {"samples"}


def test_export_csv(qtbot, window, tmp_path):
    target = tmp_path / "out.csv"
    with qtbot.waitSignal(window.files.exportFinished, timeout=20_000):
        window.files.start_export(ExportRequest(str(target), "csv"))
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert len(rows) == 121  # one row per figure
    assert window.status.currentMessage().startswith("Exported 121 record(s)")


def test_cancelled_export_dialog_starts_nothing(qtbot, window, dialogs):
    dialogs.export_request = None
    assert window.files.ask_export() is None
    assert dialogs.asked == ["export samples"]
    assert not window.jobs.busy()


def test_worker_uses_its_own_connection_off_the_gui_thread(qtbot, review_db_path):
    seen = {}

    def job(db, progress, cancelled):
        seen["thread"] = threading.current_thread() is not threading.main_thread()
        progress(1, 2)
        return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    jobs = Jobs()
    results = []
    jobs.start(review_db_path, job, finished=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results == [4] and seen["thread"] is True
    assert not jobs.busy()


def test_worker_reports_failures(qtbot, review_db_path):
    def job(db, progress, cancelled):
        raise RuntimeError("disk on fire")

    jobs = Jobs()
    failures = []
    jobs.start(review_db_path, job, failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert "disk on fire" in failures[0]


@pytest.mark.skipif(not ENGINE, reason="the figure engine is not installed")
def test_import_from_the_menu_adds_a_dataset(qtbot, window, dialogs, tmp_path):
    from tests.conftest import SAMPLES

    dialogs.paths = [str(SAMPLES / "004_05ed09abc584fe42.txt"), str(tmp_path / "missing.txt")]
    dialogs.dataset = "imported"
    with qtbot.waitSignal(window.files.importFinished, timeout=120_000) as done:
        qtbot.keyClick(window.text_view, Qt.Key.Key_O, CTRL)
    summary = done.args[0]
    assert summary.articles_added == 1 and len(summary.errors) == 1
    assert dialogs.errors and "missing.txt" in dialogs.errors[0][1]
    assert window.session.dataset == "imported"
    assert window.session.articles.rowCount() == 1
    assert window.files.progress is None  # the progress dialog is gone


@pytest.mark.skipif(not ENGINE, reason="the figure engine is not installed")
def test_import_can_be_cancelled(qtbot, window, tmp_path):
    from tests.conftest import SAMPLES

    with qtbot.waitSignal(window.files.importFinished, timeout=120_000) as done:
        window.files.start_import([str(SAMPLES)], "cancelled")
        window.files.progress.cancel()
    assert done.args[0].files < len(list(SAMPLES.iterdir()))


def test_job_callbacks_run_in_the_gui_thread(qtbot, review_db_path):
    threads = []
    jobs = Jobs()
    jobs.start(review_db_path, lambda db, progress, cancelled: progress(1, 1),
               progress=lambda d, t: threads.append(threading.current_thread()),
               finished=lambda r: threads.append(threading.current_thread()))
    qtbot.waitUntil(lambda: len(threads) == 2, timeout=10_000)
    assert threads == [threading.main_thread()] * 2
