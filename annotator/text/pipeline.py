"""The text half of an import: everything we learn from one article's text.

Pure and picklable, so an import can run it in worker processes; the database half
(storing, finding earlier copies) runs in the importing process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.domain import Claim, Span
from annotator.text import duplicates as dups
from annotator.text.chinese import detect_script
from annotator.text.claims import find_claims
from annotator.text.clean import find_boilerplate, is_boilerplate, title_line
from annotator.text.language import detect_language, reads_figures
from annotator.text.segment import chars_for_index, tokens_for_index
from annotator.text.normalise import fold, fold_steps
from annotator.text.sentences import sentence_spans


_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Analysis:
    language: str
    script: str | None
    boilerplate: list[Span]
    claims: list[Claim]
    sketch: dups.Sketch = dups.Sketch([], b"", [], [])       # for the duplicate index
    units: tuple = ()                                        # its comparable sentences
    title: str | None = None                                 # first line not boilerplate
    index_tokens: str = ""                                   # for the search index:
    index_chars: str = ""                                    # words, and Han characters


def analyse(text: str) -> Analysis:
    language = detect_language(text)
    # folded once, for duplicates and search alike; script detection counts the
    # Traditional characters on the folding's own t2s conversion
    folded_text, offsets, nfkc, converted = fold_steps(text)
    read = reads_figures(language)
    han = language == "zh" or _has_han(text)
    # a script (Simplified, Traditional, mixed) is Chinese's: Japanese has none
    script = detect_script(text, t2s=(nfkc, converted)) if han and read else None
    boilerplate = find_boilerplate(text)
    all_sentences = list(sentence_spans(text))  # once, for claims and duplicates
    # text in a language the figure engines do not read gets no claims (ADR 10)
    claims = find_claims(text, boilerplate, "auto", sentences=all_sentences) if read else []
    sentences = [(s, e) for s, e in all_sentences if not is_boilerplate(boilerplate, s, e)]
    units = dups.passages(text, sentences, folded=(folded_text, offsets))
    return Analysis(
        language=language,
        script=script,
        boilerplate=boilerplate,
        claims=claims,
        sketch=dups.sketch(units),
        units=tuple(units),
        title=title_line(text, boilerplate),
        index_tokens=index_tokens(text, language, script, folded=folded_text),
        index_chars=index_chars(text, script, folded=folded_text),
    )


def index_tokens(text: str, language: str, script: str | None, *,
                 folded: str | None = None) -> str:
    """Chinese needs jieba to become words; other text only needs folding (FTS5's own
    tokenizer splits it). Han in any language is cut (the kanji of a Japanese article
    too, which has no script)."""
    if script is not None or language == "zh" or _has_han(text):
        return tokens_for_index(text, folded=folded)
    return fold(text) if folded is None else folded


def index_chars(text: str, script: str | None, *, folded: str | None = None) -> str:
    if script is None and not _has_han(text):
        return ""
    return chars_for_index(text, folded=folded)


def _has_han(text: str) -> bool:
    return _HAN.search(text, 0, 5000) is not None
