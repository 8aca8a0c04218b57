"""Word tokens for full-text search over Chinese and English.

SQLite's FTS5 tokenizers do not split Chinese into words, so articles are indexed as jieba
words joined by spaces (FTS5 `unicode61` then splits on the spaces). Both the indexed text
and the query are folded first (annotator.text.normalise), so a Traditional query finds
Simplified text and the reverse, and case and full-width forms do not matter.

A Chinese article's words column holds jieba's full-mode words of two or more Han
characters: every dictionary word the text contains, long words and the shorter words
inside them. They are cut by jieba-rs (the `rjieba` package), jieba's algorithm in Rust
over the same dictionary, with our user dictionary added: about four times faster than
jieba itself, whose full mode was a fifth of an import's analysis. The characters column
(`chars_for_index`) holds the rest: every Han character on its own, and the English
words and numbers as FTS5 splits them; so a query word of one character, or one that is
not Chinese, is looked up there (and in the words column, which is where an article
without Chinese holds all its words). Queries are cut by jieba itself, in the ordinary
mode; see `tokens_for_query` for how a query word finds a longer indexed word. jieba's
HMM guessing of unknown words is off: it depends on the surrounding characters, so a
name could be cut one way in the article and another way in the query.

jieba takes about a second and ~90 MB to load its dictionary, so it is loaded on first use,
once, with its log output silenced (jieba-rs loads its copy in a tenth of a second).
"""

from __future__ import annotations

import logging
import marshal
import os
import re
import tempfile
import threading
from functools import lru_cache
from importlib import resources

from annotator.text.normalise import fold

__all__ = ["chars_for_index", "match_expression", "tokens_for_index", "tokens_for_query"]

_WORD = re.compile(r"[^\W_]")  # a letter or digit
# the characters the `chars` column holds one per token
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_HAN_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _HAN_RANGES)
_HAN = re.compile(f"([{_HAN_CLASS}])")
_HAN_RUN = re.compile(f"([{_HAN_CLASS}]+)")
_tokenizer = None      # jieba, for queries
_cutter = None         # jieba-rs, for the index
_lock = threading.Lock()


def _userdict_lines() -> list[str]:
    text = resources.files("annotator.resources").joinpath("jieba_userdict.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _user_words() -> list[tuple[str, int | None]]:
    """Our user dictionary's words, folded (as the text they are looked up in is), with
    their frequencies (None: the segmenter suggests one)."""
    out = []
    for line in _userdict_lines():
        word, *rest = line.split()
        out.append((fold(word), int(rest[0]) if rest and rest[0].isdigit() else None))
    return out


def _jieba():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                if not _load_cached(tokenizer):
                    tokenizer.initialize()  # builds the dictionary and writes the cache
                for word, freq in _user_words():
                    tokenizer.add_word(word, freq)
                _tokenizer = tokenizer
    return _tokenizer


def _load_cached(tokenizer) -> bool:
    """Read jieba's own dictionary cache the way it does, but in one read:
    `marshal.load` on the open file takes about 0.6 s, `marshal.loads` of its bytes
    about 0.2 s (every import, search and window start pays it once)."""
    import jieba

    if tokenizer.dictionary != jieba.DEFAULT_DICT:
        return False
    path = os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(),
                        tokenizer.cache_file or "jieba.cache")
    try:
        with open(path, "rb") as fh:
            freq, total = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return False
    if not isinstance(freq, dict) or not freq:
        return False
    tokenizer.FREQ, tokenizer.total = freq, total
    tokenizer.initialized = True
    return True


def _words(tokens) -> list[str]:
    """Tokens FTS5 will keep: those with a letter or digit (punctuation and spaces go)."""
    return [t for t in (tok.strip() for tok in tokens) if t and _WORD.search(t)]


def _index_cutter():
    """jieba-rs with our user dictionary, for the index (see the module's docstring)."""
    global _cutter
    if _cutter is None:
        with _lock:
            if _cutter is None:
                import rjieba

                cutter = rjieba.Jieba()
                for word, freq in _user_words():
                    cutter.add_word(word, freq, None)
                _cutter = cutter
    return _cutter


