"""A small disk of its own for tests of what happens when the disk fills up: a tmpfs
where this process may mount one (root, as in CI), else the test is skipped."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import uuid
from pathlib import Path
from collections.abc import Iterator

import pytest


@contextlib.contextmanager
def small_disk(parent: Path, megabytes: int) -> Iterator[Path]:
    mount = parent / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs",
                           str(mount)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path, leave: int = 4096) -> Path:
    """Fill the disk of `folder` but for `leave` bytes; returns the filler file."""
    filler = folder / "filler"
    free = shutil.disk_usage(folder).free
    with open(filler, "wb") as f:
        f.write(b"\0" * max(0, free - leave))
    return filler
