"""Word tokens for full-text search over Chinese and English.

SQLite's FTS5 tokenizers do not split Chinese into words, so articles are indexed as jieba
tokens joined by spaces (FTS5 `unicode61` then splits on the spaces). Both the indexed text
and the query are folded first (annotator.text.normalise), so a Traditional query finds
Simplified text and the reverse, and case and full-width forms do not matter.

Articles are cut with `cut_for_search` (long words *and* the dictionary words of two or
three characters inside them), queries with the ordinary cut; see `tokens_for_query` for
how a query word finds a longer indexed word. jieba's HMM guessing of unknown words is off
on both sides: it depends on the surrounding characters, so a name could be cut one way in
the article and another way in the query.

jieba takes about a second and ~90 MB to load its dictionary, so it is loaded on first use,
once, with its log output silenced.
"""

from __future__ import annotations

import logging
import re
import threading
from importlib import resources

from annotator.text.normalise import fold

__all__ = ["tokens_for_index", "tokens_for_query"]

_WORD = re.compile(r"[^\W_]")  # a letter or digit
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


def tokens_for_index(text: str) -> str:
    """The folded words of `text`, space-separated, for an FTS5 `unicode61` column."""
    return " ".join(_words(_jieba().cut_for_search(fold(text), HMM=False)))


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
    return " ".join(_word_expression(w) for w in dict.fromkeys(words))


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _word_expression(word: str) -> str:
    parts = [p for p in dict.fromkeys(_words(_jieba().cut_for_search(word, HMM=False)))
             if p != word]
    if not parts:
        return _quote(word)
    return f"({_quote(word)} OR ({' AND '.join(_quote(p) for p in parts)}))"
