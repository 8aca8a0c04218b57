"""The hub: a PostgreSQL database that reviewers' SQLite databases sync through.

The only module that speaks to PostgreSQL (psycopg 3, the optional extra
`annotator[team]`; imported when a hub is first used, so the rest of annotator works
without it). Its schema is created by named migrations recorded in the hub itself
(`hub_migrations`), as the SQLite schema is (annotator.storage.migrations).

Everything a hub holds is append-only and keyed by content-hash or random ids, and
every row has a number from one sequence (`hub_seq`). All writes take one transaction-
scoped advisory lock (`HUB_LOCK`) before drawing numbers, so numbers are committed in
the order they are drawn and a reader that has seen number N has seen every row below
it: "everything after N" is a complete answer. Rows are checked by constraints where SQL
can say it (shapes, formats, the clock); signatures and rosters are checked by the
sync command before it inserts (annotator.services.sync) and again by every replica
that pulls.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import uuid
from dataclasses import dataclass
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

# The events a replica stores, in this order (annotator.storage.signatures.FIELDS) and
# their signature.
EVENT_COLUMNS = ("id", "at", "reviewer", "action", "target_type", "target_id", "old_state",
                 "new_state", "note", "ref", "batch", "signer_key", "signature")
HUB_LOCK = 0x616E6E6F  # 'anno': every write to the hub holds it until commit
CHANNEL = "annotator_hub"  # NOTIFY with the newest sequence number after each write
CONNECT_TIMEOUT = 5
INSTALL_HINT = "pip install 'annotator[team]'"

ACTIONS = ("confirm", "correct", "flag", "clear", "adjudicate", "undo", "redo",
           "pair_confirm", "pair_reject", "pair_clear", "signoff", "reopen", "set_required",
           "rekey", "roster_add", "accept_unsigned")


class HubError(Exception):
    """A hub that cannot be reached, is not initialised, or refused a write."""


def _driver():
    try:
        import psycopg
    except ImportError:
        raise HubError("a hub needs the PostgreSQL driver psycopg, which is not installed: "
                       f"{INSTALL_HINT}") from None
    return psycopg


def require_driver() -> None:
    """A HubError saying how to install psycopg, if it is missing."""
    _driver()


def safe_url(url: str) -> str:
    """The hub's address without its password (for messages and the status bar)."""
    if not isinstance(url, str):
        return "<no address>"
    url = re.sub(r"^([A-Za-z][\w+.-]*://[^:@/?#]*):[^@/?#]*@", r"\1:***@", url.strip())
    return re.sub(r"(password\s*=\s*)(\S+)", r"\1***", url)


def connect(url: str, *, timeout: float = CONNECT_TIMEOUT):
    """A connection to the hub at `url` (a PostgreSQL URL or key=value string), or a
    HubError naming the address (without its password) and what went wrong."""
    psycopg = _driver()
    if not isinstance(url, str) or not url.strip():
        raise HubError("no hub address given (postgresql://USER@HOST:PORT/DATABASE)")
    where = safe_url(url)
    if "://" in url and urlsplit(url).scheme not in ("postgresql", "postgres"):
        raise HubError(f"hub {where}: not a PostgreSQL address (it must begin with "
                       "postgresql://)")
    try:
        conn = psycopg.connect(url, connect_timeout=max(1, int(timeout)),
                               application_name="annotator", autocommit=True)
    except psycopg.ProgrammingError as e:
        raise HubError(f"hub {where}: not a PostgreSQL address: {first_line(e)}") from None
    except psycopg.OperationalError as e:
        raise HubError(f"hub {where}: cannot connect: {first_line(e)}") from None
    return conn


def first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[-1].strip() if text else type(e).__name__


def driver_errors() -> tuple:
    """The driver's errors that mean the hub went away or refused: a sync stops there."""
    psycopg = _driver()
    return (psycopg.Error,)


def is_connection_lost(e: BaseException) -> bool:
    psycopg = _driver()
    return isinstance(e, psycopg.OperationalError)


# --- the schema ------------------------------------------------------------------------------

