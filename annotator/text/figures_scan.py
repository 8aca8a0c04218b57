"""Find numeric cores in folded text and grow each into a candidate figure.

A core is a bare number (4.3, 6.02万, 二百五, forty-two, 3/5). Growing reads the
words around it: currency, sign, qualifier and 第/No. before; scale words, percent
signs, currency words, classifiers and trailing qualifiers after. What is read
becomes part of the surface, except an English count noun, which only sets the unit
(1,100 innovation and technology positions -> surface "1,100", unit "positions").
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from annotator.domain import FigureWarning
from annotator.text import figures_lex as lex
from annotator.text import figures_money as money
from annotator.text.figures_money import prev_char as _prev_char
from annotator.text.numerals import (
    EN_FRACTION_DENOMS,
    EN_ORDINALS,
    cn_value,
    en_words_value,
    parse_arabic,
)

CN = "零一二三四五六七八九两俩壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿兆"
CN_DIG = "零一二三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_SET = frozenset(CN)
_AR = r"\d{1,3}(?: \d{3})+(?:\.\d+)?(?![\d,])|\d+(?:,\d+)*(?:\.\d+)?|\.\d+"
_AR_SIMPLE = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_TOKEN = rf"(?:{_AR_SIMPLE}|[{CN}]|半(?=[百千万]))"
NUMERAL_RUN = re.compile(rf"[\d{CN}半]+")  # one fast scan; every pattern below is anchored on it
_CN_RUN = re.compile(
    rf"{_CN_TOKEN}(?:(?:(?<=[{CN}])\s{{1,4}}(?=[{CN}\d几多余点])|\s{{1,4}}(?=[{CN}几多余点]))?"
    rf"(?:{_CN_TOKEN}|点\s*[{CN_DIG}\d](?:\s?[{CN_DIG}\d])*|[几多余来](?=\s*[十百千万亿拾佰仟])))*"
)
_AR_ATOM = re.compile(rf"(?:{_AR})(?:[eE][-+]?\d+(?![A-Za-z])|\^[-+]{{0,2}}\d+)?")
_SLASH = re.compile(r"/(?<=\d/)(?=\d)")  # the slash first: the scan then skips to slashes
_FRACTION_HEAD = re.compile(r"(?<![\d/.])(?:(?P<whole>\d+)\s{1,2})?(?P<a>\d+)$")
_FRACTION_TAIL = re.compile(r"(?P<b>\d+)(?![\d/])")
_CN_FRACTION_MARK = re.compile(r"分\s*之")
_CN_RUN_END = re.compile(rf"[{CN}\d.]+(?:\s+[{CN}\d.]+)*\s*$")
_CN_RUN_START = re.compile(rf"\s*负?\s*[{CN}\d.点]+(?:\s+[{CN}\d.点]+|,\d{{3}})*")
_WHOLE_BEFORE = re.compile(rf"([{CN}\d.]+(?:\s+[{CN}\d.]+)*)\s*又\s*$")
_ZHE = re.compile(r"折(?![叠扣旧腾射算合服返线磨])|(?P<fixed>对折|半折|半成)")
_ZHE_DIGITS = re.compile(rf"(?<![\d.{CN}])(?P<a>[\d{CN_DIG}])\s?(?P<b>[\d{CN_DIG}])\s?$")
_FIXED_PCT = {"对折": 50.0, "半折": 50.0, "半成": 5.0}
CN_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")}
CN_DIGIT_VALUE.update({c: i + 1 for i, c in enumerate("壹贰叁肆伍陆柒捌玖")})
_EN_W = (
    r"zero|nought|naught|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|lakh"
    r"|crore|dozens?|dozs|dzs"
)
_EN_F = (
    r"halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?"
    r"|tenths?|hundredths?|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth"
    r"|seventeenth|eighteenth|nineteenth|twentieth"
)
# On the lower-cased copy. The word boundary before is checked in Python (_word_start):
# as the pattern's first item it halves the scan speed.
_EN_WORD = re.compile(
    lex.trie_alternation(w.rstrip("?").rstrip("s") if w.endswith("s?") else w for w in (_EN_W + "|" + _EN_F).split("|"))
    + r"s?\b"
)
_EN_JOIN = re.compile(r"(?:\s*-\s*|\s+)(?:and\s+)?(?:an?\s+)?(?:point\s+)?")
_A_BEFORE = re.compile(r"(?<![a-z])an?\s+$")
_EN_WORD_SET = {w for alt in (_EN_W + "|" + _EN_F).split("|") for w in ((alt[:-2], alt[:-1]) if alt.endswith("s?") else (alt,))}
_SCALE_WORDS = {"hundred", "thousand", "million", "billion", "trillion", "lakh", "crore", "dozen"}
_A_SCALES = {"hundred", "thousand", "million", "billion", "trillion", "dozen", "half", "quarter", "third", "fifth", "hundredth"}
_EN_SCALE_AFTER = re.compile(
    r"(?:\s*-?\s*(hundred|thousand|million|billion|trillion|lakh|crore|bn|mn|mln|bln|tln|dozens?|dzs|dozs|doz)"
    r"|(k|K|M|B|b|mil|mm|MM)|\s{1,2}(k|K|M))(?![A-Za-z&])"
)
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "lakh": 1e5, "crore": 1e7, "bn": 1e9, "mn": 1e6, "mln": 1e6, "bln": 1e9, "tln": 1e12,
    "dozen": 12, "dozens": 12, "dzs": 12, "dozs": 12, "doz": 12, "k": 1e3, "m": 1e6, "b": 1e9, "mil": 1e6, "mm": 1e6,
}
_COMPOUND_TAIL = re.compile(
    r"\s+(and\s+)?(\d+(?:\.\d+)?)(?:\s*(hundred|thousand|million|billion))?(?![\d,.]?[\dA-Za-z])", re.I
)
_GLUED_UNIT = re.compile(
    r"(ml|km|kg|cm|mm|mg|m|kw|mw|gw|kwh|mwh|gwh|gb|mb|tb|ha|sqm|m2|km2|mph|kmh)(?![A-Za-z\d])", re.I
)
_DOZEN = re.compile(r"打(?![造工击破算开扫压响通动断败球车卡包折听扮理拼算印针])")
_AND_WORDS = re.compile(
    r"\s+and\s+((?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
    r"(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine|hundred))*)(?![A-Za-z])",
    re.I,
)
_AND_A_HALF = re.compile(r"\s+and\s+an?\s+(half|quarter)(?![A-Za-z])", re.I)
_VULGAR_CHARS = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒"
_VULGAR = re.compile(f"[{_VULGAR_CHARS}]")
_VULGAR_WHOLE = re.compile(r"(?<![\d.])(\d+)\s?$")
_OVER = re.compile(r"\s+(?:over|out\s+of)\s+$", re.I)
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
_ZH_WEAK_NEXT = set("这那却而不也，。,.、；;！!？?）)”」』\n ")


@dataclass
class Cand:
    start: int
    end: int
    kind: str
    value: Optional[float]
    value_max: Optional[float] = None
    unit: Optional[str] = None
    currency: Optional[str] = None
    qualifier: Optional[str] = None
    warnings: list[FigureWarning] = field(default_factory=list)
    role: Optional[str] = None
    link: Optional[int] = None
    weak: bool = False  # drop unless it joins a range (一, "the two")
    core: tuple[int, int] = (0, 0)
    bare: bool = False  # no unit, currency, percent or qualifier of its own
    prefixed: bool = False  # a currency written before the number
    ordinal: bool = False


@dataclass
class Atom:
    start: int
    end: int
    value: float
    src: str  # "ar" | "cn" | "en" | "frac"
    bad_grouping: bool = False
    approx: bool = False
    percent: Optional[str] = None  # 百分之 / 千分之 before the number
    text: str = ""


# -- dictionary of words that merely contain numeral characters -------------------------


@lru_cache(maxsize=1)
def _non_numeral_words() -> frozenset:
    """Words of jieba's dictionary that contain a numeral character but are not
    numerals (四川, 一切, 陆地, 统一, 千方百计), read once on first use."""
    try:
        import jieba

        path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
        chars = set(CN)
        words = set()
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) < 3 or not 2 <= len(parts[0]) <= 6:
                    continue
                if parts[2] in ("m", "mq", "q", "t") or not any(c in chars for c in parts[0]):
                    continue
                words.add(parts[0])
    except OSError:
        return frozenset()
    words.update(
        {"一些", "一起", "一下", "万一", "一番", "一系列", "一贯", "两会", "一切", "二次元", "二次", "二手",
         "二维", "三维", "一手", "三农", "二次方", "一线", "二线", "三线", "一把手", "一口气"}
    )
    return frozenset(words)


def _inside_word(n: str, s: int, e: int, c: Optional["Cand"] = None) -> bool:
    """Whether the numeral at n[s:e] is part of a dictionary word. An amount of money
    spelled as one word (两块钱, 五毛) is not hidden by it, but a longer word around
    the amount is (一元化 is "unification")."""
    lo = max(0, s - 3)
    spans = _words_around(n[lo : min(len(n), e + 3)], s - lo, e - lo)
    inside_money = c is not None and c.kind == "money"
    for a, b in spans:
        if not (inside_money and c.start <= a + lo and b + lo <= c.end):
            return True
    return False


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


# -- atoms -------------------------------------------------------------------------------


def _fraction_numerator(n: str, pos: int) -> tuple[Optional[float], int]:
    m = _CN_RUN_START.match(n, pos)
    if not m:
        return None, pos
    txt = m.group().rstrip(", ")
    end = m.start() + len(m.group().rstrip(", "))
    if len(txt) > 1 and txt[-1] in "百千万" and n[end : end + 1] == "分":
        txt, end = txt[:-1], end - 1  # 百分之七十百分位: the second 百 opens another word
    neg = txt.strip().startswith("负")
    v = cn_value(txt.replace("负", "").replace(" ", ""))
    if v is None:
        return None, pos
    k = re.match(r"\s*[kK](?![A-Za-z])", n[end : end + 3])
    if k:
        v, end = v * 1000, end + k.end()
    return (-v if neg else v), end


def _cn_fractions(n: str, atoms: list[Atom]) -> None:
    """五分之一, 3又一千分之23, and the per-hundred forms 百分之/千分之/万分之/百万分之."""
    for m in _CN_FRACTION_MARK.finditer(n):
        num, end = _fraction_numerator(n, m.end())
        if num is None:
            continue
        den_m = _CN_RUN_END.search(n, max(0, m.start() - 24), m.start())
        if not den_m:
            continue
        den_txt = den_m.group().strip()
        start = den_m.start() + (len(den_m.group()) - len(den_m.group().lstrip()))
        if den_txt and all(c in "百千万佰仟亿 " for c in den_txt):
            per = cn_value("一" + den_txt.replace(" ", ""))
            if per:
                atoms.append(Atom(start, end, num * 100 / per, "frac", percent="per"))
            continue
        neg_den = n[start - 1 : start] == "负"
        den = cn_value(den_txt)
        if not den:
            continue
        v = num / den
        if neg_den:
            start, v = start - 1, -v
        you = _WHOLE_BEFORE.search(n, max(0, start - 30), start)
        if you:
            whole = cn_value(you.group(1).replace(" ", ""))
            if whole is not None:
                start, v = you.start(1), whole + v
                if n[start - 1 : start] == "负":
                    start, v = start - 1, -v
        atoms.append(Atom(start, end, v, "frac"))


def _zhe_atoms(n: str, atoms: list[Atom]) -> None:
    """Discounts and tenths written as 75折, 七五折, 三成, 七成六, 对折, 半成."""
    if "折" not in n and "半成" not in n:
        return
    for z in _ZHE.finditer(n):
        if z.group("fixed"):
            atoms.append(Atom(z.start("fixed"), z.end(), _FIXED_PCT[z.group("fixed")], "frac", percent="direct"))
            continue
        m = _ZHE_DIGITS.search(n, max(0, z.start() - 4), z.start())
        if not m:
            continue
        a, b = m.group("a"), m.group("b")
        va = CN_DIGIT_VALUE.get(a, int(a) if a.isdigit() else None)
        vb = CN_DIGIT_VALUE.get(b, int(b) if b.isdigit() else None)
        if va is None or vb is None or (va == 0 and vb == 0):
            continue
        atoms.append(Atom(m.start(), z.end(), float(va * 10 + vb), "frac", percent="direct"))


def _ar_fractions(n: str, atoms: list[Atom]) -> None:
    if "/" not in n:
        return
    for m in _SLASH.finditer(n):
        head = _FRACTION_HEAD.search(n, max(0, m.start() - 16), m.start())
        tail = _FRACTION_TAIL.match(n, m.end())
        if not head or not tail or n[head.start() - 1 : head.start()] == "/":
            continue
        a, b = int(head.group("a")), int(tail.group("b"))
        if b == 0 or (a, b) == (24, 7) or b > 1000:
            continue
        v = a / b
        start = head.start() if head.group("whole") else head.start("a")
        if head.group("whole"):
            v += int(head.group("whole"))
        atoms.append(Atom(start, tail.end(), v, "frac"))


def _cn_atom(n: str, pos: int, atoms: list[Atom]) -> int:
    m = _CN_RUN.match(n, pos)
    if not m:
        return pos
    s, e = m.start(), m.end()
    while e > s and n[e - 1] == " ":
        e -= 1
    txt = n[s:e]
    if _CN_SET.isdisjoint(txt):
        return pos
    v = cn_value(txt)
    if v is None and len(txt) > 2 and txt[-1] in "十百千万亿拾佰仟":
        e, txt = e - 1, txt[:-1]  # 五十千: the stray unit is not part of the number
        v = cn_value(txt)
    if v is None:
        return pos
    dozen = _DOZEN.match(n, e)
    if dozen:  # 五十打 = 600
        atoms.append(Atom(s, dozen.end(), v * 12, "cn", text=txt + "打"))
        return dozen.end()
    atoms.append(Atom(s, e, v, "cn", approx=any(c in "几多余来" for c in txt), text=txt))
    return e


def _clause_comma(orig: str, start: int, end: int) -> int:
    """End of a number at the first full-width comma written after ASCII digits:
    "$20，300美圆" is two amounts, while "４，５６５" (full-width digits) is one."""
    i = orig.find("，", start, end)
    while i != -1:
        if i and orig[i - 1].isascii():
            return i
        i = orig.find("，", i + 1, end)
    return end


def _ar_atom(n: str, pos: int, atoms: list[Atom], orig: str) -> int:
    if pos and n[pos - 1] == "." and (pos < 2 or not (n[pos - 2].isdigit() or n[pos - 2] == ".")):
        pos -= 1  # .5
    m = _AR_ATOM.match(n, pos)
    if not m:
        return pos
    cut = _clause_comma(orig, m.start(), m.end()) if orig else m.end()
    if cut < m.end():
        m = _AR_ATOM.match(n[:cut], pos)
        if not m:
            return cut
    txt = m.group()
    if "^" in txt:
        base, _, exp = txt.partition("^")
        exp_v = int(exp.replace("+", "").replace("-", "") or 0)
        sign = -1 if exp.count("-") == 1 else 1
        b, _ = parse_arabic(base)
        if b is not None and exp_v <= 300 and (b != 0 or sign > 0):
            atoms.append(Atom(m.start(), m.end(), b ** (sign * exp_v), "ar"))
        return m.end()
    groups = txt.split(".")[0].split(",")
    if len(groups) >= 3 and len(groups[-1]) != 3 and all(len(g) <= 3 for g in groups):
        p = m.start()  # 22,24,26,31 is a list of numbers
        for g in txt.split(","):
            v, _ = parse_arabic(g)
            if v is not None:
                atoms.append(Atom(p, p + len(g), v, "ar"))
            p += len(g) + 1
        return m.end()
    v, bad = parse_arabic(txt)
    if v is not None:
        atoms.append(Atom(m.start(), m.end(), v, "ar", bad_grouping=bad, text=txt))
    return m.end()


# After a run of digits, only these let _CN_RUN read on into Chinese numerals (3,000万,
# 3.5万, 3 万, 3点5, 3多万); any other next character leaves an Arabic number.
_CN_RUN_GOES_ON = frozenset(",.点几多余来")


def _arabic_only(n: str, e: int) -> bool:
    nxt = n[e : e + 1]
    return not (nxt in _CN_RUN_GOES_ON or nxt.isspace())


def _numeral_atoms(n: str, lang: str, atoms: list[Atom], orig: str) -> None:
    done = 0
    for m in NUMERAL_RUN.finditer(n):
        pos = m.start()
        if pos < done:
            continue
        prev = n[pos - 1] if pos else ""
        if prev.isdigit() or (prev == "," and pos > 1 and n[pos - 2].isdigit() and not (orig and orig[pos - 1] == "，")):
            continue
        run = m.group()
        if lang != "en" and not (run.isdecimal() and _arabic_only(n, m.end())):
            end = _cn_atom(n, pos, atoms)
            if end > pos:
                done = end
                continue
        if run[0].isdigit():
            done = _ar_atom(n, pos, atoms, orig)


def _word_start(low: str, i: int) -> bool:
    return i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_")


def _en_runs(low: str):
    """Adjacent number words joined into runs: (start, end, [words]). "and" joins only
    after a scale word or before a fraction (one hundred and six, one and a half),
    so "ten and fifteen" stays two numbers."""
    run: list = []
    matches = [m for m in _EN_WORD.finditer(low) if m.group() in _EN_WORD_SET and _word_start(low, m.start())]
    for i, m in enumerate(matches):
        if run and _EN_JOIN.fullmatch(low, run[-1][1], m.start()):
            gap = low[run[-1][1] : m.start()]
            prev = low[run[-1][0] : run[-1][1]]
            ahead = [x.group() for x in matches[i : i + 2]]
            if "and" not in gap or prev.rstrip("s") in _SCALE_WORDS or any(w in EN_FRACTION_DENOMS for w in ahead):
                run.append((m.start(), m.end()))
                continue
        if run:
            yield run
        run = [(m.start(), m.end())]
    if run:
        yield run


def _en_atoms(n: str, low: str, atoms: list[Atom]) -> None:
    for run in _en_runs(low):
        toks = [(a, b, low[a:b]) for a, b in run]
        if len(toks) == 1 and toks[0][2] in EN_ORDINALS and not _A_BEFORE.search(low, max(0, toks[0][0] - 4), toks[0][0]):
            a, b, w = toks[0]
            atoms.append(Atom(a, b, float(EN_ORDINALS[w]), "en", text="ordinal"))
            continue
        art = _A_BEFORE.search(low, max(0, toks[0][0] - 4), toks[0][0])
        if art and toks[0][2].rstrip("s") in _A_SCALES:
            toks.insert(0, (art.start(), art.start() + len(art.group().strip()), "a"))
        v = None
        while toks:
            seq = []
            for i, (a, _, w) in enumerate(toks):
                if i:
                    seq.extend(re.findall(r"[a-z]+", low[toks[i - 1][1] : a]))
                seq.append(w)
            v = en_words_value(seq)
            if v is not None and toks[-1][2] != "a":
                break
            toks.pop()
        if not toks or v is None:
            continue
        start, end = toks[0][0], toks[-1][1]
        words = [w for _, _, w in toks]
        if len(words) == 1 and words[0] in EN_ORDINALS:
            atoms.append(Atom(start, end, float(EN_ORDINALS[words[0]]), "en", text="ordinal"))
            continue
        if len(words) == 1 and words[0] in EN_FRACTION_DENOMS and words[0] != "half":
            continue  # "the quarter", "thirds": not a number without a count before it
        atoms.append(Atom(start, end, v, "en", text=" ".join(words)))


def _vulgar_atoms(n: str, atoms: list[Atom]) -> None:
    if not any(ch in n for ch in _VULGAR_CHARS):
        return  # a substring test per character is three times faster than the scan
    for m in _VULGAR.finditer(n):
        v, start = unicodedata.numeric(m.group()), m.start()
        whole = _VULGAR_WHOLE.search(n, max(0, start - 12), start)
        if whole:
            v, start = v + int(whole.group(1)), whole.start()
        atoms.append(Atom(start, m.end(), v, "frac"))


def _over_fractions(n: str, atoms: list[Atom]) -> list[Atom]:
    """one over three, 1 over 20: a fraction when nothing follows but punctuation;
    "$2000 over 3 years" keeps its two numbers."""
    out: list[Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if (
            b is not None
            and a.src in ("ar", "en") and b.src in ("ar", "en") and b.value
            and n[a.end : a.end + 1].isspace() and n[b.start - 1 : b.start].isspace()
            and _OVER.search(n, a.end, b.start)
            and re.sub(r"\s+", " ", n[a.end : b.start].strip().lower()) in ("over", "out of")
            and not re.match(r"\s*[A-Za-z\d$%]", n[b.end : b.end + 2])
            and not re.search(r"[$£€¥]\s*$", n[max(0, a.start - 2) : a.start])
        ):
            out.append(Atom(a.start, b.end, a.value / b.value, "frac"))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def find_atoms(n: str, lang: str, low: str = "", orig: str = "") -> list[Atom]:
    atoms: list[Atom] = []
    if lang != "en":
        _cn_fractions(n, atoms)
        _zhe_atoms(n, atoms)
    _ar_fractions(n, atoms)
    _numeral_atoms(n, lang, atoms, orig if "，" in orig else "")
    if lang != "zh":
        _en_atoms(n, low or n.lower(), atoms)
    _vulgar_atoms(n, atoms)
    order = {"frac": 0, "cn": 1, "ar": 2, "en": 3}
    atoms.sort(key=lambda a: (a.start, -(a.end - a.start), order[a.src]))
    kept: list[Atom] = []
    for a in atoms:
        if kept and a.start < kept[-1].end:
            continue
        kept.append(a)
    return _over_fractions(n, kept)


# -- growing a candidate -----------------------------------------------------------------


def _sign(n: str, s: int) -> tuple[int, bool]:
    """New start and whether the number is negative (-5, 负5, minus five)."""
    if s > 0 and n[s - 1] in "-负":
        if n[s - 1] == "负":
            return s - 1, True
        p = _prev_char(n, s - 1)
        if not p or not (p.isalnum() or p in "%)]-" or _CJK.match(p)):
            return s - 1, True
        if p and _CJK.match(p) and p not in CN:
            return s - 1, True
        return s, False
    j = lex.last_visible(n, s)
    m = _SIGN_WORD.search(n, max(0, s - 10), s) if j >= 0 and n[j] in "sSeE" else None
    if m:
        return m.start(), True
    if s > 1 and n[s - 1] == " " and n[s - 2] == "-" and _prev_char(n, s - 2) in ("", "\n", "(", "=", ":"):
        return s - 2, True  # "- 1 4/5" opening a line
    return s, False


def _english_unit(n: str, e: int) -> Optional[str]:
    words = _WORD.findall(n, e, min(len(n), e + 70))
    for i, w in enumerate(words[:5]):
        lw = w.lower()
        if not w[0].isalpha():
            return None
        if lw in lex.EN_TIME_UNITS:
            return lex.EN_TIME_UNITS[lw]
        if lw in lex.EN_UNIT_STOP and lw != "and":
            return None
        if lw in lex.EN_UNIT_WORDS or (
            lw.endswith("s") and len(lw) > 3 and lw not in lex.EN_NOT_UNIT
            and not lw.endswith(("ss", "ths", "firsts", "seconds", "thirds"))
        ):
            return lw
    return None


_SINGLE_NEXT = (
    {w[0] for w in lex.ZH_CLASSIFIERS} | {w[0] for w in lex.ZH_SUFFIX_CURRENCIES}
    | {w[0] for w in lex.ZH_SUFFIX_QUALIFIERS} | set("%‰成折多余点分到至-~个百毛角")
)
_SINGLE_PREV = {w[-1] for w in lex.ZH_QUALIFIERS} | set("是第前后比负有")


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

    def grow(self, a: Atom) -> Optional[Cand]:
        n = self.n
        if _cheap_reject(n, a):
            return None
        s, e, v = a.start, a.end, a.value
        c = Cand(s, e, "number", v, core=(s, e))
        if a.src == "en" and a.text == "ordinal":
            c.kind, c.ordinal = "ordinal", True
            return c
        scaled = False
        if a.src in ("ar",):
            m = _EN_SCALE_AFTER.match(n, e)
            if m:
                word = (m.group(1) or m.group(2) or m.group(3)).lower()
                glued_m = m.group(2) in ("m",) and not lex.PREFIX_CUR_BEFORE.search(n, max(0, s - 8), s)
                if not glued_m:
                    c.value = v = v * _SCALES[word]
                    e, scaled = m.end(), True
                    e, v = self._compound(e, v, _SCALES[word])
                    c.value = v
                    half = _AND_A_HALF.match(n, e)  # 3 million and a half
                    if half and word not in ("hundred", "dozen", "dozens"):
                        c.value = v = v + _SCALES[word] * (0.5 if half.group(1).lower() == "half" else 0.25)
                        e = half.end()
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
            nxt = _SCALES.get(word, 1.0)
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
        n = self.n
        if getattr(c, "_bi_end", None):
            return c._bi_end  # type: ignore[attr-defined]
        if a.approx and c.qualifier in (None, "approximately"):
            c.qualifier = "over"
        m = _ZH_APPROX_AFTER.match(n, e) if n[e : e + 1] in _APPROX_CHARS else None
        if m and a.src in ("cn", "ar") and (a.src == "cn" or _CJK.match(n[e + 1 : e + 2] or " ") or e + 1 >= len(n) or not n[e + 1].isalnum()):
            c.qualifier = "over" if c.qualifier in (None, "approximately") else c.qualifier
            e = m.end()
        nv = lex.next_visible(n, e)
        if c.kind != "percent":
            m = lex.PERCENT_AFTER.match(n, e) if nv in lex.PERCENT_FIRST else None
            if m and c.kind != "money":
                c.kind = "percent"
                c.unit = "pp" if m.group(2) else ("‰" if m.group(1) == "‰" else "%")
                e = m.end()
            elif c.kind == "number":
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
        if c.kind in ("number", "money"):
            e = money.currency_after(n, c, e, c.prefixed)
        nv = lex.next_visible(n, e)
        if c.kind == "number":
            m = lex.ZH_CLASSIFIER_AFTER.match(n, e) if nv in lex.ZH_CLASSIFIER_FIRST else None
            if m and (a.src == "cn" or _CJK.match(n[e : e + 1] or " ") or _CJK.match(n[m.end() - 1])):
                if not (m.group(1) == "点" and n[m.end() : m.end() + 1].isdigit()):
                    c.kind, c.unit = "count", m.group(1)
                    e = m.end()
                    m = _ZH_APPROX_AFTER.match(n, e)
                    if m and c.qualifier is None:
                        c.qualifier, e = "over", m.end()
                    nv = lex.next_visible(n, e)
        m = lex.ZH_QUAL_AFTER.match(n, e) if nv in lex.ZH_QUAL_AFTER_FIRST else None
        if m:
            q = lex.ZH_SUFFIX_QUALIFIERS[m.group(1)]
            c.qualifier = q if (c.qualifier in (None, "approximately", "over") or q != "approximately") else c.qualifier
            e = m.end()
        elif nv in lex.EN_QUAL_AFTER_FIRST:
            m = lex.EN_QUAL_AFTER.match(n, e)
            if m:
                q = lex.EN_SUFFIX_QUALIFIERS[re.sub(r"\s+", " ", m.group(1).lower())]
                if q == "or less" and m.group(1).lower().startswith("or equal"):
                    q = {"more than": "at least", "over": "at least"}.get(c.qualifier or "", "at most")
                    if c.qualifier is None:
                        q = None
                if q:
                    c.qualifier = q
                    e = m.end()
        return e

    def _classify(self, c: Cand, a: Atom) -> Optional[Cand]:
        n = self.n
        s0, e0 = c.core
        # 第N / No. N / 20th
        if c.kind in ("number", "count") and c.qualifier is None:
            before = n[max(0, c.start - 4) : c.start]
            m = _ZH_ORDINAL_BEFORE.search(n, max(0, c.start - 2), c.start) if "第" in before else None
            if m:
                c.start, c.kind, c.ordinal = m.start(), "ordinal", True
                return c
            m = _NO_BEFORE.search(n, max(0, c.start - 4), c.start) if ("o" in before or "O" in before) else None
            if m and a.src == "ar":
                c.start, c.kind, c.ordinal, c.unit = m.start(), "ordinal", True, "No."
                return c
            m = _ORDINAL_SUFFIX.match(n, e0)
            if m and a.src == "ar" and c.end == e0:
                c.end, c.kind, c.ordinal = m.end(), "ordinal", True
                return c
        if c.kind == "number" and c.qualifier is None and a.src in ("en", "ar"):
            j = lex.last_visible(n, c.start)
            pct = _PERCENT_OF.search(n, max(0, c.start - 16), c.start) if j >= 0 and n[j] in "fF" else None
            if pct:
                c.start, c.kind, c.unit = pct.start(), "percent", "%"
                return c
        if a.src == "cn" and a.text[0] in "十百千万亿拾佰仟" and re.search(r"[数几上成]$", n[max(0, s0 - 1) : s0]):
            return None  # 数十人, 上百家: "dozens", "hundreds" are not checkable figures
        if a.src == "cn" and a.end - a.start == 1 and _inside_word(n, s0, e0, c):
            return None
        if a.src == "cn" and a.text == "千万" and re.match(r"[不别要记注小]", n[e0 : e0 + 1]):
            return None
        glued = _GLUED_UNIT.match(n, c.end) if a.src == "ar" and c.kind == "number" else None
        if glued:
            c.kind, c.unit, c.end = "count", glued.group(1).lower(), glued.end()
            return c
        if c.kind == "number" and c.unit is None and a.src in ("ar", "en", "frac", "cn"):
            j = lex.last_visible(n, c.start)
            if j >= 0 and n[j] in "dsDS" and _AGED_BEFORE.search(n, max(0, c.start - 8), c.start):
                c.unit = "years"
            elif a.src in ("ar", "en", "frac") and not _CJK.match(n[c.end : c.end + 1] or " "):
                unit = _english_unit(n, c.end)
                if unit:
                    c.kind, c.unit = "count", unit
        self._year_or_weak(c, a)
        return c

    def _year_or_weak(self, c: Cand, a: Atom) -> None:
        n = self.n
        s0, e0 = c.core
        plain = c.qualifier is None and c.currency is None and c.kind in ("number", "count")
        if (
            plain
            and a.src == "ar"
            and e0 - s0 == 4
            and n[s0:e0].isdigit()
            and 1800 <= (c.value or 0) <= 2100
            and c.start == s0
        ):
            if c.kind == "number" or c.unit in ("years",) or not re.search(
                r"[A-Za-z]", n[e0 : e0 + 2]
            ):
                c.kind, c.unit = "year", None
                return
            prev = re.findall(r"[A-Za-z]+", n[max(0, s0 - 12) : s0])
            if prev and prev[-1].lower() in ("in", "since", "by", "from", "to", "until", "of", "year", "before", "after", "during", "between", "and", "through", "early", "late", "mid"):
                c.kind, c.unit = "year", None
                return
        if not c.bare and not (c.kind == "count" and a.src in ("cn", "en")):
            return
        if a.src == "cn":
            txt = a.text.replace(" ", "")
            if len(txt) == 1:
                before = n[s0 - 1 : s0] if s0 else ""
                after = n[e0 : e0 + 1]
                if c.kind == "count":
                    c.weak = txt == "一" and c.unit not in lex.ZH_MEASURES
                    return
                if _ZH_RANK_BEFORE.search(n, max(0, c.start - 4), c.start):
                    return
                if before == "是" and (after in _ZH_WEAK_NEXT or after == ""):
                    return
                if not _CJK.match(before or " ") and not _CJK.match(after or " "):
                    return
                c.weak = True
        elif a.src == "en":
            if (c.value is not None and c.value < 13 and len(a.text.split()) == 1) and c.kind in ("number", "count"):
                if a.text in ("zero", "nought", "naught"):
                    pass  # "zero" is never an article or a pronoun
                elif a.text == "one" or c.kind == "number":
                    isolated = not re.search(r"[A-Za-z0-9]", n[: c.start]) and not re.search(
                        r"[A-Za-z0-9]", n[c.end :]
                    )
                    if not isolated:
                        c.weak = True
            if a.text in ("half", "a half") and c.qualifier is None and a.text != "a half":
                c.weak = True
