"""The full-text index: jieba tokens of each article's folded text, keyed by rowid."""

from __future__ import annotations


from sqlite_utils import Database


def add_index_terms(db: Database, article_rowid: int, tokens: str, chars: str) -> None:
    db.execute("INSERT INTO search_index(rowid, tokens, chars) VALUES (?, ?, ?)",
               [article_rowid, tokens, chars])


def in_search_index(db: Database, article_rowid: int) -> bool:
    # a contentless table still answers rowid lookups
    return db.execute("SELECT 1 FROM search_index WHERE rowid = ?",
                      [article_rowid]).fetchone() is not None


def match(db: Database, expression: str, dataset: str | None, limit: int,
          offset: int = 0) -> list[str]:
    """Article ids matching an FTS5 expression, best first (`limit` of them after the
    first `offset`)."""
    if dataset is None:
        sql = ("SELECT a.id FROM search_index s JOIN articles a ON a.rowid = s.rowid "
               "WHERE search_index MATCH ? ORDER BY s.rank LIMIT ? OFFSET ?")
        params: list = [expression, limit, offset]
    else:
        sql = ("SELECT a.id FROM search_index s JOIN articles a ON a.rowid = s.rowid "
               "JOIN dataset_articles da ON da.article_id = a.id AND da.dataset = ? "
               "WHERE search_index MATCH ? ORDER BY s.rank LIMIT ? OFFSET ?")
        params = [dataset, expression, limit, offset]
    return [r[0] for r in db.execute(sql, params)]


def unindexed_articles(db: Database) -> list[tuple[int, str]]:
    """(rowid, id) of articles missing from the index (imported by an older version)."""
    have = {r[0] for r in db.execute("SELECT rowid FROM search_index")}
    return [(rid, aid) for rid, aid in db.execute("SELECT rowid, id FROM articles ORDER BY rowid")
            if rid not in have]
