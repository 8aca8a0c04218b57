"""Which currency a bare 元 means: the region an article is written in and about.

In Hong Kong papers 元 (and 萬元, 億元) is the Hong Kong dollar, in Taiwan papers the New
Taiwan dollar, in Macau papers the pataca; only mainland papers mean the renminbi by it.
Those papers write Traditional characters, so a Simplified article keeps CNY whatever
places it names. A Traditional article's region is the one its place and institution
names point to most (香港, 立法會, 特區 ... against 台灣, 立法院, 新北 ...); with no clear
winner 元 keeps its mainland reading, which the reviewer sees and can correct.

An amount that names its currency (人民幣, 港元, 新台幣, RMB) keeps it: only 元 alone is
read by region.
"""

from __future__ import annotations

import re

from annotator.text.figures.numerals import TRAD_PAIRS

# Characters written differently in Traditional script, common in news, and their
# Simplified forms: which of the two an article uses more tells its script.
_TRADITIONAL = "這們個來時會對說為與國過還將從點發經開關區總產業資價錢萬億兩華東車長門問間見現電話書樂實體應當號歲"
_SIMPLIFIED = "这们个来时会对说为与国过还将从点发经开关区总产业资价钱万亿两华东车长门问间见现电话书乐实体应当号岁"

_REGION_WORDS = {
    "HKD": ("香港", "港府", "港元", "港幣", "港人", "港島", "特區", "九龍", "新界", "立法會",
            "特首", "行政長官", "港鐵", "屯門", "元朗", "沙田", "觀塘", "荃灣", "將軍澳"),
    "TWD": ("台灣", "臺灣", "台北", "臺北", "新北", "高雄", "台中", "臺中", "台南", "臺南",
            "桃園", "立法院", "行政院", "新台幣", "新臺幣", "國民黨", "民進黨", "總統府", "縣府",
            "縣長", "北市", "中市", "中央社", "中華民國"),
    "MOP": ("澳門", "澳區", "氹仔", "路氹", "澳門元", "澳門幣"),
}
_REGION = {code: re.compile("|".join(words)) for code, words in _REGION_WORDS.items()}
# 元 alone (after the number or its scale), not part of a currency's own name
_NAMED = re.compile(r"人民[幣币]|RMB|rmb|[港美日歐欧澳加韓韩台臺新]元|[港台臺澳][幣币]|塊|块")


# The Traditional side also takes every Traditional form the engine's patterns know; the
# Simplified side keeps to the list above, since many "Simplified" forms of those pairs
# (台 家 凌 里 只) are everyday characters of Traditional text as well.
_TRAD_ONLY = re.compile("[" + "".join(sorted(
    (set(_TRADITIONAL) | set(TRAD_PAIRS[0::2])) - set(TRAD_PAIRS[1::2]) - set(_SIMPLIFIED))) + "]")
_SIMP_ONLY = re.compile("[" + "".join(sorted(set(_SIMPLIFIED))) + "]")


def is_traditional(text: str) -> bool:
    """Whether the text writes more characters in their Traditional form than in their
    Simplified one."""
    return len(_TRAD_ONLY.findall(text)) > len(_SIMP_ONLY.findall(text))


def region_counts(text: str) -> dict[str, int]:
    """How often the article names places and institutions of Hong Kong, Taiwan and
    Macau, keyed by their currency (HKD, TWD, MOP)."""
    return {code: len(pattern.findall(text)) for code, pattern in _REGION.items()}


def yuan_currency(text: str) -> str | None:
    """The currency a bare 元 in this article stands for, if not the renminbi."""
    if "元" not in text or not is_traditional(text):
        return None
    counts = region_counts(text)
    best = max(counts, key=counts.get)
    runner_up = max(v for code, v in counts.items() if code != best)
    if counts[best] == 0 or counts[best] < 2 * runner_up:
        return None
    return best


def bare_yuan(text: str, start: int, end: int) -> bool:
    """Whether the amount text[start:end] names its currency by 元 alone (五十萬元, 370元),
    not 人民幣 or 港元, inside the span or just before it (人民幣五十萬元)."""
    return "元" in text[start:end] and not _NAMED.search(text, max(0, start - 4), end)
