"""One export service: the command line's export goes through services.export.run, and
what the window shows of a claim does not come from the export modules."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from annotator.cli import data as cli_data
from annotator.cli import main as cli
from annotator.domain import claim_status
from annotator.services.export import run as export_run

from tests.core.factories import make_article


def test_the_command_line_export_makes_its_choice_in_run_export(db, db_path, tmp_path,
                                                                  monkeypatch):
    make_article(db)
    seen = []
    real = export_run.run_export

    def recording(database, output, options, **kw):
        seen.append(options)
        return real(database, output, options, **kw)

    monkeypatch.setattr(cli_data, "run_export", recording)
    out = tmp_path / "x.json"
    result = CliRunner().invoke(cli, ["export", "--db", str(db_path), "--format", "claimreview",
                                      "--review-url", "https://checks.example/{claim_id}",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [(o.fmt, o.review_url) for o in seen] == [
        ("claimreview", "https://checks.example/{claim_id}")]


def test_the_windows_claim_status_needs_no_export_module():
    code = ("import sys, annotator.services.browse; "
            "print([m for m in sys.modules if m.startswith('annotator.services.export')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
    assert claim_status(["confirmed", "flagged"]) == "flagged"
    assert claim_status(["confirmed", "unreviewed"]) == "unreviewed"
