"""Plain domain types shared by every layer.

No Qt and no SQL here: storage maps these to rows, the GUI wraps them in models.
All offsets are Python code-point offsets into the article's stored original text
(or, for the text engines, into the string they were given).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Figure kinds, in the order the export documents them.
FIGURE_KINDS = (
    "count",
    "percent",
    "money",
    "date",
    "year",
    "number",
    "ordinal",
    "range",
    "change",
)

# Review verdicts of a figure, claim or duplicate pair.
STATUSES = ("unreviewed", "confirmed", "corrected", "flagged")


def claim_status(statuses: list[str]) -> str:
    """A claim is as reviewed as its least reviewed figure; any flag makes it flagged."""
    if not statuses or "unreviewed" in statuses:
        return "unreviewed"
    if "flagged" in statuses:
        return "flagged"
    if "corrected" in statuses:
        return "corrected"
    return "confirmed"

FLAG_REASONS = (
    "wrong_figure",
    "unsupported",
    "outdated",
    "garbled_text",
    "not_a_claim",
    "duplicate",
    "other",
)


@dataclass(frozen=True)
class Span:
    """A marked stretch of text, e.g. boilerplate (`kind` names the rule that matched)."""

    start: int
    end: int
    kind: str = ""


@dataclass(frozen=True)
class FigureWarning:
    """A problem the automatic checks found; `code` is stable, `message` is for reviewers."""

    code: str
    message: str


@dataclass
class Figure:
    """One figure as the extraction engine found it.

    `value` is the normalised number (5.02万 -> 50200, 4.3% -> 4.3); `value_max` the
    upper end of a range. For a change ("from 0.73% to 1.5%") the engine returns two
    figures of kind "change" with `role` "from" and "to", each pointing at the other
    through `link` (an index into the same extraction result). `reading` says how the
    value, unit and currency were read, step by step ("5.02万 -> 5.02 × 10^4 = 50,200").
    """

    text: str
    start: int
    end: int
    kind: str
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    currency: str | None = None
    qualifier: str | None = None
    warnings: list[FigureWarning] = field(default_factory=list)
    role: str | None = None
    link: int | None = None
    reading: str | None = None  # how the engine read it (reading.reading_of)


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Claim:
    """A sentence outside boilerplate that states at least one figure."""

    start: int
    end: int
    text: str
    figures: list[Figure] = field(default_factory=list)


@dataclass
class RawArticle:
    """What a reader got out of one file (or one record of a JSONL/CSV file)."""

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    date: str | None = None
    external_id: str | None = None
    encoding: str | None = None
    fmt: str = "txt"
    # the title is the text's first line (no title was given): the import replaces it by
    # the first line outside boilerplate
    title_from_text: bool = False


@dataclass(frozen=True)
class PassageRef:
    article_id: str
    start: int
    end: int


@dataclass(frozen=True)
class DuplicatePair:
    """Two passages that repeat each other; `a` is the first copy."""

    a: PassageRef
    b: PassageRef
    similarity: float
    scope: str  # "within" | "across"
