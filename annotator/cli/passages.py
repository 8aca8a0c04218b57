"""duplicates, pair and search."""

from __future__ import annotations

import click

from annotator.cli.printing import echo, echo_json
from annotator.cli.common import (
    check_dataset, dataset_option, db_option, fail, friendly_errors, need_reviewer,
    open_database, reviewer_option,
)
from annotator.services import pairs as pair_service
from annotator.services.common import ReviewError


@click.command("duplicates")
@db_option
@dataset_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl",
              show_default=True)
def duplicates_cmd(db_path, dataset, fmt):
    """List duplicated passage pairs, within an article and across articles.

    Articles stored before the duplicate index existed are indexed first. One JSON object
    per pair: {"pair_id", "a": {"article_id", "source", "start", "end"}, "b": {...},
    "similarity", "scope": "within"|"across", "status"}; `a` is the first copy.

    Example:

    \b
        annotator duplicates --dataset hk-talent --db review.db
    """
    db = open_database(db_path)
    check_dataset(db, dataset)
    from annotator.storage import duplicate_finder  # numpy: only for this command

    duplicate_finder.index_missing_pairs(db)
    for p in pair_service.list_pairs(db, dataset):
        if fmt == "jsonl":
            echo_json(p)
        else:
            a, b = p["a"], p["b"]
            echo(f"{p['pair_id']}  {p['scope']:<6} {p['similarity']:.2f} {p['status']:<10} "
                 f"{a['source']}[{a['start']}:{a['end']}] ~ {b['source']}[{b['start']}:{b['end']}]")


@click.command("pair")
@click.argument("pair_id")
@db_option
@reviewer_option
@click.option("--confirm", "action", flag_value="confirm", help="It is a repeat.")
@click.option("--reject", "action", flag_value="reject",
              help="It is not a repeat: its copies stop inheriting reviews.")
@click.option("--clear", "action", flag_value="clear", help="Back to unreviewed.")
@click.option("--note", default=None)
@friendly_errors(ReviewError)
def pair_cmd(pair_id, db_path, reviewer, action, note):
    """Confirm or reject a duplicated passage pair.

    Example:

    \b
        annotator pair p-0123456789abcdef --confirm --reviewer ana
    """
    if not action:
        fail("choose --confirm, --reject or --clear", 2)
    who = need_reviewer(reviewer)
    pair_service.review_pair(open_database(db_path), reviewer=who, pair_id=pair_id,
                            action=action, note=note)
    echo(f"ok {pair_id}")


@click.command("search")
@click.argument("query")
@db_option
@dataset_option
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search_cmd(query, db_path, dataset, limit, as_json):
    """Search all articles; Simplified and Traditional queries find both scripts.

    Example:

    \b
        annotator search 創科人才 --dataset hk-talent --db review.db
    """
    db = open_database(db_path)
    check_dataset(db, dataset)
    from annotator.services import search as search_service

    search_service.index_missing(db)
    hits = search_service.search(db, query, dataset=dataset, limit=limit)
    for h in hits:
        if as_json:
            echo_json(h)
        else:
            echo(f"{h['article_id']}  [{h['start']}:{h['end']}]  {h['snippet']}")
    if not hits:
        click.echo("no matches", err=True)
