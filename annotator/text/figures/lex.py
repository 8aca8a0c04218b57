"""Word lists the figure engine reads around a number, compiled once at import.

Every pattern here runs on the folded text (see numerals.fold), so full-width
forms and the Traditional forms of these words (超過, 約, 僅, 港幣) need no
alternatives of their own.
"""

from __future__ import annotations

import re

# -- qualifiers ------------------------------------------------------------------------
# Surface phrase -> normalised qualifier. Bounding qualifiers ("more than", "at least",
# "less than", "at most", "exactly") also tell which end of an interval they close.

EN_QUALIFIERS = {
    "more than": "more than", "over": "over", "above": "over", "exceeding": "over",
    "in excess of": "over", "upwards of": "over", "greater than": "more than",
    "larger than": "more than", "bigger than": "more than", "higher than": "more than",
    "just over": "over", "well over": "over", "surpass": "over", "exceed": "over",
    "at least": "at least", "no less than": "at least", "no fewer than": "at least",
    "not less than": "at least", "not fewer than": "at least", "a minimum of": "at least",
    "at least or equal to": "at least", "equal to or more than": "at least",
    "greater than or equal to": "at least", "bigger or equal than": "at least",
    "higher or equal than": "at least", "larger or equal than": "at least",
    "less than": "less than", "fewer than": "less than", "under": "under",
    "below": "under", "just under": "under", "smaller than": "less than",
    "lower than": "less than",
    "at most": "at most", "up to": "up to", "no more than": "at most",
    "not more than": "at most", "a maximum of": "at most", "as many as": "up to",
    "as much as": "up to", "as high as": "up to", "less than or equal to": "at most",
    "equal to or less than": "at most", "smaller or equal than": "at most",
    "lower or equal than": "at most", "less or equal than": "at most",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "approaching": "nearly",
    "about": "approximately", "around": "approximately", "around of": "approximately",
    "approximately": "approximately", "roughly": "approximately", "some": "approximately",
    "an estimated": "approximately", "estimated": "approximately",
    "approx.": "approximately", "circa": "approximately",
    "equal to": "exactly", "equals": "exactly", "equals to": "exactly",
    "equaling to": "exactly", "exactly": "exactly", "only": "only", "just": "only",
}
ZH_QUALIFIERS = {
    "超过了": "over", "超过": "over", "超出": "over", "逾": "over", "过": "over",
    "多于": "more than", "高于": "more than", "大于": "more than", "比": None,
    "大于或者等于": "at least", "大于或等于": "at least", "大于等于": "at least",
    "不少于": "at least", "不低于": "at least", "不小于": "at least", "至少": "at least",
    "至少有": "at least", "至少是": "at least", "最少": "at least", "起码": "at least",
    "最低": "at least",
    "少于": "less than", "低于": "less than", "小于": "less than", "不到": "less than",
    "不足": "less than", "未满": "less than",
    "小于或者等于": "at most", "小于或等于": "at most", "小于等于": "at most",
    "不超过": "at most", "不多于": "at most", "不大于": "at most", "不高于": "at most",
    "最多": "at most", "最多为": "at most", "最多有": "at most", "至多": "at most",
    "最高": "up to", "高达": "up to", "多达": "up to", "最高达": "up to",
    "近": "nearly", "将近": "nearly", "接近": "nearly", "近乎": "nearly", "逼近": "nearly",
    "约": "approximately", "约为": "approximately", "大约": "approximately",
    "大概": "approximately", "约莫": "approximately", "大致": "approximately",
    "约合": "approximately", "估计": "approximately",
    "等于": "exactly", "仅": "only", "仅有": "only", "只有": "only", "仅为": "only",
}
ZH_SUFFIX_QUALIFIERS = {
    "以上": "or more", "或以上": "or more", "或者以上": "or more", "或者更多": "or more",
    "或更多": "or more", "及以上": "or more", "以下": "or less", "或以下": "or less",
    "及以下": "or less", "以内": "or less", "左右": "approximately",
    "上下": "approximately", "出头": "over", "有余": "over", "之下": "under",
}
EN_SUFFIX_QUALIFIERS = {
    "or more": "or more", "and more": "or more", "or greater": "or more",
    "and above": "or more", "or above": "or more", "plus": "or more",
    "or less": "or less", "or fewer": "or less", "and below": "or less",
    "or so": "approximately", "or greater than": "or more", "or more than": "or more",
    "or equal": "or less", "or equal to": "or more",
}
# Qualifiers that close an interval end: lower bounds and upper bounds, strict or not.
LOWER_STRICT = {"more than", "over"}
LOWER_INCL = {"at least", "or more"}
UPPER_STRICT = {"less than", "under"}
UPPER_INCL = {"at most", "up to", "or less"}
BOUNDING = LOWER_STRICT | LOWER_INCL | UPPER_STRICT | UPPER_INCL | {"exactly"}


