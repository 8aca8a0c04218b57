"""hub init, hub status and sync: a team's reviewers syncing through PostgreSQL."""

from __future__ import annotations

import os

import click

from annotator.cli.common import db_option, fail, open_database, reviewer_option
from annotator.cli.printing import echo, echo_json
from annotator.paths import configured_reviewer, load_config

HUB_ENV = "ANNOTATOR_HUB"


def hub_url(explicit: str | None) -> str | None:
    """--hub, else $ANNOTATOR_HUB, else the hub in the settings (the window's)."""
    if explicit and explicit.strip():
        return explicit.strip()
    env = os.environ.get(HUB_ENV, "").strip()
    if env:
        return env
    value = load_config().get("hub")
    return value.strip() if isinstance(value, str) and value.strip() else None


def need_hub(explicit: str | None) -> str:
    url = hub_url(explicit)
    if not url:
        fail(f"no hub: pass --hub postgresql://USER@HOST:PORT/DATABASE or set {HUB_ENV}", 2)
    return url


hub_option = click.option(
    "--hub", "hub", default=None, metavar="URL",
    help=f"The hub's PostgreSQL address (default: ${HUB_ENV}, else the settings).")


@click.group("hub")
def hub_group():
    """A team's hub: a PostgreSQL database every reviewer syncs with.

    Needs the PostgreSQL driver: pip install 'annotator[team]'.

    Example:

    \b
        annotator hub init postgresql://team@db.example/annotator
        annotator hub status postgresql://team@db.example/annotator
    """


@hub_group.command("init")
@click.argument("url")
def hub_init_cmd(url):
    """Create the hub's tables in the PostgreSQL database at URL (or bring them up to
    date). Running it again changes nothing.

    Example:

    \b
        annotator hub init postgresql://team@localhost:5432/annotator
    """
    from annotator.storage import hub as hubstore

    try:
        applied = hubstore.init(url)
    except hubstore.HubError as e:
        fail(str(e), 2)
    where = hubstore.safe_url(url)
    if applied:
        click.echo(f"hub {where} ready (applied {', '.join(applied)})")
    else:
        click.echo(f"hub {where} already up to date")


@hub_group.command("status")
@click.argument("url", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def hub_status_cmd(url, as_json):
    """What the hub at URL holds: its datasets, articles, events and reviewers.

    Example:

    \b
        annotator hub status postgresql://team@localhost:5432/annotator
    """
    from annotator.storage import hub as hubstore

    try:
        s = hubstore.status(need_hub(url))
    except hubstore.HubError as e:
        fail(str(e), 2)
    if as_json:
        echo_json(s.as_dict(), indent=2)
        return
    echo(f"hub {s.url} (id {s.hub_id}, schema {s.migrations[-1]})")
    echo(f"  {s.articles} article(s), {s.events} event(s), last at {s.last_event or '-'}")
    echo(f"  datasets: {', '.join(s.datasets) or '-'}")
    echo(f"  reviewers: {', '.join(s.reviewers) or '-'}")


@click.command("sync")
@hub_option
@db_option
@click.option("--dataset", default=None, help="Only this dataset's articles and events.")
@click.option("--trust", "trust", multiple=True, metavar="NAME",
              help="As for merge: take NAME's roster, or put NAME on the roster "
                   "(repeatable; needs --reviewer).")
@click.option("--accept-unsigned", is_flag=True,
              help="As for merge: take events made before signing (needs --reviewer).")
@click.option("--max-skew", "max_skew", type=float, default=None, metavar="MINUTES",
              help="Refuse events dated more than MINUTES ahead of the hub's clock "
                   "(default $ANNOTATOR_MAX_SKEW, else 10).")
@click.option("--batch", type=click.IntRange(1, 100_000), default=None, metavar="N",
              help="Events per batch, each applied whole (default 5000).")
@reviewer_option
def sync_cmd(hub, db_path, dataset, trust, accept_unsigned, max_skew, batch, reviewer):
    """Sync this database with the team's hub: receive what the hub has and this
    database lacks, then send what the hub lacks.

    Every event received is checked as `annotator merge` checks a reviewer's file
    (signatures against the dataset's roster, shape, references, time) and each batch
    is applied whole or not at all; what is sent is checked the same way first, and the
    hub refuses it whole when one event fails. Safe to run again at any time, and to
    interrupt: the next run finishes the work.

    Example:

    \b
        annotator sync --hub postgresql://team@localhost:5432/annotator --db review.db
        annotator sync --dataset hk-talent --trust lead --reviewer ana --db review.db
    """
    from annotator.services import sync as sync_svc
    from annotator.storage.hub import HubError

    url = need_hub(hub)
    lead = configured_reviewer(reviewer)
    if (trust or accept_unsigned) and not lead:
        fail("--trust and --accept-unsigned are recorded as the lead's decision: pass "
             "--reviewer NAME (or set ANNOTATOR_REVIEWER)", 2)
    from annotator.paths import resolve_db

    if not resolve_db(db_path).exists():
        # a new reviewer's first sync makes their database, but not for a hub that
        # cannot be reached
        check_hub(url)
    db = open_database(db_path, create=True)
    try:
        s = sync_svc.sync(db, url, dataset=dataset, trust=trust,
                          accept_unsigned=accept_unsigned, lead=lead, max_skew=max_skew,
                          batch=batch or sync_svc.BATCH_EVENTS)
    except HubError as e:
        fail(str(e), 2)
    except sync_svc.SyncError as e:
        fail(str(e))
    finally:
        db.close()
    echo(s.line())
    if s.unsigned_kept:
        echo(f"note: {s.unsigned_kept} event(s) made before signing stay in this database "
             "(the hub takes signed events only)", err=True)
    for name in sorted(s.unrostered):
        echo(f"note: dataset {name!r} has no roster of reviewers: signatures were checked, "
             "not who may sign (annotator team add NAME KEY --dataset ... makes one)",
             err=True)


def check_hub(url: str) -> None:
    """Exit with the reason if the hub cannot be reached or is not initialised."""
    from annotator.storage import hub as hubstore

    try:
        conn = hubstore.connect(url)
        try:
            hubstore.check_ready(conn, url)
        finally:
            conn.close()
    except hubstore.HubError as e:
        fail(str(e), 2)


def publish(db, url: str, dataset: str) -> None:
    """Send a dataset's articles (and any events on them) to the hub, after an import."""
    from annotator.services import sync as sync_svc

    try:
        s = sync_svc.sync(db, url, dataset=dataset, pull=False)
    except (sync_svc.HubError, sync_svc.SyncError) as e:
        fail(f"{e}; the articles are imported here: publish them with annotator sync "
             f"--hub URL --dataset {dataset}", 2)
    echo(f"published to {s.hub}: {s.pushed_articles} article(s), {s.pushed_events} event(s)")


COMMANDS = (hub_group, sync_cmd)
