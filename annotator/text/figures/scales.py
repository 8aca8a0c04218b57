"""Scale words after an English or Arabic number: 2.5 million, 1.2bn, 3 lakh, 10M, 5k.

Chinese scales (万 亿 兆) are read with the numeral itself (see numerals.py). A new
English scale is a row of one of the tables below and a test in
tests/core/test_figures_en.py (or test_figures_real_numerals.py for a form from real news):
- a word, written after a space or a hyphen or glued (2.5 million, 1.2bn, 3-crore):
  EN_SCALE_WORDS;
- letters glued to the number, case as written (10M, 5k, $3MM): EN_SCALE_LETTERS;
- letters after one or two spaces (5 k, 10 M): EN_SCALE_SPACED_LETTERS.
A glued lower-case m is a million or a metre, decided by scan._m_is_million; a glued
lower-case mm is a millimetre unless money is near (7.62mm, but $5mm).
"""

from __future__ import annotations

import re

EN_SCALE_WORDS = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "lakh": 1e5, "crore": 1e7, "bn": 1e9, "mn": 1e6, "mln": 1e6, "bln": 1e9, "tln": 1e12,
    "dozen": 12, "dozens": 12, "dzs": 12, "dozs": 12, "doz": 12,
}
EN_SCALE_LETTERS = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "b": 1e9, "mil": 1e6, "mm": 1e6, "MM": 1e6}
EN_SCALE_SPACED_LETTERS = ("k", "K", "M")
# Scales after which "and a half" is no half of the scale (a hundred and a half).
NO_HALF_AFTER = frozenset({"hundred", "dozen", "dozens"})

# Every scale by its lower-case form, the glued m included.
SCALES = {**EN_SCALE_WORDS, **{k.lower(): v for k, v in EN_SCALE_LETTERS.items()}, "m": 1e6}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


# Groups: 1 a word, 2 glued letters, 3 spaced letters, 4 a glued lower-case m.
EN_SCALE_AFTER = re.compile(
    rf"(?:\s*-?\s*({_alt(EN_SCALE_WORDS)})|({_alt(EN_SCALE_LETTERS)})"
    rf"|\s{{1,2}}({_alt(EN_SCALE_SPACED_LETTERS)})|(m))(?![A-Za-z&])"
)