_EVENT_CHECKS = f"""
    CHECK (length(id) BETWEEN 1 AND 200),
    CHECK (at ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}\\.[0-9]{{6}}\\+00:00$'),
    CHECK (length(reviewer) BETWEEN 1 AND 200 AND reviewer = btrim(reviewer)),
    CHECK (action IN ({", ".join(f"'{a}'" for a in ACTIONS)})),
    CHECK (target_type IN ('figure', 'pair', 'dataset')),
    CHECK (length(target_id) BETWEEN 1 AND 200),
    CHECK (old_state IS NULL OR jsonb_typeof(old_state::jsonb) = 'object'),
    CHECK (jsonb_typeof(new_state::jsonb) = 'object'),
    CHECK (NOT jsonb_path_exists(new_state::jsonb,
           'strict $.** ? (@.type() == "number" && @.abs() > 1.7976931348623157e308)')),
    CHECK (old_state IS NULL OR NOT jsonb_path_exists(old_state::jsonb,
           'strict $.** ? (@.type() == "number" && @.abs() > 1.7976931348623157e308)')),
    CHECK ((ref IS NULL) = (action NOT IN ('undo', 'redo'))),
    CHECK (length(batch) BETWEEN 1 AND 200),
    CHECK (signer_key ~ '^ed25519:[A-Za-z0-9+/]{{43}}=$'),
    CHECK (signature ~ '^[A-Za-z0-9+/]{{86}}==$')
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_hub", f"""
        CREATE SEQUENCE hub_seq;
        CREATE TABLE hub_meta (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE datasets (
            name text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
            created_at text NOT NULL,
            required_signoffs integer NOT NULL CHECK (required_signoffs >= 1),
            seq bigint NOT NULL DEFAULT nextval('hub_seq')
        );
        -- an article with its boilerplate, claims and figures, as the replica stores them
        CREATE TABLE articles (
            id text PRIMARY KEY CHECK (id ~ '^a-[0-9a-f]{{16}}$'),
            bundle json NOT NULL,
            seq bigint NOT NULL DEFAULT nextval('hub_seq')
        );
        -- which article each figure and duplicate pair belongs to (events name these)
        CREATE TABLE targets (
            target_type text NOT NULL CHECK (target_type IN ('figure', 'claim', 'pair')),
            target_id text NOT NULL,
            article_id text NOT NULL REFERENCES articles(id),
            PRIMARY KEY (target_type, target_id, article_id)
        );
        CREATE INDEX targets_article ON targets(article_id);
        CREATE TABLE pairs (
            id text PRIMARY KEY,
            a_article text NOT NULL REFERENCES articles(id),
            b_article text NOT NULL REFERENCES articles(id),
            bundle json NOT NULL,
            seq bigint NOT NULL DEFAULT nextval('hub_seq')
        );
        CREATE TABLE dataset_articles (
            dataset text NOT NULL REFERENCES datasets(name),
            article_id text NOT NULL REFERENCES articles(id),
            position integer NOT NULL,
            seq bigint NOT NULL DEFAULT nextval('hub_seq'),
            PRIMARY KEY (dataset, article_id)
        );
        CREATE INDEX dataset_articles_seq ON dataset_articles(seq);
        CREATE TABLE events (
            seq bigint PRIMARY KEY DEFAULT nextval('hub_seq'),
            id text NOT NULL UNIQUE,
            at text NOT NULL,
            reviewer text NOT NULL,
            action text NOT NULL,
            target_type text NOT NULL,
            target_id text NOT NULL,
            old_state text,
            new_state text NOT NULL,
            note text,
            ref text,
            batch text NOT NULL,
            signer_key text NOT NULL,
            signature text NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            {_EVENT_CHECKS}
        );
        CREATE INDEX events_target ON events(target_type, target_id);
        -- an event dated more than the allowed skew ahead of the hub's clock is refused
        -- (the same rule a merge applies with the merging machine's clock)
        CREATE FUNCTION hub_refuse_future() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            skew interval := coalesce((SELECT value FROM hub_meta WHERE key = 'max_skew_minutes'),
                                      '10')::numeric * interval '1 minute';
        BEGIN
            IF NEW.at > to_char((now() + skew) AT TIME ZONE 'UTC',
                                'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') THEN
                RAISE EXCEPTION 'event % is dated %, more than % ahead of the hub''s clock',
                    NEW.id, NEW.at, skew USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER events_not_future BEFORE INSERT ON events
            FOR EACH ROW EXECUTE FUNCTION hub_refuse_future();
        -- nothing on a hub is changed or removed
        CREATE FUNCTION hub_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the hub is append-only: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'check_violation';
        END $$;
        CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION hub_append_only();
        CREATE TRIGGER articles_append_only BEFORE UPDATE OR DELETE ON articles
            FOR EACH ROW EXECUTE FUNCTION hub_append_only()
    """),
]


def _applied(conn) -> list[str]:
    exists = conn.execute("SELECT to_regclass('hub_migrations') IS NOT NULL").fetchone()[0]
    if not exists:
        return []
    return [r[0] for r in conn.execute("SELECT name FROM hub_migrations ORDER BY name")]


def init(url: str) -> list[str]:
    """Create the hub's schema, or bring it up to date: the names of the migrations
    applied (none when it was current). One transaction: a failure leaves it as it was."""
    conn = connect(url)
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [HUB_LOCK])
            conn.execute("CREATE TABLE IF NOT EXISTS hub_migrations ("
                         "name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            done = set(_applied(conn))
            applied = []
            for name, sql in MIGRATIONS:
                if name in done:
                    continue
                conn.execute(sql)
                conn.execute("INSERT INTO hub_migrations(name) VALUES (%s)", [name])
                applied.append(name)
            conn.execute("INSERT INTO hub_meta(key, value) VALUES ('id', %s), "
                         "('created_at', now()::text) ON CONFLICT (key) DO NOTHING",
                         [uuid.uuid4().hex])
        return applied
    except _driver().Error as e:
        raise HubError(f"hub {safe_url(url)}: cannot create its schema: {first_line(e)}") \
            from None
    finally:
        conn.close()


def check_ready(conn, url: str) -> str:
    """The hub's id; a HubError if its schema is missing or not this version's."""
    applied = _applied(conn)
    wanted = [name for name, _ in MIGRATIONS]
    if not applied:
        raise HubError(f"hub {safe_url(url)} is not initialised: run annotator hub init URL")
    if set(applied) - set(wanted):
        raise HubError(f"hub {safe_url(url)} was set up by a newer annotator "
                       f"(schema {applied[-1]}); upgrade annotator to sync with it")
    if applied != wanted:
        raise HubError(f"hub {safe_url(url)} has an older schema ({applied[-1]}): run "
                       "annotator hub init URL to upgrade it")
    return conn.execute("SELECT value FROM hub_meta WHERE key = 'id'").fetchone()[0]


@dataclass
class Status:
    url: str
    hub_id: str
    migrations: list[str]
    events: int
    articles: int
    datasets: list[str]
    reviewers: list[str]
    last_event: str | None
    latest: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def status(url: str) -> Status:
    conn = connect(url)
    try:
        hub_id = check_ready(conn, url)
        count = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return Status(
            url=safe_url(url), hub_id=hub_id, migrations=_applied(conn),
            events=count("SELECT count(*) FROM events"),
            articles=count("SELECT count(*) FROM articles"),
            datasets=[r[0] for r in conn.execute("SELECT name FROM datasets ORDER BY name")],
            reviewers=[r[0] for r in conn.execute(
                "SELECT DISTINCT reviewer FROM events ORDER BY reviewer")],
            last_event=count("SELECT max(at) FROM events"),
            latest=latest(conn))
    finally:
        conn.close()


def listen(url: str):
    """A connection listening for the hub's notifications (one after each write, with
    the newest sequence number): iterate `conn.notifies(timeout=...)`."""
    conn = connect(url)
    try:
        check_ready(conn, url)
        conn.execute(f"LISTEN {CHANNEL}")
    except BaseException:
        conn.close()
        raise
    return conn


# --- reading ---------------------------------------------------------------------------------

def latest(conn) -> int:
    return conn.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM hub_seq"
                        ).fetchone()[0]


def clock(conn) -> _dt.datetime:
    return conn.execute("SELECT now()").fetchone()[0].astimezone(_dt.timezone.utc)


_IN_DATASET = ("(%(dataset)s::text IS NULL OR (e.target_type = 'dataset' AND e.target_id = "
               "%(dataset)s) OR EXISTS (SELECT 1 FROM targets t JOIN dataset_articles da ON "
               "da.article_id = t.article_id WHERE t.target_type = e.target_type AND "
               "t.target_id = e.target_id AND da.dataset = %(dataset)s))")


def events_after(conn, after: int, limit: int, dataset: str | None) -> list[tuple]:
    """(seq, *EVENT_COLUMNS) of the events numbered after `after`, in number order."""
    cols = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    return conn.execute(
        f"SELECT e.seq, {cols} FROM events e WHERE e.seq > %(after)s AND {_IN_DATASET} "
        "ORDER BY e.seq LIMIT %(limit)s",
        {"after": after, "limit": limit, "dataset": dataset}).fetchall()


def members_after(conn, after: int, limit: int, dataset: str | None) -> list[tuple]:
    """(seq, dataset, article_id, position) of the memberships numbered after `after`."""
    return conn.execute(
        "SELECT seq, dataset, article_id, position FROM dataset_articles WHERE seq > %s AND "
        "(%s::text IS NULL OR dataset = %s) ORDER BY seq LIMIT %s",
        [after, dataset, dataset, limit]).fetchall()


def datasets(conn, names: Iterable[str] | None = None) -> list[tuple]:
    """(name, created_at, required_signoffs) of these datasets (all if None)."""
    if names is None:
        return conn.execute("SELECT name, created_at, required_signoffs FROM datasets "
                            "ORDER BY name").fetchall()
    return conn.execute("SELECT name, created_at, required_signoffs FROM datasets WHERE "
                        "name = ANY(%s) ORDER BY name", [sorted(set(names))]).fetchall()


def bundles(conn, article_ids: Iterable[str]) -> dict[str, dict]:
    ids = sorted(set(article_ids))
    return {aid: b for aid, b in conn.execute(
        "SELECT id, bundle FROM articles WHERE id = ANY(%s)", [ids])} if ids else {}


def pairs_of(conn, article_ids: Iterable[str]) -> dict[str, dict]:
    """The duplicate pairs with both articles among these (or on the hub)."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    return {pid: b for pid, b in conn.execute(
        "SELECT id, bundle FROM pairs WHERE a_article = ANY(%s) OR b_article = ANY(%s)",
        [ids, ids])}


