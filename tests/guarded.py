"""`python -m tests.guarded ARGS...`: the annotator command line under the database-file
guard (tests/dbguard.py), for tests that run commands in child processes. A command
that opened a database file outside SQLite exits with status 97 and says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests import dbguard

GUARD_EXIT = 97
ROOT = Path(__file__).resolve().parents[1]


def command(*args, env: dict | None = None, prefix: tuple = (), preexec_fn=None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `annotator ARGS` this way in a child process, from the repository (for the
    tests): `prefix` goes before the interpreter (setpriv), `env` replaces the
    environment (PYTHONPATH is set to the repository in any case)."""
    env = dict(os.environ if env is None else env, PYTHONPATH=str(ROOT))
    return subprocess.run([*prefix, sys.executable, "-m", "tests.guarded", *map(str, args)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=preexec_fn)


def start(*args, env: dict | None = None) -> subprocess.Popen:
    """`command`, started and not waited for (for a test that kills it at a moment it
    chooses)."""
    env = dict(os.environ if env is None else env, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "tests.guarded", *map(str, args)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


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
