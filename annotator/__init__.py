"""annotator: check the figures in news datasets."""

__version__ = "0.1.0"