def articles_of_targets(conn, targets: Iterable[tuple[str, str]]) -> set[str]:
    """The articles of these (figure, claim or pair, id) targets."""
    targets = sorted({t for t in targets if t[0] in ("figure", "claim", "pair")})
    if not targets:
        return set()
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT t.article_id FROM targets t JOIN unnest(%s::text[], %s::text[]) "
        "AS w(tt, ti) ON t.target_type = w.tt AND t.target_id = w.ti",
        [[t[0] for t in targets], [t[1] for t in targets]])}


def memberships_of(conn, article_ids: Iterable[str]) -> list[tuple]:
    ids = sorted(set(article_ids))
    return conn.execute("SELECT dataset, article_id, position FROM dataset_articles WHERE "
                        "article_id = ANY(%s) ORDER BY dataset, position", [ids]).fetchall() \
        if ids else []


def present(conn, table: str, ids: Iterable[str]) -> set[str]:
    """Which of these ids the hub's `table` (events, articles, pairs) has."""
    assert table in ("events", "articles", "pairs")
    ids = list(set(ids))
    out: set[str] = set()
    for i in range(0, len(ids), 10_000):
        out.update(r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE id = ANY(%s)",
                                              [ids[i:i + 10_000]]))
    return out


def present_members(conn, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    pairs = list(set(pairs))
    if not pairs:
        return set()
    return {(d, a) for d, a in conn.execute(
        "SELECT m.dataset, m.article_id FROM dataset_articles m JOIN unnest(%s::text[], "
        "%s::text[]) AS w(d, a) ON m.dataset = w.d AND m.article_id = w.a",
        [[p[0] for p in pairs], [p[1] for p in pairs]])}


def roster_events(conn, names: Iterable[str]) -> list[tuple]:
    """EVENT_COLUMNS of the roster entries of these datasets."""
    return conn.execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE action = 'roster_add' AND "
        "target_type = 'dataset' AND target_id = ANY(%s) ORDER BY seq",
        [sorted(set(names))]).fetchall()


