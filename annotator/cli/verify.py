"""verify: check a signed export with no database."""

from __future__ import annotations

import sys

import click

from annotator.cli.common import fail
from annotator.cli.printing import echo
from annotator.services.export import verify as verifier


@click.command("verify")
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option("--roster", "roster_file", default=None, type=click.Path(dir_okay=False),
              metavar="FILE",
              help="The keys you trust: a file of `annotator team list` (text or --json) "
                   "or `annotator keys show` lines.")
@click.option("--key", "keys", multiple=True, metavar="KEY",
              help="A public key you trust (ed25519:BASE64, optionally followed by the "
                   "name it is trusted for; repeatable).")
def verify_cmd(manifest, roster_file, keys):
    """Check a signed export (`annotator export --signed-off`) against its manifest.

    Needs no database: checks that the manifest is as its exporter signed it, that each
    sign-off is its key's signature of the dataset's content hash, that the file beside
    it is the one exported (for JSONL in the original script: every record against the
    signed content), and that the keys are ones you trust. Each problem is one line;
    the exit status is 0 when the export is genuine and signed by keys you trust, 1 when
    it is not (changed, incomplete, a signature that does not verify, an unknown key),
    and 3 when it is intact but no --roster or --key said whose the keys are: the
    manifest's own keys prove nothing about who holds them.

    Examples:

    \b
        annotator verify hk-talent.jsonl.manifest.json --roster team.txt
        annotator verify hk-talent.jsonl.manifest.json --key "ed25519:AAAA... lead"
    """
    trusted = None
    try:
        if roster_file is not None:
            trusted = verifier.read_roster(roster_file)
        if keys:
            trusted = dict(trusted or {})
            trusted.update(verifier.parse_trusted(list(keys), "--key"))
        report = verifier.verify(manifest, trusted)
    except verifier.VerifyError as e:
        fail(str(e))
    for problem in report.problems:
        echo(f"error: {problem}", err=True)
    for s in report.signers:
        mark = {True: "trusted", False: "NOT TRUSTED", None: "untrusted: not checked"}[s.trusted]
        echo(f"  {s.role:<10} by {s.name:<12} {s.fingerprint}  ({mark})")
    if report.problems:
        echo(f"{report.file or manifest}: NOT VERIFIED: {len(report.problems)} problem(s)")
    elif not report.checked_keys:
        echo(f"{report.file}: intact: {report.records} record(s) of dataset "
             f"{report.dataset!r} as signed off (sha256 {report.hash}), but by keys nothing "
             "here vouches for")
        echo("warning: without --roster FILE or --key KEY these are the manifest's own keys, "
             "which anyone can write: compare the fingerprints with your team's, or pass "
             "the roster you trust", err=True)
    else:
        echo(f"{report.file}: verified: {report.records} record(s) of dataset "
             f"{report.dataset!r}, the content signed off (sha256 {report.hash}) by keys you "
             "trust")
    sys.exit(report.exit_code())


COMMANDS = (verify_cmd,)
