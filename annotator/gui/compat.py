"""Refusing a Qt binding that corrupts the interpreter.

PySide6 6.12.0 on Python 3.11 gives back one reference too many to None after every Qt
call that returns nothing, and to True after every signal emitted from Python. Once a
count reaches zero the interpreter aborts ("Fatal Python error: none_dealloc"), which
in this window takes a few hundred key presses. Python 3.12 made None and True immortal,
so the same binding is harmless there. The check measures the bug instead of matching
version numbers, so a fixed build passes whatever it is called.
"""

from __future__ import annotations

import sys

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QTimer

PROBE_CALLS = 20

ADVICE = (
    f"PySide6 {PYSIDE_VERSION} on Python {sys.version_info.major}.{sys.version_info.minor} "
    "loses references to None and True on every call, and the program would crash after a "
    "few hundred actions. Install another PySide6 (pip install 'PySide6-Essentials<6.12') "
    "or run on Python 3.12 or newer."
)


def binding_loses_references() -> bool:
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        timer.stop()
    return sys.getrefcount(None) < before