def events_by_id(conn, ids: Iterable[str]) -> list[tuple]:
    """EVENT_COLUMNS of these events and of every event their undo/redo chains reach."""
    ids = sorted(set(ids))
    if not ids:
        return []
    cols = ", ".join(EVENT_COLUMNS)
    return conn.execute(
        f"WITH RECURSIVE chain AS (SELECT {cols} FROM events WHERE id = ANY(%s) "
        f"UNION SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM events e JOIN chain "
        "c ON e.id = c.ref) SELECT * FROM chain", [ids]).fetchall()


# --- writing (inside `writing(conn)`) ---------------------------------------------------------

class writing:
    """One write transaction holding the hub's lock; notifies listeners on commit."""

    def __init__(self, conn):
        self.conn = conn
        self._tx = None

    def __enter__(self):
        self._tx = self.conn.transaction()
        self._tx.__enter__()
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [HUB_LOCK])
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.execute("SELECT pg_notify(%s, (SELECT last_value FROM hub_seq)::text)",
                              [CHANNEL])
        return self._tx.__exit__(exc_type, exc, tb)


def insert_datasets(conn, rows: Sequence[tuple]) -> int:
    n = 0
    for name, created_at, required in rows:
        n += conn.execute("INSERT INTO datasets(name, created_at, required_signoffs) VALUES "
                          "(%s, %s, %s) ON CONFLICT (name) DO NOTHING",
                          [name, created_at, required]).rowcount
    return n


