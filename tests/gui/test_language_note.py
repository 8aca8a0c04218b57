"""An article in a language the figure engine does not read says so in the claims pane
("Figures are not read in Japanese; this article has no claims") instead of showing an
empty list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.domain import RawArticle
from annotator.gui.languages import is_read, language_name, no_claims_note
from annotator.storage import articles as repo
from annotator.storage.db import write_tx

FOREIGN = (
    ("ja", "東京都の人口は2024年に1400万人を超えた。物価は3%上がった。"),
    ("de", "Die Stadt hat 2024 rund 1,4 Millionen Einwohner, 3 Prozent mehr."),
)


def _add(db, language: str, text: str) -> str:
    with write_tx(db):
        aid = repo.insert_article(db, RawArticle(source=f"{language}.txt", text=text,
                                                 title=f"An article in {language}"),
                                  language=language, script=None, boilerplate=[], claims=[])
        repo.add_to_dataset(db, "samples", aid)
    return aid


def test_language_names_come_from_the_locale_data():
    assert language_name("ja") == "Japanese"
    assert language_name("de") == "German"
    assert language_name("pt-BR") == "Portuguese"
    assert language_name("und") == "an unrecognised language"
    assert language_name("qqq") == "“qqq”"
    assert is_read("zh") and is_read("en") and is_read("zh-Hant") and not is_read("ja")
    assert no_claims_note("ja").startswith(
        "Figures are not read in Japanese; this article has no claims")


@pytest.mark.parametrize("language,text", FOREIGN)
def test_the_claims_pane_names_the_language_it_cannot_read(qtbot, qapp, review_db,
                                                           review_db_path, settings,
                                                           dialogs, language, text):
    from tests.gui.shared import themed_window

    aid = _add(review_db, language, text)
    stored = review_db.execute("SELECT language FROM articles WHERE id = ?", [aid]).fetchone()
    assert stored[0] == language
    assert review_db.execute("SELECT COUNT(*) FROM claims WHERE article_id = ?",
                             [aid]).fetchone()[0] == 0
    w = themed_window(qtbot, qapp, review_db, review_db_path, settings, dialogs)
    panel = w.claims_panel
    assert panel.list_or_note.currentWidget() is panel.tree  # a Chinese article first
    row = w.session.articles.row_of(aid)
    for _ in range(row):  # to the article with the keyboard: ] opens the next one
        qtbot.keyClick(w.text_view, Qt.Key.Key_BracketRight)
    assert w.session.article.id == aid
    assert panel.list_or_note.currentWidget() is panel.note
    assert panel.note.isVisible()
    assert panel.note.text() == no_claims_note(language)
    assert panel.detail.heading.text() == "No claims in this article"
    assert f"Figures are not read in {language_name(language)}; this article has no " \
           "claims" in panel.note.text()
    # keys that need a figure say there is none and record nothing
    qtbot.keyClick(w.text_view, Qt.Key.Key_A)
    assert review_db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    qtbot.keyClick(w.text_view, Qt.Key.Key_BracketLeft)  # back to an article with claims
    assert panel.list_or_note.currentWidget() is panel.tree
    w.close()
