"""Every model passes Qt's model tester; the article list reads only what is shown."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QModelRoleData, QModelRoleDataSpan, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from annotator.gui.models import articles as articles_model
from annotator.gui.models.articles import ArticleListModel, IdRole
from annotator.gui.models.claims import ClaimTreeModel, FigureIdRole
from annotator.gui.models.datasets import DatasetListModel, NameRole
from annotator.gui.models.search import SearchResultModel
from annotator.gui.widgets.shortcuts_dialog import shortcuts_model
from annotator.services import browse
from annotator.services.review import review


def test_article_list_model(qtmodeltester, review_db, article_ids):
    model = ArticleListModel(review_db)
    model.set_dataset("samples")
    qtmodeltester.check(model, force_py=True)
    assert [model.index(r, 0).data(IdRole) for r in range(model.rowCount())] == article_ids
    assert model.index(0, 1).data() == "0/49"
    assert model.index(1, 2).data() == "en"


def test_article_list_sorts_by_progress_and_keeps_selection_indexes(qtmodeltester, review_db,
                                                                    article_ids):
    model = ArticleListModel(review_db)
    model.set_dataset("samples")
    for fid, in review_db.execute("SELECT id FROM figures WHERE article_id = ?",
                                  [article_ids[2]]).fetchall()[:12]:
        review(review_db, reviewer="ana", target_id=fid, action="confirm")
    model.refresh_articles([article_ids[2]])
    assert model.index(2, 1).data() == "12/24"
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.id_at(0) == article_ids[2]
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.id_at(model.rowCount() - 1) == article_ids[2]
    model.sort(-1)
    assert model.ids == article_ids
    qtmodeltester.check(model, force_py=True)


def test_article_list_filter(review_db, article_ids):
    model = ArticleListModel(review_db)
    model.set_dataset("samples")
    model.set_filter("tricky")
    assert model.ids == [article_ids[3]]
    model.set_filter("100%_")  # LIKE wildcards are literal
    assert model.ids == []
    model.set_filter("")
    assert len(model.ids) == 4


def test_article_list_reads_pages_lazily_and_bounds_its_cache(review_db, monkeypatch):
    """With many ids the model reads only the pages asked for and forgets old ones."""
    many = [f"a-{i:06d}" for i in range(10_000)]
    model = ArticleListModel(review_db)
    monkeypatch.setattr(articles_model.browse, "article_ids", lambda *a, **k: many)
    asked: list[int] = []

    def summaries(db, ids):
        asked.append(len(ids))
        return {i: browse.ArticleSummary(i, f"t{i}", "s", "zh", "hans", 10, 5, 1, 0) for i in ids}

    monkeypatch.setattr(articles_model.browse, "article_summaries", summaries)
    model.set_dataset("big")
    assert model.rowCount() == 10_000 and asked == []
    assert model.index(9_999, 0).data() == "ta-009999"
    assert asked == [articles_model.PAGE_ROWS]
    for row in range(0, 10_000, articles_model.PAGE_ROWS):
        model.index(row, 0).data()
    assert model.cached_pages() == articles_model.MAX_PAGES
    # page 99 was read first, pushed out of the cache, and read again at the end
    assert len(asked) == 1 + 10_000 // articles_model.PAGE_ROWS
    model.index(9_999, 0).data()
    assert len(asked) == 1 + 10_000 // articles_model.PAGE_ROWS


def test_dataset_model(qtmodeltester, review_db):
    model = DatasetListModel(review_db)
    model.reload()
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 0).data(NameRole) == "samples"
    assert model.index(0, 0).data() == "samples  (4 articles)"


def test_claim_tree_model(qtmodeltester, review_db, article_ids):
    article = browse.load_article(review_db, article_ids[0])
    model = ClaimTreeModel()
    model.set_article(article, browse.display(article.text, article.script, "original"))
    qtmodeltester.check(model, force_py=True)
    first = article.claims[0]
    assert model.rowCount() == len(article.claims)
    assert model.rowCount(model.index(0, 0)) == len(first.figures)
    fig_index = model.figure_index(first.figures[0].id)
    assert fig_index.data(FigureIdRole) == first.figures[0].id
    assert fig_index.parent() == model.index(0, 0)
    model.set_displayed(browse.display(article.text, article.script, "hk"))
    qtmodeltester.check(model, force_py=True)


def test_claim_tree_model_shows_the_chosen_script(review_db, article_ids):
    article = browse.load_article(review_db, article_ids[0])
    model = ClaimTreeModel()
    model.set_article(article, browse.display(article.text, article.script, "original"))
    simplified = model.index(0, 0).data()
    model.set_displayed(browse.display(article.text, article.script, "tw"))
    traditional = model.index(0, 0).data()
    assert simplified != traditional and "國際" in traditional and "国际" in simplified


_R = Qt.ItemDataRole
# What QStyledItemDelegate asks for when it paints a cell, in one multiData call.
PAINTED_ROLES = (_R.FontRole, _R.TextAlignmentRole, _R.ForegroundRole, _R.CheckStateRole,
                 _R.DecorationRole, _R.DisplayRole, _R.BackgroundRole)


def _multi(model, index, role):
    item = QModelRoleData(int(role))
    model.multiData(index, QModelRoleDataSpan(item))
    return item.data()


def _same(a, b) -> bool:
    if isinstance(a, QIcon) or isinstance(b, QIcon):
        return isinstance(a, QIcon) and isinstance(b, QIcon) and a.cacheKey() == b.cacheKey()
    return a == b


def _indexes(model, parent=QModelIndex()):
    for row in range(model.rowCount(parent)):
        for col in range(model.columnCount(parent)):
            index = model.index(row, col, parent)
            yield index
            if col == 0:
                yield from _indexes(model, index)


def _check_multidata(model) -> int:
    checked = 0
    for index in _indexes(model):
        for role in PAINTED_ROLES:
            assert _same(_multi(model, index, role), index.data(role)), (index.row(), role)
            checked += 1
    return checked


def test_claim_tree_paints_what_data_says(review_db, article_ids):
    """multiData (one call per painted cell) and data() give the same answers, also after
    a decision changed a figure and after a script switch."""
    article = browse.load_article(review_db, article_ids[3])
    model = ClaimTreeModel()
    model.set_article(article, browse.display(article.text, article.script, "original"))
    assert _check_multidata(model) > 0
    fig = article.claims[0].figures[0]
    before = _multi(model, model.figure_index(fig.id).siblingAtColumn(2), _R.DisplayRole)
    review(review_db, reviewer="ana", target_id=fig.id, action="confirm")
    model.update_figures(browse.figures_by_id(review_db, [fig.id]))
    index = model.figure_index(fig.id)
    assert (before, _multi(model, index.siblingAtColumn(2), _R.DisplayRole)) == \
        ("unreviewed", "confirmed")
    claim = model.claim_index(fig.claim_id).siblingAtColumn(2)
    assert _multi(model, claim, _R.DisplayRole) == f"1/{len(article.claims[0].figures)}"
    _check_multidata(model)
    row = next(i for i, c in enumerate(article.claims) if "人参加" in c.text)
    model.set_displayed(browse.display(article.text, article.script, "tw"))
    assert "人參加" in _multi(model, model.index(row, 0), _R.DisplayRole)
    _check_multidata(model)


def test_the_delegate_reads_the_claims_through_multidata(review_db, article_ids):
    article = browse.load_article(review_db, article_ids[0])
    model = ClaimTreeModel()
    model.set_article(article, browse.display(article.text, article.script, "original"))
    fig = article.claims[0].figures[0]
    index = model.figure_index(fig.id)
    option = QStyleOptionViewItem()
    QStyledItemDelegate().initStyleOption(option, index)
    assert option.text == fig.text and option.font.bold()
    assert option.icon.cacheKey() == index.data(_R.DecorationRole).cacheKey()


def test_search_result_model(qtmodeltester):
    model = SearchResultModel()
    model.set_hits([{"article_id": "a-1", "start": 0, "end": 2, "snippet": "人才…"}],
                   {"a-1": "An article"})
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 0).data() == "An article"
    assert model.index(0, 1).data() == "人才…"


def test_shortcuts_model(qtmodeltester):
    qtmodeltester.check(shortcuts_model(), force_py=True)
