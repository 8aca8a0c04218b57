"""Grow each numeric core (an atom, see atoms) into a candidate figure.

Growing reads the words around a number: currency, sign, qualifier and 第/No.
before; scale words, percent signs, currency words, classifiers and trailing
qualifiers after. What is read becomes part of the surface, except an English count
noun, which only sets the unit (1,100 innovation and technology positions -> surface
"1,100", unit "positions").
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from annotator.domain import FigureWarning
from annotator.text.figures import lex as lex
from annotator.text.figures import money as money
from annotator.text.figures import currencies, scales, units
from annotator.text.figures.atoms import CN, CN_DIG, CN_DIGIT_VALUE, Atom
from annotator.text.figures.money import prev_char as _prev_char
from annotator.text.figures.numerals import EN_ORDINALS, en_words_value

__all__ = ["Cand", "Grower"]
CN_DIGIT_VALUE.update({c: i + 1 for i, c in enumerate("壹贰叁肆伍陆柒捌玖")})
_COMPOUND_TAIL = re.compile(
    r"\s+(and\s+)?(\d+(?:\.\d+)?)(?:\s*(hundred|thousand|million|billion))?(?![\d,.]?[\dA-Za-z])", re.I
)
_AND_WORDS = re.compile(
    r"\s+and\s+((?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
    r"(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine|hundred))*)(?![A-Za-z])",
    re.I,
)
_AND_A_HALF = re.compile(r"\s+and\s+an?\s+(half|quarter)(?![A-Za-z])", re.I)
_SIGN_WORD = re.compile(r"(?<![A-Za-z])(minus|negative)\s+$", re.I)
_SYMBOL_BOUND = re.compile(r"(?<![<>=])(>\s?=|≥|<\s?=|≤|>|<)\s*$")
_SYMBOL_QUAL = {">": "more than", "≥": "at least", "<": "less than", "≤": "at most"}
_SYMBOL_LAST = frozenset("=≥≤<>")
_ORDINAL_SUFFIX = re.compile(r"(st|nd|rd|th)(?![A-Za-z])", re.I)
_ZH_ORDINAL_BEFORE = re.compile(r"第\s*$")
_NO_BEFORE = re.compile(r"(?<![A-Za-z])(?:No|no|NO)\.?\s*$")
_ZH_RANK_BEFORE = re.compile(r"(?:(?<![以之目此提当从空事])前|(?<![之然以最此其])后|top\s)\s*$", re.I)
_BI_BEFORE = re.compile(r"比\s*$")
_BI_AFTER = re.compile(r"\s*([大多高]|[小少低])")
_CHENG_ZHE = re.compile(r"\s*(成(?![员本果功就立为长交绩熟都年人型品分不])半?|折(?![叠扣旧腾射算合服返线磨]))")
_CHENG_TAIL = re.compile(rf"\s?([\d{CN_DIG}])(?![\d{CN}.点])")
_ZH_APPROX_AFTER = re.compile(r"[多余](?![万亿])")
_APPROX_CHARS = frozenset("多余")
_CHENG_ZHE_FIRST = frozenset("成折")
_PERCENT_OF = re.compile(r"(?<![A-Za-z\d]\s)(?<![A-Za-z])(percents?|per\s+cent)\s+of\s+$", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")
_AGED_BEFORE = re.compile(r"(?<![A-Za-z])(?:aged|ages)\s+$", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|[^\sA-Za-z]")
_UNIT_AND_BEFORE = re.compile(r"(?<![A-Za-z])(?:an?|one)\s+(hour|minute|day|week|month|year|decade)\s+and\s+$", re.I)
# A number joined by a hyphen to a singular noun is an adjective of measure: a
# three-year silence, a six-member crew, an 800-page report, a 2.0-liter engine,
# the 56-year-old, seven-month-old. The noun is the unit.
_HYPHEN_NOUN = re.compile(r"-([a-z][a-z]+)(?![A-Za-z])")
_NOT_HYPHEN_UNITS = frozenset(
    ["to", "and", "or", "of", "off", "on", "in", "by", "up", "out", "for", "from", "over", "way", "ways", "sided", "fold", "odd", "ish", "like", "plus", "something", "odds", "nil", "all", "thirds", "third", "half", "quarter", "quarters", "fifths", "tenths"]
)
# "10000与20000间": 间 closes "between A and B", it is no classifier of B.
# 涉及3间房 is three rooms: the conjunction must follow a number.
_BETWEEN_END = re.compile(r"[\d零一二三四五六七八九十百千万亿%][万亿]?\s*[与和及至到~-]\s*$")
# English words after which a four-digit number before a noun is still a year (in 1990
# elections, since 2008 levels).
_YEAR_WORDS_BEFORE = frozenset(
    ["in", "since", "by", "from", "to", "until", "of", "year", "before", "after", "during", "between", "and", "through", "early", "late", "mid"]
)
_PERCENT_OR_CHENG_FIRST = lex.PERCENT_FIRST | _CHENG_ZHE_FIRST
_QUAL_AFTER_FIRST = lex.ZH_QUAL_AFTER_FIRST | lex.EN_QUAL_AFTER_FIRST
_ZH_WEAK_NEXT = set("这那却而不也，。,.、；;！!？?）)”」』\n ")


@dataclass
class Cand:
    start: int
    end: int
    kind: str
    value: float | None
    value_max: float | None = None
    unit: str | None = None
    currency: str | None = None
    qualifier: str | None = None
    warnings: list[FigureWarning] = field(default_factory=list)
    role: str | None = None
    link: int | None = None
    weak: bool = False  # drop unless it joins a range (一, "the two")
    core: tuple[int, int] = (0, 0)
    bare: bool = False  # no unit, currency, percent or qualifier of its own
    prefixed: bool = False  # a currency written before the number
    ordinal: bool = False
    notes: list[str] = field(default_factory=list)  # reading steps the surface cannot show


# -- dictionary of words that merely contain numeral characters -------------------------


@lru_cache(maxsize=1)
def _non_numeral_words() -> frozenset:
    """Words of jieba's dictionary that contain a numeral character but are not
    numerals (四川, 一切, 陆地, 统一, 千方百计), read once on first use."""
    try:
        import jieba

        path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        # one regex pass over the 350,000 lines (a loop over them took 0.6-1.2 s):
        # "word freq tag" lines whose word holds a numeral character
        line = re.compile(rf"^(\S*[{CN}]\S*) \d+ (\w+)$", re.M)
        words = {m[1] for m in line.finditer(text)
                 if 2 <= len(m[1]) <= 6 and m[2] not in ("m", "mq", "q", "t")}
    except OSError:
        return frozenset()
    words.update(
        {"一些", "一起", "一下", "万一", "一番", "一系列", "一贯", "两会", "一切", "二次元", "二次", "二手",
         "二维", "三维", "一手", "三农", "二次方", "一线", "二线", "三线", "一把手", "一口气",
         # jieba tags these as numerals (m), but they are adverbs and set phrases:
         # 四处 everywhere, 四周 all around, 三番五次 again and again, (万里)长征第一步
         # the first step of a long march
         "四处", "四周", "三番五次", "长征第一步"}
    )
    return frozenset(words)


def _inside_word(n: str, s: int, e: int, c: Cand | None = None) -> bool:
    """Whether the numeral at n[s:e] is part of a dictionary word. An amount of money
    spelled as one word (两块钱, 五毛) is not hidden by it, but a longer word around
    the amount is (一元化 is "unification")."""
    lo = max(0, s - 3)
    spans = _words_around(n[lo : min(len(n), e + 3)], s - lo, e - lo)
    inside_money = c is not None and c.kind == "money"
    for a, b in spans:
        if a + lo == s and _QUANTITY_WORD_TAIL.match(n, e):
            continue  # 十多人, 一小时: the dictionary word is the quantity itself
        if not (inside_money and c.start <= a + lo and b + lo <= c.end):
            return True
    return False


_QUANTITY_WORD_TAIL = re.compile(r"[多余]|小时|个小时|分钟")


def _word_before_di(n: str, di: int, s: int, e: int) -> bool:
    """Whether a dictionary word holding the numeral at n[s:e] starts before the 第 at
    `di` (长征第一步, the first step of a long march); 第一季度 starts at it and stays."""
    lo = max(0, s - 3)
    return any(a + lo < di for a, _ in _words_around(n[lo : min(len(n), e + 3)], s - lo, e - lo))


@lru_cache(maxsize=65536)
def _words_around(ctx: str, s: int, e: int) -> tuple:
    """Spans of ctx that are dictionary words holding ctx[s:e] and more; the same few
    characters around a numeral recur all through Chinese text, hence the cache."""
    words = _non_numeral_words()
    return tuple(
        (a, b)
        for a in range(max(0, s - 3), s + 1)
        for b in range(e, min(len(ctx), e + 3) + 1)
        if (a < s or b > e) and b - a <= 6 and ctx[a:b] in words
    )


# -- growing a candidate -----------------------------------------------------------------


def _sign(n: str, s: int) -> tuple[int, bool]:
    """New start and whether the number is negative (-5, 负5, minus five)."""
    if s > 0 and n[s - 1] in "-负":
        if n[s - 1] == "负":
            return s - 1, True
        p = _prev_char(n, s - 1)
        if not p or not (p.isalnum() or p in "%)]-" or _CJK.match(p)):
            return s - 1, True
        if p.isalpha() and not _CJK.match(p) and n[s - 2].isspace():
            return s - 1, True  # "fell to -5", "at -15" (a word, a space, then the sign)
        if p and _CJK.match(p) and p not in CN:
            return s - 1, True
        return s, False
    j = lex.last_visible(n, s)
    m = _SIGN_WORD.search(n, max(0, s - 10), s) if j >= 0 and n[j] in "sSeE" else None
    if m:
        return m.start(), True
    if (s > 1 and n[s - 1] == " " and n[s - 2] == "-"
            and _prev_char(n, s - 2) in ("", "\n", "(", "=", ":") and _alone_on_line(n, s)
            and not _in_dash_list(n, s - 2)):
        return s - 2, True  # "- 1 4/5" opening a line and making it up
    return s, False


def _in_dash_list(n: str, dash: int) -> bool:
    """Whether the line opening with "- " at `dash` has a neighbour opening so too: a
    list of bullets ("- 王茜\n- 20,566" in a page's byline widget), not a minus sign."""
    start = n.rfind("\n", 0, dash) + 1
    if start > 0 and n.startswith("- ", n.rfind("\n", 0, start - 1) + 1):
        return True
    after = n.find("\n", dash)
    return after >= 0 and n.startswith("- ", after + 1)


# a bare quantity: digits, and at most a scale or unit abbreviation (k, bn, %)
_NUMBER_ONLY = re.compile(r"[\d\s.,/]*(?:[A-Za-z%]{1,3}\.?)?\s*")


def _alone_on_line(n: str, s: int) -> bool:
    """Whether the number at `s` (with at most a scale or unit abbreviation) is all its
    line holds. "- " opening a line of words is a list bullet (trafilatura writes every
    <li> so: "- 30 people were injured"), not a minus sign; 79 of the 85 negative values
    read from real news pages were bullets."""
    end = n.find("\n", s)
    return _NUMBER_ONLY.fullmatch(n, s, len(n) if end < 0 else end) is not None


def _english_unit(n: str, e: int) -> str | None:
    words = _WORD.findall(n, e, min(len(n), e + 70))
    for i, w in enumerate(words[:5]):
        lw = w.lower()
        if not w[0].isalpha():
            return None
        if lw in units.EN_TIME_UNITS:
            return units.EN_TIME_UNITS[lw]
        if lw in units.EN_UNIT_STOP and lw != "and":
            return None
        if _plural_noun(lw):
            return lw
    return None


# After a glued lower-case "m", words that make it a metre although a plural noun
# follows ("2m high walls", "the 100m hurdles"), and the few words that may stand
# between a million and its count noun ("3m new jobs").
_METRE_NEXT = frozenset(
    ["high", "tall", "long", "wide", "deep", "thick", "across", "away", "apart", "square", "cubic", "above", "below", "higher", "taller", "longer", "deeper", "wider", "hurdles", "relays", "sprints", "races", "finals", "heats"]
)
_MILLION_MODIFIERS = frozenset(
    ["new", "more", "extra", "additional", "other", "fewer", "foreign", "local", "overseas", "mainland", "international", "domestic", "active", "registered", "young", "elderly", "eligible", "unique", "online", "daily", "monthly"]
)
_WORD_AT = re.compile(r"\s+([A-Za-z][A-Za-z'’]*)")


def _m_is_million(n: str, s: int, e: int) -> bool:
    """Whether the "m" glued to the number at n[s:...e] means million ($3m, £2.5m,
    3m euros, 3.5m visitors, 3m new jobs) rather than metre (a 1m wall, 180m, "1m
    isn't a number"): a currency before or after it, or a plural count noun after it,
    at most one modifier between."""
    if currencies.PREFIX_CUR_BEFORE.search(n, max(0, s - 12), s):
        return True
    cur = currencies.EN_CUR_AFTER.match(n, e) if lex.next_visible(n, e) in currencies.EN_CUR_FIRST else None
    if cur and cur.group(1).lower() not in currencies.EN_SUBUNITS:
        return True
    for _ in range(2):
        w = _WORD_AT.match(n, e)
        if not w:
            return False
        word = w.group(1).lower()
        if word in _METRE_NEXT:
            return False
        if _plural_noun(word):
            return True
        if word not in _MILLION_MODIFIERS:
            return False
        e = w.end()
    return False


def _money_near(n: str, s: int, e: int) -> bool:
    """A currency written before the number or after its scale ($5mm, 5mm USD)."""
    if currencies.PREFIX_CUR_BEFORE.search(n, max(0, s - 12), s):
        return True
    cur = currencies.EN_CUR_AFTER.match(n, e) if lex.next_visible(n, e) in currencies.EN_CUR_FIRST else None
    return bool(cur and cur.group(1).lower() not in currencies.EN_SUBUNITS)


def _plural_noun(lw: str) -> bool:
    """A count noun as _english_unit reads one: a plural, or people, staff ..."""
    return lw in units.EN_UNIT_WORDS or lw in units.EN_TIME_UNITS or (
        lw.endswith("s") and len(lw) > 3 and lw not in units.EN_NOT_UNIT
        and not lw.endswith(("ss", "firsts", "seconds", "thirds"))
        and not (lw.endswith("ths") and lw[:-1] in EN_ORDINALS)  # fifths, not deaths
    )


# A spelled-out number below ten after these is a reference (the two sides, its three
# units), not a figure to check; "the two million residents" is one number, not "two".
_DETERMINERS = frozenset(["the", "these", "those", "both", "its", "their", "our", "his", "her"])

_SINGLE_NEXT = (
    {w[0] for w in units.ZH_CLASSIFIERS} | {w[0] for w in currencies.ZH_SUFFIX_CURRENCIES}
    | {w[0] for w in lex.ZH_SUFFIX_QUALIFIERS} | set("%‰成折多余点分到至-~个百毛角")
)
_SINGLE_PREV = {w[-1] for w in lex.ZH_QUALIFIERS} | set("是第前后比负有")


# 一天, 一年, 一周 are "one day" only as a span of time: after a verb of lasting
# (成立一年, 提早一小時, 历时一周) or before 内, 后, 左右 (在一天内, 一周後, 一年左右);
# elsewhere 一天 is "one day" in the sense of "some day", 一年 of "a year".
_ZH_SPAN_UNITS = frozenset(["天", "日", "年", "周", "星期", "个月", "个星期", "个礼拜", "小时", "个小时", "晚", "夜"])
_ZH_SPAN_BEFORE = re.compile(
    r"(?:成立|历时|为期|长达|持续|连续|提早|提前|推迟|延迟|延长|相隔|间隔|仅|只|不到|不足|近|约|逾|超过"
    r"|用了|花了|过去|过了|停了|关了|等了|住了|待了|停市|休市|关闭|隔离|拘留|监禁|服刑)\s*$")
_ZH_SPAN_AFTER = re.compile(r"\s*(?:之内|以内|内|之后|以后|后|之前|以前|前|左右|多|以来|之久)")


def _one_span_of_time(n: str, c: Cand) -> bool:
    if c.unit not in _ZH_SPAN_UNITS:
        return False
    return bool(_ZH_SPAN_BEFORE.search(n, max(0, c.start - 4), c.start)
                or _ZH_SPAN_AFTER.match(n, c.end))


def _cheap_reject(n: str, a: Atom) -> bool:
    """A lone 一/三/十 between ordinary characters (统一, 三大, 十分) cannot become a
    figure; skip the full work for the many such characters in Chinese text."""
    if a.src != "cn" or a.end - a.start != 1:
        return False
    nxt = n[a.end] if a.end < len(n) else ""
    prev = n[a.start - 1] if a.start else ""
    if nxt in _SINGLE_NEXT or prev in _SINGLE_PREV:
        return False
    return bool(_CJK.match(nxt or " ") or _CJK.match(prev or " "))


class Grower:
    """Turns atoms into candidates for one folded text."""

    def __init__(self, n: str):
        self.n = n

    def grow(self, a: Atom) -> Cand | None:
        n = self.n
        if _cheap_reject(n, a):
            return None
        s, e, v = a.start, a.end, a.value
        c = Cand(s, e, "number", v, core=(s, e))
        if a.src == "en" and a.text == "ordinal":
            c.kind, c.ordinal, c.unit = "ordinal", True, a.unit
            return c
        if a.src == "en" and a.text == "a half":
            m = _UNIT_AND_BEFORE.search(n, max(0, s - 24), s)
            if m:  # an hour and a half: one and a half hours
                c.start, c.kind, c.value = m.start(), "count", 1.5
                c.unit = units.EN_TIME_UNITS[m.group(1).lower()]
                return c
        scaled = False
        if a.src in ("ar",):
            e, scaled = self._scale_after(c, s, e)
            v = c.value
        # before the number
        s, negative = _sign(n, s)
        if negative:
            c.value = v = -v
        pre = money.prefix_currency(n, s, e, scaled)
        if pre:
            c.currency, c.unit, c.kind, s, c.prefixed = pre.code, pre.unit, "money", pre.start, True
            if pre.scale != 1:
                c.value = v = v * pre.scale
            if not negative and s and n[s - 1] == "-" and not _prev_char(n, s - 1).isalnum():
                c.value, s, negative = -v, s - 1, True
        if a.percent:
            c.kind, c.unit = "percent", "%"
        s = self._qualifier_before(c, s)
        c.start = s
        # after the number
        e = self._after(c, a, e, scaled)
        c.end = e
        c.bare = (
            c.kind == "number" and c.unit is None and c.qualifier is None and not scaled and not negative
        )
        return self._classify(c, a)

    def _scale_after(self, c: Cand, s: int, e: int) -> tuple[int, bool]:
        """2.5 million, 1.2bn, 10M, 4 thousand 3 hundred, 3 million and a half: the scale
        after an Arabic number (see scales.py). Returns the end and whether it scaled."""
        n = self.n
        m = scales.EN_SCALE_AFTER.match(n, e)
        if not m:
            return e, False
        word = (m.group(1) or m.group(2) or m.group(3) or m.group(4)).lower()
        if word == "mm" and m.group(2) == "mm" and not _money_near(n, s, m.end()):
            return e, False  # 7.62mm, 300mm: millimetres ($5mm is five million)
        if m.group(4) and not _m_is_million(n, s, m.end()):
            return e, False
        scale = scales.SCALES[word]
        e, v = self._compound(m.end(), c.value * scale, scale)
        half = _AND_A_HALF.match(n, e)  # 3 million and a half
        if half and word not in scales.NO_HALF_AFTER:
            v, e = v + scale * (0.5 if half.group(1).lower() == "half" else 0.25), half.end()
        c.value = v
        return e, True

    def _compound(self, e: int, v: float, scale: float) -> tuple[int, float]:
        """4 thousand 3 hundred and 21, 3 hundred and one: groups with falling scales."""
        while True:
            m = _COMPOUND_TAIL.match(self.n, e)
            if not m:
                w = _AND_WORDS.match(self.n, e)
                part = en_words_value(w.group(1).split()) if w else None
                if w and part is not None and part < scale:
                    return w.end(), v + part
                return e, v
            part = float(m.group(2))
            word = (m.group(3) or "").lower()
            nxt = scales.SCALES.get(word, 1.0)
            if nxt >= scale or (not word and not m.group(1)) or part * nxt >= scale:
                return e, v
            v, e, scale = v + part * nxt, m.end(), nxt
            if not word:
                return e, v

    def _qualifier_before(self, c: Cand, s: int) -> int:
        n = self.n
        j = lex.last_visible(n, s)
        if j < 0:
            return s
        last = n[j]
        m = _SYMBOL_BOUND.search(n, max(0, s - 5), s) if last in _SYMBOL_LAST else None
        if m:
            sym = m.group(1).replace(" ", "")
            sym = {">=": "≥", "<=": "≤"}.get(sym, sym)
            c.qualifier = _SYMBOL_QUAL[sym]
            return m.start()
        latin = last in lex.ASCII_LETTERS and j >= s - 3  # a letter just before the number
        m = None
        if latin and lex.ascii_word_at(n, j) in lex.EN_QUAL_LAST_WORDS:
            m = lex.EN_QUAL_BEFORE.search(n, max(0, s - 32), s)
        if m:
            c.qualifier = lex.EN_QUALIFIERS[re.sub(r"\s+", " ", m.group(1).lower())]
            return m.start()
        if not latin and last in lex.ZH_QUAL_LAST_CHARS:
            m = lex.ZH_QUAL_BEFORE.search(n, max(0, s - 12), s)
        if m:
            word = re.sub(r"\s+", "", m.group(1))
            if word == "过" and re.search(r"[经通度去错不越跨走穿路闯难看听想做说到]$", n[max(0, m.start() - 1) : m.start()]):
                return s
            if word in ("近",) and re.search(r"[最接将附邻]$", n[max(0, m.start() - 1) : m.start()]):
                return s
            c.qualifier = lex.ZH_QUALIFIERS[word]
            return m.start()
        m = _BI_BEFORE.search(n, max(0, s - 3), s) if last == "比" else None
        if m:
            after = _BI_AFTER.match(n, c.core[1])
            if after:
                c.qualifier = "more than" if after.group(1) in "大多高" else "less than"
                c._bi_end = after.end()  # type: ignore[attr-defined]
                return m.start()
        return s

    def _after(self, c: Cand, a: Atom, e: int, scaled: bool) -> int:
        """Everything read after the number, in order: 多/余, a percent sign or 成/折, a
        currency word, a classifier, a trailing qualifier."""
        if getattr(c, "_bi_end", None):
            return c._bi_end  # type: ignore[attr-defined]
        n = self.n
        # each step is called only when its first character is there: this runs for
        # every number
        if a.approx or n[e : e + 1] in _APPROX_CHARS:
            e = self._approx_after(c, a, e)
        if c.kind != "percent" and lex.next_visible(n, e) in _PERCENT_OR_CHENG_FIRST:
            e = self._percent_after(c, a, e)
        if c.kind in ("number", "money"):
            e = money.currency_after(n, c, e, c.prefixed)
        if c.kind == "number" and lex.next_visible(n, e) in units.ZH_CLASSIFIER_FIRST:
            e = self._classifier_after(c, a, e)
        if lex.next_visible(n, e) in _QUAL_AFTER_FIRST:
            e = self._qualifier_after(c, e)
        return e

    def _approx_after(self, c: Cand, a: Atom, e: int) -> int:
        """4万多, 1000余: over."""
        n = self.n
        if a.approx and c.qualifier in (None, "approximately"):
            c.qualifier = "over"
        m = _ZH_APPROX_AFTER.match(n, e) if n[e : e + 1] in _APPROX_CHARS else None
        if m and a.src in ("cn", "ar") and (a.src == "cn" or _CJK.match(n[e + 1 : e + 2] or " ") or e + 1 >= len(n) or not n[e + 1].isalnum()):
            c.qualifier = "over" if c.qualifier in (None, "approximately") else c.qualifier
            e = m.end()
        return e

    def _percent_after(self, c: Cand, a: Atom, e: int) -> int:
        """%, ‰, percent, 个百分点; or 成/折 after a small number."""
        n = self.n
        nv = lex.next_visible(n, e)
        m = lex.PERCENT_AFTER.match(n, e) if nv in lex.PERCENT_FIRST else None
        if m and c.kind != "money":
            c.kind = "percent"
            c.unit = "pp" if m.group(2) else ("‰" if m.group(1) == "‰" else "%")
            return m.end()
        if c.kind == "number":
            return self._cheng_zhe(c, a, e, nv)
        return e

    def _cheng_zhe(self, c: Cand, a: Atom, e: int, nv: str) -> int:
        """七成 70%, 三成半 35%, 七五折 is an atom; 十成 100%."""
        n = self.n
        m2 = _CHENG_ZHE.match(n, e) if nv in _CHENG_ZHE_FIRST else None
        val = c.value or 0
        if m2 and a.src in ("cn", "ar") and 0 < val < 10:
            c.value = (val + (0.5 if m2.group(1).endswith("半") else 0.0)) * 10
            e = m2.end()
            tail = _CHENG_TAIL.match(n, e) if m2.group(1) == "成" else None
            if tail:
                c.value += CN_DIGIT_VALUE.get(tail.group(1), 0) if not tail.group(1).isdigit() else int(tail.group(1))
                e = tail.end()
            c.kind, c.unit = "percent", "%"
        elif m2 and val == 10 and m2.group(1) == "成":
            c.value, c.kind, c.unit, e = 100.0, "percent", "%", m2.end()
        return e

    def _classifier_after(self, c: Cand, a: Atom, e: int) -> int:
        """5000人, 三斤半, 3间 (but not 10000与20000间, 3点5): a count with its classifier."""
        n = self.n
        nv = lex.next_visible(n, e)
        m = units.ZH_CLASSIFIER_AFTER.match(n, e) if nv in units.ZH_CLASSIFIER_FIRST else None
        if not (m and (a.src == "cn" or _CJK.match(n[e : e + 1] or " ") or _CJK.match(n[m.end() - 1]))):
            return e
        if (m.group(1) == "点" and n[m.end() : m.end() + 1].isdigit()) or (
            m.group(1) == "间" and _BETWEEN_END.search(n, max(0, c.start - 4), c.start)
        ):
            return e
        c.kind, c.unit = "count", m.group(1)
        e = self._half(c, m.end())
        m = _ZH_APPROX_AFTER.match(n, e)
        if m and c.qualifier is None:
            c.qualifier, e = "over", m.end()
        return e

    def _qualifier_after(self, c: Cand, e: int) -> int:
        """以上, 左右, or more, or so ... after the number and its unit."""
        n = self.n
        nv = lex.next_visible(n, e)
        m = lex.ZH_QUAL_AFTER.match(n, e) if nv in lex.ZH_QUAL_AFTER_FIRST else None
        if m:
            q = lex.ZH_SUFFIX_QUALIFIERS[m.group(1)]
            c.qualifier = q if (c.qualifier in (None, "approximately", "over") or q != "approximately") else c.qualifier
            return m.end()
        m = lex.EN_QUAL_AFTER.match(n, e) if nv in lex.EN_QUAL_AFTER_FIRST else None
        if not m:
            return e
        q = lex.EN_SUFFIX_QUALIFIERS[re.sub(r"\s+", " ", m.group(1).lower())]
        if q == "or less" and m.group(1).lower().startswith("or equal"):
            q = {"more than": "at least", "over": "at least"}.get(c.qualifier or "", "at most")
            if c.qualifier is None:
                q = None
        if q:
            c.qualifier = q
            e = m.end()
        return e

    def _half(self, c: Cand, e: int) -> int:
        """三斤半 (3.5 斤), 一年半, 一个半小时 (1.5 小时): a half after the unit, or
        between 个 and the unit of time."""
        n = self.n
        if n[e : e + 1] != "半" or c.value is None or c.value != int(c.value):
            return e
        if c.unit == "个":
            m = units.ZH_HALF_INSIDE.match(n, e)
            if m:
                c.value, c.unit = c.value + 0.5, m.group(1)
                c.weak = False
                return m.end()
            return e
        if c.unit in units.ZH_HALF_AFTER and not n[e + 1 : e + 2] in ("年", "天", "月", "夜", "价", "导", "岛"):
            c.value += 0.5
            return e + 1
        return e

    def _classify(self, c: Cand, a: Atom) -> Cand | None:
        """What the grown number is: an ordinal, a percent, no figure at all, a count
        with a unit after it, a year, or a weak number (see Cand.weak)."""
        if c.kind in ("number", "count") and c.qualifier is None:
            ordinal = self._ordinal(c, a)
            if ordinal is not None:
                return c if ordinal else None
        if c.kind == "number" and c.qualifier is None and a.src in ("en", "ar") and self._percent_of(c):
            return c
        if a.src == "cn" and self._cn_not_a_figure(c, a):
            return None
        if self._unit_after(c, a):
            return c
        self._year_or_weak(c, a)
        return c

    def _ordinal(self, c: Cand, a: Atom) -> bool | None:
        """第N / No. N / 20th / 一季度: True when c is an ordinal, False when the
        number is no figure, None when neither."""
        n = self.n
        s0, e0 = c.core
        before = n[max(0, c.start - 4) : c.start]
        m = _ZH_ORDINAL_BEFORE.search(n, max(0, c.start - 2), c.start) if "第" in before else None
        if m:
            if a.src == "cn" and a.end - a.start == 1 and _word_before_di(n, m.start(), s0, e0):
                return False  # 长征第一步: a set phrase begins before the 第
            c.start, c.kind, c.ordinal = m.start(), "ordinal", True
            return True
        m = _NO_BEFORE.search(n, max(0, c.start - 4), c.start) if ("o" in before or "O" in before) else None
        if m and a.src == "ar":
            c.start, c.kind, c.ordinal, c.unit = m.start(), "ordinal", True, "No."
            return True
        m = _ORDINAL_SUFFIX.match(n, e0)
        if m and a.src == "ar" and c.end == e0:
            c.end, c.kind, c.ordinal = m.end(), "ordinal", True
            return True
        if c.unit == "季度" and c.value in (1, 2, 3, 4) and a.src in ("cn", "ar") and not (
            _ZH_RANK_BEFORE.search(n, max(0, c.start - 4), c.start)  # 前三季度: three quarters
        ):
            c.kind, c.ordinal = "ordinal", True  # 一季度, 3季度: the first, third quarter
            return True
        return None

    def _percent_of(self, c: Cand) -> bool:
        """"percent of 20" written before the number."""
        n = self.n
        j = lex.last_visible(n, c.start)
        pct = _PERCENT_OF.search(n, max(0, c.start - 16), c.start) if j >= 0 and n[j] in "fF" else None
        if pct:
            c.start, c.kind, c.unit = pct.start(), "percent", "%"
        return bool(pct)

    def _cn_not_a_figure(self, c: Cand, a: Atom) -> bool:
        """Chinese numerals that are no checkable figure: 数十人, 上百家 ("dozens",
        "hundreds"), a numeral inside a word (统一), 千万 as "by all means"."""
        n = self.n
        s0, e0 = c.core
        if a.text[0] in "十百千万亿拾佰仟" and re.search(r"[数几上成]$", n[max(0, s0 - 1) : s0]):
            return True
        if a.end - a.start == 1 and a.text != "半" and _inside_word(n, s0, e0, c):
            return True
        return a.text == "千万" and bool(re.match(r"[不别要记注小]", n[e0 : e0 + 1]))

    def _unit_after(self, c: Cand, a: Atom) -> bool:
        """A unit after an Arabic or English number: glued (7.62mm), a symbol after a
        space (151 PS), a hyphenated noun of measure (a three-year silence), "aged 5",
        or an English count noun. True when the candidate is complete."""
        n = self.n
        glued = units.GLUED_UNIT.match(n, c.end) if a.src == "ar" and c.kind == "number" else None
        if glued:
            unit = glued.group(1).lower()  # (a long ſ matches s, and is no key)
            c.kind, c.unit, c.end = "count", units.GLUED_UNITS.get(unit, unit), glued.end()
            return True
        sym = (
            units.EN_SYMBOL_UNIT_AFTER.match(n, c.end)
            if a.src in ("ar", "en") and c.kind == "number" and n[c.end : c.end + 1] == " "
            else None
        )
        if sym:
            c.kind, c.unit = "count", sym.group(0).strip()
            return True
        if c.kind != "number" or c.unit is not None:
            return False
        if a.src in ("ar", "en") and c.end == c.core[1]:
            h = _HYPHEN_NOUN.match(n, c.end) if n[c.end : c.end + 1] == "-" else None
            if h and h.group(1) not in _NOT_HYPHEN_UNITS:
                word = h.group(1)
                # a measure, never a reference: "its seven-month-old" is no "its three"
                c.kind, c.unit = "count", units.EN_TIME_UNITS.get(word, word)
                return True
        if a.src in ("ar", "en", "frac", "cn"):
            j = lex.last_visible(n, c.start)
            if j >= 0 and n[j] in "dsDS" and _AGED_BEFORE.search(n, max(0, c.start - 8), c.start):
                c.unit = "years"
            elif a.src in ("ar", "en", "frac") and not _CJK.match(n[c.end : c.end + 1] or " "):
                unit = _english_unit(n, c.end)
                if unit:
                    c.kind, c.unit = "count", unit
        return False

    def _after_determiner(self, s: int) -> bool:
        """Whether the word before s is a determiner that makes a small number a
        reference to things already named (the two sides) rather than a count."""
        j = lex.last_visible(self.n, s)
        return j >= 0 and j < s - 1 and lex.ascii_word_at(self.n, j) in _DETERMINERS

    def _year_or_weak(self, c: Cand, a: Atom) -> None:
        if self._is_year(c, a):
            c.kind, c.unit = "year", None
            return
        if not c.bare and not (c.kind == "count" and a.src in ("cn", "en")):
            return
        if a.src == "cn":
            self._weak_cn(c, a)
        elif a.src == "en":
            self._weak_en(c, a)

    def _is_year(self, c: Cand, a: Atom) -> bool:
        """A four-digit number from 1800 to 2100 without a qualifier or currency is a
        year, except before a counting classifier (2000人) or an English noun that no
        preposition of time precedes (1900 people, but in 1990 elections)."""
        n = self.n
        s0, e0 = c.core
        if not (
            a.src == "ar"
            and e0 - s0 == 4
            and c.start == s0
            and c.qualifier is None
            and c.currency is None
            and c.kind in ("number", "count")
            and n[s0:e0].isdigit()
            and 1800 <= (c.value or 0) <= 2100
            and not (c.kind == "count" and c.unit in units.ZH_COUNT_CLASSIFIERS)  # 2000人 counts
        ):
            return False
        if c.kind == "number" or c.unit in ("years",) or not re.search(r"[A-Za-z]", n[e0 : e0 + 2]):
            return True
        prev = re.findall(r"[A-Za-z]+", n[max(0, s0 - 12) : s0])
        return bool(prev) and prev[-1].lower() in _YEAR_WORDS_BEFORE

    def _weak_cn(self, c: Cand, a: Atom) -> None:
        n = self.n
        s0, e0 = c.core
        txt = a.text.replace(" ", "")
        if c.kind == "number" and c.end == e0 and n[e0 : e0 + 1] == "日":
            c.end, c.unit = e0 + 1, "日"
            if _one_span_of_time(n, c):
                c.kind = "count"  # 停市三日: three days (no date reader took it)
                return
            c.end, c.unit = e0, None
        if len(txt) != 1:
            return
        before = n[s0 - 1 : s0] if s0 else ""
        after = n[e0 : e0 + 1]
        if c.kind == "count":
            halved = c.value is not None and c.value != int(c.value)  # 一年半
            c.weak = (txt == "一" and c.unit not in units.ZH_MEASURES and not halved
                      and not _one_span_of_time(n, c))
            return
        if _ZH_RANK_BEFORE.search(n, max(0, c.start - 4), c.start):
            return
        if before == "是" and (after in _ZH_WEAK_NEXT or after == ""):
            return
        if not _CJK.match(before or " ") and not _CJK.match(after or " "):
            return
        c.weak = True

    def _weak_en(self, c: Cand, a: Atom) -> None:
        n = self.n
        s0 = c.core[0]
        if (c.value is not None and c.value < 13 and len(a.text.split()) == 1) and c.kind in ("number", "count"):
            if a.text in ("zero", "nought", "naught"):
                pass  # "zero" is never an article or a pronoun
            elif c.value < 10 and c.start == s0 and self._after_determiner(s0):
                c.weak = True  # "the two sides", "their three children": a reference
            elif a.text == "one" or c.kind == "number":
                isolated = not re.search(r"[A-Za-z0-9]", n[: c.start]) and not re.search(
                    r"[A-Za-z0-9]", n[c.end :]
                )
                if not isolated:
                    c.weak = True
        if a.text in ("half", "a half") and c.qualifier is None and a.text != "a half":
            c.weak = True
