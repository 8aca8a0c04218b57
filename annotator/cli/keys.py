"""keys show; team add and team list (a dataset's roster of trusted reviewers)."""

from __future__ import annotations

import click

from annotator.cli.common import (
    check_dataset, db_option, friendly_errors, need_reviewer, open_database,
    reviewer_option,
)
from annotator.cli.printing import echo, echo_json
from annotator.services import identity
from annotator.services.common import ReviewError
from annotator.storage import signatures as sig
from annotator.storage.db import write_tx


@click.group("keys")
def keys_group():
    """Your reviewer key: every event you write is signed with it.

    The key is made on your first decision and kept in your settings folder; give the
    public key to your lead, who puts it on the dataset's roster.

    Example:

    \b
        annotator keys show --reviewer ana
    """


@keys_group.command("show")
@reviewer_option
@friendly_errors(ReviewError)
def keys_show_cmd(reviewer):
    """Print your public key as one line (`ed25519:BASE64 NAME`) to give to a lead.

    Makes the key if you have none yet. Its fingerprint is printed to stderr, to compare
    by eye with what the lead's `annotator team list` shows.

    Example:

    \b
        annotator keys show --reviewer ana
    """
    who = need_reviewer(reviewer)
    echo(identity.show_line(who))
    echo(f"fingerprint {sig.fingerprint(identity.public_key(who))}", err=True)


@click.group("team")
def team_group():
    """A dataset's roster: the reviewers a lead trusts, with their public keys.

    Merging refuses events by a reviewer the roster gives another key, or who is not on
    it (unless the lead trusts them). The first `team add` on a dataset makes its caller
    the dataset's lead.

    Example:

    \b
        annotator team add ben "ed25519:AAAA..." --dataset hk-talent --reviewer lead
    """


@team_group.command("add")
@click.argument("name")
@click.argument("key")
@click.option("--dataset", required=True, help="The dataset whose roster to add to.")
@click.option("--lead", "as_lead", is_flag=True,
              help="Make NAME a lead too (a lead can change the roster).")
@db_option
@reviewer_option
@friendly_errors(ReviewError)
def team_add_cmd(name, key, dataset, as_lead, db_path, reviewer):
    """Put reviewer NAME with public KEY (from their `annotator keys show`) on the roster.

    Only a lead of the dataset can; on a dataset without a roster, whoever adds the
    first entry (--reviewer) is put on it as its lead. A name already on the roster
    with another key is refused.

    Example:

    \b
        annotator team add ben "ed25519:AAAA..." --dataset hk-talent --reviewer lead
    """
    who = need_reviewer(reviewer)
    db = open_database(db_path)
    check_dataset(db, dataset)
    with write_tx(db):
        written = identity.add_member(db, dataset=dataset, reviewer=who, name=name, key=key,
                                      role="lead" if as_lead else "reviewer")
    if not written:
        echo(f"{name} is already on the roster of {dataset} with that key")
    for e in written:
        st = e.new_state
        echo(f"added {st['name']} ({st['role']}, {sig.fingerprint(st['key'])}) to "
             f"the roster of {dataset}")


@team_group.command("list")
@click.option("--dataset", required=True, help="The dataset whose roster to show.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per member.")
def team_list_cmd(dataset, db_path, as_json):
    """Show a dataset's roster: name, role, key fingerprint and key.

    Example:

    \b
        annotator team list --dataset hk-talent
    """
    db = open_database(db_path)
    check_dataset(db, dataset)
    members = identity.roster(db, dataset)
    for m in sorted(members.values(), key=lambda m: m.name):
        if as_json:
            echo_json(m.as_dict())
        else:
            echo(f"{m.name:<12} {m.role:<8} {m.fingerprint}  {m.key}")
    if not members:
        click.echo(f"dataset {dataset} has no roster (start one with annotator team add)",
                   err=True)


COMMANDS = (keys_group, team_group)
