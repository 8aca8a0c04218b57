"""annotator reanalyse: read stored articles again with the current engine."""

from __future__ import annotations

import click

from annotator.cli.common import (
    check_dataset, dataset_option, db_option, friendly_errors, open_database,
)
from annotator.cli.printing import echo, echo_json
from annotator.services import reanalyse as service
from annotator.services.browse import describe_reread, reread_record
from annotator.services.common import ReviewError


@click.command("reanalyse")
@db_option
@dataset_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@friendly_errors(ReviewError)
def reanalyse_cmd(db_path, dataset, as_json):
    """Read the stored articles (of one dataset) again with this version's engine.

    A figure found again at the same span with the same value keeps its reviews; a
    reviewed figure read differently, or no longer found, goes back to the reviewers with
    its old and new reading (see `annotator conflicts` and `annotator stats`).
    Unreviewed figures are replaced by the new reading. A signed-off dataset must be
    reopened first.

    Example:

    \b
        annotator reanalyse --dataset hk-talent
    """
    db = open_database(db_path)
    check_dataset(db, dataset)
    s = service.reanalyse(db, dataset)
    found = service.rereads(db, dataset)
    if as_json:
        echo_json({**s.as_dict(), "to_recheck": [reread_record(r) for r in found]}, indent=2)
        return
    click.echo(f"{s.articles} article(s) read again, {s.changed_articles} changed: "
               f"{s.kept} figure(s) unchanged, {s.updated} unreviewed figure(s) read anew, "
               f"{s.added} new, {s.removed} dropped, {s.reread} reviewed figure(s) to check again")
    for r in found:
        echo(f"  {r.figure_id}  {describe_reread(r)}")
