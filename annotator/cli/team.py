"""merge, conflicts, adjudicate, agreement, signoff and reopen."""

from __future__ import annotations

import click

from annotator.cli.common import (
    check_dataset, dataset_option, db_option, fail, friendly_errors, need_reviewer, open_database,
    reviewer_option,
)
from annotator.cli.printing import echo, echo_json
from annotator.paths import configured_reviewer, resolve_db
from annotator.services.browse import describe_reread, reread_record
from annotator.services.common import ReviewError
from annotator.services import reanalyse as reanalyse_svc
from annotator.services import review as review_svc
from annotator.services import signoff as signoff_svc
from annotator.services import team as team_svc
from annotator.storage.db import StorageError


def _dump(obj) -> None:
    echo_json(obj, indent=2)


@click.command("merge")
@click.argument("other", type=click.Path(dir_okay=False))
@db_option
@click.option("--max-skew", "max_skew", type=float, default=None, metavar="MINUTES",
              help="Refuse events dated more than MINUTES ahead of this machine's clock "
                   "(default $ANNOTATOR_MAX_SKEW, else 10).")
@click.option("--trust", "trust", multiple=True, metavar="NAME",
              help="Put reviewer NAME, with the key their events are signed with, on the "
                   "roster of the datasets they reviewed (repeatable; needs --reviewer).")
@click.option("--accept-unsigned", is_flag=True,
              help="Take events made before signing (recorded in the dataset's history; "
                   "needs --reviewer).")
@reviewer_option
@friendly_errors(ReviewError, StorageError)
def merge_cmd(other, db_path, max_skew, trust, accept_unsigned, reviewer):
    """Copy another reviewer's database into this one.

    Copies every review event the other database has and this one lacks, and any
    articles (with their claims, figures and dataset membership) it is missing. The
    other file is only read. Merging the same file again changes nothing. Figures on
    which reviewers' final decisions differ become conflicts (see `annotator conflicts`).
    A database holding an event annotator would not have written, or one dated more
    than --max-skew minutes ahead of this machine's clock, is refused as a whole.

    On a dataset with a roster of reviewers (`annotator team list`), every event must be
    signed by its reviewer's key on the roster; a reviewer not on it is refused unless
    the lead trusts them here (--trust), and events from before signing are taken only
    with --accept-unsigned.

    Example:

    \b
        annotator merge ben.db --db lead.db
        annotator merge ben.db --trust ben --reviewer lead --db lead.db
    """
    lead = configured_reviewer(reviewer)
    if (trust or accept_unsigned) and not lead:
        fail("--trust and --accept-unsigned are recorded as the lead's decision: pass "
             "--reviewer NAME (or set ANNOTATOR_REVIEWER)", 2)
    if not resolve_db(db_path).exists():
        # into a new database: a source that is missing, no database or one the merge
        # would refuse must not leave an empty one behind (for an existing one the merge
        # checks the source itself)
        team_svc.open_other(other, check_events=True, max_skew=max_skew).conn.close()
    s = team_svc.merge(open_database(db_path, create=True), other, max_skew=max_skew,
                       trust=trust, accept_unsigned=accept_unsigned, lead=lead)
    click.echo(s.line())
    if s.unsigned:
        click.echo(f"note: {s.unsigned} event(s) made before signing were taken "
                   "(--accept-unsigned, recorded in the dataset's history)", err=True)
    for name in s.unrostered:
        echo(f"note: dataset {name!r} has no roster of reviewers: signatures were checked, "
             "not who may sign (annotator team add NAME KEY --dataset ... makes one)",
             err=True)
    if s.unknown_targets:
        click.echo(f"warning: {s.unknown_targets} event(s) are on figures this database does "
                   "not have (articles analysed by a different version); kept, not applied",
                   err=True)
    for name in s.changed_signed:
        click.echo(f"warning: dataset {name!r} is signed off but the merge changed its content; "
                   f"its signed export is refused until it is reopened and signed again",
                   err=True)


