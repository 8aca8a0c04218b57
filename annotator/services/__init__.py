"""Use cases over storage and text; each write is one transaction returning what changed.

Storage imports no service, but two of its jobs need a service's definition: every event
it appends is signed with the reviewer's key (annotator.services.identity finds or makes
it), and migration 0006 hashes signed datasets as sign-off does
(annotator.services.signoff). Importing this package hands both over, so whatever uses
a service (the command line, the window, a script) writes signed events and migrates
signatures; storage alone refuses to write a reviewer's event rather than leave it
unsigned (docs/adr/0007-layers.md).
"""

from annotator.services import identity as _identity
from annotator.storage import migrations as _migrations
from annotator.storage import reviews as _reviews


def _content_hash(db, dataset: str) -> str:
    # the sign-off service loads the exporter: only an old database's migration needs it
    from annotator.services import signoff

    return signoff.content_hash(db, dataset)


_reviews.use_signer(_identity.signer)
_migrations.use_content_hash(_content_hash)
