"""The correction form (E): each kind gets the input it needs, the form says how the value
will be read before it is saved, and what it cannot save is refused there with the reason."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from annotator.gui.dialogs import CorrectDialog, parse_date, split_date
from annotator.services.browse import FigureView


def figure(kind="count", value=50200.0, unit=None, currency=None, text="5.02万人", **more):
    return FigureView("f-1", "c-1", 0, 0, len(text), text, kind, value, None, unit, currency,
                      None, [], None, None, **more)


@pytest.fixture
def form(qtbot):
    def make(fig, surface=None):
        dlg = CorrectDialog(fig, surface or fig.text)
        qtbot.addWidget(dlg)
        return dlg
    return make


def shown(dlg, widget) -> bool:
    return dlg.form.isRowVisible(widget)


# --- dates --------------------------------------------------------------------------

def test_a_date_is_corrected_as_year_month_and_day_not_as_a_number(form):
    dlg = form(figure("date", 20250628.0, "date", text="2025年6月28日"))
    assert shown(dlg, dlg.date_box) and not shown(dlg, dlg.value)
    assert not shown(dlg, dlg.unit)  # no "date" to edit as if it were a unit
    assert (dlg.year.text(), dlg.month.text(), dlg.day.text()) == ("2025", "6", "28")
    assert dlg.preview.text() == "will be saved as 2025-06-28 · date"
    dlg.day.setText("27")
    assert dlg.result_values() == {"value": 20250627.0, "unit": "date", "currency": None,
                                   "kind": "date", "note": None}
    assert dlg.preview.text() == "will be saved as 2025-06-27 · date"


def test_an_iso_date_pasted_in_the_year_fills_all_three(form, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    dlg = form(figure("date", 628.0, "date", text="628日"))
    QGuiApplication.clipboard().setText("2025-06-28")
    dlg.year.clear()
    qtbot.keyClick(dlg.year, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert (dlg.year.text(), dlg.month.text(), dlg.day.text()) == ("2025", "06", "28")
    assert dlg.result_values()["value"] == 20250628.0
    assert dlg.preview.text() == "will be saved as 2025-06-28 · date"


def test_a_date_typed_as_it_is_written_moves_on_at_each_dash(form, qtbot):
    dlg = form(figure("date", 628.0, "date", text="628日"))
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.year.setFocus()
    dlg.year.selectAll()
    for ch in "2024-10-1":
        qtbot.keyClicks(dlg.focusWidget(), ch)  # where the cursor is, as a person types
    assert (dlg.year.text(), dlg.month.text(), dlg.day.text()) == ("2024", "10", "1")
    assert dlg.preview.text() == "will be saved as 2024-10-01 · date"


@pytest.mark.parametrize("parts, stored, read", [
    (("2024", "10", ""), 20241000.0, "2024-10"),      # 2024年10月
    (("", "6", "28"), 628.0, "????-06-28"),           # 6月28日
    (("", "4", ""), 400.0, "????-04"),                # 今年4月
    (("", "", "13"), 13.0, "????-??-13"),             # 13日
    (("2024", "", ""), 20240000.0, "2024"),
    (("", "2", "29"), 229.0, "????-02-29"),           # no year: 29 February may be
])
def test_a_date_part_may_be_left_empty(form, parts, stored, read):
    dlg = form(figure("date", 20250628.0, "date"))
    for field, text in zip((dlg.year, dlg.month, dlg.day), parts):
        field.setText(text)
    assert dlg.result_values()["value"] == stored
    assert dlg.preview.text() == f"will be saved as {read} · date"


@pytest.mark.parametrize("parts, reason", [
    (("2025", "13", ""), "the month must be 1–12, not 13"),
    (("2025", "2", "30"), "February has no day 30"),
    (("2023", "2", "29"), "February has no day 29 in 2023"),
    (("75000", "", ""), "the year must be 1–9999, not 75000"),
    (("", "", ""), "give at least one of year, month and day"),
    (("2025", "六", ""), "the month “六” is not a whole number"),
])
def test_an_impossible_date_is_refused_in_the_form_with_the_reason(form, parts, reason):
    dlg = form(figure("date", 20250628.0, "date"))
    for field, text in zip((dlg.year, dlg.month, dlg.day), parts):
        field.setText(text)
    assert dlg.error.text() == f"Cannot be saved: {reason}"
    assert dlg.preview.text() == ""
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted and not dlg.isHidden() is False


def test_the_date_parsers():
    assert split_date("2025/6/28") == ("2025", "6", "28")
    assert split_date("2025年6月28日") == ("2025", "6", "28")
    assert split_date("????-06-28") == ("", "06", "28")
    assert split_date("2025") is None and split_date("75000") is None
    assert parse_date("2025", "06", "28") == 20250628.0


# --- money, percent, counts -----------------------------------------------------------

def test_money_takes_an_amount_and_an_iso_currency_from_the_list(form):
    dlg = form(figure("money", 38500.0, None, "HKD", text="38,500元"))
    assert shown(dlg, dlg.currency) and shown(dlg, dlg.value) and not shown(dlg, dlg.date_box)
    offered = [dlg.currency.itemText(i) for i in range(dlg.currency.count())]
    for code in ("HKD", "CNY", "TWD", "USD", "EUR", "GBP", "JPY", "MOP", "SGD"):
        assert code in offered
    assert dlg.currency.currentText() == "HKD"
    dlg.value.setText("38,000")
    dlg.currency.setCurrentText("twd")
    assert dlg.result_values()["currency"] == "TWD"
    assert dlg.preview.text() == "will be saved as TWD 38,000 · money"
    dlg.currency.setCurrentText("dollars")
    assert "is not an ISO 4217 currency code" in dlg.error.text()
    dlg.currency.setCurrentText("")
    assert dlg.error.text() == "Cannot be saved: choose the currency (HKD, CNY, USD …)"


def test_a_percent_takes_its_unit_from_a_list(form):
    dlg = form(figure("percent", 135.0, "%", text="135%"))
    assert shown(dlg, dlg.percent_unit) and not shown(dlg, dlg.unit)
    dlg.value.setText("13.5")
    assert dlg.preview.text() == "will be saved as 13.5% · percent"
    dlg.percent_unit.setCurrentIndex(dlg.percent_unit.findData("pp"))
    assert dlg.result_values()["unit"] == "pp"
    assert dlg.preview.text() == "will be saved as 13.5 pp · percent"


def test_a_count_keeps_its_unit_and_a_bad_number_is_refused(form):
    dlg = form(figure("count", 50200.0, "人"))
    assert dlg.value.text() == "50200" and dlg.unit.currentText() == "人"
    dlg.value.setText("52,000")
    assert dlg.preview.text() == "will be saved as 52,000 人 · count"
    dlg.value.setText("5.2万")
    assert dlg.error.text() == "Cannot be saved: “5.2万” is not a number"
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted


def test_a_date_made_a_count_starts_empty_and_is_not_read_as_a_date(form):
    """75000 typed for a date was saved and shown as 0007-50; a date's 20250628 is no count."""
    dlg = form(figure("date", 20250628.0, "date"))
    dlg.kind.setCurrentText("count")
    assert shown(dlg, dlg.value) and not shown(dlg, dlg.date_box)
    assert dlg.value.text() == "" and dlg.unit.currentText() == ""
    dlg.value.setText("75000")
    assert "without one the figure keeps its unit “date”" in dlg.error.text()
    dlg.unit.setCurrentText("人")
    assert dlg.preview.text() == "will be saved as 75,000 人 · count"
    dlg.kind.setCurrentText("date")
    assert dlg.year.text() == "" and dlg.error.text().startswith("Cannot be saved")


def test_a_year(form):
    dlg = form(figure("year", 2024.0, None, text="2024"))
    dlg.value.setText("2025")
    assert dlg.result_values()["unit"] == "year"
    assert dlg.preview.text() == "will be saved as 2025 · year"
    dlg.value.setText("2025.5")
    assert dlg.error.text() == "Cannot be saved: a year is a whole number 1–9999, not 2025.5"
