"""The Qt binding must keep Python's reference counts (see annotator/gui/compat.py).

When it does not, this test fails with the advice, and the other window tests are
skipped rather than left to abort the interpreter at a random point."""

from annotator.gui import compat


def test_qt_binding_keeps_reference_counts():
    assert not compat.binding_loses_references(), compat.ADVICE
