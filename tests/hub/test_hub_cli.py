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


def test_import_with_a_hub_publishes_the_same_ids(tmp_path, hub_url):
    from tests.conftest import SEEDS

    r = run("import", SEEDS[0], "--dataset", "hk", "--hub", hub_url, "--db", tmp_path / "lead.db")
    assert r.exit_code == 0, r.output
    assert "published to postgresql://" in r.output and "1 article(s)" in r.output
    assert run("sync", "--hub", hub_url, "--db", tmp_path / "ana.db").exit_code == 0
    ids = []
    for name in ("lead", "ana"):
        d = open_db(tmp_path / f"{name}.db")
        ids.append([d.execute(f"SELECT id FROM {t} ORDER BY id").fetchall()
                    for t in ("articles", "claims", "figures")])
        assert d.execute("SELECT dataset FROM dataset_articles").fetchall() == [("hk",)]
        d.close()
    assert ids[0] == ids[1] and ids[0][2]


def test_import_with_an_unreachable_hub_imports_nothing(tmp_path):
    from tests.conftest import SEEDS

    r = run("import", SEEDS[0], "--hub", "postgresql://x@127.0.0.1:1/h", "--db",
            tmp_path / "lead.db")
    assert r.exit_code == 2 and "cannot connect" in r.output
    assert not (tmp_path / "lead.db").exists()
