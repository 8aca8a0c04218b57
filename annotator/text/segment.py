"""Word tokens for full-text search over Chinese and English.

SQLite's FTS5 tokenizers do not split Chinese into words, so articles are indexed as jieba
tokens joined by spaces (FTS5 `unicode61` then splits on the spaces). Both the indexed text
and the query are folded first (annotator.text.normalise), so a Traditional query finds
Simplified text and the reverse, and case and full-width forms do not matter.

Articles are cut in jieba's full mode (every dictionary word the text contains, long words
and the shorter words inside them; about 1.5x faster than `cut_for_search`, which matters
at import), queries with the ordinary cut; see `tokens_for_query` for how a query word
finds a longer indexed word. jieba's HMM guessing of unknown words is off
on both sides: it depends on the surrounding characters, so a name could be cut one way in
the article and another way in the query.

jieba takes about a second and ~90 MB to load its dictionary, so it is loaded on first use,
once, with its log output silenced.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from importlib import resources

from annotator.text.normalise import fold

__all__ = ["chars_for_index", "match_expression", "tokens_for_index", "tokens_for_query"]

_WORD = re.compile(r"[^\W_]")  # a letter or digit
_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_tokenizer = None
_lock = threading.Lock()


def _userdict_lines() -> list[str]:
    text = resources.files("annotator.resources").joinpath("jieba_userdict.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _jieba():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for line in _userdict_lines():
                    word, *rest = line.split()
                    freq = int(rest[0]) if rest and rest[0].isdigit() else None
                    tokenizer.add_word(fold(word), freq)
                _tokenizer = tokenizer
    return _tokenizer


def _words(tokens) -> list[str]:
    """Tokens FTS5 will keep: those with a letter or digit (punctuation and spaces go)."""
    return [t for t in (tok.strip() for tok in tokens) if t and _WORD.search(t)]


def tokens_for_index(text: str, *, folded: str | None = None) -> str:
    """The folded words of `text`, space-separated, for an FTS5 `unicode61` column.
    `folded` is fold(text), when the caller has it already."""
    return " ".join(_words(_jieba().cut(fold(text) if folded is None else folded,
                                        cut_all=True)))


def tokens_for_query(query: str) -> str | None:
    """An FTS5 MATCH expression finding documents with every word of `query`, or None
    when the query has no words.

    Each word is a quoted string, so user input is never read as FTS5 syntax (AND, NEAR,
    *, column filters ...). A long word may sit inside an even longer indexed word
    (特区政府 in 香港特区政府, indexed as 香港特区政府 and its two- and three-character
    words), so it also matches when all of its own shorter words are there.
    """
    words = _words(_jieba().cut(fold(query), HMM=False))
    if not words:
        return None
    return " AND ".join(_word_expression(w) for w in dict.fromkeys(words))


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _word_expression(word: str) -> str:
    parts = [p for p in dict.fromkeys(_words(_jieba().cut_for_search(word, HMM=False)))
             if p != word]
    if not parts:
        return _quote(word)
    return f"({_quote(word)} OR ({' AND '.join(_quote(p) for p in parts)}))"


def chars_for_index(text: str, *, folded: str | None = None) -> str:
    """The folded text with every Han character a token of its own, for a second FTS5
    column: a phrase query on it finds any run of characters, also one that jieba cut
    across (part of a word, a single character, a name it does not know)."""
    return (fold(text) if folded is None else folded).translate(_spaced_han())


@lru_cache(maxsize=1)
def _spaced_han() -> dict[int, str]:
    """str.translate table putting spaces around every Han character (C speed)."""
    ranges = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
    return {cp: f" {chr(cp)} " for lo, hi in ranges for cp in range(lo, hi + 1)}


def match_expression(query: str, words_column: str = "tokens",
                     chars_column: str = "chars") -> str | None:
    """An FTS5 expression over both columns: every word of the query (jieba), or the
    query's characters as one phrase (a substring, for Chinese)."""
    words = tokens_for_query(query)
    if words is None:
        return None
    chars = _words(chars_for_index(query).split())
    phrase = _quote(" ".join(chars)) if chars else None
    if phrase is None or not _HAN.search(query):
        return f"{{{words_column}}} : ({words})"
    return f"({{{words_column}}} : ({words})) OR ({{{chars_column}}} : {phrase})"
