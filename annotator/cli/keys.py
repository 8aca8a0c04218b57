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


@keys_group.command("rotate")
@reviewer_option
@friendly_errors(ReviewError)
def keys_rotate_cmd(reviewer):
    """Replace your key pair with a new one (a key that may have been copied).

    The old private key is kept in keys/retired/ beside your settings. Events you signed
    before stay valid; your events from now on are signed with the new key, which your
    lead puts on each dataset's roster with `annotator team add NAME NEWKEY --replace`
    (until then a merge refuses them). A lead rotating their own key runs that `team add`
    themselves: it is signed with the retired key still on the roster.

    Example:

    \b
        annotator keys rotate --reviewer ana
    """
    who = need_reviewer(reviewer)
    old, new = identity.rotate_key(who)
    echo(f"{new} {who}")
    echo(f"replaced {sig.fingerprint(old)} with {sig.fingerprint(new)}; give the new key to "
         f"your lead: annotator team add {who} {new} --replace --dataset DATASET", err=True)


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
@click.option("--replace", is_flag=True,
              help="KEY replaces the key NAME has on the roster (after their keys rotate); "
                   "their events signed with the old key before this stay valid.")
@db_option
@reviewer_option
@friendly_errors(ReviewError)
def team_add_cmd(name, key, dataset, as_lead, replace, db_path, reviewer):
    """Put reviewer NAME with public KEY (from their `annotator keys show`) on the roster.

    Only a lead of the dataset can; on a dataset without a roster, whoever adds the
    first entry (--reviewer) is put on it as its lead. A name already on the roster
    with another key is refused, unless --replace says KEY replaces it (after their
    `annotator keys rotate`).

    Example:

    \b
        annotator team add ben "ed25519:AAAA..." --dataset hk-talent --reviewer lead
    """
    who = need_reviewer(reviewer)
    db = open_database(db_path)
    check_dataset(db, dataset)
    with write_tx(db):
        written = identity.add_member(db, dataset=dataset, reviewer=who, name=name, key=key,
                                      role="lead" if as_lead else "reviewer", replace=replace)
    if not written:
        echo(f"{name} is already on the roster of {dataset} with that key")
    for e in written:
        st = e.new_state
        if st.get("replaces"):
            echo(f"replaced the key of {st['name']} on the roster of {dataset}: "
                 f"{sig.fingerprint(st['replaces'])} -> {sig.fingerprint(st['key'])}")
            continue
        echo(f"added {st['name']} ({st['role']}, {sig.fingerprint(st['key'])}) to "
             f"the roster of {dataset}")


@team_group.command("remove")
@click.argument("name")
@click.option("--dataset", required=True, help="The dataset whose roster to remove from.")
@db_option
@reviewer_option
@friendly_errors(ReviewError)
def team_remove_cmd(name, dataset, db_path, reviewer):
    """Take reviewer NAME off the roster (only a lead can; never the last lead).

    Their events dated before this stay valid; a merge refuses the ones dated after.

    Example:

    \b
        annotator team remove ben --dataset hk-talent --reviewer lead
    """
    who = need_reviewer(reviewer)
    db = open_database(db_path)
    check_dataset(db, dataset)
    with write_tx(db):
        e = identity.remove_member(db, dataset=dataset, reviewer=who, name=name)
    echo(f"removed {name} ({sig.fingerprint(e.new_state['key'])}) from the roster of "
         f"{dataset}")


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
