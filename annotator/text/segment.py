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
                if not _load_cached(tokenizer):
                    tokenizer.initialize()  # builds the dictionary and writes the cache
                for line in _userdict_lines():
                    word, *rest = line.split()
                    freq = int(rest[0]) if rest and rest[0].isdigit() else None
                    tokenizer.add_word(fold(word), freq)
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


def tokens_for_index(text: str, *, folded: str | None = None) -> str:
    """The folded words of `text`, space-separated, for an FTS5 `unicode61` column.
    `folded` is fold(text), when the caller has it already.

    Punctuation and spaces are left in: the column's tokenizer drops them as separators,
    so the terms it makes are the ones it would make of the words `_words` keeps (the
    tests compare the two); filtering them here was a tenth of the segmentation's cost."""
    return " ".join(full_mode_words(fold(text) if folded is None else folded))


_ENG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")  # jieba's re_eng


def full_mode_words(text: str) -> list[str]:
    """Exactly `jieba.Tokenizer.cut(text, cut_all=True)`, as a list.

    jieba's version walks three nested generators, builds a dict of every position's
    word ends and runs a regular expression on every word; this is the same walk in one
    loop, which looks each prefix up once and tests characters against a set (the tests
    compare the two on the samples and on random text). It is a fifth of an import's
    analysis even so.

    At each position k jieba lists the dictionary words starting there (its dictionary
    holds every prefix of every word, with frequency 0 when the prefix is no word
    itself, so the lookups stop at the first string that is no prefix). Words of two or
    more characters are all emitted; a character is emitted on its own unless the words
    found just before cover it; runs of ASCII letters and digits are joined.
    """
    import jieba

    get = _jieba().FREQ.get
    re_han, re_skip = jieba.re_han_default, jieba.re_skip_default
    eng = _ENG
    out: list[str] = []
    add = out.append
    for blk in re_han.split(text):
        if not blk:
            continue
        if not re_han.match(blk):
            out.extend(re_skip.split(blk))
            continue
        n = len(blk)
        old_j = -1  # where the words emitted last end
        eng_scan = False
        eng_buf = ""
        for k in range(n):
            c = blk[k]
            f = get(c)  # None: no word starts with c; 0: only longer words may
            longer = None  # ends of the words of two or more characters starting at k
            if f is not None:
                i = k + 1
                while i < n:
                    g = get(blk[k:i + 1])
                    if g is None:
                        break
                    if g:
                        if longer is None:
                            longer = [i]
                        else:
                            longer.append(i)
                    i += 1
            if eng_scan and c not in eng:
                eng_scan = False
                add(eng_buf)
            if longer is None:
                if k > old_j:
                    if c in eng:
                        if eng_scan:
                            eng_buf += c
                        else:
                            eng_scan, eng_buf = True, c
                    else:
                        add(c)
                    old_j = k
            elif len(longer) == 1 and not f and k > old_j:  # jieba's "one word here" case
                end = longer[0]
                word = blk[k:end + 1]
                if c in eng:
                    if eng_scan:
                        eng_buf += word
                    else:
                        eng_scan, eng_buf = True, word
                else:
                    add(word)
                old_j = end
            else:
                for j in longer:
                    add(blk[k:j + 1])
                old_j = longer[-1]
        if eng_scan:
            add(eng_buf)
    return out


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
