"""A sync killed at any moment leaves both sides consistent, and the next one finishes."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import time

import pytest

from annotator.services import review as svc
from annotator.services import signoff
from annotator.storage import hub
from annotator.storage.db import open_db

from tests import guarded
from tests.core.factories import figure_ids, make_article
from tests.core.team_helpers import SECOND_TEXT


def _hub_events(url) -> set[str]:
    conn = hub.connect(url)
    try:
        # every event on the hub is on a figure whose article the hub has
        orphans = conn.execute(
            "SELECT count(*) FROM events e WHERE e.target_type = 'figure' AND NOT EXISTS "
            "(SELECT 1 FROM targets t WHERE t.target_type = 'figure' AND "
            "t.target_id = e.target_id)").fetchone()[0]
        assert orphans == 0
        return {r[0] for r in conn.execute("SELECT id FROM events")}
    finally:
        conn.close()


def _local(path) -> set[str]:
    d = open_db(path)
    try:
        assert signoff.stale_figures(d, "ds") == []  # the cache is what the events say
        return {r[0] for r in d.execute("SELECT id FROM events")}
    finally:
        d.close()


def _sync(path, url, timeout=None):
    try:
        r = guarded.command("sync", "--hub", url, "--db", path, "--batch", 40,
                            timeout=timeout or 300)
    except subprocess.TimeoutExpired:
        return None  # killed (SIGKILL) where it was
    assert r.returncode == 0, r.stderr
    return r


@pytest.mark.slow
def test_killed_syncs_leave_both_sides_consistent_and_a_rerun_completes(tmp_path, hub_url):
    rng = random.Random(24)
    ana = open_db(tmp_path / "ana.db")
    f = []
    for text, source in ((None, "a.txt"), (SECOND_TEXT, "b.txt")):
        aid = make_article(ana, **({"text": text} if text else {}), source=source)
        f += figure_ids(ana, aid)
    for i in range(800):
        svc.review(ana, reviewer="ana", target_id=rng.choice(f),
                   action=rng.choice(["confirm", "flag", "clear"]), reason="outdated")
    mine = {r[0] for r in ana.execute("SELECT id FROM events")}
    ana.close()
    # each run is killed (SIGKILL) once it has visibly begun its work (events arrived
    # on the hub, or in ben's database), a random moment after that
    def events_in(path) -> int:
        if not path.exists():
            return 0
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM events").fetchone()[0]
        except sqlite3.Error:
            return 0
        finally:
            conn.close()

    def killed_midway(path, progress) -> bool:
        before = progress()
        p = guarded.start("sync", "--hub", hub_url, "--db", path, "--batch", 40)
        while p.poll() is None and progress() == before:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.3))
        if p.poll() is not None:
            out, err = p.communicate()
            assert p.returncode == 0, err
            return False
        p.kill()
        p.communicate()
        return True

    kills, partial = 0, []
    while killed_midway(tmp_path / "ana.db", lambda: len(_hub_events(hub_url))):
        kills += 1
        partial.append(0 < len(_hub_events(hub_url)) < len(mine))
        assert _hub_events(hub_url) <= mine
        assert _local(tmp_path / "ana.db") == mine
    while killed_midway(tmp_path / "ben.db", lambda: events_in(tmp_path / "ben.db")):
        kills += 1
        got = _local(tmp_path / "ben.db")
        assert got <= _hub_events(hub_url)
        partial.append(0 < len(got) < len(mine))
    assert kills >= 2 and sum(partial) >= 2  # kills did land mid-sync
    _sync(tmp_path / "ana.db", hub_url)
    _sync(tmp_path / "ben.db", hub_url)
    assert _hub_events(hub_url) == mine == _local(tmp_path / "ben.db")
    r = _sync(tmp_path / "ben.db", hub_url)
    assert "0 event(s) and 0 article(s) received, 0 event(s) and 0 article(s) sent" in r.stdout
