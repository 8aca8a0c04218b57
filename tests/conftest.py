"""Shared fixtures: every test gets its own database and settings under tmp_path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests import dbguard

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEEDS = sorted(SAMPLES.glob("00*.txt"))


dbguard.install()

# the hub's PostgreSQL server and databases, for tests/hub and the window's hub tests
pytest_plugins = ["tests.hub.fixtures"]

# CI runs the property tests on a fixed sequence of examples, so that a submission's result
# does not depend on which random examples a run drew; runs elsewhere draw new ones and
# are how new failures are found (the failing example is printed to be added as a case).
if os.environ.get("CI"):
    from hypothesis import settings as _hypothesis

    _hypothesis.register_profile("ci", derandomize=True, print_blob=True)
    _hypothesis.load_profile("ci")


@pytest.fixture(autouse=True)
def _no_database_file_opened_outside_sqlite():
    """Every test fails if it made annotator open a database file, or its -wal or -shm
    file, other than through SQLite (tests/dbguard.py says why that loses work)."""
    dbguard.clear()
    yield
    found = dbguard.violations()
    dbguard.clear()
    assert not found, "database file opened outside SQLite:\n" + "\n".join(found)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_CONFIG", str(tmp_path / "config.json"))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    monkeypatch.delenv("ANNOTATOR_REVIEWER", raising=False)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path):
    from annotator.storage.db import open_db

    d = open_db(db_path)
    yield d
    d.close()


@pytest.fixture(scope="session")
def _samples_db_template(tmp_path_factory) -> Path:
    """The samples imported once per session; tests get a copy."""
    from annotator.services.importing import import_paths
    from annotator.storage.db import open_db

    path = tmp_path_factory.mktemp("template") / "samples.db"
    d = open_db(path)
    summary = import_paths(d, [SAMPLES], dataset="samples")
    assert not summary.errors, summary.errors
    d.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    d.close()
    return path


@pytest.fixture
def samples_db(_samples_db_template, tmp_path):
    from annotator.storage.db import open_db

    path = tmp_path / "samples.db"
    shutil.copy(_samples_db_template, path)
    d = open_db(path)
    yield d
    d.close()
