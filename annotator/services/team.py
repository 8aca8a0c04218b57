"""Bringing reviewers' work together: merge, conflicts, adjudication by picking a
reviewer's decision, agreement, and the per-dataset overview the window shows.

Merging copies events, never derived state: the events are the truth and the state is
recomputed from them (docs/adr/0003-review-events.md). Article, claim and figure ids are
content hashes, so the same files imported on two machines name the same figures.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterable

from sqlite_utils import Database

from annotator.services.export.records import one_line
from annotator.services import agreement as agreement_stats
from annotator.services import identity, integrity, merge_checks, signoff
from annotator.services.common import Changes, ReviewError, check_unlocked, reviewer_name
from annotator.services.review import figure_ids_of
from annotator.services.stats import dataset_stats
from annotator.storage import articles as repo
from annotator.storage import duplicates as dup_store
from annotator.storage import merging, queries
from annotator.storage import reviews as rv
from annotator.storage import search as search_store
from annotator.storage import signatures as sig
from annotator.storage.db import StorageError, check_integrity, check_opened, check_version, \
    is_database_file, open_read_only, write_tx
from annotator.storage.migrations import migrations
from annotator.storage.reviews import dataset_figure_events
from annotator.storage.states import refresh_figures, refresh_pairs

Progress = Callable[[int, int], None]


MergeError = merge_checks.MergeError


# --- reading a dataset's figures and their events -------------------------------------

def require_dataset(db: Database, dataset: str | None) -> None:
    if dataset is not None and (problem := repo.unknown_dataset(db, dataset)):
        raise ReviewError(problem)


# --- merge ------------------------------------------------------------------------------

@dataclass
class MergeSummary:
    source: str
    events: int = 0
    datasets: int = 0
    articles: int = 0
    claims: int = 0
    figures: int = 0
    memberships: int = 0
    pairs: int = 0
    article_ids: list[str] = field(default_factory=list)  # copied in (index them for search)
    unknown_targets: int = 0  # events on figures this database does not have
    conflicts: list[str] = field(default_factory=list)  # touched figures now in conflict
    changed_signed: list[str] = field(default_factory=list)  # signed-off, content changed
    unsigned: int = 0  # events taken unsigned (--accept-unsigned)
    trusted: list[str] = field(default_factory=list)  # "name in dataset" put on rosters
    unrostered: list[str] = field(default_factory=list)  # datasets of new events, no roster
    changes: Changes = field(default_factory=Changes)

    def line(self) -> str:
        return (f"merged {self.source}: {self.events} new event(s), {self.articles} "
                f"article(s), {self.claims} claim(s), {self.figures} figure(s), "
                f"{self.pairs} duplicate pair(s), "
                f"{self.memberships} dataset membership(s) added; "
                f"{len(self.changes.figures)} figure(s) updated, "
                f"{len(self.conflicts)} in conflict")


def open_other(path: str | Path, db: Database | None = None, *, check_events: bool = False,
               max_skew: float | None = None, now=None) -> Database:
    """Open another database read-only; refuse damaged, foreign or other-version files,
    one whose tables are not the tables this version makes (a view, a missing table),
    and one whose articles no longer match their ids (see _verify_source).

    With `check_events`, also refuse it if any of its events that `db` lacks (all of
    them when `db` is None, for a merge into a database that does not exist yet) is one
    annotator would not have written (annotator.services.merge_checks). Every read of
    the file while it is checked runs under a deadline."""
    p = Path(path)
    if not p.is_file():
        raise MergeError(f"{p}: no such database file")
    skew = merge_checks.max_skew_minutes(max_skew)
    try:
        other = open_read_only(p)
    except sqlite3.Error as e:
        raise MergeError(f"{p}: cannot open database: {e}") from e
    conn = other.conn
    try:
        with merge_checks.bounded(conn, p, merge_checks.deadline_for(p)):
            check_opened(conn, p)  # through SQLite: never a plain open() of a database file
            merge_checks.check_tables(other, p)
            check_integrity(other, p)
            check_version(other, p)
            if migrations.pending(other):
                raise MergeError(f"{p}: written by an older annotator; open it once with this "
                                 f"version (e.g. annotator stats --db {p}) to upgrade it, "
                                 "then merge")
            _verify_source(other, p)
            if check_events:
                merge_checks.check_source(other, db, p, max_skew=skew, now=now)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise MergeError(f"{p}: not a usable annotator database: {one_line(e)}") from e
    except (StorageError, MergeError) as e:
        conn.close()
        if "\n" in str(e):  # SQLite's integrity report is one problem a line
            raise type(e)(one_line(e, limit=400)) from e
        raise
    except BaseException:
        conn.close()
        raise
    return other


def _verify_source(other: Database, p: Path) -> None:
    """Refuse a database holding an article whose text no longer hashes to its id, or a
    claim or figure whose offsets no longer select its text or whose id does not fit
    them, or one that fails SQLite's full integrity check (which also compares every
    index with its table: the copy reads through them). Merged under its genuine id, a
    changed text would stand for the original everywhere: importing the original file
    afterwards finds its id present and adds nothing. Checked before anything is copied:
    3,000 articles (a 55 MB file) take 0.5-0.8 s, integrity check included, of a merge
    of 9-13 s."""
    problem = integrity.first_problem(other)
    if problem is not None:
        raise MergeError(f"{p}: {problem.line()}; nothing was merged (annotator check "
                         f"--db {p} lists every problem)")


def merge(db: Database, other_path: str | Path, *,
          progress: Progress | None = None, max_skew: float | None = None,
          now=None, trust: Iterable[str] = (), accept_unsigned: bool = False,
          lead: str | None = None) -> MergeSummary:
    """Copy in another database's events, and the articles it has that this one lacks.

    One transaction, which also adds the copied articles to the search and duplicate
    indexes: a failure leaves this database as it was, and a merge killed after its
    commit leaves nothing unindexed. Merging the same file twice changes nothing the
    second time. Refused as a whole, before anything is written, when the other database
    holds an event annotator would not have written or one dated more than `max_skew`
    minutes (default 10, or $ANNOTATOR_MAX_SKEW) ahead of this machine's clock `now`
    (annotator.services.merge_checks). The indexes' analysis of the articles to copy (the slow part) is done
    before the write lock is taken, so the window's decisions wait only for the writes.

    Signatures: every new signed event must verify. Where a dataset has a roster here,
    each new event on it must be signed with its reviewer's roster key; a reviewer not
    on it is refused unless named in `trust`, which puts them on with the key they
    signed with, by `lead` (annotator.services.identity); an unsigned event is taken
    only with `accept_unsigned`, which `lead` records on the dataset.
    """
    if is_database_file(db, other_path):
        raise MergeError("cannot merge a database into itself")
    other = open_other(other_path, db, check_events=True, max_skew=max_skew, now=now)
    summary = MergeSummary(str(other_path))
    trust = {t.strip() for t in trust}
    steps = 5
    try:
        _tick(progress, 0, steps)
        analysed = _analyse_missing(db, other)
        with write_tx(db):
            # claims and figures may point at a duplicate copied later in the same merge
            merging.defer_foreign_keys(db)
            _tick(progress, 1, steps)
            vetted = _check_rosters(db, other, Path(other_path), trust, lead,
                                    accept_unsigned, summary)
            summary.datasets = merging.copy_datasets(db, other)
            copied = _copy_articles(db, other, summary)
            pairs = merging.copy_pairs(db, other)
            summary.pairs = len(pairs)
            _tick(progress, 2, steps)
            summary.memberships = merging.copy_memberships(db, other)
            targets = _copy_events(db, other, summary)
            _record_trust(db, vetted, lead, summary, Path(other_path).name)
            _tick(progress, 3, steps)
            _refresh(db, summary, targets, copied, pairs)
            _index_copied(db, summary, analysed)
            summary.conflicts = _in_conflict(db, summary)
            _tick(progress, 4, steps)
            summary.changed_signed = _signed_but_changed(db, summary)
    except sqlite3.DatabaseError as e:
        raise MergeError(f"merging {other_path} failed: {one_line(e)}; nothing was "
                         "merged") from e
    finally:
        other.conn.close()
    if summary.articles or summary.events:
        merging.update_statistics(db)
    _tick(progress, steps, steps)
    return summary


# The index entries of the articles to copy are computed before the write lock is taken
# for at most this many characters of their text (the synthetic corpus's 3,000 articles
# are 8 M characters and give 15 M characters of tokens); those of the rest of a larger
# merge are computed under the lock, as they come.
ANALYSE_AHEAD_CHARS = 20_000_000


@dataclass
class _Analysed:
    """What the search and duplicate indexes need of an article to copy."""

    tokens: str
    chars: str
    sketch: object
    units: Callable[[], list]


def _analyse_missing(db: Database, other: Database) -> dict[str, _Analysed]:
    """The index entries of the other's articles this database lacks, computed outside
    any transaction (pure functions of the text and its boilerplate; an article that
    arrives meanwhile by another route is simply not copied)."""
    out: dict[str, _Analysed] = {}
    budget = ANALYSE_AHEAD_CHARS
    for art in merging.articles_with_text(other):
        if budget <= 0:
            break
        if repo.article_exists(db, art.id):
            continue
        boilerplate = tuple(repo.get_boilerplate(other, art.id))
        out[art.id] = _analyse(art.text, art.language, art.script, boilerplate)
        budget -= len(art.text)
    return out


def _analyse(text: str, language: str | None, script: str | None,
             boilerplate: tuple) -> _Analysed:
    # loaded when a merge brings new articles: the text analysis and the duplicate
    # finder (numpy) cost a window that only shows the team views half a second to load
    from annotator.storage.duplicate_finder import units_for_text
    from annotator.text import duplicates as dups
    from annotator.text.pipeline import index_chars, index_tokens

    units = units_for_text(text, boilerplate)
    return _Analysed(index_tokens(text, language or "und", script), index_chars(text, script),
                     dups.sketch(units), lambda: units_for_text(text, boilerplate))


def _index_copied(db: Database, summary: MergeSummary, analysed: dict[str, _Analysed]) -> None:
    """Add the copied articles to the search and duplicate indexes, in the merge's
    transaction and in the order they were copied (the order an import would have
    indexed them in, so the first copy of a repeated passage stays `a`)."""
    if not summary.article_ids:
        return
    from annotator.storage import duplicate_finder as duplicates  # as in _analyse

    cache = duplicates.IndexCache(expected=len(summary.article_ids))
    cache.check(db)
    for n, aid in enumerate(summary.article_ids, 1):
        rowid = dup_store.article_rowid(db, aid)
        entry = analysed.pop(aid, None)
        if entry is None:
            art = repo.get_article(db, aid)
            entry = _analyse(art.text, art.language, art.script,
                             tuple(repo.get_boilerplate(db, aid)))
        if not search_store.in_search_index(db, rowid):
            search_store.add_index_terms(db, rowid, entry.tokens, entry.chars)
        duplicates.index_article(db, aid, entry.sketch, entry.units, summary.changes,
                                 rowid=rowid, cache=cache)
        if n % duplicates.INDEX_BATCH == 0:
            duplicates.settle_index(db)
    duplicates.settle_index(db)


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress:
        progress(done, total)


def _copy_articles(db: Database, other: Database, summary: MergeSummary) -> set[str]:
    """Copy articles missing here with their boilerplate, claims and figures; returns
    the ids of the figures copied."""
    copied = merging.copy_articles(db, other)
    summary.articles += copied.articles
    summary.claims += copied.claims
    summary.figures += copied.figures
    summary.article_ids += copied.article_ids
    return copied.figure_ids


def _copy_events(db: Database, other: Database, summary: MergeSummary) -> dict[str, set[str]]:
    copied = merging.copy_events(db, other)
    summary.events += copied.events
    return copied.targets


@dataclass
class _Vetted:
    trust: dict = field(default_factory=dict)  # (dataset, name) -> key to put on the roster
    unsigned: dict = field(default_factory=dict)  # dataset -> unsigned events taken on it
    unsigned_total: int = 0


def _check_rosters(db: Database, other: Database, p: Path, trust: set[str],
                   lead: str | None, accept_unsigned: bool,
                   summary: MergeSummary) -> _Vetted:
    """Refuse the merge (MergeError, nothing written) if a new event of the other
    database is, on a dataset with a roster here, by a name the roster gives another key,
    by a reviewer not on it and not in `trust`, or unsigned without `accept_unsigned`;
    or is a roster entry that does not count on top of this roster (where there is no
    roster here, one comes in only from a first lead named in `trust`). On a dataset without a roster names are not authenticated: its events,
    signed or not, come in as before (signatures still have to verify)."""
    out = _Vetted()
    rosters: dict[str, dict] = {}
    scope: dict[tuple, set[str]] = {}
    unrostered: set[str] = set()
    for event in rv.all_signed_events(other):
        eid, at, reviewer, action = event.id, event.at, event.reviewer, event.action
        ttype, tid, key = event.target_type, event.target_id, event.signer_key
        if rv.event_exists(db, eid):
            continue
        out.unsigned_total += key is None
        target = (ttype, tid)
        if target not in scope:
            scope[target] = _datasets_of(db, other, ttype, tid)
        for dataset in sorted(scope[target]):
            if dataset not in rosters:
                rosters[dataset] = identity.roster_all(db, dataset)
            members = rosters[dataset]
            if key is None:
                if not members:
                    unrostered.add(dataset)
                elif not accept_unsigned:
                    raise MergeError(
                        f"{p}: event {eid} by {reviewer!r} is not signed (written before "
                        f"annotator signed events) and dataset {dataset!r} has a roster; "
                        "merge with --accept-unsigned to take unsigned events; nothing was "
                        "merged")
                else:
                    out.unsigned[dataset] = out.unsigned.get(dataset, 0) + 1
                continue
            if action in identity.ROSTER_ACTIONS:
                # a roster comes in only on top of this one, or, where there is none
                # here, when the lead trusts the one who started it
                if not members and reviewer not in trust:
                    problem = (f"is a roster entry for dataset {dataset!r}, which has no "
                               f"roster here; merge with --trust {reviewer} to take "
                               f"{reviewer!r}'s roster")
                else:
                    problem = identity.replay(members, event, dataset)
                if problem:
                    raise MergeError(f"{p}: event {eid} {problem}; nothing was merged")
                continue
            if not members:
                unrostered.add(dataset)
                continue
            member = members.get(reviewer)
            problem = member.problem(key, at) if member is not None else None
            if problem == "another key":
                raise MergeError(
                    f"{p}: event {eid} is signed as {reviewer!r} with key "
                    f"{sig.fingerprint(key)}, but the roster of dataset {dataset!r} gives "
                    f"{reviewer!r} the key {member.fingerprint}; nothing was merged")
            if problem is not None:
                raise MergeError(f"{p}: event {eid} by {reviewer!r}, dated {at}, is refused: "
                                 f"{reviewer!r} {problem} (dataset {dataset!r}); nothing "
                                 "was merged")
            if member is None:
                wanted = out.trust.setdefault((dataset, reviewer), key)
                if reviewer not in trust:
                    raise MergeError(
                        f"{p}: reviewer {reviewer!r} (key {sig.fingerprint(key)}) is not on "
                        f"the roster of dataset {dataset!r}; to trust them, merge with "
                        f"--trust {reviewer} or add them first with annotator team add "
                        f"{reviewer} KEY --dataset {dataset}; nothing was merged")
                if wanted != key:
                    raise MergeError(
                        f"{p}: reviewer {reviewer!r} signs with two keys "
                        f"({sig.fingerprint(wanted)}, {sig.fingerprint(key)}); nothing was "
                        "merged")
    if (out.trust or out.unsigned) and not lead:
        raise MergeError("trusting a reviewer or accepting unsigned events is recorded as "
                         "the lead's event: name the lead with --reviewer; nothing was merged")
    summary.unrostered = sorted(unrostered)
    return out


def _datasets_of(db: Database, other: Database, target_type: str, target_id: str) -> set[str]:
    """The datasets an event's target belongs to, in either database."""
    if target_type == "dataset":
        return {target_id}
    return merging.datasets_of_target((db, other), target_type, target_id)