@click.command("conflicts")
@db_option
@dataset_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@friendly_errors(ReviewError)
def conflicts_cmd(db_path, dataset, as_json):
    """List figures whose reviewers disagree and that no one has adjudicated.

    Settle one with `annotator adjudicate FIGURE_ID --pick REVIEWER` or with the
    decision itself (--confirm, --correct VALUE, --flag REASON).

    Example:

    \b
        annotator conflicts --dataset hk-talent
    """
    db = open_database(db_path)
    check_dataset(db, dataset)
    found = team_svc.conflicts(db, dataset)
    rereads = reanalyse_svc.rereads(db, dataset)
    if as_json:
        _dump([c.as_dict() for c in found]
              + [{**reread_record(r), "reanalysed": True} for r in rereads])
        return
    if not found and not rereads:
        click.echo("no conflicts")
        return
    for r in rereads:  # reviewed, then read differently by `annotator reanalyse`
        echo(f"{r.figure_id}  reanalysed: {describe_reread(r)}")
    for c in found:
        echo(f"{c.figure_id}  {c.figure_text!r} in {c.claim_id}: {c.claim_text}")
        for reviewer, state in c.reviewers.items():
            detail = ", ".join(f"{k}={v}" for k, v in state.items() if k != "status")
            echo(f"    {reviewer:<12} {state.get('status')}{'  ' + detail if detail else ''}")


@click.command("adjudicate")
@click.argument("target_id")
@db_option
@reviewer_option
@click.option("--pick", default=None, help="Take this reviewer's decision as the final one.")
@click.option("--confirm", "action", flag_value="confirm", help="Final decision: right.")
@click.option("--correct", "value", type=float, default=None, help="Final decision: this value.")
@click.option("--unit", default=None, help="With --correct: the right unit.")
@click.option("--currency", default=None, help="With --correct: the right currency.")
@click.option("--kind", default=None, help="With --correct: the right kind.")
@click.option("--flag", "reason", default=None, help="Final decision: flagged for REASON.")
@click.option("--note", default=None, help="A note kept with the decision.")
def adjudicate_cmd(target_id, db_path, reviewer, pick, action, value, unit, currency, kind,
                   reason, note):
    """Record a lead's final decision on a figure (or every figure of a claim).

    The decision is an event like any other (undo it with `annotator undo`); it holds
    until a reviewer changes their own decision again.

    Examples:

    \b
        annotator adjudicate f-1a2b3c4d5e6f7a8b --reviewer lead --pick ana
        annotator adjudicate f-1a2b3c4d5e6f7a8b --reviewer lead --correct 52000
    """
    who = need_reviewer(reviewer)
    chosen = [a for a in (action, "correct" if value is not None or unit or currency or kind
                          else None, "flag" if reason else None, "pick" if pick else None) if a]
    if len(chosen) != 1:
        fail("choose exactly one of --pick REVIEWER, --confirm, --correct VALUE, --flag REASON", 2)
    db = open_database(db_path)
    try:
        if pick:
            team_svc.adjudicate_pick(db, reviewer=who, target_id=target_id, pick=pick, note=note)
        else:
            review_svc.adjudicate(db, reviewer=who, figure_id=target_id, action=chosen[0],
                                  value=value, unit=unit, currency=currency, kind=kind,
                                  reason=reason, note=note)
    except ReviewError as e:
        fail(str(e))
    echo(f"ok {target_id}")


def _fmt(v, pattern: str = "{:.3f}") -> str:
    return "n/a" if v is None else pattern.format(v)


