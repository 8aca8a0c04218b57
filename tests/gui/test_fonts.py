"""English is drawn with a Latin font and Chinese with a CJK one: the CJK font's ’ “ ” are
full-width, so "Hong Kong’s" read as "Hong Kong’ s" when one CJK font drew everything."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetricsF

from annotator.gui import theme


def installed(families):
    have = set(QFontDatabase.families())
    return [f for f in families if f in have]


@pytest.mark.parametrize("make", [theme.ui_font, theme.text_font])
def test_latin_text_gets_a_latin_font_and_han_a_cjk_one(make):
    font = make()
    families = installed(font.families())
    assert families, "no font of the list is installed"
    latin = families[0]
    assert latin in theme.LATIN_FAMILIES  # the first one found draws Latin text
    han = QFontDatabase.WritingSystem.SimplifiedChinese
    assert any(han in QFontDatabase.writingSystems(f) for f in families[1:]), \
        "no CJK font after the Latin one: Chinese would show as boxes"
    assert QFontInfo(font).family() == latin


@pytest.mark.parametrize("make", [theme.ui_font, theme.text_font])
def test_quotes_and_apostrophes_are_not_full_width(make):
    m = QFontMetricsF(make())
    em = m.horizontalAdvance("中")
    for ch in "’“”‘":
        assert m.horizontalAdvance(ch) < 0.6 * em, ch
    assert m.horizontalAdvance("Hong Kong’s") < m.horizontalAdvance("Hong Kong") + 0.9 * em


def test_the_application_and_the_text_use_the_lists(qapp, window):
    assert qapp.font().families()[:1] == theme.UI_FAMILIES[:1]
    assert window.text_view.font().families() == theme.text_font().families()
