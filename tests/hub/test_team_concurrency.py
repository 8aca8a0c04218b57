"""Three reviewers review one dataset at once and sync in random order, while one of
them has syncs killed and the hub's server is stopped and started again: afterwards
every replica and the hub hold the same events, every acknowledged decision is
everywhere, and what is derived from the events is the same on every replica."""

from __future__ import annotations

import json
import random
import subprocess
import threading
import time

import pytest

from annotator.services import signoff
from annotator.services import sync
from annotator.services import team
from annotator.storage import hub
from annotator.storage.db import open_db

from tests import guarded
from tests.core.factories import figure_ids, make_article
from tests.core.team_helpers import SECOND_TEXT

REVIEWERS = ("ana", "ben", "cy")
ACTIONS = [("confirm", {}), ("correct", {"value": 190000}), ("flag", {"reason": "outdated"}),
           ("confirm", {})]


def _derived(path) -> dict:
    d = open_db(path)
    try:
        return {
            "events": sorted(r[0] for r in d.execute("SELECT id FROM events")),
            "states": d.execute("SELECT figure_id, status, corrected_value, flag, conflict, "
                                "inherited_from, updated_at FROM figure_state "
                                "ORDER BY figure_id").fetchall(),
            "conflicts": [c.figure_id for c in team.conflicts(d, "ds")],
            "agreement": team.agreement(d, "ds").as_dict(),
            "signoff": signoff.signoff_state(d, "ds").as_dict(),
            "progress": team.reviewer_progress(d, "ds"),
            "decisions": {tuple(r) for r in d.execute(
                "SELECT reviewer, target_id, action FROM events")},
        }
    finally:
        d.close()


class Reviewer(threading.Thread):
    def __init__(self, name, folder, url, figures, seed, *, killed: bool):
        super().__init__(daemon=True)
        self.name_, self.db, self.url = name, folder / f"{name}.db", url
        self.figures, self.rng, self.killed = figures, random.Random(seed), killed
        self.acknowledged: list[tuple] = []
        self.problems: list[str] = []
        self.kills = self.offline = 0

    def sync(self, *, kill: bool = False) -> None:
        try:
            r = guarded.command("sync", "--hub", self.url, "--db", self.db,
                                timeout=self.rng.uniform(0.6, 1.4) if kill else 300)
        except subprocess.TimeoutExpired:
            self.kills += 1
            return
        if r.returncode == 2 and "hub postgresql://" in r.stderr:
            self.offline += 1  # the server was down: reviewing goes on
        elif r.returncode != 0:
            self.problems.append(f"{self.name_} sync: {r.returncode} {r.stderr}")

    def review(self) -> None:
        lines = []
        for _ in range(3):
            action, kw = self.rng.choice(ACTIONS)
            lines.append({"figure_id": self.rng.choice(self.figures), "action": action, **kw})
        batch = self.db.with_suffix(".jsonl")
        batch.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
        r = guarded.command("review", "--batch", batch, "--reviewer", self.name_,
                            "--db", self.db)
        if r.returncode != 0:
            self.problems.append(f"{self.name_} review: {r.returncode} {r.stderr}")
        oks = [line.split()[1] for line in r.stdout.splitlines() if line.startswith("ok ")]
        for line, target in zip(lines, oks):
            assert line["figure_id"] == target
            self.acknowledged.append((self.name_, target, line["action"]))

    def run(self) -> None:
        self.sync()
        for _ in range(7):
            if self.rng.random() < 0.5:
                self.review()
            else:
                self.sync(kill=self.killed)


@pytest.mark.slow
def test_three_reviewers_a_killed_client_and_a_restarted_server(tmp_path, hub_url,
                                                                pg_server):
    lead = open_db(tmp_path / "lead.db")
    figures = []
    for text, source in ((None, "a.txt"), (SECOND_TEXT, "b.txt")):
        aid = make_article(lead, **({"text": text} if text else {}), source=source)
        figures += figure_ids(lead, aid)
    sync.sync(lead, hub_url)
    lead.close()
    reviewers = [Reviewer(name, tmp_path, hub_url, figures, seed, killed=name == "ben")
                 for seed, name in enumerate(REVIEWERS)]
    for r in reviewers:
        r.start()
    time.sleep(4)
    pg_server.stop()
    offline = Reviewer("dee", tmp_path, hub_url, figures, 9, killed=False)
    offline.sync()  # while the server is down: an error naming the hub, nothing else
    assert offline.offline == 1 and not (tmp_path / "dee.db").exists()
    time.sleep(1)
    pg_server.start()
    for r in reviewers:
        r.join(300)
        assert not r.is_alive()
    # everyone syncs until all have everything: twice round, in order
    for r in reviewers + reviewers[:2]:
        r.sync()
    problems = [p for r in reviewers for p in r.problems]
    assert problems == []
    assert reviewers[1].kills >= 1
    assert sum(r.acknowledged != [] for r in reviewers) >= 2

    conn = hub.connect(hub_url)
    try:
        on_hub = sorted(row[0] for row in conn.execute("SELECT id FROM events"))
    finally:
        conn.close()
    derived = [_derived(r.db) for r in reviewers]
    assert derived[0]["events"] == on_hub
    for other in derived[1:]:
        assert other == derived[0]
    acknowledged = {a for r in reviewers for a in r.acknowledged}
    assert acknowledged <= derived[0]["decisions"]
