"""The window's reads (annotator.services.browse), without Qt."""

from __future__ import annotations

import pytest

from annotator.domain import Claim, Figure, FigureWarning, RawArticle
from annotator.services import browse
from annotator.services.review import review
from annotator.storage import articles as repo
from annotator.storage.db import write_tx


def add(db, text: str, figures: list[str], *, dataset="d", title=None, script="hans",
        warn: int | None = None) -> str:
    """One claim (the whole text) with a figure for each surface, in order."""
    figs, pos = [], 0
    for i, surface in enumerate(figures):
        start = text.index(surface, pos)
        pos = start + len(surface)
        warnings = [FigureWarning("w", "check")] if i == warn else []
        figs.append(Figure(surface, start, pos, "number", value=float(i), warnings=warnings))
    with write_tx(db):
        aid = repo.insert_article(db, RawArticle("src.txt", text, title=title), language="zh",
                                  script=script, boilerplate=[],
                                  claims=[Claim(0, len(text), text, figs)])
        repo.add_to_dataset(db, dataset, aid)
    return aid


@pytest.fixture
def three(db):
    a = add(db, "甲 1 和 2 和 3。", ["1", "2", "3"], title="Alpha", warn=1)
    b = add(db, "乙 4 和 5。", ["4", "5"], title="beta")
    c = add(db, "丙 6。", ["6"], title="Gamma 100%")
    return a, b, c


def figure_ids(db, aid):
    return [r[0] for r in db.execute("SELECT id FROM figures WHERE article_id = ? ORDER BY seq",
                                     [aid])]


def test_summaries_count_figures_reviewed_and_warned(db, three):
    a, b, _ = three
    review(db, reviewer="ana", target_id=figure_ids(db, a)[0], action="confirm")
    review(db, reviewer="ana", target_id=figure_ids(db, a)[2], action="flag", reason="other")
    s = browse.article_summaries(db, [a, b])
    assert (s[a].figures, s[a].reviewed, s[a].warned, s[a].progress_text) == (3, 2, 1, "2/3")
    assert s[b].label == "beta" and not s[b].done


def test_article_ids_filter_and_sort(db, three):
    a, b, c = three
    assert browse.article_ids(db, "d") == [a, b, c]
    assert browse.article_ids(db, "d", sort="title", descending=True) == [c, b, a]
    assert browse.article_ids(db, "d", filter_text="100%") == [c]
    assert browse.article_ids(db, "d", filter_text="%") == [c]  # literal, not a wildcard
    for fid in figure_ids(db, b):
        review(db, reviewer="ana", target_id=fid, action="confirm")
    review(db, reviewer="ana", target_id=figure_ids(db, a)[0], action="confirm")
    assert browse.article_ids(db, "d", sort="progress") == [c, a, b]
    assert browse.article_ids(db, "d", sort="progress", descending=True) == [b, a, c]
    assert browse.article_ids(db, "d", sort="warnings", descending=True)[0] == a
    with pytest.raises(ValueError):
        browse.article_ids(db, "d", sort="nonsense")


def test_load_article_with_states(db, three):
    a, _, _ = three
    fids = figure_ids(db, a)
    review(db, reviewer="ana", target_id=fids[1], action="correct", value=20, unit="%",
           note="n")
    art = browse.load_article(db, a)
    assert [f.id for f in art.figures] == fids
    fig = art.figures[1]
    assert (fig.status, fig.corrected_value, fig.corrected_unit, fig.note) == \
        ("corrected", 20, "%", "n")
    assert fig.corrected_text() == "20%"
    assert art.claims[0].status == "unreviewed"
    for f in art.figures:
        assert art.text[f.start:f.end] == f.text
    assert browse.load_article(db, "a-missing") is None
    assert browse.article_of_figure(db, fids[0]) == a


def test_progress_counts(db, three):
    a, b, _ = three
    assert browse.dataset_total(db, "d") == 6
    review(db, reviewer="ana", target_id=figure_ids(db, b)[0], action="confirm")
    assert browse.dataset_reviewed(db, "d") == 1


def test_next_unreviewed_goes_on_and_wraps(db, three):
    a, b, c = three
    order = [a, b, c]
    fa, fb, fc = figure_ids(db, a), figure_ids(db, b), figure_ids(db, c)
    found = browse.next_unreviewed(db, order, start_index=0, after_seq=0)
    assert (found.article_id, found.figure_id) == (a, fa[1])
    for fid in fa[1:] + fb:
        review(db, reviewer="ana", target_id=fid, action="confirm")
    found = browse.next_unreviewed(db, order, start_index=0, after_seq=0, first_chunk=1)
    assert (found.article_id, found.figure_id, found.index) == (c, fc[0], 2)
    review(db, reviewer="ana", target_id=fc[0], action="confirm")
    # only a's first figure is left, before the cursor: found after wrapping round
    found = browse.next_unreviewed(db, order, start_index=0, after_seq=0, first_chunk=1)
    assert (found.article_id, found.figure_id) == (a, fa[0])
    review(db, reviewer="ana", target_id=fa[0], action="confirm")
    assert browse.next_unreviewed(db, order, start_index=1) is None
    assert browse.next_unreviewed(db, [], start_index=0) is None


def test_display_keeps_spans_on_their_figures_across_scripts(db):
    text = "内存价格上涨了 12%，软件收入 5.02万 元。"
    aid = add(db, text, ["12%", "5.02万"])
    art = browse.load_article(db, aid)
    for target in browse.DISPLAY_SCRIPTS:
        shown = browse.display(art.text, art.script, target)
        for f in art.figures:
            a, b = shown.span_to_display(f.start, f.end)
            assert shown.text[a:b] in (f.text, f.text.replace("万", "萬")), target
            assert shown.to_source(a) == f.start
    assert browse.display(art.text, art.script, "tw").text.startswith("內存價格")


def test_displayed_maps_through_a_conversion_that_changes_length():
    from annotator.text import chinese

    text = "内存价格上涨了 12%。"
    converted, offsets = chinese.convert_with_offsets(text, "s2twp")  # 内存 -> 記憶體
    shown = browse.Displayed(converted, offsets)
    a, b = shown.span_to_display(8, 11)
    assert converted[a:b] == "12%" and (a, b) == (9, 12)
    assert shown.to_source(a) == 8


def test_display_of_english_is_the_text_itself(db):
    shown = browse.display("Up 4.3% in 2024", None, "hk")
    assert shown.text == "Up 4.3% in 2024" and shown.offsets is None
    with pytest.raises(ValueError):
        browse.display("x", None, "klingon")


@pytest.mark.parametrize("value,vmax,unit,cur,out", [
    (50200.0, None, None, None, "50,200"),
    (4.3, None, "%", None, "4.3%"),
    (6e4, 6.5e4, "人", None, "60,000–65,000 人"),
    (1.5e9, None, None, "USD", "USD 1,500,000,000"),
    (1234567.5, None, None, None, "1,234,567.5"),
    (None, None, None, None, ""),
])
def test_format_value(value, vmax, unit, cur, out):
    assert browse.format_value(value, vmax, unit, cur) == out


def test_dates_read_as_dates_not_codes():
    # 去年11月 is stored as 1100 (Y*10000 + M*100 + D with unknown parts 0)
    assert browse.format_value(1100.0, None, "date", None, "date") != "1,100"
    assert "11" in browse.format_value(1100.0, None, "date", None, "date")


def test_years_are_not_grouped():
    assert browse.format_value(2028.0, None, None, None, "year") == "2028"
    assert browse.format_value(2028.0, 2030.0, None, None, "year") == "2028–2030"
