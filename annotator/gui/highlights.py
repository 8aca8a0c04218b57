"""Which stretches of the shown text get which look, in painting order: boilerplate,
duplicated passages, the current claim, figures by status, warnings, the current figure,
a search hit. Later marks win where they overlap."""

from __future__ import annotations


from PySide6.QtGui import QFont, QTextCharFormat

from annotator.gui import theme
from annotator.gui.widgets.text_view import Mark
from annotator.services import browse


def _fmt(*, fg=None, bg=None, underline=None, underline_colour=None, bold=False):
    f = QTextCharFormat()
    if fg is not None:
        f.setForeground(fg)
    if bg is not None:
        f.setBackground(bg)
    if underline is not None:
        f.setUnderlineStyle(underline)
        f.setUnderlineColor(underline_colour)
    if bold:
        f.setFontWeight(QFont.Weight.Bold)
    return f


_U = QTextCharFormat.UnderlineStyle
BOILERPLATE = _fmt(fg=theme.BOILERPLATE)
DUPLICATE = _fmt(bg=theme.DUPLICATE)
CLAIM = _fmt(bg=theme.CURRENT_CLAIM)
WARNING = _fmt(underline=_U.WaveUnderline, underline_colour=theme.WARNING)
SEARCH = _fmt(bg=theme.SEARCH_HIT)
FIGURE = {s: _fmt(bg=theme.Status.pale(s), underline=_U.SingleUnderline,
                  underline_colour=theme.Status.strong(s)) for s in theme.Status.STRONG}
CURRENT = {s: _fmt(bg=theme.Status.current(s), fg=theme.Status.strong(s), bold=True,
                   underline=_U.SingleUnderline, underline_colour=theme.Status.strong(s))
           for s in theme.Status.STRONG}


def marks_for(article: browse.ArticleView, shown: browse.Displayed, *,
              figure_id: str | None, claim_id: str | None,
              search_hit: tuple[int, int] | None = None) -> list[Mark]:
    def span(start: int, end: int, fmt: QTextCharFormat) -> Mark:
        a, b = shown.span_to_display(start, end)
        return Mark(a, b, fmt)

    marks = [span(b.start, b.end, BOILERPLATE) for b in article.boilerplate]
    for pair in article.pairs:
        for side in (pair["a"], pair["b"]):
            if side["article_id"] == article.id:
                marks.append(span(side["start"], side["end"], DUPLICATE))
    claim = next((c for c in article.claims if c.id == claim_id), None)
    if claim is not None:
        marks.append(span(claim.start, claim.end, CLAIM))
    current = None
    for f in article.figures:
        marks.append(span(f.start, f.end, FIGURE.get(f.status, FIGURE["unreviewed"])))
        if f.id == figure_id:
            current = f
    marks += [span(f.start, f.end, WARNING) for f in article.figures if f.warnings]
    if current is not None:
        marks.append(span(current.start, current.end,
                          CURRENT.get(current.status, CURRENT["unreviewed"])))
        if current.warnings:
            marks.append(span(current.start, current.end, WARNING))
    if search_hit is not None:
        marks.append(span(search_hit[0], search_hit[1], SEARCH))
    return marks
