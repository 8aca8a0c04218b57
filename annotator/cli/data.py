"""import, export and stats."""

from __future__ import annotations

import io
import sys

import click

from annotator.services.export import records as exporter
from annotator.cli.common import (
    check_dataset, dataset_option, db_option, fail, friendly_errors, need_reviewer,
    open_database, reviewer_option,
)
from annotator.cli.printing import echo, echo_json
from annotator.services.export.run import FORMATS, ExportOptions, run_export
from annotator.services import signoff
from annotator.services import stats as stats_service


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--dataset", default="default", show_default=True,
              help="Dataset to add the articles to (created if new).")
@click.option("--hub", "hub", default=None, metavar="URL",
              help="Then publish the dataset's articles to this hub (annotator sync), so "
                   "every reviewer gets the same articles, claims and figures.")
def import_cmd(paths, db_path, dataset, hub):
    """Import articles from files and folders (recursively).

    Formats: .txt/.md (title: first line outside boilerplate), .html/.htm (main text via
    trafilatura), .jsonl/.json (objects with text or content, optional title, url,
    date, id), .csv (columns text, title, url, date). Encodings are detected (UTF-8,
    GB18030, Big5-HKSCS, UTF-16). Importing the same text again adds nothing. Inside a
    folder, files of other types are skipped and counted in the summary.

    Each bad file is reported as `error: PATH: reason`, a bad record as `error: PATH:
    line N: reason` (JSONL, CSV) or `error: PATH: record N: reason` (JSON array), and
    the rest go on; the exit status is 1 if any file failed. Control characters in file
    names are printed escaped (\\n, \\x1b), so a name cannot forge a line.

    Example:

    \b
        annotator import samples/ --dataset hk-talent --db review.db
        annotator import scraped/ --dataset hk-talent --hub postgresql://lead@db/team
    """
    # the analysis engines load for the commands that need them (a second at start)
    from annotator.services.importing import ImportRefused, import_paths

    if hub:
        from annotator.cli.hub import check_hub

        check_hub(hub)  # before importing: an unreachable hub is one error, nothing done
    db = open_database(db_path, create=True)
    show_bar = sys.stderr.isatty()
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not show_bar:
            return
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label="importing", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    def on_error(err) -> None:
        # str() escapes control characters: a newline in a file name forges no line
        if bar is not None:
            click.echo(err=True)
        echo(f"error: {err}", err=True)

    def on_warning(w) -> None:
        echo(f"warning: {w}", err=True)  # str() escapes control characters in names

    try:
        summary = import_paths(db, paths, dataset=dataset, progress=progress,
                               on_error=on_error, on_warning=on_warning)
    except ImportRefused as e:
        fail(str(e))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    echo(summary.line())
    if hub:
        from annotator.cli.hub import publish

        publish(db, hub, dataset)
    if summary.errors:
        sys.exit(1)


@click.command("export")
@db_option
@dataset_option
@click.option("--status", "statuses", default=None,
              help="Comma-separated claim statuses to export "
                   "(unreviewed, confirmed, corrected, flagged). Default: all.")
