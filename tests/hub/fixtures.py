"""Fixtures of the hub tests (registered for the whole suite in tests/conftest.py): they
run against a throwaway PostgreSQL cluster started here (tests/hub/pgserver.py); without
an installed PostgreSQL server they are skipped, saying so."""

from __future__ import annotations

import importlib.util
import itertools

import pytest

from tests.hub import pgserver

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server():
    bin_dir = pgserver.server_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server installed (postgres and initdb not found; on "
                    "Debian: apt-get install postgresql)")
    if importlib.util.find_spec("psycopg") is None:
        pytest.fail("a PostgreSQL server is installed but not the hub's driver: "
                    "pip install -e '.[team]' (scripts/setup.sh test does)")
    server = pgserver.PgServer(bin_dir)
    server.start()
    yield server
    server.remove()


@pytest.fixture
def hub_url(pg_server) -> str:
    """A new, empty PostgreSQL database on the test cluster, initialised as a hub."""
    from annotator.storage import hub

    url = pg_server.create_database(f"hub{next(_names)}")
    hub.init(url)
    return url


@pytest.fixture
def bare_url(pg_server) -> str:
    """A new, empty PostgreSQL database that is not a hub yet."""
    return pg_server.create_database(f"bare{next(_names)}")