def _record_trust(db: Database, vetted: _Vetted, lead: str | None,
                  summary: MergeSummary, source: str) -> None:
    """The lead's roster entries for the reviewers trusted, and a record, on each dataset
    unsigned events were taken on, of how many."""
    for (dataset, name), key in sorted(vetted.trust.items()):
        if identity.add_member(db, dataset=dataset, reviewer=lead, name=name, key=key):
            summary.trusted.append(f"{name} in {dataset}")
    for dataset, n in sorted(vetted.unsigned.items()):
        rv.append_event(db, reviewer=lead, action="accept_unsigned", target_type="dataset",
                        target_id=dataset, old_state=None,
                        new_state={"events": n, "source": source[:200]},
                        note=f"took {n} unsigned event(s) from {source}", batch=rv.new_batch())
    summary.unsigned = vetted.unsigned_total


def _refresh(db: Database, summary: MergeSummary, targets: dict[str, set[str]],
             copied: set[str], copied_pairs: set[str]) -> None:
    figures = _present(db, summary, "figure", "figures", targets)
    refresh_figures(db, sorted(figures | copied), summary.changes)
    if merging.has_table(db, "passage_pairs"):
        pairs = _present(db, summary, "pair", "passage_pairs", targets) | copied_pairs
        if pairs:
            refresh_pairs(db, sorted(pairs), summary.changes)
    datasets = targets.get("dataset", set())
    signoff.apply_required_events(db, datasets)
    summary.changes.datasets |= datasets


