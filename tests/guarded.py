"""`python -m tests.guarded ARGS...`: the annotator command line under the database-file
guard (tests/dbguard.py), for tests that run commands in child processes. A command
that opened a database file outside SQLite exits with status 97 and says so."""

from __future__ import annotations

import sys

from tests import dbguard

GUARD_EXIT = 97


def main() -> int:
    dbguard.install()
    from annotator.cli import main as cli

    try:
        cli.main(args=sys.argv[1:], prog_name="annotator", standalone_mode=True)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    else:
        code = 0
    found = dbguard.violations()
    if found:
        print("\n".join(f"guard: {v}" for v in found), file=sys.stderr)
        return GUARD_EXIT
    return code


if __name__ == "__main__":
    sys.exit(main())
