"""The language of an article: an ISO 639-1 code ("zh", "en", "ja", "de", ...; "und"
for text without letters), and whether the figure engines read it.

Chinese and English are told apart by the share of Han ideographs among the letters,
as the figure engines always did; every other decision is py3langid's (langid.py's
model, shipped in its wheel), guarded by the scripts the text is written in so that a
Japanese page never becomes Chinese and a Korean or Russian one never English. The
measurements and the rules are in docs/adr/0010-language-identification.md.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

__all__ = ["detect_language", "reads_figures", "language_name", "not_read_note", "READ_LANGUAGES"]

# Languages the figure engines read; "und" (no letters: digits, dates, punctuation)
# holds nothing language-specific and is read as before.
READ_LANGUAGES = frozenset({"zh", "en", "und"})

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_RUN = re.compile(r"[A-Za-z]+")
_LATIN_EXT_RUN = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]+")
_KANA_RUN = re.compile(r"[\u3041-\u309f\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff]+")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3131-\u318e]+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")

# Chinese varieties py3langid tells apart; stored as zh (the script is kept apart)
_CHINESE = frozenset({"zh", "yue", "wuu", "lzh", "gan", "hak", "nan", "cmn"})
_CJK_LANGUAGES = _CHINESE | {"ja", "ko"}
# Kana this share of the Han and kana letters or more: Japanese (Japanese prose is
# 0.6-0.8 kana on the corpus; a Chinese page's "こちらのページは" language switch 0.08).
_KANA_SHARE = 0.25
# A language other than English for Latin-script text only at this probability or more
# (below it, windows of English text were called Latin, Nigerian Pidgin or Italian).
_LATIN_OTHER_PROBABILITY = 0.75
_SAMPLE = 5000      # characters given to the classifier
_HEAD = 20000       # characters whose scripts are counted

_lock = threading.Lock()
_identifier = None


def _classifier():
    """py3langid's identifier with normalised probabilities, loaded once per process
    (about half a second: the model is decompressed)."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                _identifier = _load_identifier()
    return _identifier


def _load_identifier():
    """py3langid's model decompressed in memory: its own loader writes the decompressed
    model (about 30 MB) to a temporary file, which a full disk or a file-size limit
    turned into an analysis error for every article."""
    import io
    import lzma

    import numpy as np
    from py3langid import modelio
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    with lzma.open(MODEL_DIR / MODEL_FILE) as src:
        data = np.load(io.BytesIO(src.read()), allow_pickle=False)
    return LanguageIdentifier(
        np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
        modelio._to_array(data["nextmove"]), data["out_feat"].tolist(),
        tk_row=modelio._to_array(data["nextmove_row"]), norm_probs=True)


def load() -> None:
    """Load the classifier now (the import's forkserver does, so workers share it)."""
    _classifier()


def _count(pattern: re.Pattern, text: str) -> int:
    return sum(map(len, pattern.findall(text)))  # runs, not characters: far fewer objects


def _code(label: str) -> str:
    return "zh" if label in _CHINESE else label


def _ranked(text: str) -> list[tuple[str, float]]:
    return [(_code(lang), p) for lang, p in _classifier().rank(text[:_SAMPLE])]


def detect_language(text: str) -> str:
    """The language of `text` as an ISO 639-1 code (ISO 639-3 where py3langid knows
    no two-letter one); "und" for text without letters."""
    head = text[:_HEAD]
    cjk = _count(_CJK_RUN, head)
    latin = _count(_LATIN_RUN, head)
    letters = _count(_LETTER_RUN, head)
    if letters == 0:
        return "und"
    kana = _count(_KANA_RUN, head) if letters > latin + cjk else 0
    hangul = _count(_HANGUL_RUN, head) if letters > latin + cjk + kana else 0
    if hangul and hangul > cjk + kana and hangul >= latin:
        return "ko"
    han_kana = cjk + kana
    if kana and kana >= _KANA_SHARE * han_kana and han_kana * 6 >= latin:
        return "ja"
    # Chinese as the figure engines always told it: Han ideographs a fair share of
    # the Latin letters (an English article quoting a few names stays English)
    if cjk * 3 >= latin * 0.5 and cjk >= 1 and cjk * 4 >= latin / 2 and han_kana >= hangul:
        if kana and _ranked(head)[0][0] == "ja":
            return "ja"
        return "zh"
    ranked = _ranked(head)
    best, p = ranked[0]
    latin_all = latin + _count(_LATIN_EXT_RUN, head)
    if latin_all * 2 >= letters:  # written in Latin letters
        if best == "en" or best in _CJK_LANGUAGES or p < _LATIN_OTHER_PROBABILITY:
            return "en"
        return best
    # another script (Cyrillic, Greek, Arabic, Thai, ...): never English or Chinese
    for lang, _p in ranked:
        if lang not in ("en", "zh", "zxx"):
            return lang
    return "und"


def reads_figures(code: str | None) -> bool:
    """Whether the figure engines read an article in this language (Chinese, English,
    and text without letters); others are imported and labelled, without claims."""
    return (code or "und") in READ_LANGUAGES


@lru_cache(maxsize=256)
def language_name(code: str | None) -> str:
    """The language's English name ("Japanese" for "ja"); "unknown" for "und", the code
    itself when no name is known."""
    if not code or code == "und":
        return "unknown"
    try:
        from babel import Locale, UnknownLocaleError

        name = Locale.parse(code).get_language_name("en")
    except (ValueError, TypeError, UnknownLocaleError):
        name = None
    return name or code


def not_read_note(counts: dict[str, int]) -> str:
    """'3 article(s) not read (no claims): Japanese 2, German 1' for the languages the
    figure engines do not read, from {code: articles}; "" when there are none."""
    items = sorted(((n, c) for c, n in counts.items() if n and not reads_figures(c)),
                   key=lambda x: (-x[0], x[1]))
    if not items:
        return ""
    total = sum(n for n, _ in items)
    langs = ", ".join(f"{language_name(c)} {n}" for n, c in items)
    return f"{total} article(s) in languages the figure engines do not read (no claims): {langs}"
