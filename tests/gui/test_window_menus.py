"""The window's own commands: Qt's QWidget.actions() is not shadowed, File > Open
database and Open recent, File > Merge, the reviewer's name, Help > About."""

from __future__ import annotations

from PySide6.QtGui import QAction


def test_qt_actions_of_the_window_are_its_actions(window):
    """`MainWindow.actions` was the review commands, hiding Qt's QWidget.actions()."""
    listed = window.actions()
    assert isinstance(listed, list) and all(isinstance(a, QAction) for a in listed)
    assert window.commands.actions["confirm"] in listed
    assert window.commands.actions["quit"] in listed


# --- File > Open database and Open recent ----------------------------------------------

import os  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from annotator.gui.database_ops import RECENT_KEY, recent_databases  # noqa: E402
from annotator.storage.db import open_db  # noqa: E402
from tests.gui.builders import build_review_db  # noqa: E402
from tests.gui.shared import CTRL, SHIFT, show_active  # noqa: E402

ALT = Qt.KeyboardModifier.AltModifier


def events(path) -> list[tuple]:
    db = open_db(path, check=False, migrate=False)
    try:
        return db.execute("SELECT reviewer, action, target_id FROM events ORDER BY rowid"
                          ).fetchall()
    finally:
        db.close()


@pytest.fixture
def other_db(tmp_path):
    path = tmp_path / "other" / "other.db"
    path.parent.mkdir()
    build_review_db(path, dataset="other")
    return path


def _opened(qtbot, old):
    new = old.successor
    assert new is not None
    qtbot.addWidget(new)
    show_active(qtbot, new)
    return new


def test_open_database_replaces_the_window_and_reviews_go_to_the_new_file(
        qtbot, window, dialogs, settings, review_db_path, other_db):
    dialogs.database = str(other_db)
    qtbot.keyClick(window.text_view, Qt.Key.Key_O, CTRL | ALT)
    new = _opened(qtbot, window)
    assert not window.isVisible()  # the old window closed as Quit closes it
    assert new.session.db_path == other_db and new.session.dataset == "other"
    assert "other.db" in new.windowTitle()
    fid = new.session.figure_id
    qtbot.keyClick(new.text_view, Qt.Key.Key_A)
    assert events(other_db) == [("ana", "confirm", fid)]
    assert events(review_db_path) == []
    listed = recent_databases(settings)
    assert listed[:2] == [str(other_db.absolute()), str(review_db_path.absolute())]
    new.close()


