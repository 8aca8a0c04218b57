"""The text half of an import: everything we learn from one article's text.

Pure and picklable, so an import can run it in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.domain import Claim, Span
from annotator.text.chinese import detect_script
from annotator.text.claims import find_claims
from annotator.text.clean import find_boilerplate
from annotator.text.figures import detect_language


@dataclass
class Analysis:
    language: str
    script: str | None
    boilerplate: list[Span]
    claims: list[Claim]


def analyse(text: str) -> Analysis:
    language = detect_language(text)
    script = detect_script(text) if language == "zh" or _has_han(text) else None
    boilerplate = find_boilerplate(text)
    claims = find_claims(text, boilerplate, "auto")
    return Analysis(language, script, boilerplate, claims)


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text[:5000])
