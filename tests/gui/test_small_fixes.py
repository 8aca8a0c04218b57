"""Four small defects of a working day: the header's title in the script shown, the
conflicts view's buttons on an empty list, the first-run name refused, the import's
dataset chosen from the existing ones."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.gui import app as gui_app
from annotator.gui.dialogs import DatasetNameDialog
from annotator.services import browse
from annotator.services.review import review
from tests.gui.conftest import FakeDialogs
from tests.gui.shared import DATASET, disagree, open_conflicts

CONFLICT_ACTIONS = ("conflict_take", "conflict_confirm", "conflict_correct", "conflict_flag")


# --- 1. the header's title follows the script switch -----------------------------------

def test_the_header_title_is_converted_with_the_text(window):
    w = window
    s = w.session
    assert s.article is not None and s.article.script == "hans"
    original = w.header.title.text()
    hk = browse.display(original, s.article.script, "hk").text
    assert hk != original  # the title has characters Hong Kong writes otherwise
    w.commands.actions["script_hk"].trigger()
    assert s.shown.text != s.article.text  # the text was converted ...
    assert w.header.title.text() == hk     # ... and the title with it
    w.commands.actions["script_original"].trigger()
    assert w.header.title.text() == original
    s.set_script("tw")  # however it is switched (the cycle key calls this)
    assert w.header.title.text() == browse.display(original, "hans", "tw").text
    s.open_row(1)  # another article opens in the script chosen
    assert w.header.title.text() == browse.display(
        s.article.title or w.header.title.text(), s.article.script, "tw").text


# --- 2. the conflicts view on an empty list ---------------------------------------------

def _enabled(dialog, acts) -> list[bool]:
    return ([b.isEnabled() for b in dialog.take_buttons.values()]
            + [dialog.decide_button.isEnabled()] + [acts[n].isEnabled() for n in CONFLICT_ACTIONS])


def test_the_conflict_buttons_are_off_when_nothing_is_left(qtbot, lead, review_db, dialogs):
    three = disagree(review_db)
    dialog = open_conflicts(qtbot, lead)
    acts = lead.commands.actions
    assert all(_enabled(dialog, acts))
    for _ in three:
        assert dialog.take("ana")
    assert dialog.model.rowCount() == 0
    assert not any(_enabled(dialog, acts))
    # the keys do nothing either: no dialog asked, no decision recorded
    before = review_db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    for key, mod in ((Qt.Key.Key_T, Qt.KeyboardModifier.NoModifier),
                     (Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier),
                     (Qt.Key.Key_F, Qt.KeyboardModifier.ShiftModifier)):
        qtbot.keyClick(dialog.table, key, mod)
    assert dialogs.asked == []
    assert review_db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before
    dialog.reload()
    assert not any(_enabled(dialog, acts))
    # a new conflict turns them on again
    fid = three[0]
    lead.session.apply(review(review_db, reviewer="ana", target_id=fid, action="flag",
                              reason="outdated"))
    assert dialog.model.figure_ids() == [fid]
    assert all(_enabled(dialog, acts))


def test_the_conflict_buttons_are_off_on_a_list_that_starts_empty(qtbot, lead):
    dialog = open_conflicts(qtbot, lead)
    assert dialog.heading.text() == f"No conflicts in {DATASET}"
    assert not any(_enabled(dialog, lead.commands.actions))


# --- 3. no reviewer name: the window says why it does not open --------------------------

def test_escape_on_the_name_dialog_says_why_nothing_opens(dialogs, review_db_path, capsys):
    dialogs.name = None  # Escape
    assert gui_app.run(review_db_path, None, dialogs=dialogs) == 2
    assert dialogs.asked == ["reviewer"]
    assert len(dialogs.errors) == 1
    title, text = dialogs.errors[0]
    assert "needs a reviewer name to record decisions; run again and enter one" in text
    assert "needs a reviewer name" in capsys.readouterr().err


# --- 4. the import's dataset: the existing ones offered ----------------------------------

def test_the_dataset_dialog_offers_the_existing_names(qtbot):
    dlg = DatasetNameDialog("beta", ["alpha", "beta", "gamma"])
    qtbot.addWidget(dlg)
    assert dlg.combo.isEditable()
    assert [dlg.combo.itemText(i) for i in range(dlg.combo.count())] == ["alpha", "beta", "gamma"]
    assert dlg.combo.currentText() == "beta" and dlg.combo.currentIndex() == 1
    assert dlg.name() == "beta" and not dlg.is_new()
    assert "new dataset" not in dlg.hint.text()
    dlg.combo.lineEdit().clear()
    qtbot.keyClicks(dlg.combo.lineEdit(), "bta")  # a typo
    assert dlg.is_new() and "(new dataset)" in dlg.hint.text() and "bta" in dlg.hint.text()
    assert dlg.ok.isEnabled()
    dlg.combo.setCurrentIndex(2)
    assert dlg.name() == "gamma" and "new dataset" not in dlg.hint.text()
    dlg.combo.lineEdit().clear()
    assert not dlg.ok.isEnabled()  # no name, nothing to import into
    assert dlg.combo.count() == 3  # what was typed was not added to the list


class OfferedDialogs(FakeDialogs):
    def __init__(self):
        super().__init__()
        self.offered = None

    def dataset_name(self, parent, default, existing=()):
        self.offered = (default, list(existing))
        return None  # cancelled: nothing imported


def test_import_offers_the_datasets_with_the_current_one_chosen(window, tmp_path):
    dialogs = window.files.dialogs = OfferedDialogs()
    (tmp_path / "a.txt").write_text("标题\n正文 2024年增长3.5%。", encoding="utf-8")
    dialogs.paths = [str(tmp_path / "a.txt")]
    assert window.files.ask_import() is None
    assert dialogs.offered == (window.session.dataset, window.session.datasets.names())
    assert DATASET in dialogs.offered[1]