def _in_conflict(db: Database, summary: MergeSummary) -> list[str]:
    return sorted(fid for fid in summary.changes.figures if rv.figure_state(db, fid)["conflict"])


def _present(db: Database, summary: MergeSummary, target_type: str, table: str,
             targets: dict[str, set[str]]) -> set[str]:
    """The targets of new events that exist here; events on the others are counted."""
    wanted = targets.get(target_type, set())
    present = {t for t in wanted if merging.row_exists(db, table, t)}
    summary.unknown_targets += sum(rv.events_on_count(db, target_type, t)
                                   for t in wanted - present)
    return present


def _signed_but_changed(db: Database, summary: MergeSummary) -> list[str]:
    """Signed-off datasets whose content the merge changed: their signed export is refused."""
    if not (summary.events or summary.memberships):
        return []
    out = []
    for name in repo.dataset_names(db):
        state = signoff.signoff_state(db, name)
        if state.signed_off and signoff.content_hash(db, name) != state.hash:
            out.append(name)
    return out


# --- conflicts and adjudication ---------------------------------------------------------

@dataclass
class Conflict:
    figure_id: str
    claim_id: str
    article_id: str
    title: str | None
    claim_text: str
    figure_text: str
    kind: str
    value: float | None
    unit: str | None
    reviewers: dict[str, dict]  # reviewer -> their current decision

    def as_dict(self) -> dict:
        return asdict(self)


