import json

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.cli.team import COMMANDS
from annotator.services.export import signed as signed_export
from annotator.storage import reviews as rv
from annotator.storage.db import open_db

from tests.core.team_helpers import two_reviewers


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()

    def invoke(*args, ok=True):
        result = runner.invoke(main, [str(a) for a in args])
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        else:
            assert result.exit_code != 0, result.output
            assert "Traceback" not in result.output + result.stderr
            assert not isinstance(result.exception, Exception) or \
                isinstance(result.exception, SystemExit)
        return result

    return invoke


@pytest.fixture
def merged(tmp_path, run):
    ana, ben, aid, f = two_reviewers(tmp_path)
    lead = tmp_path / "lead.db"
    out = run("merge", ana, "--db", lead)
    assert "5 new event(s), 1 article(s)" in out.stdout
    run("merge", ben, "--db", lead)
    again = run("merge", ben, "--db", lead)
    assert again.stdout.startswith(f"merged {ben}: 0 new event(s)")
    return lead, f


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_team_command_has_help_with_an_example(run, command):
    assert command.name in main.commands
    assert "Example" in run(command.name, "--help").stdout


def test_conflicts_adjudicate_agreement(run, merged):
    lead, f = merged
    listed = json.loads(run("conflicts", "--db", lead, "--dataset", "ds", "--json").stdout)
    assert [c["figure_id"] for c in listed] == [f[0], f[4]]
    text = run("conflicts", "--db", lead).stdout
    assert "ben" in text and "corrected" in text
    run("adjudicate", f[0], "--db", lead, "--reviewer", "lead", "--pick", "ben")
    run("adjudicate", f[4], "--db", lead, "--reviewer", "lead", "--flag", "outdated",
        "--note", "2019 figure")
    assert run("conflicts", "--db", lead).stdout.strip() == "no conflicts"
    with open_db(lead) as d:
        assert rv.figure_state(d, f[0])["value"] == 190000
        assert rv.figure_state(d, f[4])["flag"] == "outdated"
    result = run("adjudicate", f[0], "--db", lead, "--reviewer", "lead", "--pick", "ana",
                 "--confirm", ok=False)
    assert result.exit_code == 2 and "exactly one" in result.stderr
    a = json.loads(run("agreement", "--db", lead, "--dataset", "ds", "--json").stdout)
    # ana: c c c c c, ben: r c c c f -> 3 of 5 agree; ana used one category so kappa = 0
    assert a["pairs"][0]["agreed"] == 3 and a["pairs"][0]["kappa"] == pytest.approx(0.0)
    assert "Krippendorff" in run("agreement", "--db", lead).stdout


def test_signoff_lock_reopen_and_signed_export(run, merged, tmp_path):
    lead, f = merged
    refused = run("signoff", "--db", lead, "--dataset", "ds", "--reviewer", "ana", ok=False)
    assert refused.exit_code == 1
    # ben's second article repeats the first: its copies inherit the reviewed figures, and
    # the two in conflict leave their copies unreviewed
    assert "error: dataset 'ds' cannot be signed off: 2 figure(s) unreviewed, 2 conflict(s)" \
        in refused.stderr
    for fid in (f[0], f[4]):
        run("adjudicate", fid, "--db", lead, "--reviewer", "lead", "--pick", "ben")
    with open_db(lead) as d:
        others = [r[0] for r in d.execute("SELECT id FROM figures WHERE id NOT IN (%s)"
                                          % ",".join("?" * len(f)), f)]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps({"figure_id": x, "action": "confirm"}) + "\n"
                             for x in others), encoding="utf-8")
    run("review", "--db", lead, "--reviewer", "ben", "--batch", batch)
    run("signoff", "--db", lead, "--dataset", "ds", "--reviewer", "ana")
    out = tmp_path / "ds.jsonl"
    early = run("export", "--db", lead, "--dataset", "ds", "--signed-off", "--reviewer", "lead",
            "-o", out, ok=False)
    assert "not signed off (1 of 2" in early.stderr and not out.exists()
    done = run("signoff", "--db", lead, "--dataset", "ds", "--reviewer", "ben")
    assert "2 of 2 signature(s): signed off and locked" in done.stdout
    locked = run("review", f[1], "--db", lead, "--reviewer", "ana", "--flag", "other", ok=False)
    assert "signed off and locked; reopen it first" in locked.stderr
    run("export", "--db", lead, "--dataset", "ds", "--signed-off", "--reviewer", "lead", "-o", out)
    manifest = json.loads(signed_export.manifest_path(out).read_text(encoding="utf-8"))
    assert [s["reviewer"] for s in manifest["signatures"]] == ["ana", "ben"]
    shown = json.loads(run("signoff", "--db", lead, "--dataset", "ds", "--show", "--json").stdout)
    assert shown["signed_off"] and shown["hash"] == manifest["hash"]
    cr = tmp_path / "ds.claimreview.json"
    run("export", "--db", lead, "--dataset", "ds", "--format", "claimreview", "-o", cr)
    assert len(json.loads(cr.read_text(encoding="utf-8"))) == 6
    missing = run("reopen", "--db", lead, "--dataset", "ds", "--reviewer", "lead", ok=False)
    assert missing.exit_code == 2  # --reason is required
    run("reopen", "--db", lead, "--dataset", "ds", "--reviewer", "lead", "--reason", "recheck")
    run("review", f[1], "--db", lead, "--reviewer", "ana", "--flag", "other")
    history = run("history", "ds", "--db", lead).stdout
    assert "signoff" in history and "reopen" in history


