"""A throwaway PostgreSQL cluster for the hub tests: initdb into a temporary folder and
a server on a free local port, its socket in that folder, run as an ordinary user (as
root, through setpriv as `nobody`: PostgreSQL refuses to run as root)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "hubadmin"


def server_bin() -> Path | None:
    """The folder of an installed PostgreSQL server (postgres and initdb), or None."""
    candidates = []
    found = shutil.which("postgres")
    if found:
        candidates.append(Path(os.path.realpath(found)).parent)
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           reverse=True)]
    for folder in candidates:
        if (folder / "postgres").is_file() and (folder / "initdb").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.base = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
        self.data = self.base / "data"
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None
        self.prefix: list[str] = []
        self._preexec = None
        if os.geteuid() == 0:
            user = pwd.getpwnam("nobody")
            os.chown(self.base, user.pw_uid, user.pw_gid)
            self.prefix = [shutil.which("setpriv") or "setpriv", f"--reuid={user.pw_uid}",
                           f"--regid={user.pw_gid}", "--clear-groups"]
        self.log = self.base / "server.log"
        subprocess.run([*self.prefix, str(self.bin / "initdb"), "-D", str(self.data), "-U",
                        SUPERUSER, "--auth=trust", "--no-sync", "-E", "UTF8",
                        "--locale=C"], check=True, capture_output=True, env=self._env())

    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        return env

    def start(self) -> None:
        out = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [*self.prefix, str(self.bin / "postgres"), "-D", str(self.data), "-p",
             str(self.port), "-k", str(self.base), "-c", "listen_addresses=127.0.0.1",
             "-c", "fsync=off", "-c", "max_connections=60", "-c", "shared_buffers=32MB"],
            stdout=out, stderr=subprocess.STDOUT, env=self._env(), start_new_session=True)
        out.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    pass
                import psycopg

                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("postgres did not start in 30 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)  # fast shutdown
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
