"""The window's look: a light palette whatever the desktop's theme, one status colour
scheme shared by the text, the claims and the article list, and fonts for both scripts."""

from __future__ import annotations

import html

from importlib import resources

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractScrollArea, QApplication

# A Latin font first, then CJK fonts: Qt draws each character with the first family of
# the list that has it, so English gets the Latin font and Han falls through to a CJK
# one. A CJK font first drew English too, and its ’ “ ” are full-width ("Hong Kong’ s").
# DejaVu Sans comes with fontconfig on Debian (fonts-dejavu-core); the others are what
# Windows, macOS and other Linux desktops have.
LATIN_FAMILIES = ["DejaVu Sans", "Noto Sans", "Segoe UI", "Helvetica Neue", "Arial",
                  "Liberation Sans", "Cantarell"]
CJK_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB"]
UI_FAMILIES = LATIN_FAMILIES + CJK_FAMILIES + ["sans-serif"]
TEXT_POINT_SIZE = 12
UI_POINT_SIZE = 10


class Status:
    """(strong colour for text and outlines, pale colour for backgrounds) per status."""

    STRONG = {
        "unreviewed": QColor("#C27C0E"),   # amber
        "confirmed": QColor("#1E7B34"),    # green
        "corrected": QColor("#1F5FAD"),    # blue
        "flagged": QColor("#B3261E"),      # red
    }
    PALE = {
        "unreviewed": QColor("#FFF3D1"),
        "confirmed": QColor("#D9F2DE"),
        "corrected": QColor("#DAE8FA"),
        "flagged": QColor("#FADCD9"),
    }
    CURRENT = {
        "unreviewed": QColor("#FFE199"),
        "confirmed": QColor("#A9E0B4"),
        "corrected": QColor("#A9C9F2"),
        "flagged": QColor("#F4AFA8"),
    }

    @classmethod
    def strong(cls, status: str) -> QColor:
        return cls.STRONG.get(status, cls.STRONG["unreviewed"])

    @classmethod
    def pale(cls, status: str) -> QColor:
        return cls.PALE.get(status, cls.PALE["unreviewed"])

    @classmethod
    def current(cls, status: str) -> QColor:
        return cls.CURRENT.get(status, cls.CURRENT["unreviewed"])


WARNING = QColor("#C0392B")
BOILERPLATE = QColor("#9AA0A6")
DUPLICATE = QColor("#ECE5F6")
CURRENT_CLAIM = QColor("#F1EFE6")
SEARCH_HIT = QColor("#FFD54F")

_icons: dict[str, QIcon] = {}


def status_icon(status: str) -> QIcon:
    """A small filled dot: status must be readable at a glance in lists."""
    icon = _icons.get(status)
    if icon is None:
        pix = QPixmap(12, 12)
        pix.fill(QColor(0, 0, 0, 0))
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Status.strong(status))
        p.setBrush(Status.pale(status) if status == "unreviewed" else Status.strong(status))
        p.drawEllipse(1, 1, 10, 10)
        p.end()
        icon = _icons[status] = QIcon(pix)
    return icon


def text_font() -> QFont:
    font = QFont()
    font.setFamilies(UI_FAMILIES)
    font.setPointSize(TEXT_POINT_SIZE)
    return font


def ui_font() -> QFont:
    font = QFont()
    font.setFamilies(UI_FAMILIES)
    font.setPointSize(UI_POINT_SIZE)
    return font


def light_palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#F6F6F3",
        QPalette.ColorRole.WindowText: "#202124",
        QPalette.ColorRole.Base: "#FFFFFF",
        QPalette.ColorRole.AlternateBase: "#F8F8F5",
        QPalette.ColorRole.Text: "#202124",
        QPalette.ColorRole.Button: "#F1F1EE",
        QPalette.ColorRole.ButtonText: "#202124",
        QPalette.ColorRole.Highlight: "#CFE0F5",
        QPalette.ColorRole.HighlightedText: "#202124",
        QPalette.ColorRole.ToolTipBase: "#FFFFF4",
        QPalette.ColorRole.ToolTipText: "#202124",
        QPalette.ColorRole.PlaceholderText: "#80868B",
        QPalette.ColorRole.Link: "#1F5FAD",
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#9AA0A6"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#9AA0A6"))
    return pal


def style_sheet() -> str:
    try:
        return resources.files("annotator.resources").joinpath("style.qss").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return ""


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setPalette(light_palette())
    app.setFont(ui_font())
    app.setStyleSheet(style_sheet())


class _OpaqueViewport(QObject):
    """Puts back the viewport's own background fill each time the style sheet takes it.

    Qt's style sheet turns off `autoFillBackground` on the viewport of a scroll area whose
    rule has a background or a border, which makes the viewport transparent to the
    painter: every scroll then repaints the whole view instead of moving the pixels and
    drawing the row or lines scrolled in. A one-row scroll of the claims list cost a
    full 421x536 repaint (about 6 ms) on almost half of the confirms. The rule's colour is
    the palette's, so the fill looks the same. The style sheet polishes the view before
    it is shown and again before a StyleChange, which is when this runs.
    """

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.StyleChange):
            viewport = obj.viewport()
            if not viewport.autoFillBackground():
                viewport.setAutoFillBackground(True)
        return False


def opaque_viewport(view: QAbstractScrollArea) -> None:
    """Let `view` scroll by moving pixels, style sheet or not (see _OpaqueViewport)."""
    view.installEventFilter(_OpaqueViewport(view))


def plain_tooltip(text: object) -> str | None:
    """A tooltip that shows article text as text. Qt renders a tooltip as HTML when it
    looks like markup ('<b>Revenue</b> rose 12%', '<img src=...>'); escaping it inside
    <qt> makes Qt show the characters instead."""
    if text is None or text == "":
        return None
    escaped = html.escape(str(text), quote=False).replace("\n", "<br>")
    return f"<qt>{escaped}</qt>"