def test_signed_export_refused_when_database_changed_behind_the_tools_back(run, tmp_path):
    import sqlite3

    from tests.core.factories import make_article

    path = tmp_path / "one.db"
    with open_db(path) as d:
        make_article(d)
    run("review", "c-x", "--db", path, "--reviewer", "ana", "--confirm", ok=False)
    with open_db(path) as d:
        claims = [r[0] for r in d.execute("SELECT id FROM claims")]
    for c in claims:
        run("review", c, "--db", path, "--reviewer", "ana", "--confirm")
    run("signoff", "--db", path, "--dataset", "ds", "--required", 1, "--reviewer", "lead")
    run("signoff", "--db", path, "--dataset", "ds", "--reviewer", "ana")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE figures SET value = 999 WHERE rowid = 1")
    conn.commit()
    conn.close()
    result = run("export", "--db", path, "--dataset", "ds", "--signed-off", "--reviewer", "lead",
            "-o",
                 tmp_path / "x.jsonl", ok=False)
    assert result.exit_code == 1
    assert "error: dataset 'ds' no longer matches what was signed" in result.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_clear_errors_without_tracebacks(run, tmp_path):
    db = tmp_path / "x.db"
    bad = tmp_path / "bad.db"
    bad.write_text("hello", encoding="utf-8")
    assert "error:" in run("merge", bad, "--db", db, ok=False).stderr
    assert "no such database" in run("merge", tmp_path / "nope.db", "--db", db, ok=False).stderr
    assert not db.exists()  # a failed merge into a new database leaves none behind
    open_db(db).close()
    assert "no dataset named" in run("agreement", "--db", db, "--dataset", "zz", ok=False).stderr
    assert "no dataset named" in run("signoff", "--db", db, "--dataset", "zz", "--reviewer", "a",
                                     ok=False).stderr
    assert "reviewer" in run("reopen", "--db", db, "--dataset", "zz", "--reason", "x",
                             ok=False).stderr


def test_history_shows_each_events_note(run, tmp_path):
    from tests.core.factories import claim_ids, figure_ids, make_article

    path = tmp_path / "small.db"
    with open_db(path) as d:
        aid = make_article(d, dataset="small")
        fids, cids = figure_ids(d, aid), claim_ids(d, aid)
    run("review", fids[0], "--db", path, "--reviewer", "ana", "--correct", 50200,
        "--note", "5.02万 in the table")
    for c in cids:
        run("review", c, "--db", path, "--reviewer", "ana", "--confirm")
    run("signoff", "--db", path, "--dataset", "small", "--required", 1, "--reviewer", "lead")
    run("signoff", "--db", path, "--dataset", "small", "--reviewer", "ana")
    run("reopen", "--dataset", "small", "--db", path, "--reviewer", "lead",
        "--reason", "figure 12 is wrong\nand 13")
    lines = run("history", "small", "--db", path).stdout.splitlines()
    assert len(lines) == 3  # required, signoff, reopen: a note's line break stays inside
    assert "reopen" in lines[-1] and lines[-1].endswith('note: "figure 12 is wrong\\nand 13"')
    events = [json.loads(x) for x in run("history", "small", "--db", path, "--json").stdout
              .splitlines()]
    assert events[-1]["action"] == "reopen" and events[-1]["note"] == "figure 12 is wrong\nand 13"
    first = run("history", fids[0], "--db", path).stdout.splitlines()[0]
    assert first.endswith('status=corrected, value=50200.0  note: "5.02万 in the table"')


def test_agreement_says_why_there_is_nothing_to_compare(tmp_path):
    """Two reviewers who never reviewed the same figure are two reviewers, not fewer."""
    from click.testing import CliRunner

    from annotator.cli import main
    from annotator.services import review as svc
    from annotator.storage.db import open_db
    from tests.core.factories import figure_ids, make_article

    path = tmp_path / "two.db"
    db = open_db(path)
    figures = figure_ids(db, make_article(db))
    svc.review(db, reviewer="ana", target_id=figures[0], action="confirm")
    svc.review(db, reviewer="ben", target_id=figures[1], action="confirm")
    db.close()
    out = CliRunner().invoke(main, ["agreement", "--dataset", "ds", "--db", str(path)]).output
    assert "2 reviewers, but no figure reviewed by two of them" in out


def test_agreement_counts_flag_reasons_apart_by_default_as_the_conflicts_list_does(tmp_path):
    import json

    from click.testing import CliRunner

    from annotator.cli import main
    from annotator.services import review as svc
    from annotator.storage.db import open_db
    from tests.core.factories import figure_ids, make_article

    path = tmp_path / "flags.db"
    db = open_db(path)
    fid = figure_ids(db, make_article(db))[0]
    svc.review(db, reviewer="ana", target_id=fid, action="flag", reason="outdated")
    svc.review(db, reviewer="ben", target_id=fid, action="flag", reason="wrong_figure")
    db.close()
    runner = CliRunner()
    conflicts = runner.invoke(main, ["conflicts", "--json", "--db", str(path)]).output
    assert fid in conflicts  # the two flags are a conflict
    default = json.loads(runner.invoke(main, ["agreement", "--dataset", "ds", "--json",
                                              "--db", str(path)]).output)
    loose = json.loads(runner.invoke(main, ["agreement", "--dataset", "ds", "--json",
                                            "--any-reason", "--db", str(path)]).output)
    assert default["by_reason"] and default["pairs"][0]["agreed"] == 0
    assert not loose["by_reason"] and loose["pairs"][0]["agreed"] == 1
