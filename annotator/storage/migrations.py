"""Named schema migrations, recorded in the database by sqlite-utils.

Append new migrations at the end; never edit one that has shipped. `storage.db` applies
the pending ones under one write transaction, each as a savepoint together with the
record of it having been applied: a failure leaves the database as it was before the
first of them (with the backup copy written beside it).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from annotator.storage import reviews, signoffs
from annotator.storage.errors import StorageError

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


@migrations(name="0006_article_prefixed_ids")
def m0006_article_prefixed_ids(db: Database) -> None:
    # Claim and figure ids were "c-"/"f-" and 16 hex digits of their own hash, so every
    # claim and figure an import stored landed on its own page of each id index: at
    # 100,000 articles, two fifths of what an import wrote. They now begin with 8 hex
    # digits of their article's id, then the first 12 of the same hash (what
    # annotator.storage.articles gives a new article), and every reference follows.
    # Foreign keys are not enforced while migrations run (annotator.storage.db checks
    # them afterwards): a claim's figures are not indexed by claim (0005).
    signed = _signed_datasets(db)
    # only a dataset whose content still hashes as its signatures say has any to carry
    before = {name: h for name in signed if (h := _content_hash(db, name)) in signed[name]}
    claim, figure = _renamed("id", "c"), _renamed("id", "f")
    # the renamed ids go into the id indexes in article order: without a large cache,
    # SQLite spilled and read back their pages (2 MB: 72 s for 100,000 articles)
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{_RENAME_CACHE_KIB}")
    _script(
        db,
        f"""
        CREATE TEMP TABLE claim_ids (old TEXT PRIMARY KEY, new TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO claim_ids SELECT id, {claim} FROM claims ORDER BY id;
        CREATE TEMP TABLE figure_ids (old TEXT PRIMARY KEY, new TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO figure_ids SELECT id, {figure} FROM figures ORDER BY id;
        UPDATE claims SET
            id = {claim},
            duplicate_of = (SELECT new FROM claim_ids WHERE old = claims.duplicate_of);
        UPDATE figures SET
            id = {figure},
            claim_id = {_renamed("claim_id", "c")},
            link_id = (SELECT new FROM figure_ids WHERE old = figures.link_id),
            duplicate_of = (SELECT new FROM figure_ids WHERE old = figures.duplicate_of);
        UPDATE figure_state SET
            figure_id = (SELECT new FROM figure_ids WHERE old = figure_state.figure_id),
            inherited_from = (SELECT new FROM figure_ids WHERE old = figure_state.inherited_from);
        UPDATE events SET target_id = (SELECT new FROM figure_ids WHERE old = events.target_id)
            WHERE target_type = 'figure' AND target_id IN (SELECT old FROM figure_ids);
        UPDATE duplicate_links SET
            copy_id = (SELECT new FROM claim_ids WHERE old = copy_id),
            source_id = (SELECT new FROM claim_ids WHERE old = source_id)
            WHERE kind = 'claim';
        UPDATE duplicate_links SET
            copy_id = (SELECT new FROM figure_ids WHERE old = copy_id),
            source_id = (SELECT new FROM figure_ids WHERE old = source_id)
            WHERE kind = 'figure';
        DROP TABLE claim_ids;
        DROP TABLE figure_ids
        """,
    )
    db.execute(f"PRAGMA cache_size = {cache}")
    _carry_signatures(db, before)


_RENAME_CACHE_KIB = 256 * 1024


def _renamed(column: str, prefix: str) -> str:
    """SQL for the new form of an id in the old form ("c-" and 16 hex digits) of a row's
    own article; any other id (already renamed) stays as it is."""
    return (f"CASE WHEN length({column}) = 18 THEN '{prefix}-' || substr(article_id, 3, 8) "
            f"|| substr({column}, 3, 12) ELSE {column} END")


def _signed_datasets(db: Database) -> dict[str, set[str]]:
    """Each dataset with signatures since its last reopen: the hashes they were made over."""
    out = {}
    for name in signoffs.signed_datasets(db):
        hashes = {s.get("hash") for s in signoffs.signoff_state(db, name).signatures}
        if hashes:
            out[name] = hashes
    return out


# The content hash sign-offs compute is the sign-off service's definition (over the
# export's records: annotator.services.signoff.content_hash), and storage imports no
# service: the services package hands it over when it is imported (use_content_hash).
ContentHash = Callable[[Database, str], str]
_content_hasher: list[ContentHash] = []


def use_content_hash(fn: ContentHash) -> None:
    """The function migration 0006 hashes a signed dataset's content with."""
    _content_hasher[:] = [fn]


def _content_hash(db: Database, dataset: str) -> str | None:
    """The dataset's content hash as sign-offs compute it (None if it cannot be)."""
    # A signature made over the old ids must go on counting for the same content under
    # the new ones. A later version whose export no longer reads this schema cannot
    # compute it: those signatures then no longer match, and the dataset is signed again
    # (nothing is lost).
    if not _content_hasher:
        raise StorageError(
            "migration 0006 renames the ids of signed datasets and needs their content "
            "hash: open the database through annotator's commands or the window "
            "(import annotator.services first)")
    try:
        return _content_hasher[0](db, dataset)
    except Exception:  # noqa: BLE001 - see above
        return None


def _carry_signatures(db: Database, before: dict[str, str]) -> None:
    """Record, for each dataset whose content matched its signatures, that its content
    hash under the new ids is the same content (a `rekey` event, which
    annotator.storage.signoffs applies to the signatures before it)."""
    for name, old in before.items():
        new = _content_hash(db, name)
        if new is None or new == old:
            continue
        reviews.append_event(
            db, reviewer="annotator", action="rekey", target_type="dataset", target_id=name,
            old_state={"hash": old}, new_state={"hash": new},
            note="claim and figure ids renamed (migration 0006_article_prefixed_ids): "
                 "the same content under its new ids",
            batch=reviews.new_batch())


@migrations(name="0007_signed_events")
def m0007_signed_events(db: Database) -> None:
    # Each event is signed by its reviewer's Ed25519 key (annotator.storage.signatures):
    # the public key and the signature over every other field of the row. NULL in both:
    # an event written before this (or by annotator itself), which is unsigned.
    _script(
        db,
        """
        ALTER TABLE events ADD COLUMN signer_key TEXT;
        ALTER TABLE events ADD COLUMN signature TEXT
        """,
    )


@migrations(name="0008_figure_reading")
def m0008_figure_reading(db: Database) -> None:
    # How the engine read each figure (annotator.text.figures.reading): the steps from
    # its surface to its value, unit and currency. NULL for a figure stored before this,
    # until `annotator reanalyse` reads its article again.
    # figure_rereads: a reviewed figure that `annotator reanalyse` read differently (or
    # no longer found), with the reading its reviewers saw and the new one. It is open
    # while no review event on the figure is newer than `at`: an open one puts the figure
    # back in front of reviewers (annotator.services.reanalyse, ADR 0011).
    _script(
        db,
        """
        ALTER TABLE figures ADD COLUMN reading TEXT;
        CREATE TABLE figure_rereads (
            figure_id TEXT PRIMARY KEY REFERENCES figures(id),
            at TEXT NOT NULL,
            old_text TEXT NOT NULL,
            old_value REAL,
            old_value_max REAL,
            old_unit TEXT,
            old_currency TEXT,
            old_reading TEXT,
            gone INTEGER NOT NULL DEFAULT 0,   -- 1: the engine no longer finds this figure
            new_text TEXT,
            new_value REAL,
            new_value_max REAL,
            new_unit TEXT,
            new_currency TEXT,
            new_reading TEXT
        )
        """,
    )


@migrations(name="0009_hub_cursors")
def m0009_hub_cursors(db: Database) -> None:
    # How far this database has synced with each hub (annotator.services.sync): per hub
    # id (not its address, which may change) and scope (a dataset, or '*' for all), the
    # last hub sequence number pulled and the last local rowid pushed, of events and of
    # dataset memberships. Positions only save work: every copy is by id and idempotent.
    _script(
        db,
        """
        CREATE TABLE hub_cursors (
            hub TEXT NOT NULL,
            scope TEXT NOT NULL,
            kind TEXT NOT NULL,             -- pull_events | pull_members | push_events | push_members
            position INTEGER NOT NULL,
            PRIMARY KEY (hub, scope, kind)
        )
        """,
    )
