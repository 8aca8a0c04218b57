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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from annotator.domain import FigureWarning
from annotator.text import figures_lex as lex
from annotator.text.numerals import (
    EN_ORDINALS,
    cn_fraction,
    cn_value,
    en_words_value,
    parse_arabic,
)

CN = "零一二三四五六七八九两俩壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿兆"
CN_DIG = "零一二三四五六七八九壹贰叁肆伍陆柒捌玖"
_AR = r"\d{1,3}(?: \d{3})+(?:\.\d+)?(?![\d,])|\d+(?:,\d+)*(?:\.\d+)?|\.\d+"
_AR_SIMPLE = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_TOKEN = rf"(?:{_AR_SIMPLE}|[{CN}])"
NUMERAL_RUN = re.compile(rf"[\d{CN}]+")  # one fast scan; every pattern below is anchored on it
_CN_RUN = re.compile(
    rf"{_CN_TOKEN}(?:(?:(?<=[{CN}])\s{{1,4}}(?=[{CN}\d])|\s{{1,4}}(?=[{CN}]))?"
    rf"(?:{_CN_TOKEN}|点\s*[{CN_DIG}\d](?:\s?[{CN_DIG}\d])*|[几多余来](?=\s*[十百千万亿拾佰仟])))*"
)
_AR_ATOM = re.compile(rf"(?:{_AR})(?:[eE][-+]?\d+(?![A-Za-z])|\^[-+]{{0,2}}\d+)?")
_SLASH = re.compile(r"(?<=\d)/(?=\d)")
_FRACTION_HEAD = re.compile(r"(?<![\d/.,])(?:(?P<whole>\d+)\s)?(?P<a>\d+)$")
_FRACTION_TAIL = re.compile(r"(?P<b>\d+)(?![\d/])")
_CN_FRACTION_MARK = re.compile(r"分\s*之")
_CN_RUN_END = re.compile(rf"[{CN}\d.]+(?:\s+[{CN}\d.]+)*\s*$")
_CN_RUN_START = re.compile(rf"\s*负?\s*[{CN}\d.点]+(?:\s+[{CN}\d.点]+)*")
_EN_W = (
    r"zero|nought|naught|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|lakh"
    r"|crore|dozens?"
)
_EN_F = (
    r"halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?"
    r"|tenths?|hundredths?|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth"
    r"|seventeenth|eighteenth|nineteenth|twentieth"
)
_EN_WORD = re.compile(rf"\b(?:{_EN_W}|{_EN_F})\b")  # on the lower-cased copy
_EN_JOIN = re.compile(r"(?:\s*-\s*|\s+)(?:and\s+)?(?:an?\s+)?(?:point\s+)?")
_A_BEFORE = re.compile(r"(?<![a-z])an?\s+$")
_A_SCALES = {"hundred", "thousand", "million", "billion", "trillion", "dozen", "half", "quarter", "third", "fifth", "hundredth"}
_EN_SCALE_AFTER = re.compile(
    r"(?:\s*-?\s*(hundred|thousand|million|billion|trillion|lakh|crore|bn|mn|mln|bln|tln|dozens?)"
    r"|(k|K|M|B|b|mil|mm|MM)|\s(k|K))(?![A-Za-z])"
)
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "lakh": 1e5, "crore": 1e7, "bn": 1e9, "mn": 1e6, "mln": 1e6, "bln": 1e9, "tln": 1e12,
    "dozen": 12, "dozens": 12, "k": 1e3, "m": 1e6, "b": 1e9, "mil": 1e6, "mm": 1e6,
}
_SIGN_WORD = re.compile(r"(?<![A-Za-z])(minus|negative)\s+$", re.I)
_SYMBOL_BOUND = re.compile(r"(>\s?=|≥|=>|<\s?=|≤|=<|>|<)\s*$")
_SYMBOL_QUAL = {">": "more than", "≥": "at least", "<": "less than", "≤": "at most"}
_ORDINAL_SUFFIX = re.compile(r"(st|nd|rd|th)(?![A-Za-z])", re.I)
_ZH_ORDINAL_BEFORE = re.compile(r"第\s*$")
_NO_BEFORE = re.compile(r"(?<![A-Za-z])(?:No|no|NO)\.?\s*$")
_ZH_RANK_BEFORE = re.compile(r"(?:(?<![以之目此提当从空事])前|(?<![之然以最此其])后|top\s)\s*$", re.I)
_BI_BEFORE = re.compile(r"比\s*$")
_BI_AFTER = re.compile(r"\s*([大多高]|[小少低])")
_CHENG_ZHE = re.compile(r"\s*(成(?![员本果功就立为长交绩熟都年人型品分不])半?|折(?![叠扣旧腾射算合服返线磨]))")
_ZH_APPROX_AFTER = re.compile(r"[多余](?![万亿])")
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


