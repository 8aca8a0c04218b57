"""Syncing a reviewer's database with a hub (annotator.storage.hub): pull what the hub
has and this database lacks, then push what this database has and the hub lacks.

Nothing is taken on trust in either direction, and the checks are the merge's own
(annotator.services.team.merge, annotator.services.merge_checks), run on the same kind of
input: a batch from the hub is written into a scratch database and merged from it, so it
is verified exactly as `annotator merge` verifies a reviewer's file (signatures against
the roster, every field's shape, references, undo chains, article ids against their text,
the clock) and applied in one transaction or not at all. A batch to push is checked the
same way before it is sent: its events and articles go into one scratch database, what
the hub already holds that they depend on (the rosters, the events their undo chains
reach, the articles they are on) into another, and the first is merged into the second;
only if that merge would succeed is the batch inserted, in one hub transaction. So a
client cannot hand the others an event their merge would refuse, and the hub's own
constraints (annotator.storage.hub) refuse malformed rows whoever writes them.

The clock a batch is checked against is the hub's (the team's one clock): an event the
hub accepted is not refused later by a replica whose clock runs slow.

Resumable at any moment: positions (`hub_cursors`) only say where to look next, every
copy is by id and skips what is there, and each batch is one transaction on each side. A
sync killed or cut off is run again and finishes the work.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator

from sqlite_utils import Database

from annotator.services import team
from annotator.services.common import Changes, ReviewError
from annotator.storage import hub as hubstore
from annotator.storage import hub_local as local
from annotator.storage.db import open_db, scratch_settings, self_contained, write_tx

HubError = hubstore.HubError
BATCH_EVENTS = 5_000
BATCH_MEMBERS = 500
Progress = Callable[[str, int], None]


class SyncError(ReviewError):
    """A batch the checks refused; nothing of it was applied or sent."""


@dataclass
class SyncSummary:
    hub: str
    pulled_events: int = 0
    pulled_articles: int = 0
    pushed_events: int = 0
    pushed_articles: int = 0
    unsigned_kept: int = 0  # local events made before signing: never sent
    unrostered: set[str] = field(default_factory=set)
    changes: Changes = field(default_factory=Changes)
    latest: int = 0  # the hub's newest number seen

    def line(self) -> str:
        return (f"synced with {self.hub}: {self.pulled_events} event(s) and "
                f"{self.pulled_articles} article(s) received, {self.pushed_events} event(s) "
                f"and {self.pushed_articles} article(s) sent")


def sync(db: Database, url: str, *, dataset: str | None = None, trust: Iterable[str] = (),
         accept_unsigned: bool = False, lead: str | None = None,
         max_skew: float | None = None, pull: bool = True, push: bool = True,
         batch: int = BATCH_EVENTS, progress: Progress | None = None) -> SyncSummary:
    """Pull, then push. Raises HubError when the hub cannot be reached or is lost (what
    was synced before stays), SyncError when a batch is refused by the checks."""
    summary = SyncSummary(hubstore.safe_url(url))
    conn = hubstore.connect(url)
    try:
        hub_id = hubstore.check_ready(conn, url)
        _check_scope(db, conn, dataset)
        if pull:
            _pull_members(db, conn, hub_id, dataset, summary, progress)
            _pull_events(db, conn, hub_id, dataset, summary, batch, set(trust),
                         accept_unsigned, lead, max_skew, progress)
        if push:
            _push(db, conn, hub_id, dataset, summary, batch, max_skew, progress)
        summary.latest = hubstore.latest(conn)
    except hubstore.driver_errors() as e:
        what = "connection lost" if hubstore.is_connection_lost(e) else "refused"
        raise HubError(f"hub {summary.hub}: {what}: {hubstore.first_line(e)}; what was "
                       "synced before stays, run the sync again to finish") from None
    finally:
        with contextlib.suppress(Exception):
            conn.close()
    return summary


def _check_scope(db: Database, conn, dataset: str | None) -> None:
    if dataset is None:
        return
    if local.datasets(db, [dataset]) or hubstore.datasets(conn, [dataset]):
        return
    raise SyncError(f"dataset {dataset!r} is neither in this database nor on the hub")


# --- scratch databases ---------------------------------------------------------------------

@contextlib.contextmanager
def _scratch() -> Iterator[Path]:
    """A folder for scratch databases, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="annotator-sync-") as folder:
        yield Path(folder)


def _new_scratch(path: Path) -> Database:
    d = open_db(path, check=False)
    scratch_settings(d)
    return d


def _fill(path: Path, *, bundles=None, pairs=None, datasets=(), members=(), events=(),
          base: Path | None = None) -> Path:
    if base is not None:
        src = sqlite3.connect(str(base))
        dst = sqlite3.connect(str(path))
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    d = _new_scratch(path)
    try:
        with write_tx(d):
            local.write_datasets(d, datasets)
            local.write_bundles(d, bundles or {})
            local.write_pairs(d, pairs or {})
            local.write_members(d, members)
            local.write_events(d, events)
        self_contained(d)
    finally:
        d.close()
    return path


