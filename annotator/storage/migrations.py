"""Named schema migrations, recorded in the database by sqlite-utils.

Append new migrations at the end; never edit one that has shipped. Each runs in its own
transaction together with the record of it having been applied.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "annotator"
migrations = Migrations(MIGRATION_SET)


def _script(db: Database, sql: str) -> None:
    for statement in sql.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0001_core")
def m0001_core(db: Database) -> None:
    _script(
        db,
        """
        CREATE TABLE datasets (
            name TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            required_signoffs INTEGER NOT NULL DEFAULT 2
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,            -- sha256 of the decoded text, first 16 hex digits
            source TEXT NOT NULL,           -- file name (with :line for record files) or URL
            title TEXT,
            url TEXT,
            date TEXT,
            external_id TEXT,
            language TEXT,                  -- zh | en | und
            script TEXT,                    -- hans | hant | mixed | NULL
            encoding TEXT,
            format TEXT,
            chars INTEGER NOT NULL,
            text TEXT NOT NULL,             -- the decoded original, verbatim
            imported_at TEXT NOT NULL
        );
        CREATE TABLE dataset_articles (
            dataset TEXT NOT NULL REFERENCES datasets(name),
            article_id TEXT NOT NULL REFERENCES articles(id),
            seq INTEGER NOT NULL,
            PRIMARY KEY (dataset, article_id)
        );
        CREATE INDEX dataset_articles_article ON dataset_articles(article_id);
        CREATE UNIQUE INDEX dataset_articles_seq ON dataset_articles(dataset, seq);
        CREATE TABLE boilerplate (
            article_id TEXT NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            rule TEXT NOT NULL,
            PRIMARY KEY (article_id, start)
        );
        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            duplicate_of TEXT REFERENCES claims(id)
        );
        CREATE INDEX claims_article ON claims(article_id, seq);
        CREATE INDEX claims_duplicate_of ON claims(duplicate_of) WHERE duplicate_of IS NOT NULL;
        CREATE TABLE figures (
            id TEXT PRIMARY KEY,
            claim_id TEXT NOT NULL REFERENCES claims(id),
            article_id TEXT NOT NULL REFERENCES articles(id),
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            value REAL,
            value_max REAL,
            unit TEXT,
            currency TEXT,
            qualifier TEXT,
            role TEXT,
            link_id TEXT,
            warnings TEXT NOT NULL DEFAULT '[]',   -- JSON [{"code","message"}]
            duplicate_of TEXT REFERENCES figures(id)
        );
        CREATE INDEX figures_claim ON figures(claim_id, seq);
        CREATE INDEX figures_article ON figures(article_id, seq);
        CREATE INDEX figures_duplicate_of ON figures(duplicate_of) WHERE duplicate_of IS NOT NULL;
        CREATE TABLE events (
            id TEXT PRIMARY KEY,            -- random, so merged databases never collide
            at TEXT NOT NULL,               -- UTC ISO 8601 with microseconds
            reviewer TEXT NOT NULL,
            action TEXT NOT NULL,
            target_type TEXT NOT NULL,      -- figure | pair | dataset
            target_id TEXT NOT NULL,
            old_state TEXT,                 -- JSON
            new_state TEXT,                 -- JSON
            note TEXT,
            ref TEXT,                       -- the event an undo/redo refers to
            batch TEXT NOT NULL             -- events of one user action share it (undo as one)
        );
        CREATE INDEX events_target ON events(target_type, target_id, at);
        CREATE INDEX events_reviewer ON events(reviewer, at);
        CREATE TABLE figure_state (
            figure_id TEXT PRIMARY KEY REFERENCES figures(id),
            status TEXT NOT NULL,
            corrected_value REAL,
            corrected_unit TEXT,
            corrected_currency TEXT,
            corrected_kind TEXT,
            flag TEXT,
            note TEXT,
            conflict INTEGER NOT NULL DEFAULT 0,
            inherited_from TEXT,
            updated_at TEXT
        );
        CREATE INDEX figure_state_status ON figure_state(status)
        """,
    )


@migrations(name="0002_duplicates")
def m0002_duplicates(db: Database) -> None:
    _script(
        db,
        """
        -- The persisted duplicate index: sentence digests and LSH band keys point at
        -- articles (by rowid, to keep the index small); signatures estimate similarity.
        CREATE TABLE dup_digests (
            digest INTEGER NOT NULL,
            article_rowid INTEGER NOT NULL,
            PRIMARY KEY (digest, article_rowid)
        ) WITHOUT ROWID;
        CREATE TABLE dup_bands (
            band_key INTEGER NOT NULL,
            article_rowid INTEGER NOT NULL,
            PRIMARY KEY (band_key, article_rowid)
        ) WITHOUT ROWID;
        CREATE TABLE dup_signatures (
            article_rowid INTEGER PRIMARY KEY,
            signature BLOB NOT NULL
        );
        CREATE TABLE passage_pairs (
            id TEXT PRIMARY KEY,
            a_article TEXT NOT NULL REFERENCES articles(id),
            a_start INTEGER NOT NULL,
            a_end INTEGER NOT NULL,
            b_article TEXT NOT NULL REFERENCES articles(id),
            b_start INTEGER NOT NULL,
            b_end INTEGER NOT NULL,
            similarity REAL NOT NULL,
            scope TEXT NOT NULL,            -- within | across
            found_at TEXT NOT NULL
        );
        CREATE INDEX passage_pairs_a ON passage_pairs(a_article);
        CREATE INDEX passage_pairs_b ON passage_pairs(b_article);
        CREATE TABLE pair_state (
            pair_id TEXT PRIMARY KEY REFERENCES passage_pairs(id),
            status TEXT NOT NULL,           -- confirmed | rejected
            conflict INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT
        );
        CREATE TABLE duplicate_links (
            -- which pair made a claim/figure a copy of another; a rejected pair's links
            -- stop counting
            pair_id TEXT NOT NULL REFERENCES passage_pairs(id),
            kind TEXT NOT NULL,             -- claim | figure
            copy_id TEXT NOT NULL,
            source_id TEXT NOT NULL,
            PRIMARY KEY (kind, copy_id, pair_id)
        );
        CREATE INDEX duplicate_links_pair ON duplicate_links(pair_id)
        """,
    )


@migrations(name="0003_search")
def m0003_search(db: Database) -> None:
    # Contentless: the article text is already stored; the index holds jieba tokens of
    # the folded (Simplified, lower-case) text, keyed by the article's rowid.
    # A second column holds Han characters one per token, for substring (phrase) queries.
    db.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "tokens, chars, content='', tokenize='unicode61 remove_diacritics 2')"
    )


@migrations(name="0004_recent_duplicate_keys")
def m0004_recent_duplicate_keys(db: Database) -> None:
    # New articles' digests and band keys go here first and are moved into dup_digests
    # and dup_bands many articles at a time (annotator.storage.duplicates.merge_recent):
    # their keys are hashes, so each commit of a large import dirtied pages all over the
    # big tables: at 100,000 articles, a third of what an import wrote.
    _script(
        db,
        """
        CREATE TABLE dup_digests_recent (
            digest INTEGER NOT NULL,
            article_rowid INTEGER NOT NULL,
            PRIMARY KEY (digest, article_rowid)
        ) WITHOUT ROWID;
        CREATE TABLE dup_bands_recent (
            band_key INTEGER NOT NULL,
            article_rowid INTEGER NOT NULL,
            PRIMARY KEY (band_key, article_rowid)
        ) WITHOUT ROWID
        """,
    )


@migrations(name="0005_figures_by_article")
def m0005_figures_by_article(db: Database) -> None:
    # A claim's figures are found through figures_article (its article's figures, a few
    # dozen, filtered by claim): figures_claim was keyed by claim ids, which are hashes,
    # so an import wrote its pages all over the index, 16% of what a large import wrote
    # to the WAL. No claim is ever deleted, the one change that would have to look up
    # its figures by claim alone.
    db.execute("DROP INDEX IF EXISTS figures_claim")