def conflicts(db: Database, dataset: str | None = None) -> list[Conflict]:
    """Figures whose reviewers' final decisions differ and that no lead has settled."""
    require_dataset(db, dataset)
    out = []
    for row in queries.figures_in_conflict(db, dataset):
        reviewers = rv.derive(rv.events_for(db, "figure", row.figure_id)).reviewers
        out.append(Conflict(**asdict(row), reviewers=dict(sorted(reviewers.items()))))
    return out


def adjudicate_pick(db: Database, *, reviewer: str, target_id: str, pick: str,
                    note: str | None = None) -> Changes:
    """Settle a figure (or every figure of a claim) with one reviewer's decision."""
    reviewer = reviewer_name(reviewer)
    with write_tx(db):
        fids = figure_ids_of(db, target_id)
        check_unlocked(db, fids)
        picked = {}
        for fid in fids:
            state = rv.derive(rv.events_for(db, "figure", fid)).reviewers.get(pick)
            if state is None:
                raise ReviewError(f"{pick} has no decision on figure {fid} to pick")
            picked[fid] = {k: v for k, v in state.items() if k in rv.VERDICT_KEYS + ("note",)}
            if note:
                picked[fid]["note"] = note
        batch = rv.new_batch()
        changes = Changes()
        for fid in fids:
            old = rv.derive(rv.events_for(db, "figure", fid)).state
            ev = rv.append_event(db, reviewer=reviewer, action="adjudicate", target_type="figure",
                                 target_id=fid, old_state=old, new_state=picked[fid],
                                 batch=batch, note=f"picked {pick}" + (f": {note}" if note else ""))
            changes.events.append(ev.id)
        refresh_figures(db, fids, changes)
    return changes


