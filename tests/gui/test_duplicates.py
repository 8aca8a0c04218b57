"""Duplicated passages: shaded, announced, linked to the other copy, settled with D /
Shift+D through the duplicates service (its documented interface, faked here)."""

from __future__ import annotations


import pytest
from PySide6.QtCore import Qt


from annotator.gui import highlights
from annotator.services.common import Changes


@pytest.fixture
def pairs(monkeypatch, review_db, article_ids):
    """One pair across articles: a passage of the Simplified article repeated in the
    Hong Kong re-post."""
    zh, _en, hk, _tricky = article_ids
    zh_claim = review_db.execute("SELECT start, end FROM claims WHERE article_id = ? "
                                 "ORDER BY seq LIMIT 1", [zh]).fetchone()
    hk_claim = review_db.execute("SELECT start, end FROM claims WHERE article_id = ? "
                                 "ORDER BY seq LIMIT 1", [hk]).fetchone()
    pair = {"pair_id": "p-1", "similarity": 0.93, "scope": "across", "status": "unreviewed",
            "a": {"article_id": zh, "start": zh_claim[0], "end": zh_claim[1]},
            "b": {"article_id": hk, "start": hk_claim[0], "end": hk_claim[1]}}
    calls: list[dict] = []

    def pairs_for_article(db, article_id):
        return [dict(pair)] if article_id in (zh, hk) else []

    def review_pair(db, *, reviewer, pair_id, action, note=None):
        calls.append({"reviewer": reviewer, "pair_id": pair_id, "action": action})
        pair["status"] = {"confirm": "confirmed", "reject": "rejected"}[action]
        return Changes(pairs={pair_id}, articles={zh, hk}, events=["e"])

    from annotator.services import pairs as pair_service

    monkeypatch.setattr(pair_service, "pairs_for_article", pairs_for_article)
    monkeypatch.setattr(pair_service, "review_pair", review_pair)
    return pair, calls


def test_duplicated_passage_is_shaded_and_announced(qtbot, window, pairs, article_ids):
    pair, _calls = pairs
    s = window.session
    s.open_article(article_ids[0])
    shaded = [sel for sel in window.text_view.extraSelections()
              if sel.format == highlights.DUPLICATE]
    a = pair["a"]
    assert [sel.cursor.selectedText() for sel in shaded] == [s.article.text[a["start"]:a["end"]]]
    s.select_figure(s.article.claims[0].figures[0].id)
    assert s.pair is not None and window.banner.isVisible()
    assert "93%" in window.banner.text.text()
    assert window.commands.actions["pair_confirm"].isEnabled()
    s.select_figure(s.article.claims[1].figures[0].id)
    assert s.pair is None and not window.banner.isVisible()
    assert not window.commands.actions["pair_confirm"].isEnabled()


def test_d_and_shift_d_review_the_pair(qtbot, window, pairs, article_ids):
    pair, calls = pairs
    s = window.session
    s.open_article(article_ids[0])
    s.select_figure(s.article.claims[0].figures[0].id)
    qtbot.keyClick(window.text_view, Qt.Key.Key_D)
    assert calls == [{"reviewer": "ana", "pair_id": "p-1", "action": "confirm"}]
    assert "confirmed" in window.banner.text.text()
    qtbot.keyClick(window.text_view, Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier)
    assert calls[-1]["action"] == "reject"
    assert "rejected" in window.banner.text.text()


def test_g_opens_the_other_copy(qtbot, window, pairs, article_ids):
    pair, _calls = pairs
    s = window.session
    s.open_article(article_ids[0])
    s.select_figure(s.article.claims[0].figures[0].id)
    qtbot.keyClick(window.text_view, Qt.Key.Key_G)
    assert s.article.id == article_ids[2]
    b = pair["b"]
    cur = s.current_figure() or s.current_claim()
    assert b["start"] <= cur.start < b["end"]
    assert s.pair is not None and s.pair[1]["article_id"] == article_ids[0]


def test_pairs_found_by_a_real_import(qtbot, samples_db, tmp_path, settings, dialogs):
    """The duplicates service itself: a body repeated twice in sample 002."""
    from annotator.gui.main_window import MainWindow
    from annotator.services import pairs as duplicates

    pairs = list(duplicates.list_pairs(samples_db))
    within = next(p for p in pairs if p["scope"] == "within")
    w = MainWindow(samples_db, "ana", db_path=tmp_path / "samples.db", settings=settings,
                   dialogs=dialogs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5_000)
    s = w.session
    s.open_article(within["a"]["article_id"])
    assert any(p["pair_id"] == within["pair_id"] for p in s.article.pairs)
    s.select_at(within["a"]["start"] + 1)
    assert s.pair is not None and s.pair[0]["pair_id"] == within["pair_id"]
    qtbot.keyClick(w.text_view, Qt.Key.Key_D)
    status = {p["pair_id"]: p["status"] for p in duplicates.pairs_for_article(
        samples_db, within["a"]["article_id"])}
    assert status[within["pair_id"]] == "confirmed"
    assert "confirmed" in w.banner.text.text()
    qtbot.keyClick(w.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    status = {p["pair_id"]: p["status"] for p in duplicates.pairs_for_article(
        samples_db, within["a"]["article_id"])}
    assert status[within["pair_id"]] == "unreviewed"
    w.close()
