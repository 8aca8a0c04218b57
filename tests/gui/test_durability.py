"""What the window shows as done is in the database, even if the process is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from annotator.storage import reviews as rv
from annotator.storage.db import open_db

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings
from annotator.gui.app import application
from annotator.storage.db import open_db
app = application()
from annotator.gui.main_window import MainWindow
db = open_db(sys.argv[1])
w = MainWindow(db, "ana", db_path=sys.argv[1],
               settings=QSettings(sys.argv[2], QSettings.Format.IniFormat))
w.show()
app.processEvents()
done = []
for _ in range(3):
    fid = w.session.figure_id
    w.commands.confirm()
    app.processEvents()
    if w.session.claims.figure_index(fid).siblingAtColumn(2).data() == "confirmed":
        done.append(fid)  # shown as done
print(" ".join(done), flush=True)
time.sleep(60)
"""


def test_killed_after_showing_three_confirms_keeps_all_three(review_db_path, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(review_db_path),
                             str(tmp_path / "s.ini")], stdout=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)
    try:
        shown = proc.stdout.readline().split()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert len(shown) == 3
    db = open_db(review_db_path)
    try:
        assert [rv.figure_state(db, fid)["status"] for fid in shown] == ["confirmed"] * 3
    finally:
        db.close()
