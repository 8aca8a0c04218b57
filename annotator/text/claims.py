"""Claims: sentences outside boilerplate that state at least one figure.

A sentence that overlaps a boilerplate span is not a claim at all (it is not
trimmed): boilerplate rules mark whole stretches such as site footers and ad
blocks, and half a sentence is not something a reviewer can confirm.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from annotator.domain import Claim, Figure, Span
from annotator.text.checks import check_article
from annotator.text.figures import extract_figures
from annotator.text.sentences import sentence_spans


def _overlaps_any(spans: list[Span], starts: list[int], s: int, e: int) -> bool:
    i = bisect.bisect_right(starts, e)
    return any(sp.start < e and s < sp.end for sp in spans[max(0, i - 64) : i])


def _own_links(figs: list[Figure], global_index: dict[int, int], all_figs: list[Figure]) -> None:
    """Re-point change links into the claim's own list; a change whose partner sits in
    another sentence becomes a plain figure."""
    local = {global_index[id(f)]: i for i, f in enumerate(figs)}
    for f in figs:
        if f.link is None:
            continue
        if f.link in local:
            f.link = local[f.link]
        else:
            f.link, f.role = None, None
            f.kind = "count" if f.unit and f.unit != "%" else ("percent" if f.unit in ("%", "pp") else "number")


def find_claims(text: str, boilerplate: Iterable[Span] = (), lang: str = "auto",
                sentences: Iterable[tuple[int, int]] | None = None) -> list[Claim]:
    """Claims of an article; figure offsets are offsets into `text`, and warnings
    include the article-wide consistency check across all claims. `sentences` are
    sentence_spans(text), when the caller has them already."""
    spans = sorted(boilerplate, key=lambda sp: (sp.start, sp.end))
    starts = [sp.start for sp in spans]
    figures = extract_figures(text, lang)
    index = {id(f): i for i, f in enumerate(figures)}
    fig_starts = [f.start for f in figures]
    claims: list[Claim] = []
    if sentences is None:
        sentences = sentence_spans(text) if figures else ()
    for s, e in sentences if figures else ():
        lo = bisect.bisect_left(fig_starts, s)
        hi = bisect.bisect_left(fig_starts, e)
        if lo == hi or (spans and _overlaps_any(spans, starts, s, e)):
            continue
        figs = [f for f in figures[lo:hi] if f.end <= e]
        if not figs:
            continue
        _own_links(figs, index, figures)
        claims.append(Claim(s, e, text[s:e], figs))
    check_article(text, [f for c in claims for f in c.figures])
    return claims
