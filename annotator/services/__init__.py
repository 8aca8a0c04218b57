"""Use cases over storage and text; each write is one transaction returning what changed."""