# --- agreement, progress and the dataset overview -------------------------------------

def agreement(db: Database, dataset: str | None = None, *,
              by_reason: bool = True) -> agreement_stats.Agreement:
    require_dataset(db, dataset)
    ratings: dict[str, dict] = {}
    for fid, events in dataset_figure_events(db, dataset).items():
        ratings[fid] = rv.derive(events).reviewers
    extracted = repo.figure_values(db, [fid for fid, per in ratings.items() if per])
    return agreement_stats.compute(ratings, extracted, dataset=dataset, by_reason=by_reason)


def reviewer_progress(db: Database, dataset: str) -> list[dict]:
    """Per reviewer: how many of the dataset's figures they decided, and how."""
    require_dataset(db, dataset)
    events = dataset_figure_events(db, dataset)
    total = len(events)
    per: dict[str, dict] = {}
    for evs in events.values():
        for reviewer, state in rv.derive(evs).reviewers.items():
            row = per.setdefault(reviewer, {"reviewer": reviewer, "reviewed": 0,
                                            "confirmed": 0, "corrected": 0, "flagged": 0})
            row["reviewed"] += 1
            row[state["status"]] = row.get(state["status"], 0) + 1
    for row in per.values():
        row["figures"] = total
        row["percent"] = 100.0 * row["reviewed"] / total if total else 0.0
    return [per[r] for r in sorted(per)]


def dataset_overview(db: Database, dataset: str) -> dict:
    """Everything the dataset view shows, in one call (safe to run off the GUI thread)."""
    require_dataset(db, dataset)
    state = signoff.signoff_state(db, dataset)
    matches = None
    if state.signatures:
        matches = signoff.content_hash(db, dataset) == state.hash
    return {
        "dataset": dataset,
        "stats": dataset_stats(db, dataset)[0],
        "open_work": signoff.open_work(db, dataset),
        "progress": reviewer_progress(db, dataset),
        # flags with different reasons disagree, as they are a conflict (storage.reviews.derive)
        "agreement": agreement(db, dataset, by_reason=True).as_dict(),
        "conflicts": len(conflicts(db, dataset)),
        "signoff": state.as_dict(),
        "content_matches_signature": matches,
    }
