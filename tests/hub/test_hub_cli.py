"""hub init, hub status and sync from the command line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli import main
from annotator.services import review as svc
from annotator.storage.db import open_db

from tests.core.factories import figure_ids, make_article


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_init_status_and_sync(tmp_path, bare_url):
    r = run("hub", "status", bare_url)
    assert r.exit_code == 2 and "not initialised: run annotator hub init" in r.output
    r = run("hub", "init", bare_url)
    assert r.exit_code == 0 and "applied 0001_hub" in r.output
    assert "already up to date" in run("hub", "init", bare_url).output
    d = open_db(tmp_path / "ana.db")
    aid = make_article(d, source="a.txt")
    svc.review(d, reviewer="ana", target_id=figure_ids(d, aid)[0], action="confirm")
    d.close()
    r = run("sync", "--hub", bare_url, "--db", tmp_path / "ana.db")
    assert r.exit_code == 0, r.output
    assert "1 event(s) and 1 article(s) sent" in r.output
    r = run("sync", "--hub", bare_url, "--db", tmp_path / "ben.db")
    assert "1 event(s) and 1 article(s) received" in r.output
    status = json.loads(run("hub", "status", bare_url, "--json").output)
    assert (status["events"], status["articles"], status["reviewers"]) == (1, 1, ["ana"])


def test_errors(tmp_path, monkeypatch):
    r = run("sync", "--db", tmp_path / "x.db")
    assert r.exit_code == 2 and "no hub: pass --hub" in r.output
    monkeypatch.setenv("ANNOTATOR_HUB", "postgresql://ana:pw@127.0.0.1:1/hub")
    r = run("sync", "--db", tmp_path / "x.db")
    assert r.exit_code == 2 and "cannot connect" in r.output and ":pw@" not in r.output
    assert "ana:***@127.0.0.1:1/hub" in r.output


def test_a_sync_that_cannot_reach_the_hub_leaves_no_database(tmp_path):
    r = run("sync", "--hub", "postgresql://ana@127.0.0.1:1/hub", "--db", tmp_path / "new.db")
    assert r.exit_code == 2 and "cannot connect" in r.output
    assert list(tmp_path.glob("new*")) == []
