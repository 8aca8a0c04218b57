"""Syncing reviewers' databases through a hub: both ways, idempotent, and checked as a
merge is."""

from __future__ import annotations

import pytest

from annotator.services import review as svc
from annotator.services import sync
from annotator.services import team
from annotator.storage import hub
from annotator.storage.db import open_db

from tests.core.factories import figure_ids, make_article
from tests.core.team_helpers import SECOND_TEXT


def _ids(d) -> set[str]:
    return {r[0] for r in d.execute("SELECT id FROM events")}


def _hub_ids(url) -> set[str]:
    conn = hub.connect(url)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM events")}
    finally:
        conn.close()


def test_sync_both_ways_and_again_changes_nothing(tmp_path, hub_url):
    ana = open_db(tmp_path / "ana.db")
    aid = make_article(ana, source="ana/a.txt")
    f = figure_ids(ana, aid)
    svc.review(ana, reviewer="ana", target_id=f[0], action="confirm")
    svc.review(ana, reviewer="ana", target_id=f[1], action="correct", value=5)
    s = sync.sync(ana, hub_url)
    assert (s.pushed_events, s.pushed_articles) == (2, 1)
    assert _hub_ids(hub_url) == _ids(ana)

    ben = open_db(tmp_path / "ben.db")  # empty: gets the article and the decisions
    s = sync.sync(ben, hub_url)
    assert (s.pulled_events, s.pulled_articles, s.pushed_events) == (2, 1, 0)
    assert figure_ids(ben, aid) == f
    svc.review(ben, reviewer="ben", target_id=f[1], action="confirm")
    sync.sync(ben, hub_url)
    s = sync.sync(ana, hub_url)
    assert s.pulled_events == 1 and s.pushed_events == 0
    assert _ids(ana) == _ids(ben) == _hub_ids(hub_url)
    assert [c.figure_id for c in team.conflicts(ana)] == [f[1]]
    assert [c.figure_id for c in team.conflicts(ben)] == [f[1]]
    again = sync.sync(ana, hub_url), sync.sync(ben, hub_url)
    assert all((s.pulled_events, s.pushed_events, s.pulled_articles, s.pushed_articles)
               == (0, 0, 0, 0) for s in again)


def test_a_dataset_only(tmp_path, hub_url):
    ana = open_db(tmp_path / "ana.db")
    a1 = make_article(ana, dataset="one", source="a.txt")
    a2 = make_article(ana, text=SECOND_TEXT, dataset="two",
                      source="b.txt")
    svc.review(ana, reviewer="ana", target_id=figure_ids(ana, a1)[0], action="confirm")
    sync.sync(ana, hub_url)
    ben = open_db(tmp_path / "ben.db")
    sync.sync(ben, hub_url, dataset="one")
    assert {r[0] for r in ben.execute("SELECT id FROM articles")} == {a1}
    assert len(_ids(ben)) == 1
    sync.sync(ben, hub_url, dataset="two")
    assert {r[0] for r in ben.execute("SELECT id FROM articles")} == {a1, a2}
    with pytest.raises(sync.SyncError, match="neither"):
        sync.sync(ben, hub_url, dataset="three")


def test_errors_name_the_hub_without_its_password(tmp_path, bare_url, pg_server):
    d = open_db(tmp_path / "d.db")
    with pytest.raises(hub.HubError, match="not initialised") as e:
        sync.sync(d, bare_url)
    assert "hub postgresql://" in str(e.value)
    down = f"postgresql://ana:secret@127.0.0.1:{pg_server.port + 1}/hub"
    with pytest.raises(hub.HubError, match="cannot connect") as e:
        sync.sync(d, down)
    assert "secret" not in str(e.value) and "ana:***@127.0.0.1" in str(e.value)
    with pytest.raises(hub.HubError, match="not a PostgreSQL address"):
        sync.sync(d, "mysql://x@y/z")
    with pytest.raises(hub.HubError, match="not a PostgreSQL address"):
        sync.sync(d, "postgresql://a:b@localhost/db?nosuchoption=1")
    with pytest.raises(hub.HubError, match="not a PostgreSQL address"):
        sync.sync(d, "db.example.com")


def test_articles_whose_passages_copy_another_article_travel_with_it(tmp_path, hub_url):
    """A copy's claims and figures point at the first copy's (duplicate_of), in another
    article: whichever batch carries the copy carries what it points at."""
    from annotator.services.importing import import_paths
    from annotator.storage import articles as repo

    ana = open_db(tmp_path / "ana.db")
    from tests.conftest import SEEDS

    first = tmp_path / "first.txt"
    text = SEEDS[0].read_text(encoding="utf-8")
    first.write_text(text, encoding="utf-8")
    second = tmp_path / "second.txt"
    second.write_text("转载\n" + text, encoding="utf-8")  # a re-post
    import_paths(ana, [first], dataset="one")
    import_paths(ana, [second], dataset="two")
    copies = ana.execute("SELECT count(*) FROM claims WHERE duplicate_of IS NOT NULL"
                         ).fetchone()[0]
    assert copies, "the second article's passage should be marked a copy of the first's"
    copy_article = ana.execute("SELECT article_id FROM claims WHERE duplicate_of IS NOT NULL"
                               ).fetchone()[0]
    fid = ana.execute("SELECT id FROM figures WHERE article_id = ?", [copy_article]
                      ).fetchone()[0]
    svc.review(ana, reviewer="ana", target_id=fid, action="confirm")
    sync.sync(ana, hub_url, dataset="two")  # pushes the copy: the first travels with it
    ben = open_db(tmp_path / "ben.db")
    sync.sync(ben, hub_url, dataset="two")
    assert len(repo.dataset_names(ben)) >= 1
    assert ben.execute("SELECT count(*) FROM claims WHERE duplicate_of IS NOT NULL"
                       ).fetchone()[0] == copies
    assert _ids(ben) == _ids(ana)
