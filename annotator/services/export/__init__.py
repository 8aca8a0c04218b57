"""Exporting claims: the records and their checks (`records`), the ClaimReview writer
(`claimreview`), the signed export and its manifest (`signed`), checking a signed export
without a database (`verify`), and the one choice of what to write (`run`) that the
command line and the window both call."""