@click.command("agreement")
@db_option
@dataset_option
@click.option("--by-reason/--any-reason", default=True, show_default=True,
              help="Whether two flags with different reasons are different verdicts (they "
                   "are for the conflicts list); --any-reason counts every flag alike.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@friendly_errors(ReviewError)
def agreement_cmd(db_path, dataset, by_reason, as_json):
    """How far reviewers agree: per pair, the figures both reviewed, percent agreement
    and Cohen's kappa on the verdict; across everyone, Krippendorff's alpha (nominal on
    the verdict, interval on the value each reviewer accepts).

    n/a means undefined: no figure was reviewed twice, or everyone gave the same answer.

    Example:

    \b
        annotator agreement --dataset hk-talent --json
    """
    db = open_database(db_path)
    check_dataset(db, dataset)
    a = team_svc.agreement(db, dataset, by_reason=by_reason)
    if as_json:
        _dump(a.as_dict())
        return
    if not a.pairs:
        click.echo("fewer than two reviewers: nothing to compare" if len(a.reviewers) < 2
                   else f"{len(a.reviewers)} reviewers, but no figure reviewed by two of "
                        "them: nothing to compare")
    else:
        click.echo(f"{'reviewer A':<14} {'reviewer B':<14} {'figures':>7} {'agree %':>8} "
                   f"{'kappa':>7}")
        for p in a.pairs:
            echo(f"{p.a:<14} {p.b:<14} {p.figures:>7} {_fmt(p.percent, '{:.1f}'):>8} "
                 f"{_fmt(p.kappa):>7}")
    click.echo(f"Krippendorff's alpha (nominal, verdict): {_fmt(a.alpha_nominal)} "
               f"over {a.units} figure(s)")
    click.echo(f"Krippendorff's alpha (interval, value):  {_fmt(a.alpha_interval)} "
               f"over {a.interval_units} figure(s)")


@click.command("signoff")
@click.option("--dataset", required=True, help="The dataset to sign.")
@db_option
@reviewer_option
@click.option("--required", type=int, default=None,
              help="Instead of signing: set how many distinct reviewers must sign (default 2).")
@click.option("--show", is_flag=True, help="Instead of signing: show the sign-off state.")
@click.option("--json", "as_json", is_flag=True, help="With --show: print JSON.")
@friendly_errors(ReviewError)
def signoff_cmd(dataset, db_path, reviewer, required, show, as_json):
    """Sign a dataset off as reviewed.

    Refused while any figure is unreviewed or any conflict is unresolved. Each
    signature records the SHA-256 of the dataset's export as it is now; the dataset is
    signed off, and locked against review actions, once the required number of
    distinct reviewers have signed the same content.

    Examples:

    \b
        annotator signoff --dataset hk-talent --reviewer ana
        annotator signoff --dataset hk-talent --required 3 --reviewer lead
        annotator signoff --dataset hk-talent --show
    """
    db = open_database(db_path)
    check_dataset(db, dataset)
    if show:
        _show_signoff(db, dataset, as_json)
        return
    who = need_reviewer(reviewer)
    if required is not None:
        signoff_svc.set_required_signoffs(db, dataset=dataset, reviewer=who, required=required)
        echo(f"dataset {dataset} now needs {required} sign-off(s)")
        return
    signoff_svc.sign(db, dataset=dataset, reviewer=who)
    state = signoff_svc.signoff_state(db, dataset)
    done = "signed off and locked" if state.signed_off else "not yet signed off"
    echo(f"signed {dataset} as {who} (sha256 {state.hash}); {len(state.signers)} of "
         f"{state.required} signature(s): {done}")
    if state.stale:
        click.echo(f"note: {len(state.stale)} earlier signature(s) were over different content "
                   "and no longer count", err=True)


def _show_signoff(db, dataset: str, as_json: bool) -> None:
    team_svc.require_dataset(db, dataset)
    state = signoff_svc.signoff_state(db, dataset)
    work = signoff_svc.open_work(db, dataset)
    if as_json:
        _dump({**state.as_dict(), "open_work": work})
        return
    echo(f"dataset {dataset}: {'signed off (locked)' if state.signed_off else 'open'}; "
         f"{len(state.signers)} of {state.required} signature(s)")
    for s in state.counting:
        echo(f"  signed by {s['reviewer']} at {s['at']}")
    for s in state.stale:
        echo(f"  stale: {s['reviewer']} at {s['at']} (content changed since)")
    click.echo(f"  {work['unreviewed']} figure(s) unreviewed, {work['conflicts']} conflict(s)")


@click.command("reopen")
@click.option("--dataset", required=True, help="The dataset to reopen.")
@db_option
@reviewer_option
@click.option("--reason", required=True, help="Why it is reopened (kept in its history).")
@friendly_errors(ReviewError)
def reopen_cmd(dataset, db_path, reviewer, reason):
    """Unlock a signed-off dataset for review; its signatures no longer count.

    Example:

    \b
        annotator reopen --dataset hk-talent --reviewer lead --reason "figure 12 is wrong"
    """
    who = need_reviewer(reviewer)
    db = open_database(db_path)
    check_dataset(db, dataset)
    signoff_svc.reopen(db, dataset=dataset, reviewer=who, reason=reason)
    echo(f"reopened {dataset}; its signatures no longer count")


COMMANDS = (merge_cmd, conflicts_cmd, adjudicate_cmd, agreement_cmd, signoff_cmd, reopen_cmd)
