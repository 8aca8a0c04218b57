"""What a change repaints: the rows and lines it touched, not whole views.

Offscreen Qt paints into an image like any other platform; the regions handed to each
paint event are what the window would redraw on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject


class PaintedArea(QObject):
    """Sums the area of the paint events a widget receives."""

    def __init__(self, widget):
        super().__init__()
        self.widget, self.area = widget, 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.widget and event.type() == QEvent.Type.Paint:
            self.area += sum(r.width() * r.height() for r in event.region())
        return False


def _views(window):
    return (window.claims_panel.tree, window.article_list.table, window.text_view)


def test_views_keep_an_opaque_viewport_under_the_style_sheet(qtbot, window, qapp):
    assert qapp.styleSheet()  # the window's theme is applied
    for view in _views(window):
        assert view.viewport().autoFillBackground(), view.objectName()
    qapp.setStyleSheet(qapp.styleSheet() + "\n")  # a new sheet polishes every widget again
    qapp.processEvents()
    for view in _views(window):
        assert view.viewport().autoFillBackground(), view.objectName()


def _scrolled_area(view, qapp, rows: int, minimum: int) -> tuple[int, int]:
    """(area repainted, whole viewport) when `view` scrolls down by `rows` steps."""
    bar = view.verticalScrollBar()
    assert bar.maximum() > minimum  # the first sample has more rows than fit
    qapp.processEvents()
    painted = PaintedArea(view.viewport())
    bar.setValue(bar.value() + rows)
    qapp.processEvents()
    return painted.area, view.viewport().width() * view.viewport().height()


def test_scrolling_the_claims_by_a_row_repaints_about_a_row(qtbot, window, qapp):
    area, full = _scrolled_area(window.claims_panel.tree, qapp, rows=1, minimum=1)
    assert 0 < area < full / 4


def test_scrolling_the_text_repaints_only_what_scrolled_in(qtbot, window, qapp):
    area, full = _scrolled_area(window.text_view, qapp, rows=2, minimum=3)
    assert 0 < area < full / 2
