"""File > Export: the command line's choices in a form, the same files as the command line.

Each test fills the window's real export form (FakeDialogs.export_with), lets the export
run in its worker, and compares what was written with `annotator export` run with the
same options on the same database.
"""

from __future__ import annotations

import csv
import json
import threading

import pytest
from click.testing import CliRunner
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from annotator.services.export import records as exporter
from annotator.cli import main as cli
from annotator.gui import file_ops
from annotator.gui.widgets.export_dialog import ExportRequest
from annotator.services import signoff
from annotator.services.review import review
from annotator.storage import reviews as rv

CTRL = Qt.KeyboardModifier.ControlModifier
DATASET = "samples"


def cli_export(db_path, out, *options) -> None:
    result = CliRunner().invoke(cli, ["export", "--db", str(db_path), "--dataset", DATASET,
                                      "-o", str(out), *options])
    assert result.exit_code == 0, result.output


def press(button_box, which=QDialogButtonBox.StandardButton.Ok) -> None:
    button_box.button(which).click()


def export_from_the_menu(qtbot, window, timeout=30_000):
    with qtbot.waitSignal(window.files.exportFinished, timeout=timeout) as done:
        qtbot.keyClick(window.text_view, Qt.Key.Key_E, CTRL)
    return done.args[0]


def review_some(db) -> dict[str, str]:
    """Confirm, correct and flag a few figures of the first article; returns their ids."""
    ids = [r[0] for r in db.execute(
        "SELECT f.id FROM figures f JOIN dataset_articles da ON da.article_id = f.article_id "
        "WHERE da.dataset = ? ORDER BY da.seq, f.seq", [DATASET])]
    review(db, reviewer="ana", target_id=ids[0], action="confirm")
    review(db, reviewer="ana", target_id=ids[1], action="correct", value=60300.0)
    review(db, reviewer="ana", target_id=ids[2], action="flag", reason="outdated")
    for fid in ids[3:8]:
        review(db, reviewer="ana", target_id=fid, action="confirm")
    return {"confirmed": ids[0], "corrected": ids[1], "flagged": ids[2]}