def _inside_word(n: str, s: int, e: int) -> bool:
    words = _non_numeral_words()
    for a in range(max(0, s - 3), s + 1):
        for b in range(e, min(len(n), e + 3) + 1):
            if (a < s or b > e) and b - a <= 6 and n[a:b] in words:
                return True
    return False


# -- atoms -------------------------------------------------------------------------------


def _cn_fractions(n: str, atoms: list[Atom]) -> None:
    for m in _CN_FRACTION_MARK.finditer(n):
        den_m = _CN_RUN_END.search(n, max(0, m.start() - 24), m.start())
        num_m = _CN_RUN_START.match(n, m.end())
        if not num_m:
            continue
        num_txt = num_m.group()
        den_txt = den_m.group() if den_m else ""
        start = den_m.start() if den_m else m.start()
        whole = None
        if den_txt.strip() in ("百", "千", "万", "佰", "仟"):
            v = cn_value(num_txt)
            if v is None:
                continue
            kind = {"百": "百分之", "佰": "百分之", "千": "千分之", "仟": "千分之", "万": "万分之"}[den_txt.strip()]
            atoms.append(Atom(start, num_m.end(), v, "frac", percent=kind))
            continue
        if not den_txt:
            continue
        neg = num_txt.strip().startswith("负") and den_txt.strip().startswith("负")
        v = cn_fraction(den_txt.replace("负", ""), num_txt.replace("负", ""))
        if v is None:
            continue
        if den_txt.strip().startswith("负") != num_txt.strip().startswith("负") and not neg:
            v = -v
        you = re.search(rf"([{CN}\d.]+)\s*又\s*$", n[max(0, start - 24) : start])
        if you:
            whole = cn_value(you.group(1).replace("负", ""))
            if whole is not None:
                start = start - len(you.group())
                neg_whole = n[start - 1 : start] == "负"
                v = whole + v
                if neg_whole:
                    start -= 1
                    v = -v
        atoms.append(Atom(start, num_m.end(), v, "frac"))


def _ar_fractions(n: str, atoms: list[Atom]) -> None:
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
    if not any(c in CN for c in txt):
        return pos
    v = cn_value(txt)
    if v is None:
        return pos
    atoms.append(Atom(s, e, v, "cn", approx=any(c in "几多余来" for c in txt), text=txt))
    return e


def _ar_atom(n: str, pos: int, atoms: list[Atom]) -> int:
    if pos and n[pos - 1] == "." and (pos < 2 or not n[pos - 2].isdigit()):
        pos -= 1  # .5
    m = _AR_ATOM.match(n, pos)
    if not m:
        return pos
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


def _numeral_atoms(n: str, lang: str, atoms: list[Atom]) -> None:
    done = 0
    for m in NUMERAL_RUN.finditer(n):
        pos = m.start()
        if pos < done:
            continue
        prev = n[pos - 1] if pos else ""
        if prev.isdigit() or (prev == "," and pos > 1 and n[pos - 2].isdigit()):
            continue
        if lang != "en" and (not m.group()[0].isdigit() or any(c in CN for c in m.group())):
            end = _cn_atom(n, pos, atoms)
            if end > pos:
                done = end
                continue
        if m.group()[0].isdigit():
            done = _ar_atom(n, pos, atoms)


def _en_runs(low: str):
    """Adjacent number words joined into runs: (start, end, [words])."""
    run: list = []
    for m in _EN_WORD.finditer(low):
        if run and _EN_JOIN.fullmatch(low, run[-1][1], m.start()):
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
        if len(words) == 1 and words[0] in ("thirds", "quarters", "fifths", "fourths", "halves"):
            continue
        atoms.append(Atom(start, end, v, "en", text=" ".join(words)))


def find_atoms(n: str, lang: str, low: str = "") -> list[Atom]:
    atoms: list[Atom] = []
    if lang != "en":
        _cn_fractions(n, atoms)
    _ar_fractions(n, atoms)
    _numeral_atoms(n, lang, atoms)
    if lang != "zh":
        _en_atoms(n, low or n.lower(), atoms)
    order = {"frac": 0, "cn": 1, "ar": 2, "en": 3}
    atoms.sort(key=lambda a: (a.start, -(a.end - a.start), order[a.src]))
    kept: list[Atom] = []
    for a in atoms:
        if kept and a.start < kept[-1].end:
            continue
        kept.append(a)
    return kept


# -- growing a candidate -----------------------------------------------------------------


def _prev_char(n: str, i: int) -> str:
    while i > 0 and n[i - 1] == " ":
        i -= 1
    return n[i - 1] if i > 0 else ""


