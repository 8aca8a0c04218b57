"""The window shows what other connections and the command line write to its database."""

from __future__ import annotations

import os
import subprocess
import sys

from annotator.services.review import review

from tests.gui.shared import ROOT, other_connection, shown_status


def test_a_review_written_by_another_connection_is_shown_with_the_cursor_kept(
        qtbot, window, review_db_path):
    s = window.session
    figures = [f.id for f in s.article.figures]
    s.select_figure(figures[2])
    other = other_connection(review_db_path)
    try:
        review(other, reviewer="ben", target_id=figures[0], action="confirm")
        review(other, reviewer="ben", target_id=figures[1], action="flag", reason="other")
    finally:
        other.close()
    qtbot.waitUntil(lambda: shown_status(window, figures[0]) == "confirmed", timeout=5_000)
    assert shown_status(window, figures[1]) == "flagged"
    assert s.articles.summary(0).reviewed == 2  # the article list's count
    assert "2/" in window.status.progress_label.text()  # the status bar's progress
    assert s.figure_id == figures[2]  # the reviewer's cursor stays where it was
    assert s.current_figure().status == "unreviewed"


def test_a_review_from_the_command_line_is_shown(qtbot, window, review_db_path):
    s = window.session
    target = s.article.figures[0].id
    other_article = s.articles.id_at(1)
    other = other_connection(review_db_path)
    try:
        far = other.execute("SELECT id FROM figures WHERE article_id = ? LIMIT 1",
                            [other_article]).fetchone()[0]
    finally:
        other.close()
    for fid in (target, far):
        done = subprocess.run(
            [sys.executable, "-m", "annotator", "review", fid, "--confirm", "--reviewer", "ben",
             "--db", str(review_db_path)], cwd=ROOT, capture_output=True, text=True,
            env=dict(os.environ), timeout=120)
        assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: shown_status(window, target) == "confirmed", timeout=5_000)
    qtbot.waitUntil(lambda: s.articles.summary(1).reviewed == 1, timeout=5_000)
    assert "2/" in window.status.progress_label.text()


def test_a_sign_off_elsewhere_locks_the_window(qtbot, window, review_db_path):
    from annotator.services import signoff

    other = other_connection(review_db_path)
    try:
        signoff.set_required_signoffs(other, dataset="samples", reviewer="lead", required=1)
        for f in other.execute("SELECT f.id FROM figures f JOIN dataset_articles d "
                               "ON d.article_id = f.article_id WHERE d.dataset = 'samples'"
                               ).fetchall():
            review(other, reviewer="ben", target_id=f[0], action="confirm")
        signoff.sign(other, dataset="samples", reviewer="ben")
    finally:
        other.close()
    qtbot.waitUntil(lambda: window.session.locked, timeout=5_000)
    assert "locked" in window.windowTitle()


def test_nothing_is_reread_while_the_database_stays_the_same(qtbot, window):
    reads = []
    window.session.externallyChanged.connect(lambda: reads.append(1))
    qtbot.wait(2_500)
    window.commands.confirm()  # the window's own write is not someone else's
    qtbot.waitUntil(lambda: window.checkpoints.runs >= 1, timeout=10_000)
    qtbot.wait(1_500)  # nor is the checkpoint that follows it
    assert reads == []