def tokens_for_index(text: str, *, folded: str | None = None) -> str:
    """The words column of a Chinese article: jieba's full-mode words of two or more
    Han characters in the folded text, space-separated. `folded` is fold(text), when the
    caller has it. Everything else the text holds (single characters, English words,
    numbers) is in the characters column, where queries look it up."""
    words = _index_cutter().cut_all(fold(text) if folded is None else folded)
    han = _jieba_han()
    # jieba-rs cuts runs of these characters only, so a longer token beginning with one
    # is a dictionary word
    return " ".join([w for w in words if len(w) > 1 and w[0] in han])


@lru_cache(maxsize=1)
def _jieba_han() -> frozenset[str]:
    """The characters jieba cuts into words (its `re_han_default` without the ASCII)."""
    return frozenset(chr(cp) for cp in range(0x4E00, 0x9FD6))


def tokens_for_query(query: str, words_column: str = "tokens",
                     chars_column: str = "chars") -> str | None:
    """An FTS5 MATCH expression finding documents with every word of `query`, or None
    when the query has no words.

    Runs of Han characters are cut into jieba words. A word of two or more characters is
    looked up in `words_column`; a long word may sit inside an even longer indexed word
    (特区政府 in 香港特区政府, indexed as 香港特区政府 and its two- and three-character
    words), so it also matches when all of its own shorter words are there. A single
    character, and each space-separated piece of the rest (English words, numbers), is
    looked up as a phrase in either column: `chars_column` holds a Chinese article's
    characters and the rest of its text as FTS5 splits it, and `words_column` all of an
    article without Chinese. Everything is quoted, so user input is never read as FTS5
    syntax (AND, NEAR, *, column filters ...).
    """
    han = _jieba_han()
    either = f"{{{words_column} {chars_column}}}"

    def term(word: str) -> str:
        if len(word) > 1 and all(c in han for c in word):
            return f"{{{words_column}}} : {_quote(word)}"
        return f"{either} : {_quote(chars_for_index(word, folded=word).strip())}"

    def word_expression(word: str) -> str:
        parts = [p for p in dict.fromkeys(_words(_jieba().cut_for_search(word, HMM=False)))
                 if p != word]
        if not parts:
            return term(word)
        return f"({term(word)} OR ({' AND '.join(term(p) for p in parts)}))"

    expressions = []
    # (a NUL would end the quoted string early)
    for i, piece in enumerate(_HAN_RUN.split(fold(query).replace("\x00", " "))):
        if i % 2:  # a run of Han characters
            expressions += [word_expression(w) for w in _words(_jieba().cut(piece, HMM=False))]
        else:
            expressions += [f"{either} : {_quote(p)}" for p in piece.split() if _WORD.search(p)]
    if not expressions:
        return None
    return " AND ".join(dict.fromkeys(expressions))


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def chars_for_index(text: str, *, folded: str | None = None) -> str:
    """The folded text with every Han character a token of its own, for a second FTS5
    column: a phrase query on it finds any run of characters, also one that jieba cut
    across (part of a word, a single character, a name it does not know)."""
    return (fold(text) if folded is None else folded).translate(_spaced_han())


@lru_cache(maxsize=1)
def _spaced_han() -> dict[int, str]:
    """str.translate table putting spaces around every Han character (C speed)."""
    return {cp: f" {chr(cp)} " for lo, hi in _HAN_RANGES for cp in range(lo, hi + 1)}


def match_expression(query: str, words_column: str = "tokens",
                     chars_column: str = "chars") -> str | None:
    """An FTS5 expression over both columns: every word of the query (jieba), or the
    query's characters as one phrase (a substring, for Chinese)."""
    words = tokens_for_query(query, words_column, chars_column)
    if words is None:
        return None
    chars = _words(chars_for_index(query).split())
    phrase = _quote(" ".join(chars)) if chars else None
    if phrase is None or not _HAN.search(query):
        return words
    return f"({words}) OR ({{{chars_column}}} : {phrase})"