def last_visible(n: str, s: int) -> int:
    r"""Index of the last non-space character before s, or -1. The patterns that read
    backwards from a number all end in `\s*$`, so this one character (or the word
    ending there) tells which of them can match at all: most numbers need none."""
    j = s - 1
    while j >= 0 and n[j].isspace():
        j -= 1
    return j


def next_visible(n: str, e: int) -> str:
    r"""The first non-space character at or after e ("" at the end): the patterns read
    after a number start with `\s*` and one of a few characters, so this tells which
    of them can match at all."""
    while e < len(n) and n[e].isspace():
        e += 1
    return n[e : e + 1]


def first_chars(words) -> frozenset:
    """First characters of `words` in both cases (the English patterns ignore case)."""
    return frozenset(c for w in words for c in (w[0].lower(), w[0].upper()))


def ascii_word_at(n: str, j: int) -> str:
    """The run of ASCII letters ending at n[j], lower-cased ("" if n[j] is none)."""
    k = j
    while k >= 0 and n[k] in ASCII_LETTERS:
        k -= 1
    return n[k + 1 : j + 1].lower()


ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def trie_alternation(words) -> str:
    """A regex alternation of `words` shaped as a prefix tree: the engine then tests one
    branch per letter instead of every word, which doubles the scan speed of the
    number-word and month-name patterns."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(tree)


def alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


EN_QUAL_BEFORE = re.compile(
    r"(?<![A-Za-z])(" + alternation(EN_QUALIFIERS) + r")\s+(?:the\s+)?$", re.I
)
ZH_QUAL_BEFORE = re.compile(
    r"(" + "|".join(r"\s*".join(map(re.escape, k)) for k in sorted((k for k, v in ZH_QUALIFIERS.items() if v), key=len, reverse=True))
    + r")\s*有?\s*$"
)
# What the qualifier patterns before a number can end with (see last_visible).
EN_QUAL_LAST_WORDS = frozenset([k.split()[-1].rstrip(".") for k in EN_QUALIFIERS] + ["the"])
ZH_QUAL_LAST_CHARS = frozenset([k[-1] for k, v in ZH_QUALIFIERS.items() if v] + ["有"])
ZH_QUAL_AFTER = re.compile(r"\s*(" + alternation(ZH_SUFFIX_QUALIFIERS) + r")")
EN_QUAL_AFTER = re.compile(
    r"\s+(" + alternation(EN_SUFFIX_QUALIFIERS) + r")(?![A-Za-z])"
    r"(?!\s+(?:than\s+|to\s+)?(?:\d|an?\s|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred))",
    re.I
)

# -- percent ---------------------------------------------------------------------------

PERCENT_AFTER = re.compile(
    r"\s*(?:(%|‰|percents?(?![A-Za-z])|per\s+cent(?![A-Za-z])|percentage(?!\s+points?)(?![A-Za-z])|pct(?![A-Za-z]))"
    r"|(percentage\s+points?|个\s*百\s*分\s*点|百\s*分\s*点|pp(?![A-Za-z])|basis\s+points?|bps?(?![A-Za-z])))",
    re.I,
)

EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}


# First characters the patterns after a number can start with (see next_visible).
PERCENT_FIRST = frozenset("%‰pP个百bB")
ZH_QUAL_AFTER_FIRST = first_chars(ZH_SUFFIX_QUALIFIERS)
EN_QUAL_AFTER_FIRST = first_chars(EN_SUFFIX_QUALIFIERS)
