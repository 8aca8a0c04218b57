"""Closing the window leaves every decision in the database file itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


COUNT_IN_COPY = r"""
import shutil, sqlite3, sys
shutil.copy(sys.argv[1], sys.argv[2])  # the database file alone, without its log
conn = sqlite3.connect(sys.argv[2])
print(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
"""


def test_closing_the_window_moves_every_decision_into_the_database_file(
        qtbot, window, review_db, review_db_path, tmp_path):
    for _ in range(3):
        window.commands.confirm()
    window.close()
    wal = Path(f"{review_db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    # copied by another process: this one holds a connection, and must not open the file
    out = subprocess.run([sys.executable, "-c", COUNT_IN_COPY, str(review_db_path),
                          str(tmp_path / "copy.db")], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.split() == ["3"]