def test_a_file_that_is_no_database_is_refused_and_the_window_stays(qtbot, window, dialogs,
                                                                    tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database\n" * 100)
    dialogs.database = str(bad)
    qtbot.keyClick(window.text_view, Qt.Key.Key_O, CTRL | ALT)
    assert window.successor is None and window.isVisible()
    title, text = dialogs.errors[-1]
    assert title == "Cannot open the database" and "notes.db" in text
    qtbot.keyClick(window.text_view, Qt.Key.Key_A)  # the window still reviews
    assert window.session.db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 1


def test_open_recent_shows_missing_files_and_takes_them_off(qtbot, window, dialogs, settings,
                                                            review_db_path, other_db,
                                                            tmp_path):
    gone = tmp_path / "moved-away.db"
    settings.setValue(RECENT_KEY, [str(review_db_path), str(gone), str(other_db)])
    menu = window.databases.recent_menu
    window.databases.fill_recent_menu()
    entries = [a for a in menu.actions() if a.objectName() == "recentDatabase"]
    assert [a.data() for a in entries] == [str(review_db_path), str(gone), str(other_db)]
    assert "(missing)" in entries[1].text() and "(missing)" not in entries[2].text()
    assert entries[0].isChecked()  # the database open now
    prune = next(a for a in menu.actions() if a.objectName() == "recentPrune")
    assert prune.isEnabled()
    dialogs.confirm_answer = True
    entries[1].trigger()  # a missing one: asked, then taken off the list
    assert dialogs.confirms[-1][0] == "Database missing"
    assert recent_databases(settings) == [str(review_db_path), str(other_db)]
    assert window.successor is None
    window.databases.fill_recent_menu()
    prune = next(a for a in menu.actions() if a.objectName() == "recentPrune")
    assert not prune.isEnabled()
    entries = [a for a in menu.actions() if a.objectName() == "recentDatabase"]
    entries[1].trigger()  # an existing one opens
    new = _opened(qtbot, window)
    assert new.session.db_path == other_db
    assert recent_databases(settings)[0] == str(other_db.absolute())
    new.close()


def test_the_recent_list_can_be_cleared_and_keeps_the_open_one(window, settings, other_db):
    settings.setValue(RECENT_KEY, [str(other_db), str(window.session.db_path)])
    window.databases.clear_recent()
    assert recent_databases(settings) == [str(window.session.db_path.absolute())]


# --- File > Merge --------------------------------------------------------------------------

def _ben_reviews(tmp_path, monkeypatch, review_db_path, count=4):
    """ben's database of the same articles (the same ids: they hash the text), with his
    confirmations signed on his own machine; its path, his public key, his figures."""
    from annotator.services import identity
    from annotator.services.review import review
    from annotator.storage.reviews import dataset_figure_ids

    lead_config = os.environ["ANNOTATOR_CONFIG"]
    ben_path = tmp_path / "ben.db"
    build_review_db(ben_path)
    monkeypatch.setenv("ANNOTATOR_CONFIG", str(tmp_path / "home-ben" / "config.json"))
    ben = open_db(ben_path)
    fids = dataset_figure_ids(ben, "samples")[:count]
    for fid in fids:
        review(ben, reviewer="ben", target_id=fid, action="confirm")
    key = identity.public_key("ben")
    ben.close()
    monkeypatch.setenv("ANNOTATOR_CONFIG", lead_config)
    return ben_path, key, fids


def _start_roster(db) -> None:
    from annotator.services import identity
    from annotator.storage.db import write_tx

    with write_tx(db):
        identity.add_member(db, dataset="samples", reviewer="lead", name="lead",
                            key=identity.public_key("lead"), role="lead")


def test_merge_asks_the_lead_to_trust_a_reviewer_with_the_key_fingerprint(
        qtbot, lead, dialogs, review_db, review_db_path, tmp_path, monkeypatch):
    from annotator.services import identity
    from annotator.storage import signatures as sig

    ben_path, ben_key, fids = _ben_reviews(tmp_path, monkeypatch, review_db_path)
    _start_roster(review_db)
    dialogs.database = str(ben_path)
    dialogs.confirm_answer = True
    with qtbot.waitSignal(lead.databases.mergeFinished, timeout=60_000) as done:
        qtbot.keyClick(lead.text_view, Qt.Key.Key_M, CTRL | SHIFT)
    assert done.args[0] is True, done.args[1]
    title, text = dialogs.confirms[-1]
    assert title == "Merge: a decision for the lead"
    assert "ben is not on the roster" in text and sig.fingerprint(ben_key) in text
    got = review_db.execute("SELECT target_id FROM events WHERE reviewer = 'ben' "
                            "AND action = 'confirm'").fetchall()
    assert sorted(r[0] for r in got) == sorted(fids)
    assert identity.roster(review_db, "samples")["ben"].key == ben_key  # the lead's trust
    info_title, report = dialogs.infos[-1]
    assert info_title == "Merge finished"
    assert f"New events: {len(fids) + 1}" in report or f"New events: {len(fids)}" in report
    assert "Put on the roster: ben in samples" in report
    # the window shows what came in: the figures ben confirmed are reviewed in the list
    qtbot.waitUntil(lambda: lead.session.articles.summary(0).reviewed >= 1, timeout=5_000)


def test_a_declined_trust_merges_nothing(qtbot, lead, dialogs, review_db, review_db_path,
                                         tmp_path, monkeypatch):
    ben_path, _key, _fids = _ben_reviews(tmp_path, monkeypatch, review_db_path)
    _start_roster(review_db)
    before = review_db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    dialogs.database = str(ben_path)
    dialogs.confirm_answer = False
    with qtbot.waitSignal(lead.databases.mergeFinished, timeout=60_000) as done:
        qtbot.keyClick(lead.text_view, Qt.Key.Key_M, CTRL | SHIFT)
    assert done.args[0] is False and "nothing was changed" in done.args[1]
    assert review_db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before


def test_a_merge_without_a_roster_reports_what_it_copied(qtbot, lead, dialogs, review_db,
                                                         review_db_path, tmp_path,
                                                         monkeypatch):
    ben_path, _key, fids = _ben_reviews(tmp_path, monkeypatch, review_db_path, count=3)
    dialogs.database = str(ben_path)
    with qtbot.waitSignal(lead.databases.mergeFinished, timeout=60_000) as done:
        qtbot.keyClick(lead.text_view, Qt.Key.Key_M, CTRL | SHIFT)
    assert done.args[0] is True
    assert dialogs.confirms == []  # nothing to ask: the dataset has no roster
    assert review_db.execute("SELECT COUNT(*) FROM events WHERE reviewer = 'ben'"
                             ).fetchone()[0] == 3
    report = dialogs.infos[-1][1]
    assert "New events: 3" in report and "has no roster of reviewers" in report
    assert lead.status.currentMessage().startswith("Merged ben.db: 3 new event(s)")


def test_merging_a_file_that_is_no_database_is_refused_with_its_name(qtbot, lead, dialogs,
                                                                     tmp_path):
    bad = tmp_path / "ben.txt"
    bad.write_text("hello")
    dialogs.database = str(bad)
    with qtbot.waitSignal(lead.databases.mergeFinished, timeout=60_000) as done:
        qtbot.keyClick(lead.text_view, Qt.Key.Key_M, CTRL | SHIFT)
    assert done.args[0] is False
    title, text = dialogs.errors[-1]
    assert title == "Merge refused" and "ben.txt" in text


# --- the reviewer, Help > About ------------------------------------------------------------

def test_changing_the_reviewer_records_decisions_under_the_new_name(qtbot, window, dialogs,
                                                                    review_db):
    from annotator import paths

    dialogs.new_name = "  carol "
    qtbot.keyClick(window.text_view, Qt.Key.Key_N, CTRL | SHIFT)
    assert window.session.reviewer == "carol"  # the name rule: stripped
    assert window.status.reviewer_label.text() == "Reviewer: carol"
    assert paths.load_config()["reviewer"] == "carol"  # the next start uses it
    fid = window.session.figure_id
    qtbot.keyClick(window.text_view, Qt.Key.Key_A)
    assert review_db.execute("SELECT reviewer, action, target_id FROM events").fetchall() == \
        [("carol", "confirm", fid)]


def test_an_empty_reviewer_name_is_refused(qtbot, window, dialogs, review_db):
    dialogs.new_name = "   "
    qtbot.keyClick(window.text_view, Qt.Key.Key_N, CTRL | SHIFT)
    assert window.session.reviewer == "ana"
    assert dialogs.errors[-1][0] == "Reviewer" and "cannot be empty" in dialogs.errors[-1][1]
    qtbot.keyClick(window.text_view, Qt.Key.Key_A)
    assert review_db.execute("SELECT reviewer FROM events").fetchall() == [("ana",)]


def test_about_names_the_versions_the_database_and_its_schema(qtbot, window, dialogs,
                                                              review_db, review_db_path):
    import platform

    from PySide6 import QtCore

    import annotator
    from annotator.storage.db import schema_version

    qtbot.keyClick(window.text_view, Qt.Key.Key_F1, CTRL)
    title, text = dialogs.infos[-1]
    assert title == "About annotator"
    assert f"annotator {annotator.__version__}" in text
    assert f"Database: {review_db_path}" in text
    assert f"Schema: {schema_version(review_db)}" in text and schema_version(review_db)
    assert f"Python: {platform.python_version()}" in text
    assert f"Qt: {QtCore.qVersion()}" in text
    assert "OpenCC: 1." in text or "OpenCC: not installed" in text


def test_open_database_on_a_new_name_asks_and_creates_it(qtbot, window, dialogs, tmp_path):
    fresh = tmp_path / "fresh.db"
    dialogs.database = str(fresh)
    dialogs.confirm_answer = False
    qtbot.keyClick(window.text_view, Qt.Key.Key_O, CTRL | ALT)
    assert dialogs.confirms[-1][0] == "New database" and not fresh.exists()
    assert window.successor is None
    dialogs.confirm_answer = True
    qtbot.keyClick(window.text_view, Qt.Key.Key_O, CTRL | ALT)
    new = _opened(qtbot, window)
    assert fresh.exists() and new.session.dataset is None
    assert new.session.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    new.close()


def test_unsigned_events_are_asked_about_too_and_both_answers_are_recorded(
        qtbot, lead, dialogs, review_db, review_db_path, tmp_path, monkeypatch):
    """One of ben's events lost its signature (as events made before signing have none):
    the lead is asked to trust ben and to take unsigned events, and the merge runs once
    both are answered."""
    ben_path, _key, fids = _ben_reviews(tmp_path, monkeypatch, review_db_path)
    ben = open_db(ben_path)
    with ben.conn:
        ben.execute("UPDATE events SET signer_key = NULL, signature = NULL WHERE rowid = "
                    "(SELECT MAX(rowid) FROM events WHERE reviewer = 'ben')")
    ben.close()
    _start_roster(review_db)
    dialogs.database = str(ben_path)
    with qtbot.waitSignal(lead.databases.mergeFinished, timeout=60_000) as done:
        qtbot.keyClick(lead.text_view, Qt.Key.Key_M, CTRL | SHIFT)
    assert done.args[0] is True, done.args[1]
    asked = [text for title, text in dialogs.confirms]
    assert any("ben is not on the roster" in t for t in asked)
    assert any("are not signed" in t for t in asked)
    assert review_db.execute("SELECT COUNT(*) FROM events WHERE reviewer = 'ben' AND "
                             "action = 'confirm'").fetchone()[0] == len(fids)
    assert review_db.execute("SELECT COUNT(*) FROM events WHERE action = 'accept_unsigned' "
                             "AND reviewer = 'lead'").fetchone()[0] == 1
    assert "Unsigned events taken: 1" in dialogs.infos[-1][1]


def test_the_views_of_the_old_database_close_with_its_window(qtbot, window, dialogs,
                                                             other_db):
    qtbot.keyClick(window.text_view, Qt.Key.Key_C, CTRL | SHIFT)
    assert window.conflicts_dialog is not None and window.conflicts_dialog.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    dialogs.database = str(other_db)
    qtbot.keyClick(window.text_view, Qt.Key.Key_O, CTRL | ALT)
    new = _opened(qtbot, window)
    assert not window.conflicts_dialog.isVisible()
    assert new.conflicts_dialog is None
    new.close()
