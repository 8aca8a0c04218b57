"""The core and the CLI with Qt made unimportable: they must not need it.

Run as a file, not from standard input: the import's worker processes start by reading
the main module again, which they cannot do from standard input."""

import sys

if __name__ == "__main__":
    sys.modules["PySide6"] = None  # any "import PySide6..." now raises ImportError
    import pytest

    sys.exit(pytest.main(["-q", "-p", "no:pytest-qt", "tests/core", "tests/cli", "tests/hub"]))