def _sign(n: str, s: int) -> tuple[int, bool]:
    """New start and whether the number is negative (-5, 负5, minus five)."""
    if s > 0 and n[s - 1] in "-负":
        if n[s - 1] == "负":
            return s - 1, True
        p = _prev_char(n, s - 1)
        if not (p.isalnum() or p in "%)]" or p in CN or _CJK.match(p or " ")):
            return s - 1, True
        if p and _CJK.match(p) and p not in CN:
            return s - 1, True
        return s, False
    m = _SIGN_WORD.search(n, max(0, s - 10), s)
    if m:
        return m.start(), True
    if s > 1 and n[s - 1] == " " and n[s - 2] == "-" and not (_prev_char(n, s - 2).isalnum()):
        return s - 2, True
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
            lw.endswith("s") and len(lw) > 3 and lw not in lex.EN_NOT_UNIT and not lw.endswith("ss")
        ):
            return lw
    return None


_SINGLE_NEXT = (
    {w[0] for w in lex.ZH_CLASSIFIERS} | {w[0] for w in lex.ZH_SUFFIX_CURRENCIES}
    | {w[0] for w in lex.ZH_SUFFIX_QUALIFIERS} | set("%‰成折多余点分到至-~个百")
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
        if a.bad_grouping:
            c.warnings.append(
                FigureWarning(
                    "number.bad_grouping",
                    f"'{a.text}' has digit groups that are not three digits long; "
                    "the separators may be misplaced or it may be a list.",
                )
            )
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
        # before the number
        s, negative = _sign(n, s)
        if negative:
            c.value = v = -v
        cur = lex.PREFIX_CUR_BEFORE.search(n, max(0, s - 10), s)
        if cur:
            code = lex.PREFIX_CURRENCIES[(cur.group(1) or cur.group(2)).lower().replace("  ", " ")]
            c.currency, c.kind, s = code, "money", cur.start()
            if not negative:
                s2, negative = _sign(n, s)
                if negative:
                    c.value, s = -v, s2
        if a.percent:
            c.kind, c.unit = "percent", "%"
            if a.percent == "千分之":
                c.value = v / 10
            elif a.percent == "万分之":
                c.value = v / 100
        s = self._qualifier_before(c, s)
        c.start = s
        # after the number
        e = self._after(c, a, e, scaled)
        c.end = e
        c.bare = (
            c.kind == "number" and c.unit is None and c.qualifier is None and not scaled and not negative
        )
        return self._classify(c, a)

    def _qualifier_before(self, c: Cand, s: int) -> int:
        n = self.n
        m = _SYMBOL_BOUND.search(n, max(0, s - 5), s)
        if m:
            sym = m.group(1).replace(" ", "")
            sym = {"=>": "≥", ">=": "≥", "=<": "≤", "<=": "≤"}.get(sym, sym)
            c.qualifier = _SYMBOL_QUAL[sym]
            return m.start()
        m = lex.EN_QUAL_BEFORE.search(n, max(0, s - 32), s)
        if m:
            c.qualifier = lex.EN_QUALIFIERS[re.sub(r"\s+", " ", m.group(1).lower())]
            if c.qualifier == "only" or (m.group(1).lower() in ("some", "estimated") and False):
                c.qualifier = "only"
            return m.start()
        m = lex.ZH_QUAL_BEFORE.search(n, max(0, s - 8), s)
        if m:
            word = m.group(1)
            if word == "过" and re.search(r"[经通度去错不越跨走穿路闯难看听想做说到]$", n[max(0, m.start() - 1) : m.start()]):
                return s
            if word in ("近",) and re.search(r"[最接将附邻]$", n[max(0, m.start() - 1) : m.start()]):
                return s
            c.qualifier = lex.ZH_QUALIFIERS[word]
            return m.start()
        m = _BI_BEFORE.search(n, max(0, s - 3), s)
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
        if a.approx and c.qualifier is None:
            c.qualifier = "over"
        m = _ZH_APPROX_AFTER.match(n, e)
        if m and a.src in ("cn", "ar") and (a.src == "cn" or _CJK.match(n[e + 1 : e + 2] or " ") or e + 1 >= len(n) or not n[e + 1].isalnum()):
            c.qualifier = c.qualifier or "over"
            e = m.end()
        if c.kind != "percent":
            m = lex.PERCENT_AFTER.match(n, e)
            if m and c.kind != "money":
                c.kind = "percent"
                c.unit = "pp" if m.group(2) else ("‰" if m.group(1) == "‰" else "%")
                e = m.end()
            elif c.kind == "number":
                m2 = _CHENG_ZHE.match(n, e)
                if m2 and a.src in ("cn", "ar") and 0 < abs(c.value or 0) <= 10:
                    half = 0.5 if m2.group(1).endswith("半") else 0.0
                    val = c.value or 0
                    c.value = (val + half) * 10 if val < 10 or m2.group(1)[0] == "成" else val
                    if m2.group(1)[0] == "折" and val >= 10:
                        c.value = val
                    c.kind, c.unit = "percent", "%"
                    e = m2.end()
        if c.kind in ("number", "money"):
            e = self._currency_after(c, e)
        if c.kind == "number":
            m = lex.ZH_CLASSIFIER_AFTER.match(n, e)
            if m and (a.src == "cn" or _CJK.match(n[e : e + 1] or " ") or _CJK.match(n[m.end() - 1])):
                if not (m.group(1) == "点" and n[m.end() : m.end() + 1].isdigit()):
                    c.kind, c.unit = "count", m.group(1)
                    e = m.end()
                    m = _ZH_APPROX_AFTER.match(n, e)
                    if m and c.qualifier is None:
                        c.qualifier, e = "over", m.end()
        m = lex.ZH_QUAL_AFTER.match(n, e)
        if m:
            q = lex.ZH_SUFFIX_QUALIFIERS[m.group(1)]
            c.qualifier = q if (c.qualifier in (None, "approximately", "over") or q != "approximately") else c.qualifier
            e = m.end()
        else:
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

    def _currency_after(self, c: Cand, e: int) -> int:
        n = self.n
        m = lex.ZH_CUR_AFTER.match(n, e)
        if m:
            code = lex.ZH_SUFFIX_CURRENCIES[m.group(1)]
            if code == "USD-cent":
                c.currency, c.unit = "USD", "cent"
            elif c.currency in (None, "$", "¥") or c.currency == code:
                c.currency = code
            c.kind = "money"
            return m.end()
        m = lex.EN_CUR_AFTER.match(n, e)
        if m and not (m.group(1) in ("$", "£", "€") and c.kind == "money"):
            word = re.sub(r"\s+", " ", m.group(1).lower())
            if word in lex.EN_SUBUNITS:
                c.unit = lex.EN_SUBUNITS[word]
                c.kind = "money"
                return m.end()
            code = lex.EN_SUFFIX_CURRENCIES[word]
            if c.currency in (None, "$") or code == c.currency:
                c.currency = code if not (code == "$" and c.currency == "$") else "$"
            c.kind = "money"
            return m.end()
        return e

    def _classify(self, c: Cand, a: Atom) -> Optional[Cand]:
        n = self.n
        s0, e0 = c.core
        # 第N / No. N / 20th
        if c.kind in ("number", "count") and c.qualifier is None:
            m = _ZH_ORDINAL_BEFORE.search(n, max(0, c.start - 2), c.start)
            if m:
                c.start, c.kind, c.ordinal = m.start(), "ordinal", True
                return c
            m = _NO_BEFORE.search(n, max(0, c.start - 4), c.start)
            if m and a.src == "ar":
                c.start, c.kind, c.ordinal, c.unit = m.start(), "ordinal", True, "No."
                return c
            m = _ORDINAL_SUFFIX.match(n, e0)
            if m and a.src == "ar" and c.end == e0:
                c.end, c.kind, c.ordinal = m.end(), "ordinal", True
                return c
        if c.kind == "number" and c.qualifier is None and a.src == "en":
            pct = _PERCENT_OF.search(n, max(0, c.start - 16), c.start)
            if pct:
                c.start, c.kind, c.unit = pct.start(), "percent", "%"
                return c
        if a.src == "cn" and a.text[0] in "十百千万亿拾佰仟" and re.search(r"[数几上成]$", n[max(0, s0 - 1) : s0]):
            return None  # 数十人, 上百家: "dozens", "hundreds" are not checkable figures
        if a.src == "cn" and len(a.text.replace(" ", "")) <= 2 and not any(ch.isdigit() for ch in a.text):
            if _inside_word(n, s0, e0):
                return None
            if a.text == "千万" and re.match(r"[不别要记注小]", n[e0 : e0 + 1]):
                return None
        if c.kind == "number" and c.unit is None and a.src in ("ar", "en", "frac", "cn"):
            if _AGED_BEFORE.search(n, max(0, c.start - 8), c.start):
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
                if a.text == "one" or c.kind == "number":
                    isolated = not re.search(r"[A-Za-z0-9]", n[: c.start]) and not re.search(
                        r"[A-Za-z0-9]", n[c.end :]
                    )
                    if not isolated:
                        c.weak = True
            if a.text in ("half", "a half") and c.qualifier is None and a.text != "a half":
                c.weak = True