def insert_articles(conn, bundles_by_id: dict[str, dict]) -> int:
    n = 0
    with conn.cursor() as cur:
        for aid, bundle in bundles_by_id.items():
            cur.execute("INSERT INTO articles(id, bundle) VALUES (%s, %s) "
                        "ON CONFLICT (id) DO NOTHING", [aid, json.dumps(bundle,
                                                                        ensure_ascii=False)])
            if not cur.rowcount:
                continue
            n += 1
            for kind, part in (("figure", "figures"), ("claim", "claims")):
                ids = [row["id"] for row in bundle.get(part, [])]
                if ids:
                    cur.execute("INSERT INTO targets(target_type, target_id, article_id) "
                                "SELECT %s, f, %s FROM unnest(%s::text[]) f "
                                "ON CONFLICT DO NOTHING", [kind, aid, ids])
    return n


def insert_pairs(conn, pairs: dict[str, dict]) -> int:
    n = 0
    for pid, bundle in pairs.items():
        pair = bundle["pair"]
        got = conn.execute("INSERT INTO pairs(id, a_article, b_article, bundle) VALUES "
                           "(%s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                           [pid, pair["a_article"], pair["b_article"],
                            json.dumps(bundle, ensure_ascii=False)]).rowcount
        if got:
            n += 1
            for aid in {pair["a_article"], pair["b_article"]}:
                conn.execute("INSERT INTO targets VALUES ('pair', %s, %s) "
                             "ON CONFLICT DO NOTHING", [pid, aid])
    return n


def insert_members(conn, rows: Sequence[tuple]) -> int:
    n = 0
    for dataset, article_id, position in rows:
        n += conn.execute(
            "INSERT INTO dataset_articles(dataset, article_id, position) VALUES (%s, %s, "
            "coalesce((SELECT max(position) FROM dataset_articles WHERE dataset = %s), 0) + 1) "
            "ON CONFLICT DO NOTHING", [dataset, article_id, dataset]).rowcount
    return n


def insert_events(conn, rows: Sequence[Sequence]) -> int:
    """Insert events (EVENT_COLUMNS), skipping ones the hub has."""
    if not rows:
        return 0
    marks = ", ".join(["%s"] * len(EVENT_COLUMNS))
    with conn.cursor() as cur:
        cur.executemany(f"INSERT INTO events({', '.join(EVENT_COLUMNS)}) VALUES ({marks}) "
                        "ON CONFLICT (id) DO NOTHING", [list(r) for r in rows])
    return len(rows)


def hub_id_of(conn) -> str:
    """The id a hub was set up with, on a connection to it."""
    return conn.execute("SELECT value FROM hub_meta WHERE key = 'id'").fetchone()[0]