@click.option("--script", type=click.Choice(exporter.SCRIPTS), default="original",
              show_default=True, help="Convert claim text and figures to this Chinese script.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              default="jsonl", show_default=True)
@click.option("-o", "--output", default="-", show_default=True,
              help="Output file, or - for standard output. Files are written atomically.")
@click.option("--signed-off", is_flag=True,
              help="Only if --dataset is signed off and unchanged since; writes a manifest "
                   "(OUTPUT.manifest.json) beside the output, signed by --reviewer, which "
                   "annotator verify checks.")
@click.option("--neutralise/--no-neutralise", default=True, show_default=True,
              help="CSV: a text cell starting with = + - @, a tab or a carriage return "
                   "gets a leading apostrophe, so a spreadsheet shows it and never runs "
                   "it as a formula. Numbers are written as numbers either way.")
@click.option("--review-url", default=None, metavar="URL",
              help="claimreview: the http(s) page publishing the reviews (each review's "
                   "url, which Google requires); {claim_id} in it stands for the claim.")
@click.option("--organisation", default=None, metavar="NAME",
              help="claimreview: the organisation publishing the reviews (their author; "
                   "default: the reviewers who decided each claim).")
@reviewer_option
@friendly_errors(exporter.ExportError, signoff.SignoffError)
def export_cmd(db_path, dataset, statuses, script, fmt, output, signed_off, neutralise,
               review_url, organisation, reviewer):
    """Export claims with their figures and reviews.

    JSONL: one object per claim (offsets point into the stored original text, whatever
    --script says). CSV: one row per figure, text cells that would start a formula
    neutralised. claimreview: a JSON array of schema.org ClaimReview objects, one per
    reviewed claim, safe to embed in a <script> element; only http(s) addresses are
    written.

    Examples:

    \b
        annotator export --dataset hk-talent --status confirmed,corrected --script hk -o out.jsonl
        annotator export --dataset hk-talent --signed-off -o hk-talent.jsonl
        annotator export --dataset hk-talent --format claimreview --review-url https://checks.example/{claim_id} -o r.json
    """
    db = open_database(db_path)
    wanted = tuple(s.strip() for s in statuses.split(",") if s.strip()) if statuses else None
    check_dataset(db, dataset)
    options = ExportOptions(fmt=fmt, dataset=dataset, statuses=wanted, script=script,
                            signed=signed_off, neutralise=neutralise, review_url=review_url,
                            organisation=organisation,
                            reviewer=need_reviewer(reviewer) if signed_off else None)
    if signed_off:
        done = run_export(db, output, options)
        echo(f"wrote {done.records} record(s) to {done.path} and {done.manifest} "
             f"(sha256 {done.hash})", err=True)
        return
    if fmt == "claimreview" and review_url is None:
        click.echo("warning: without --review-url the ClaimReviews have no url (the page "
                   "publishing them), which Google requires", err=True)
    if output == "-" and _terminal():
        # read on a terminal rather than piped: the same records, with the control
        # characters of stored text escaped (a pipe or a file gets them as stored)
        buf = io.StringIO(newline="")
        run_export(db, "-", options, into=buf)
        text = buf.getvalue().replace("\r\n", "\n")
        echo(text[:-1] if text.endswith("\n") else text, lines=True)
        return
    summary = run_export(db, output, options)
    if summary.path:
        echo(f"wrote {summary.records} record(s) to {summary.path}", err=True)


def _terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


@click.command("stats")
@db_option
@dataset_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def stats_cmd(db_path, dataset, as_json):
    """Articles, claims and figures by status, per dataset. A copy in a duplicated
    passage that inherits its first copy's review counts under that status and in
    inher.; the last lines give each dataset's progress as the window shows it.

    Example:

    \b
        annotator stats --db review.db
    """
    db = open_database(db_path)
    check_dataset(db, dataset)
    rows = stats_service.dataset_stats(db, dataset)
    if as_json:
        echo_json(rows, indent=2)
        return
    if not rows:
        click.echo("no datasets")
        return
    head = f"{'dataset':<20} {'articles':>8} {'claims':>7} {'figures':>7} " \
           f"{'unrev.':>7} {'conf.':>6} {'corr.':>6} {'flag.':>6} {'confl.':>6} " \
           f"{'inher.':>6}"
    click.echo(head)
    for r in rows:
        f = r["figures_by_status"]
        echo(f"{r['dataset']:<20} {r['articles']:>8} {r['claims']:>7} {r['figures']:>7} "
             f"{f['unreviewed']:>7} {f['confirmed']:>6} {f['corrected']:>6} "
             f"{f['flagged']:>6} {r['conflicts']:>6} {r['inherited']:>6}")
    for r in rows:  # the same words as the window's status bar and dataset overview
        echo(f"{r['dataset']}: "
             + stats_service.progress_text(r["reviewed"], r["inherited"], r["figures"])
             + (f"; {r['reread']} read differently by reanalyse, to check again"
                if r.get("reread") else ""))
    for r in rows:
        if r["not_read"]:
            echo(f"{r['dataset']}: {stats_service.not_read_note(r['not_read'])}")


@click.command("snapshot")
@click.argument("output", type=click.Path(dir_okay=False))
@db_option
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def snapshot_cmd(output, db_path, force):
    """Write a self-contained copy of the database, for sending to a lead.

    Your latest decisions may still be in the database's -wal file beside it, so a
    copy of the .db file alone can miss them; a snapshot holds everything, in one file,
    and is safe to take while the window or another command has the database open.

    Example:

    \b
        annotator snapshot ana-2026-12-07.db --db review.db
    """
    from annotator.storage.db import StorageError, snapshot

    db = open_database(db_path)
    try:
        snap = snapshot(db, output, replace=force)
    except StorageError as e:
        fail(str(e))
    finally:
        db.close()
    echo(f"wrote {snap.path}: {snap.articles} article(s), {snap.events} event(s), "
         f"{snap.size / 1e6:.1f} MB in one file (send this file; merge it with "
         f"annotator merge {snap.path.name})")
