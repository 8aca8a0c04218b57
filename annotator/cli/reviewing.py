"""review, undo, redo and history."""

from __future__ import annotations

import json
import sys

import click

from annotator.cli.printing import echo, echo_json
from annotator.cli.common import (
    db_option, fail, friendly_errors, need_reviewer, open_database, reviewer_option,
)
from annotator.services.common import Changes, ReviewError
from annotator.services import review as svc
from annotator.services.history import history as history_of
from annotator.services.history import unsigned as unsigned_events


@click.command("review")
@click.argument("target_id", required=False)
@db_option
@reviewer_option
@click.option("--confirm", "action", flag_value="confirm", help="The figure is right.")
@click.option("--correct", "value", type=float, default=None,
              help="The right value (the figure is wrong).")
@click.option("--unit", default=None, help="With --correct: the right unit.")
@click.option("--currency", default=None, help="With --correct: the right ISO 4217 currency.")
@click.option("--kind", default=None, help="With --correct: the right kind.")
@click.option("--flag", "reason", default=None,
              help="Flag with a reason: wrong_figure, unsupported, outdated, garbled_text, "
                   "not_a_claim, duplicate, other.")
@click.option("--clear", "action", flag_value="clear", help="Back to unreviewed.")
@click.option("--note", default=None, help="A note kept with the decision.")
@click.option("--batch", "batch_file", type=click.File("r", encoding="utf-8"), default=None,
              help="JSONL file (or - for stdin) of decisions: {\"figure_id\" or \"claim_id\", "
                   "\"action\", \"value\", \"reason\", \"note\"}.")
def review_cmd(target_id, db_path, reviewer, action, value, unit, currency, kind, reason, note,
               batch_file):
    """Record a decision on one figure (or on all figures of a claim).

    Each decision is committed on its own and acknowledged on stdout as `ok ID` only
    after it is in the database. With --batch, a bad line prints `error: line N: reason`
    and the others go on (exit status 1 if any line failed).

    Examples:

    \b
        annotator review --reviewer ana f-1a2b3c4d5e6f7a8b --confirm
        annotator review --reviewer ana f-1a2b3c4d5e6f7a8b --correct 50200 --note "5.02万"
        annotator review --reviewer ana --batch decisions.jsonl
    """
    who = need_reviewer(reviewer)
    db = open_database(db_path)
    if batch_file is not None:
        sys.exit(_batch(db, who, batch_file))
    if not target_id:
        fail("give a figure or claim id, or --batch FILE", 2)
    chosen = [a for a in (action, "correct" if value is not None or unit or currency or kind
                          else None, "flag" if reason else None) if a]
    if len(chosen) != 1:
        fail("choose exactly one of --confirm, --correct VALUE, --flag REASON, --clear", 2)
    try:
        svc.review(db, reviewer=who, target_id=target_id, action=chosen[0], value=value,
                   unit=unit, currency=currency, kind=kind, reason=reason, note=note)
    except ReviewError as e:
        fail(str(e))
    echo(f"ok {target_id}")


def _batch(db, reviewer: str, fp) -> int:
    failed = 0
    for n, line in enumerate(fp, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("expected a JSON object")
            target = obj.get("figure_id") or obj.get("claim_id")
            if not target:
                raise ValueError("needs figure_id or claim_id")
            action = obj.get("action")
            value = obj.get("value")
            if value is not None and not isinstance(value, (int, float)):
                value = float(value)
            svc.review(db, reviewer=reviewer, target_id=target, action=action, value=value,
                       unit=obj.get("unit"), currency=obj.get("currency"), kind=obj.get("kind"),
                       reason=obj.get("reason"), note=obj.get("note"))
        except (ValueError, TypeError, ReviewError) as e:
            failed += 1
            echo(f"error: line {n}: {e}", err=True)
            continue
        echo(f"ok {target}")
        sys.stdout.flush()
    return 1 if failed else 0


@click.command("undo")
@db_option
@reviewer_option
@friendly_errors(ReviewError)
def undo_cmd(db_path, reviewer):
    """Undo the reviewer's last action (all figures it touched, as one).

    Example:

    \b
        annotator undo --reviewer ana
    """
    who = need_reviewer(reviewer)
    db = open_database(db_path)
    echo(f"undone: {_acted_on(db, svc.undo(db, reviewer=who))}")


@click.command("redo")
@db_option
@reviewer_option
@friendly_errors(ReviewError)
def redo_cmd(db_path, reviewer):
    """Redo the reviewer's last undone action.

    Example:

    \b
        annotator redo --reviewer ana
    """
    who = need_reviewer(reviewer)
    db = open_database(db_path)
    echo(f"redone: {_acted_on(db, svc.redo(db, reviewer=who))}")


def _acted_on(db, changes: Changes) -> str:
    """'confirm of f-… “5.02万人” by ana': a count of targets alone does not tell a
    reviewer whether the undo took back the decision they meant."""
    events = changes.acted_on
    texts = svc.figure_surfaces(db, [e.target_id for e in events if e.target_type == "figure"])
    targets = [f"{e.target_id} “{texts[e.target_id]}”" if e.target_id in texts else e.target_id
               for e in events]
    first = events[0]
    if len(targets) == 1:
        return f"{first.action} of {targets[0]} by {first.reviewer}"
    kind = "figure" if all(e.target_type == "figure" for e in events) else "target"
    return (f"{first.action} of {len(targets)} {kind}(s) by {first.reviewer}: "
            + ", ".join(targets))


@click.command("history")
@click.argument("target_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event.")
@friendly_errors(ReviewError)
def history_cmd(target_id, db_path, as_json):
    """Show every review event on a claim (its figures), a figure, a duplicate pair or a
    dataset, oldest first.

    Example:

    \b
        annotator history c-0123456789abcdef
    """
    db = open_database(db_path)
    events = history_of(db, target_id)
    unsigned = unsigned_events(db, events)
    for e in events:
        if as_json:
            echo_json({**e.as_dict(), "signed": e.id not in unsigned})
        else:
            echo(_history_line(e) + ("  (unsigned)" if e.id in unsigned else ""))
    if not events:
        click.echo("no events", err=True)


def _history_line(e) -> str:
    """One event per line. The event's note (a reopen's reason, a reviewer's remark, whom
    an adjudication picked) is often the only record of why; it is quoted as JSON so a
    note with a line break still takes one line."""
    new = dict(e.new_state or {})
    if e.note is not None and new.get("note") == e.note:
        del new["note"]  # said once, below
    detail = ", ".join(f"{k}={v}" for k, v in new.items())
    line = f"{e.at}  {e.reviewer:<12} {e.action:<12} {e.target_id}  {detail}"
    if e.note:
        line += f"  note: {json.dumps(e.note, ensure_ascii=False)}"
    return line
