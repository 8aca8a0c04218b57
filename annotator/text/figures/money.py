"""Currency written around a number: who owns a currency word, and the amount's parts.

A currency word between two numbers belongs to one of them, and news text writes
it both ways: "10 rmb 20 usd" (the word closes each amount) and "rmb 10 usd 20" (it
opens each). The amount before a word decides: when it opened with a currency of its
own, the word opens the next amount; otherwise it closes the previous one, unless it
is glued to the next number ("1 $10 bill"). Sub-units follow an amount in both
languages (3 dollars 50 cents, 15 USD 50, 五元三毛, 三块五, one kuai and five mao five).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.text.figures import currencies, lex as lex
from annotator.text.figures.numerals import cn_value, en_words_value

CN_DIG = "零一二三四五六七八九壹贰叁肆伍陆柒捌玖"
NUMBERISH = re.compile(r"[\d零一二三四五六七八九两俩壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿兆]")
_SCALES = {"million": 1e6, "billion": 1e9, "thousand": 1e3, "trillion": 1e12, "bn": 1e9, "mn": 1e6}
_CODE_SCALE = {"M": 1e6, "k": 1e3, "K": 1e3}
_SCALED_CODES = "USD|EUR|GBP|AUD|CAD|CHF|JPY|CNY|RMB|HKD|SEK|NOK|DKK|SGD|NZD"
# MUSD, kEUR: business shorthand for millions / thousands of a currency (case matters:
# "Maud" is a name).
_SCALED_CODE_BEFORE = re.compile(rf"(?<![A-Za-z])([MkK])({_SCALED_CODES})\s*$")
_SCALED_CODE_AFTER = re.compile(rf"\s?([MkK])({_SCALED_CODES})(?![A-Za-z])")
# Currency names that are ordinary words before a number ("dollar 22.5 million"); "the
# dollar 10 years ago" is not an amount, so they need a scale word or a clause end.
_WORD_CUR_BEFORE = re.compile(r"(?<![A-Za-z])(dollars?|euros?|yuan)\s+$", re.I)
_WORD_CUR_CODES = {"dollar": "$", "dollars": "$", "euro": "EUR", "euros": "EUR", "yuan": "CNY"}
_SEN_BEFORE = re.compile(r"(?<![A-Za-z])sen\s*$")  # lower case: "Sen." is a senator
_CLAUSE_END = re.compile(r"\s*(?:$|[.,;:!?)\]，。；：！？）])")
_BACK_NUMBER = re.compile(r"[\d.,]+\s*$")
_SYMBOLS = frozenset("$£€¥₹₩₽₿")
_NUMBER_AHEAD = re.compile(r"\s*[\d.]")
_SPACES = re.compile(r"\s+")

_SUBUNIT = re.compile(rf"\s?又?\s?([\d{CN_DIG}两]{{1,2}})\s?(美分|角|毛|分(?!之|钟|别|析|享|布|配|期|成|红)|日本銭|銭)")
_SUBUNIT_SCALE = {"美分": 0.01, "角": 0.1, "毛": 0.1, "分": 0.01, "日本銭": 0.01, "銭": 0.01}
_PER = r"一\s?[斤个只张瓶杯碗件份次两本盒袋公]"  # 三块一斤: a price per unit
_TRAILING_DIGIT = re.compile(rf"\s?([\d{CN_DIG}两])(?=钱|{_PER}|[^\d.\u4e00-\u9fff]|$)")
_PER_UNIT_AFTER = re.compile(rf"(?:\s?[\d{CN_DIG}两])?\s?{_PER}")
_QIAN = re.compile(r"\s?钱")
# 三块, 五毛, 八角 without 钱 are money only where money is talked about: 切成三块 is
# three pieces, and a jieba word such as 三毛 is a name.
_COLLOQUIAL = re.compile(r"\s?(块|毛|角)(\s?钱)?")
_COLLOQUIAL_FIRST = frozenset("块毛角")
_ENDS_IN_QIAN = re.compile(rf"(?:\s?[\d{CN_DIG}两]{{1,2}}\s?[毛角分]?)+\s?钱")  # 两块五毛钱
_ZH_MONEY_CONTEXT = re.compile(r"花|费|钱|价|卖|买|付|赚|值|赔|借|欠|售|租|元|薪|工资|收入|成本|便宜|贵")

_EN_CENTS = re.compile(
    r"(?:\s*,?\s+and)?\s+(?P<num>\d{1,2}|[A-Za-z]+(?:[\s-]+[A-Za-z]+)?)(?:\s+(?P<cents>cents?)(?![A-Za-z])|(?![A-Za-z\d%]|[.,]\d))", re.I
)
# After "15 USD 50" these words show the 50 is still part of the amount ("15 USD 50
# more"); a noun after it would make it a count of its own (10 dollars 20 people).
_AFTER_CENTS = frozenset(["more", "less", "each", "apiece", "extra", "in", "on", "for", "to", "at", "per", "then"])
_EN_SCALE_WORD = re.compile(r"\s+(million|billion|thousand|trillion|bn|mn)(?![A-Za-z])", re.I)
_EN_SMALL = r"\d|one|two|three|four|five|six|seven|eight|nine"
_MAO = re.compile(rf"(?:\s*,?\s+and)?\s+({_EN_SMALL})\s+mao(?:\s+({_EN_SMALL})(?![A-Za-z\d]))?(?![A-Za-z])", re.I)
_CODES_WITH_SCALE = {"usd", "hkd", "rmb", "cny", "eur", "gbp", "aud", "cad", "sgd", "chf"}


# What a currency before a number can end with: a symbol or CJK character, or one of
# these words (see lex.last_visible).
_PREFIX_LAST_CHARS = frozenset(k[-1] for k in currencies.PREFIX_CURRENCIES if k[-1] not in lex.ASCII_LETTERS)
_PREFIX_LAST_WORDS = frozenset(
    [k for k in currencies.PREFIX_CURRENCIES if all(ch in lex.ASCII_LETTERS for ch in k)]
    + [scale + code.lower() for scale in "mk" for code in _SCALED_CODES.split("|")]
    + ["sen"] + list(_WORD_CUR_CODES)
)


@dataclass
class Prefix:
    start: int
    code: str | None
    unit: str | None = None
    scale: float = 1.0


def prev_char(n: str, i: int) -> str:
    while i > 0 and n[i - 1] == " ":
        i -= 1
    return n[i - 1] if i > 0 else ""


def prefix_currency(n: str, s: int, e: int, scaled: bool) -> Prefix | None:
    """The currency written before the number at n[s:e] (e is past any scale word)."""
    j = lex.last_visible(n, s)
    if j < 0 or not (n[j] in _PREFIX_LAST_CHARS or lex.ascii_word_at(n, j) in _PREFIX_LAST_WORDS):
        return None
    lo = max(0, s - 12)
    m = currencies.PREFIX_CUR_BEFORE.search(n, lo, s)
    if m:
        pre = Prefix(m.start(), currencies.PREFIX_CURRENCIES[_SPACES.sub(" ", (m.group(1) or m.group(2)).lower())])
    elif (m := _SCALED_CODE_BEFORE.search(n, lo, s)) is not None:
        pre = Prefix(m.start(), m.group(2).replace("RMB", "CNY"), scale=_CODE_SCALE[m.group(1)])
    elif (m := _SEN_BEFORE.search(n, lo, s)) is not None:
        pre = Prefix(m.start(), None, unit="sen")
    elif (m := _WORD_CUR_BEFORE.search(n, lo, s)) is not None and (scaled or _CLAUSE_END.match(n, e)):
        pre = Prefix(m.start(), _WORD_CUR_CODES[m.group(1).lower()])
    else:
        return None
    if lex.PERCENT_AFTER.match(n, e):
        return None  # "USD 5%": the share of something priced in dollars
    if NUMBERISH.match(prev_char(n, m.start()) or " ") and not _opens_next(n, m.start(), m.end(), s):
        return None
    return pre


def _opens_next(n: str, cs: int, ce: int, s: int) -> bool:
    """Whether a currency word right after a number opens the amount at s rather
    than closing the previous one."""
    if n[ce - 1 : ce] != " " and ce == s and n[cs - 1 : cs] == " ":
        return True  # 1 $10 bill
    back = _BACK_NUMBER.search(n, max(0, cs - 24), cs)
    if not back:
        return False
    j = back.start()
    return bool(currencies.PREFIX_CUR_BEFORE.search(n, max(0, j - 12), j) or _SCALED_CODE_BEFORE.search(n, max(0, j - 12), j))


def currency_after(n: str, c, e: int, prefixed: bool) -> int:
    """Read the currency and sub-units after the amount; returns the new end. The
    readers of _AFTER_READERS are tried in order; the first that reads one wins."""
    nv = lex.next_visible(n, e)
    if nv in _AFTER_FIRST:  # no reader can read text that starts otherwise
        for read in _AFTER_READERS:
            end = read(n, c, e, nv, prefixed)
            if end is not None:
                return end
    if c.kind == "money" and c.currency:
        return _cents(n, c, e, wanted_and=True)
    return e


def _zh_word_after(n: str, c, e: int, nv: str, prefixed: bool) -> int | None:
    """5.5万港元, 300新台币, 20美分, 五元三毛."""
    m = currencies.ZH_CUR_AFTER.match(n, e) if nv in currencies.ZH_CUR_FIRST else None
    if not m:
        return None
    code = currencies.ZH_SUFFIX_CURRENCIES[m.group(1)]
    if code == "USD-cent":
        c.currency, c.unit = "USD", "cent"
    elif c.currency in (None, "$", "¥") or c.currency == code:
        c.currency = code
    c.kind = "money"
    return _zh_subunits(n, c, m.end()) if code != "USD-cent" else m.end()


def _colloquial_after(n: str, c, e: int, nv: str, prefixed: bool) -> int | None:
    """三块五, 两毛五, 五分钱: colloquial yuan, jiao and fen."""
    m = _COLLOQUIAL.match(n, e) if c.currency is None and nv in _COLLOQUIAL_FIRST else None
    if not (m and (m.group(2) or _colloquial_money(n, c.start, m.end()))):
        return None
    if c.value is not None and m.group(1) != "块":
        c.value *= 0.1
    c.currency, c.kind = "CNY", "money"
    return _zh_subunits(n, c, m.end(), first=m.group(1), qian=bool(m.group(2)))


def _scaled_code_after(n: str, c, e: int, nv: str, prefixed: bool) -> int | None:
    """5 MUSD, 3kEUR: a scale letter glued to a currency code after the number."""
    m = _SCALED_CODE_AFTER.match(n, e) if nv in _CODE_SCALE else None
    if not (m and c.currency in (None, m.group(2))):
        return None
    c.currency, c.kind = m.group(2).replace("RMB", "CNY"), "money"
    if c.value is not None:
        c.value *= _CODE_SCALE[m.group(1)]
    return m.end()


def _en_word_after(n: str, c, e: int, nv: str, prefixed: bool) -> int | None:
    """45 billion Hong Kong dollars, 42 MYR, 50 cents."""
    m = currencies.EN_CUR_AFTER.match(n, e) if nv in currencies.EN_CUR_FIRST else None
    if not m or (m.group(1) in _SYMBOLS and c.kind == "money"):
        return None
    word = re.sub(r"\s+", " ", m.group(1).lower())
    if prefixed and word not in currencies.EN_SUBUNITS and _NUMBER_AHEAD.match(n, m.end()):
        return _cents(n, c, e, wanted_and=True)  # rmb 10 usd 20: "usd" opens the next amount
    return _en_suffix(n, c, word, m.end())


_AFTER_READERS = (_zh_word_after, _colloquial_after, _scaled_code_after, _en_word_after)
# The characters the readers' patterns can start with (each reader tests its own).
_AFTER_FIRST = frozenset(currencies.ZH_CUR_FIRST | _COLLOQUIAL_FIRST | frozenset(_CODE_SCALE)
                         | currencies.EN_CUR_FIRST)


def _en_suffix(n: str, c, word: str, e: int) -> int:
    if word in currencies.EN_SUBUNITS:
        c.unit, c.kind = currencies.EN_SUBUNITS[word], "money"
        if word in currencies.EN_SUBUNIT_CURRENCIES and c.currency in (None, "$"):
            c.currency = currencies.EN_SUBUNIT_CURRENCIES[word]
        return e
    code = currencies.EN_SUFFIX_CURRENCIES[word]
    if c.currency in (None, "$") or code == c.currency:
        c.currency = code if not (code == "$" and c.currency == "$") else "$"
    c.kind = "money"
    sc = _EN_SCALE_WORD.match(n, e)
    if sc and word in _CODES_WITH_SCALE:
        c.value = (c.value or 0) * _SCALES[sc.group(1).lower()]  # 75 USD million
        return sc.end()
    if word == "kuai":
        return _mao(n, c, e)
    return _cents(n, c, e, wanted_and=False)


def _colloquial_money(n: str, s: int, e: int) -> bool:
    return bool(
        _ENDS_IN_QIAN.match(n, e) or _PER_UNIT_AFTER.match(n, e)
        or _ZH_MONEY_CONTEXT.search(n, max(0, s - 12), s)
    )


def _zh_subunits(n: str, c, e: int, first: str = "元", qian: bool = False) -> int:
    """五元三毛, 两美元又三美分, 50元6角三分, 三块五 (3.5), 五毛五 (0.55)."""
    if c.value is None or qian:
        return e
    last = first
    while True:
        sub = _SUBUNIT.match(n, e)
        if not sub:
            break
        dv = _digit_value(sub.group(1))
        if dv is None:
            break
        c.value += dv * _SUBUNIT_SCALE[sub.group(2)]
        e, last = sub.end(), sub.group(2)
    if last in ("块", "毛", "角"):
        tail = _TRAILING_DIGIT.match(n, e)
        if tail:  # the next smaller unit, left unsaid
            c.value += (_digit_value(tail.group(1)) or 0) * (0.1 if last == "块" else 0.01)
            e = tail.end()
    q = _QIAN.match(n, e) if last in ("块", "毛", "角") else None
    return q.end() if q else e


def _digit_value(s: str) -> float | None:
    return float(s) if s.isdigit() else cn_value(s)


def _mao(n: str, c, e: int) -> int:
    """one kuai and five mao five: 1.55 yuan."""
    m = _MAO.match(n, e)
    if not m or c.value is None:
        return e
    tenths = _small(m.group(1))
    hundredths = _small(m.group(2)) if m.group(2) else 0
    if tenths is None or hundredths is None:
        return e
    c.value += tenths * 0.1 + hundredths * 0.01
    return m.end()


def _small(word: str) -> float | None:
    return float(word) if word.isdigit() else en_words_value([word.lower()])


def _cents(n: str, c, e: int, wanted_and: bool) -> int:
    """3 dollars 50 cents, thirteen dollars and forty-five cents, C$ 100 and fifty,
    15 USD 50 more."""
    m = _EN_CENTS.match(n, e)
    if not m or c.value is None or c.unit:
        return e
    if wanted_and and not m.group().lstrip(" ,").lower().startswith("and"):
        return e
    if not m.group("cents") and not _cents_end(n, m.end(), wanted_and):
        return e
    num = m.group("num")
    v = float(num) if num.isdigit() else en_words_value(num.split())
    if v is None or not 0 < v < 100 or (v != int(v)):
        return e
    c.value += v / 100
    return m.end()


def _cents_end(n: str, i: int, wanted_and: bool) -> bool:
    """Whether what follows a bare cents number leaves it part of the amount."""
    after = n[i : i + 16]
    if re.match(r"\s*[\d" + "".join(_SYMBOLS) + "]", after):
        return False  # 10 $ 30 $: two amounts
    word = re.match(r"\s*([A-Za-z]+)", after)
    if not word:
        return True
    return not wanted_and and after[0] == " " and word.group(1).lower() in _AFTER_CENTS