def _merge(db: Database, path: Path, what: str, **kw) -> team.MergeSummary:
    try:
        return team.merge(db, path, **kw)
    except team.MergeError as e:
        message = str(e).replace(f" (annotator check --db {path} lists every problem)", "")
        message = message.replace(str(path), what)
        raise SyncError(message) from None


def _close_bundles(bundles: dict[str, dict], fetch) -> dict[str, dict]:
    """Add the articles whose claims and figures these articles' duplicated passages
    point at (a copy's `duplicate_of`), and theirs in turn: a database holding an
    article must hold what it refers to. `fetch(targets)` gives their bundles."""
    while True:
        wanted = local.duplicate_sources(bundles)
        if not wanted:
            return bundles
        more = {aid: b for aid, b in fetch(wanted).items() if aid not in bundles}
        if not more:
            return bundles  # not found anywhere: the merge's check names the row
        bundles.update(more)


def _hub_fetch(db, conn):
    """Bundles of the articles of these targets: this database's copy where it has one
    (the same rows, by their content-hash ids), else the hub's."""
    def fetch(targets):
        ids = hubstore.articles_of_targets(conn, targets) | local.articles_of_targets(
            db, targets)
        mine = local.present(db, "articles", ids)
        out = {aid: local.article_bundle(db, aid) for aid in mine}
        out.update(hubstore.bundles(conn, ids - mine))
        return out
    return fetch


def _local_fetch(db):
    def fetch(targets):
        return {aid: local.article_bundle(db, aid)
                for aid in local.articles_of_targets(db, targets)}
    return fetch


# --- pulling -------------------------------------------------------------------------------

def _pull_members(db, conn, hub_id, dataset, summary, progress) -> None:
    """The hub's articles (and dataset memberships) this database lacks."""
    while True:
        after = local.cursor(db, hub_id, dataset, "pull_members")
        rows = hubstore.members_after(conn, after, BATCH_MEMBERS, dataset)
        if not rows:
            return
        ids = {r[2] for r in rows}
        missing = ids - local.present(db, "articles", ids)
        with _scratch() as folder:
            path = _fill(folder / "hub.db", bundles=_close_bundles(
                             hubstore.bundles(conn, missing), _hub_fetch(db, conn)),
                         pairs=hubstore.pairs_of(conn, missing),
                         datasets=hubstore.datasets(conn, {r[1] for r in rows}),
                         members=[r[1:] for r in rows if r[2] in missing])
            merged = _merge(db, path, f"hub {summary.hub}")
        _count_pull(summary, merged)
        with write_tx(db):
            # articles this database has, put in more datasets on the hub (the merge
            # brought the datasets themselves)
            local.add_members(db, [r[1:3] for r in rows if r[2] not in missing])
            local.set_cursor(db, hub_id, dataset, "pull_members", rows[-1][0])
        if progress:
            progress("articles", summary.pulled_articles)


def _pull_events(db, conn, hub_id, dataset, summary, batch, trust, accept_unsigned, lead,
                 max_skew, progress) -> None:
    while True:
        after = local.cursor(db, hub_id, dataset, "pull_events")
        rows = hubstore.events_after(conn, after, batch, dataset)
        if not rows:
            return
        have = local.present(db, "events", (r[1] for r in rows))
        new = [r[1:] for r in rows if r[1] not in have]
        if new:
            targets = {(r[4], r[5]) for r in new}
            articles = hubstore.articles_of_targets(conn, targets)
            missing = articles - local.present(db, "articles", articles)
            names = {t[1] for t in targets if t[0] == "dataset"}
            members = hubstore.memberships_of(conn, missing)
            names |= {m[0] for m in members}
            pair_articles = hubstore.articles_of_targets(
                conn, {t for t in targets if t[0] == "pair"})
            with _scratch() as folder:
                path = _fill(folder / "hub.db", bundles=_close_bundles(
                                 hubstore.bundles(conn, missing), _hub_fetch(db, conn)),
                             pairs=hubstore.pairs_of(conn, pair_articles | missing),
                             datasets=hubstore.datasets(conn, names), members=members,
                             events=new)
                merged = _merge(db, path, f"hub {summary.hub}", trust=trust,
                                accept_unsigned=accept_unsigned, lead=lead,
                                max_skew=max_skew, now=hubstore.clock(conn))
            _count_pull(summary, merged)
        with write_tx(db):
            local.set_cursor(db, hub_id, dataset, "pull_events", rows[-1][0])
        if progress:
            progress("received", summary.pulled_events)


