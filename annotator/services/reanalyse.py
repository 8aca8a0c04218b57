"""`annotator reanalyse`: read stored articles again with the current engine.

A figure's id is the hash of its article, offsets and kind (ADR 0001), so a figure the
new engine finds at the same span with the same kind keeps its id, and with it every
review event. Per figure:

- same id, same value, upper value, unit and currency: updated in place (its reading,
  warnings and claim may change); its reviews stand;
- same id, another value, unit or currency: updated; if it was reviewed, a reread is
  recorded (the old and new reading) and the figure is back in front of reviewers;
- a new id: inserted, unreviewed;
- a stored id the engine no longer finds: deleted if no one reviewed it; if reviewed,
  kept with its reviews and a reread saying it is no longer found.

A reread is open until a reviewer decides on the figure again (any review event newer
than it); while open the figure counts as unreviewed, and `stats`, `conflicts` and the
window show the old and new readings (ADR 0011). Articles of a signed-off dataset are
refused until it is reopened: their content would change under the signatures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable

from sqlite_utils import Database

from annotator.services.common import Changes, ReviewError
from annotator.storage import articles as repo
from annotator.storage import reanalysis as store
from annotator.storage import signoffs
from annotator.storage.db import write_tx
from annotator.storage.states import refresh_figures
from annotator.text.pipeline import analyse

_SAME = ("value", "value_max", "unit", "currency")


@dataclass
class ReanalyseSummary:
    articles: int = 0
    changed_articles: int = 0
    kept: int = 0             # same id and value (reviews kept, reading refreshed)
    updated: int = 0          # same id, another value, never reviewed
    reread: int = 0           # reviewed and read differently or no longer found
    added: int = 0
    removed: int = 0          # unreviewed figures the engine no longer finds
    changes: Changes = field(default_factory=Changes)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("articles", "changed_articles", "kept", "updated",
                                               "reread", "added", "removed")}


def _locked_datasets(db: Database, article_id: str) -> list[str]:
    fids = repo.figure_ids_of_article(db, article_id)
    return signoffs.locked_datasets_for_figures(db, fids) if fids else []


def reanalyse(db: Database, dataset: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> ReanalyseSummary:
    """Read every stored article (of `dataset`) again; one transaction per article."""
    unknown = repo.unknown_dataset(db, dataset) if dataset is not None else None
    if unknown:
        raise ReviewError(unknown)
    ids = store.articles_to_reanalyse(db, dataset)
    summary = ReanalyseSummary()
    for done, aid in enumerate(ids, 1):
        locked = _locked_datasets(db, aid)
        if locked:
            raise ReviewError(
                f"dataset {locked[0]!r} is signed off and locked; reopen it first "
                f"(annotator reopen --dataset {locked[0]} --reviewer NAME --reason TEXT)")
        _one(db, aid, summary)
        if progress:
            progress(done, len(ids))
    return summary


def _one(db: Database, aid: str, summary: ReanalyseSummary) -> None:
    text = repo.article_text(db, aid)
    a = analyse(text)
    prepared = repo.prepare_article(text, language=a.language, script=a.script,
                                    boilerplate=a.boilerplate, claims=a.claims)
    if prepared.id != aid:
        raise ReviewError(f"article {aid}: its stored text no longer fits its id "
                          "(annotator check lists what is wrong)")
    with write_tx(db):
        old = store.stored_figures(db, aid)
        new = {row[0]: dict(zip(repo._FIGURE_COLS, row)) for row in prepared.figures}
        touched: list[str] = []
        reread: list[tuple[store.StoredFigure, dict | None]] = []
        changed = False
        for fid, row in new.items():
            before = old.get(fid)
            if before is None:
                summary.added += 1
                touched.append(fid)
                changed = True
                continue
            same = all(_equal(getattr(before, k), row[k]) for k in _SAME)
            if same:
                summary.kept += 1
                changed |= before.reading != row["reading"]
            elif before.reviewed:
                reread.append((before, row))
            else:
                summary.updated += 1
                changed = True
            touched.append(fid)
        keep = []
        for fid, before in old.items():
            if fid in new:
                continue
            changed = True
            if before.reviewed:
                keep.append(fid)
                reread.append((before, None))
            else:
                summary.removed += 1
        store.replace_analysis(db, prepared, keep, a.language, a.script)
        for before, row in reread:
            store.record_reread(db, before, row)
            touched.append(before.id)
        summary.reread += len(reread)
        changed |= bool(reread)
        summary.articles += 1
        summary.changed_articles += int(changed)
        refresh_figures(db, touched, summary.changes)


def _equal(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-9 * max(
            1.0, abs(float(a)))
    return a == b


def rereads(db: Database, dataset: str | None = None) -> list[store.Reread]:
    """Reviewed figures the last reanalysis read differently, not yet decided again."""
    return store.open_rereads(db, dataset)
