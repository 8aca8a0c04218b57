"""Numeric cores in folded text: the atoms the figure engine grows into candidates.

An atom is a bare number as written: Arabic digits (4.3, 1,100, 2e5), Chinese
numerals (6.02万, 二百五, 三分之一, 七五折), English number words (forty-two, a half)
and fractions (3/5, ⅔, one over three). Each scan starts from the characters a
number needs, so text without them costs little; scan grows every atom with
the words around it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from annotator.text.figures import lex as lex
from annotator.text.figures.numerals import EN_FRACTION_DENOMS, EN_ORDINALS, cn_value, en_words_value, parse_arabic

CN = "零一二三四五六七八九两俩壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿兆廿卅卌"
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
# five and a half, five-and-a-half
_EN_JOIN = re.compile(r"(?:\s*-\s*|\s+)(?:and(?:\s*-\s*|\s+))?(?:an?(?:\s*-\s*|\s+))?(?:point\s+)?")
_A_BEFORE = re.compile(r"(?<![a-z])an?\s+$")
# "the fourth quarter" is a period of the year, not a sixteenth (a fourth of a quarter)
_QUARTER_RANKS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_RANKED_QUARTER = re.compile(r"(first|second|third|fourth)[\s-]+quarter(?![a-z])")
_EN_WORD_SET = {w for alt in (_EN_W + "|" + _EN_F).split("|") for w in ((alt[:-2], alt[:-1]) if alt.endswith("s?") else (alt,))}
_EN_WORD_SET |= {"hundreds", "thousands", "millions", "billions", "trillions"}  # three billions
_SCALE_WORDS = {"hundred", "thousand", "million", "billion", "trillion", "lakh", "crore", "dozen"}
_A_SCALES = {"hundred", "thousand", "million", "billion", "trillion", "dozen", "half", "quarter", "third", "fifth", "hundredth"}
_DOZEN = re.compile(r"打(?![造工击破算开扫压响通动断败球车卡包折听扮理拼算印针])")
_VULGAR_CHARS = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒"
_VULGAR = re.compile(f"[{_VULGAR_CHARS}]")
_VULGAR_WHOLE = re.compile(r"(?<![\d.])(\d+)\s?$")
_OVER = re.compile(r"\s+(?:over|out\s+of)\s+$", re.I)


@dataclass
class Atom:
    start: int
    end: int
    value: float
    src: str  # "ar" | "cn" | "en" | "frac"
    bad_grouping: bool = False
    approx: bool = False
    percent: str | None = None  # 百分之 / 千分之 before the number
    text: str = ""
    unit: str | None = None  # a unit the atom names itself (the fourth quarter)


# -- atoms -------------------------------------------------------------------------------


def _fraction_numerator(n: str, pos: int) -> tuple[float | None, int]:
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
    quarters = set()
    if "quarter" in low:
        for m in _RANKED_QUARTER.finditer(low):
            if _word_start(low, m.start()):
                atoms.append(Atom(m.start(), m.end(), float(_QUARTER_RANKS[m.group(1)]), "en", text="ordinal", unit="quarter"))
                quarters.add((m.start(), m.end()))
    for run in _en_runs(low):
        for qs, qe in quarters:
            if run and run[0][0] < qe and qs < run[-1][1]:
                run = [t for t in run if t[1] <= qs]  # the ranked quarter is read above
        if not run:
            continue
        toks = [(a, b, low[a:b]) for a, b in run]
        if len(toks) == 1 and toks[0][2] in EN_ORDINALS and not _A_BEFORE.search(low, max(0, toks[0][0] - 4), toks[0][0]):
            a, b, w = toks[0]
            atoms.append(Atom(a, b, float(EN_ORDINALS[w]), "en", text="ordinal"))
            continue
        wide = _by_text2num(low, toks)
        if wide is not None:
            atoms.append(wide)
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


# Compound ordinals (twenty-fifth, forty-second, one hundred and first) and plural scales
# after a number (three billions) are read by text2num, which measured best on them
# (benchmarks/bench_number_words.py, ADR 0011); the engine's own reading keeps the rest.
_ORDINAL_TAIL = re.compile(r"-(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)(?![a-z])")
_SCALE_ORDINAL_TAIL = re.compile(r"\s+and\s+(first|second|third)(?![a-z])")  # hundred and first
_PLURAL_SCALES = frozenset(("hundreds", "thousands", "millions", "billions", "trillions"))
_T2N_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_T2N_NUMBER = re.compile(r"\d+")


def _by_text2num(low: str, toks: list) -> Atom | None:
    last = toks[-1][2]
    tail = _ORDINAL_TAIL.match(low, toks[-1][1]) or (
        _SCALE_ORDINAL_TAIL.match(low, toks[-1][1]) if last in ("hundred", "thousand") else None)
    ordinal = tail is not None or (len(toks) >= 2 and last in EN_ORDINALS)
    plural = len(toks) >= 2 and last in _PLURAL_SCALES
    if not (ordinal or plural):
        return None
    from text_to_num import alpha2digit

    start, end = toks[0][0], tail.end() if tail else toks[-1][1]
    out = alpha2digit(low[start:end], "en").strip()
    m = (_T2N_ORDINAL if ordinal else _T2N_NUMBER).fullmatch(out)
    if not m:
        return None
    if ordinal:
        return Atom(start, end, float(m.group(1)), "en", text="ordinal")
    return Atom(start, end, float(m.group()), "en", text=low[start:end])


# "second" is a unit of time and a verb far more often than a rank, so it is read as
# an ordinal only before a superlative: the world's second largest hub, second-biggest.
_SECOND_RANK = re.compile(
    r"second(?=[\s-]+(?:largest|biggest|highest|lowest|smallest|greatest|richest|wealthiest"
    r"|busiest|oldest|longest|tallest|fastest|strongest|heaviest|best|worst|most|least)(?![a-z]))"
)


def _second_atoms(low: str, atoms: list[Atom]) -> None:
    if "second" not in low:
        return
    for m in _SECOND_RANK.finditer(low):
        if _word_start(low, m.start()):
            atoms.append(Atom(m.start(), m.end(), 2.0, "en", text="ordinal"))


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


# 半年, 半个月, 半小时 alone are half a year, month, hour when the text measures a span
# with them (约半年后, 用了半天, 长达半个月); 一个半小时 is read with its whole number.
_HALF_SPAN = re.compile(
    r"(?<=约|近|逾|过|仅|只|了|花|用|达|期|时|足|到|这|那|有)半(?=个?(?:年|月|天|小时|钟头|星期|世纪))")


def _half_spans(n: str, atoms: list[Atom]) -> None:
    if "半" not in n:
        return
    for m in _HALF_SPAN.finditer(n):
        atoms.append(Atom(m.start(), m.end(), 0.5, "cn", text="半"))


def find_atoms(n: str, lang: str, low: str = "", orig: str = "") -> list[Atom]:
    atoms: list[Atom] = []
    if lang != "en":
        _cn_fractions(n, atoms)
        _zhe_atoms(n, atoms)
        _half_spans(n, atoms)
    _ar_fractions(n, atoms)
    _numeral_atoms(n, lang, atoms, orig if "，" in orig else "")
    if lang != "zh":
        _en_atoms(n, low or n.lower(), atoms)
        _second_atoms(low or n.lower(), atoms)
    _vulgar_atoms(n, atoms)
    order = {"frac": 0, "cn": 1, "ar": 2, "en": 3}
    atoms.sort(key=lambda a: (a.start, -(a.end - a.start), order[a.src]))
    kept: list[Atom] = []
    for a in atoms:
        if kept and a.start < kept[-1].end:
            continue
        kept.append(a)
    return _over_fractions(n, kept)