def _count_pull(summary: SyncSummary, merged: team.MergeSummary) -> None:
    summary.pulled_events += merged.events
    summary.pulled_articles += merged.articles
    summary.unrostered |= set(merged.unrostered)
    summary.changes.update(merged.changes)


# --- pushing -------------------------------------------------------------------------------

def _push(db, conn, hub_id, dataset, summary, batch, max_skew, progress) -> None:
    while True:
        after_events = local.cursor(db, hub_id, dataset, "push_events")
        after_members = local.cursor(db, hub_id, dataset, "push_members")
        event_rows = local.events_after(db, after_events, batch, dataset)
        member_rows = local.members_after(db, after_members, BATCH_MEMBERS, dataset)
        if not event_rows and not member_rows:
            return
        with hubstore.writing(conn):
            sent_events, sent_articles = _push_batch(db, conn, summary, event_rows,
                                                     member_rows, max_skew)
        # after the hub's commit: killed in between, the next push finds them there
        with write_tx(db):
            if event_rows:
                local.set_cursor(db, hub_id, dataset, "push_events", event_rows[-1][0])
            if member_rows:
                local.set_cursor(db, hub_id, dataset, "push_members", member_rows[-1][0])
        summary.pushed_events += sent_events
        summary.pushed_articles += sent_articles
        if progress:
            progress("sent", summary.pushed_events)


def _push_batch(db, conn, summary, event_rows, member_rows, max_skew) -> tuple[int, int]:
    events = [r[1:] for r in event_rows]
    signed = [e for e in events if e[11] is not None]
    summary.unsigned_kept += len(events) - len(signed)
    on_hub = hubstore.present(conn, "events", (e[0] for e in signed))
    out = [e for e in signed if e[0] not in on_hub]
    targets = {(e[4], e[5]) for e in out}
    # the articles the events are on, and those of the memberships to publish
    members = [r[1:] for r in member_rows]
    new_members = set(members_key(members)) - hubstore.present_members(
        conn, members_key(members))
    members = [m for m in members if (m[0], m[1]) in new_members]
    articles = local.articles_of_targets(db, targets) | {m[1] for m in members}
    pair_ids = local.pairs_of_targets(targets)
    pairs = {pid: b for pid in pair_ids if (b := local.pair_bundle(db, pid)) is not None}
    for b in pairs.values():
        articles |= {b["pair"]["a_article"], b["pair"]["b_article"]}
    if not out and not members:
        return 0, 0
    bundles = _close_bundles({aid: local.article_bundle(db, aid) for aid in sorted(articles)},
                             _local_fetch(db))
    articles = set(bundles)  # with the articles their duplicated passages point at
    publish = articles - hubstore.present(conn, "articles", articles)
    all_members = local.memberships_of(db, articles)
    names = local.datasets_of_targets(db, targets) | {m[0] for m in all_members}
    dataset_rows = local.datasets(db, names)
    _check_push(db, conn, summary, out, bundles, pairs, dataset_rows, all_members, members,
                names, max_skew)
    hubstore.insert_datasets(conn, dataset_rows)
    hubstore.insert_articles(conn, {aid: bundles[aid] for aid in sorted(publish)})
    hubstore.insert_pairs(conn, {pid: b for pid, b in pairs.items()
                                 if pid not in hubstore.present(conn, "pairs", [pid])})
    hubstore.insert_members(conn, members)
    hubstore.insert_events(conn, out)
    return len(out), len(publish)


def members_key(members) -> list[tuple[str, str]]:
    return [(m[0], m[1]) for m in members]


def _check_push(db, conn, summary, out, bundles, pairs, dataset_rows, all_members, members,
                names, max_skew) -> None:
    """Refuse (SyncError, nothing sent) a batch the hub's replicas would refuse: merge it
    into a scratch database holding what the hub has that it depends on."""
    refs = {e[9] for e in out if e[9]}
    hub_events = hubstore.roster_events(conn, names) + hubstore.events_by_id(conn, refs)
    rostered = {e[5] for e in hub_events if e[3] == "roster_add"}
    # where the hub has no roster, the first entries pushed start one (as the first
    # `team add` on a database does)
    starters = {e[2] for e in out if e[3] == "roster_add" and e[5] not in rostered}
    with _scratch() as folder:
        base = _fill(folder / "base.db", bundles=bundles, pairs=pairs, datasets=dataset_rows,
                     members=all_members)
        outgoing = _fill(folder / "outgoing.db", events=out, base=base)
        view = _fill(folder / "hubview.db", events=hub_events, base=base)
        target = open_db(view, check=False)
        try:
            _merge(target, outgoing, f"the events to send to hub {summary.hub}",
                   trust=starters, max_skew=max_skew, now=hubstore.clock(conn))
        except SyncError as e:
            reason = str(e).replace("; nothing was merged", "")
            raise SyncError(f"{reason}; the hub refused the batch: nothing was sent") from None
        finally:
            target.close()