@pytest.fixture
def out(tmp_path):
    """Where exports go (the review database lives in tmp_path itself)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def sign_off(db) -> None:
    for fid in [r[0] for r in db.execute(
            "SELECT f.id FROM figures f JOIN dataset_articles da ON da.article_id = f.article_id "
            "WHERE da.dataset = ?", [DATASET])]:
        if rv.figure_state(db, fid)["status"] == "unreviewed":
            review(db, reviewer="ana", target_id=fid, action="confirm")
    for who in ("ana", "ben"):
        signoff.sign(db, dataset=DATASET, reviewer=who)


# --- the form ---------------------------------------------------------------------------

def test_the_form_offers_what_the_command_line_offers(qtbot, window, dialogs, review_db_path):
    seen = {}

    def look(dlg):
        seen["formats"] = [dlg.format.itemData(i) for i in range(dlg.format.count())]
        seen["scripts"] = [dlg.script.itemData(i) for i in range(dlg.script.count())]
        seen["statuses"] = {s: b.isChecked() for s, b in dlg.statuses.items()}
        seen["signed"] = (dlg.signed.isEnabled(), dlg.signed.isChecked())
        seen["path"] = dlg.path.text()
        dlg.set_format("csv")
        seen["csv path"] = dlg.path.text()
        dlg.set_format("claimreview")
        seen["claimreview path"] = dlg.path.text()
        seen["claimreview note"] = dlg.status_note.text()
        press(dlg.buttons, QDialogButtonBox.StandardButton.Cancel)

    dialogs.export_with = look
    assert window.files.ask_export() is None  # cancelled: nothing runs
    assert not window.jobs.busy()
    assert seen["formats"] == ["jsonl", "csv", "claimreview"]
    assert seen["scripts"] == list(exporter.SCRIPTS)
    assert seen["statuses"] == dict.fromkeys(exporter.CLAIM_STATUSES, True)
    assert seen["signed"] == (False, False)  # not signed off: no signed export
    assert seen["path"] == str(review_db_path.parent / "samples.jsonl")
    assert seen["csv path"].endswith("samples.csv")
    assert seen["claimreview path"].endswith("samples.json")
    assert "leaves them out" in seen["claimreview note"]


def test_the_form_refuses_choices_that_export_nothing(qtbot, window, dialogs, out):
    said = []

    def fill(dlg):
        for box in dlg.statuses.values():
            box.setChecked(False)
        press(dlg.buttons)
        said.append(dlg.error.text())
        dlg.statuses["unreviewed"].setChecked(True)
        dlg.set_format("claimreview")
        press(dlg.buttons)
        said.append(dlg.error.text())
        dlg.path.setText(str(out))
        dlg.set_format("jsonl")
        press(dlg.buttons)
        said.append(dlg.error.text())
        assert dlg.isVisible() is False and dlg.result() == 0  # never accepted

    dialogs.export_with = fill
    assert window.files.ask_export() is None
    assert said == ["Choose at least one status of claims to export",
                    "ClaimReview leaves unreviewed claims out; choose a reviewed status",
                    f"{out} is a folder; choose a file name in it"]


# --- the files --------------------------------------------------------------------------

def test_jsonl_by_status_in_hong_kong_script_is_what_the_cli_writes(qtbot, window, dialogs,
                                                                  review_db, review_db_path,
                                                                  out):
    review_some(review_db)
    target = out / "gui.jsonl"

    def fill(dlg):
        dlg.statuses["unreviewed"].setChecked(False)
        dlg.statuses["flagged"].setChecked(False)
        dlg.set_script("hk")
        dlg.path.setText(str(target))
        press(dlg.buttons)

    dialogs.export_with = fill
    done = export_from_the_menu(qtbot, window)
    cli_export(review_db_path, out / "cli.jsonl", "--status", "confirmed,corrected",
               "--script", "hk")
    assert target.read_bytes() == (out / "cli.jsonl").read_bytes()
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert done.records == len(records) > 0 and done.path == str(target)
    assert {r["status"] for r in records} <= {"confirmed", "corrected"}
    assert window.status.currentMessage() == f"Exported {len(records)} record(s) to {target}"
    assert window.files.export_job is None and window.files.export_progress is None


def test_one_export_at_a_time(qtbot, window, out):
    first = window.files.start_export(ExportRequest(str(out / "a.jsonl")))
    assert window.files.start_export(ExportRequest(str(out / "b.jsonl"))) is None
    assert window.status.currentMessage() == "An export is already running"
    qtbot.waitUntil(lambda: window.files.export_job is None, timeout=30_000)
    assert first is not None and (out / "a.jsonl").exists() and not (out / "b.jsonl").exists()


def test_csv_and_claimreview_are_what_the_cli_writes(qtbot, window, dialogs, review_db,
                                                     review_db_path, out):
    ids = review_some(review_db)
    for fmt, name in (("csv", "gui.csv"), ("claimreview", "gui.json")):
        target = out / name
        dialogs.export_with = lambda dlg, fmt=fmt, target=target: (
            dlg.set_format(fmt), dlg.path.setText(str(target)), press(dlg.buttons))
        export_from_the_menu(qtbot, window)
        cli_export(review_db_path, out / f"cli-{name}", "--format", fmt)
        assert target.read_bytes() == (out / f"cli-{name}").read_bytes(), fmt
    rows = list(csv.DictReader((out / "gui.csv").open(encoding="utf-8", newline="")))
    assert len(rows) == 121  # one row per figure
    assert {r["figure_id"]: r["status"] for r in rows if r["figure_id"] in ids.values()} == \
        {fid: status for status, fid in ids.items()}
    reviews = json.loads((out / "gui.json").read_text(encoding="utf-8"))
    assert reviews and {r["@type"] for r in reviews} == {"ClaimReview"}
    ratings = {r["reviewRating"]["alternateName"] for r in reviews}
    assert "Flagged: outdated" in ratings


def test_the_export_runs_off_the_gui_thread(qtbot, window, dialogs, out, monkeypatch):
    threads = []
    real = file_ops.run_export

    def recording(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(file_ops, "run_export", recording)
    dialogs.export_request = ExportRequest(str(out / "x.jsonl"))
    export_from_the_menu(qtbot, window)
    assert threads == [False]


def test_a_cancelled_export_leaves_the_file_that_was_there(review_db, out):
    target = out / "claims.jsonl"
    target.write_text("the previous export\n", encoding="utf-8")
    done = file_ops.run_export(review_db, ExportRequest(str(target)), DATASET,
                               cancelled=lambda: True)
    assert done.cancelled and done.path is None
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in out.iterdir()] == ["claims.jsonl"]  # no temporary left


# --- signed exports ---------------------------------------------------------------------

def test_a_signed_off_dataset_exports_with_its_manifest(qtbot, window, dialogs, review_db,
                                                        review_db_path, out):
    sign_off(review_db)
    window.session.refresh_signoff()
    target = out / "signed.jsonl"
    offered = {}

    def fill(dlg):
        offered["signed"] = (dlg.signed.isEnabled(), dlg.signed.isChecked())
        offered["where"] = dlg.where.text()
        dlg.path.setText(str(target))
        offered["note"] = dlg.path_note.text()
        press(dlg.buttons)

    dialogs.export_with = fill
    done = export_from_the_menu(qtbot, window)
    assert offered["signed"] == (True, True)  # signed off: the signed export is the default
    assert "Signed off by ana, ben" in offered["where"]
    assert offered["note"] == "Also writes signed.jsonl.manifest.json beside it."
    manifest = json.loads((out / "signed.jsonl.manifest.json").read_text("utf-8"))
    state = signoff.signoff_state(review_db, DATASET)
    assert manifest["hash"] == state.hash == done.hash
    assert manifest["file"]["records"] == done.records
    assert [s["reviewer"] for s in manifest["signatures"]] == ["ana", "ben"]
    cli_export(review_db_path, out / "cli.jsonl", "--signed-off", "--reviewer", "lead")
    assert target.read_bytes() == (out / "cli.jsonl").read_bytes()
    assert window.status.currentMessage().startswith(
        f"Exported {done.records} record(s) to {target} and signed.jsonl.manifest.json")


def test_a_signed_export_of_changed_content_is_refused_with_the_reason(
        qtbot, window, dialogs, review_db, article_ids, out):
    sign_off(review_db)
    window.session.refresh_signoff()
    # content changed after the signatures (here behind annotator's back)
    review_db.execute("UPDATE articles SET title = 'Edited after sign-off' WHERE id = ?",
                      [article_ids[1]])
    target = out / "signed.jsonl"
    dialogs.export_with = lambda dlg: (dlg.path.setText(str(target)), press(dlg.buttons))
    done = export_from_the_menu(qtbot, window)
    assert done.refused and "no longer matches what was signed" in done.refused
    assert dialogs.errors == [("Export refused", done.refused)]
    assert window.status.currentMessage() == f"Export refused: {done.refused}"
    assert list(out.iterdir()) == []  # neither the file nor a manifest


def test_an_unsigned_export_of_a_signed_dataset_is_still_possible(qtbot, window, dialogs,
                                                                  review_db, out):
    sign_off(review_db)
    window.session.refresh_signoff()
    target = out / "plain.jsonl"

    def fill(dlg):
        dlg.signed.setChecked(False)
        dlg.path.setText(str(target))
        press(dlg.buttons)

    dialogs.export_with = fill
    done = export_from_the_menu(qtbot, window)
    assert done.manifest is None and target.exists()
    assert not (out / "plain.jsonl.manifest.json").exists()


@pytest.mark.parametrize("fmt", ["jsonl", "claimreview"])
def test_a_refusal_from_the_exporter_is_shown_not_raised(qtbot, window, dialogs, review_db,
                                                         article_ids, out, fmt):
    """Stored offsets that no longer select their text: the exporter refuses the record."""
    review_db.execute("UPDATE claims SET text = 'not what the article says' WHERE id = "
                      "(SELECT id FROM claims WHERE article_id = ? ORDER BY seq LIMIT 1)",
                      [article_ids[0]])
    dialogs.export_request = ExportRequest(str(out / f"out.{fmt}"), fmt)
    done = export_from_the_menu(qtbot, window)
    assert done.refused and "refusing to export a record" in done.refused
    assert dialogs.errors == [("Export refused", done.refused)]
    assert list(out.iterdir()) == []


def test_cancel_in_the_progress_dialog_stops_the_export(qtbot, window, out, monkeypatch):
    monkeypatch.setattr(file_ops, "EXPORT_DIALOG_DELAY_MS", 0)
    monkeypatch.setattr(file_ops, "EXPORT_PROGRESS_EVERY", 1)
    target = out / "claims.jsonl"
    target.write_text("the previous export\n", encoding="utf-8")
    go_on = threading.Event()
    real = file_ops._counted

    def held(records, progress, cancelled, seen):
        for rec in real(records, progress, cancelled, seen):
            go_on.wait(10)  # the first record waits until the test has pressed Cancel
            yield rec

    monkeypatch.setattr(file_ops, "_counted", held)
    with qtbot.waitSignal(window.files.exportFinished, timeout=30_000) as done:
        window.files.start_export(ExportRequest(str(target)))
        qtbot.waitUntil(lambda: window.files.export_progress is not None
                        and window.files.export_progress.isVisible(), timeout=10_000)
        qtbot.waitUntil(lambda: "1 record(s) written"
                        in window.files.export_progress.labelText(), timeout=10_000)
        window.files.export_progress.findChild(QPushButton).click()  # its Cancel button
        go_on.set()
    assert done.args[0].cancelled
    assert window.status.currentMessage().startswith("Export cancelled after")
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert window.files.export_progress is None


def test_the_window_makes_its_export_choice_where_the_command_line_does(review_db, out,
                                                                        monkeypatch):
    from annotator.services.export import run as export_run

    seen = []
    real = export_run.run_export

    def recording(db, output, options, **kw):
        seen.append(options)
        return real(db, output, options, **kw)

    monkeypatch.setattr(export_run, "run_export", recording)
    done = file_ops.run_export(review_db, ExportRequest(str(out / "x.csv"), fmt="csv",
                                                        neutralise=False), DATASET)
    assert done.path and [(o.fmt, o.neutralise, o.dataset) for o in seen] == [
        ("csv", False, DATASET)]
