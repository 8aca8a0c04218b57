"""The bundled sample articles (package data, used by `annotator demo`)."""
