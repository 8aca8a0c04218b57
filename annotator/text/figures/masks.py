"""Stretches of text whose digits are not figures: links, codes, names, titles.

A reviewer loses trust in the tool as soon as it offers "19" from COVID-19 or "2.0"
from a document title as a figure to check, so these are found first and every
number inside one is skipped. Most checks start from a digit run (one fast scan)
rather than scanning the whole text once per pattern.
"""

from __future__ import annotations

import bisect
import re

from annotator.text.figures.currencies import EN_CUR_AFTER, ZH_CUR_AFTER
from annotator.text.figures.lex import EN_MONTHS, ZH_SUFFIX_QUALIFIERS
from annotator.text.figures.units import ZH_CLASSIFIER_AFTER

_URL = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ff][Tt][Pp]://|www\.)[^\s<>\"'\u3000-\u303f\uff01-\uff5e]+")
_EMAIL_TAIL = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_EMAIL_HEAD = re.compile(r"[\w.+-]+$")
_AD = re.compile(r"\[[A-Za-z_]+[_\s]*\d*\]")
_TITLE_MARKS = re.compile(r"《[^《》\n]{1,80}》|〈[^〈〉\n]{1,60}〉")
_ZH_NAMES = re.compile(r"十[一二三四五六]五(?:规划|时期|期间)?|(?:十[六七八九]|二十)大")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』\n]{3,90})[”\"」』]")
_DIGITS = re.compile(r"\d+")
# A clock time in Chinese: hours with minutes (12时55分), a half (八时半), 许 (3时许), or a
# part of the day before it (下午1时, 晚上10时后). Bare 3点 may be index points and stays.
_ZH_NUM = r"[0-9零〇○一二两三四五六七八九十廿卅]{1,3}"
_ZH_DAYPART = (r"(?:凌晨|清晨|早上|早晨|上午|中午|午间|下午|傍晚|黄昏|晚上|晚间|夜间|深夜|午夜"
               r"|今晨|今早|今午|今晚|昨晨|昨早|昨午|昨晚|当晚|翌晨)")
_ZH_CLOCK = re.compile(
    rf"{_ZH_DAYPART}\s*{_ZH_NUM}\s*[时点](?:\s*{_ZH_NUM}\s*分(?:\s*{_ZH_NUM}\s*秒)?|半|许)?"
    rf"|{_ZH_NUM}\s*[时点](?:\s*{_ZH_NUM}\s*分(?:\s*{_ZH_NUM}\s*秒)?|半|许)")
# Numbering, not quantities: list items opening a line or following a sentence ("1、回复",
# "1. Finland   2. Norway", "people. 5. Kristi"), discourse enumeration (第一，), and the
# numbers of articles, clauses and sections of a text or a law (第十二条, Article 8).
_LIST_ITEM = re.compile(
    r"(?:^|(?<=\n)|(?<=[。！？；：!?;:])|(?<=[.!?;:] )|(?<=\S  ))[ \t]*"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:、|[.．)）](?=[ \t]+[^\d\s]))")
_ENUMERATION = re.compile(r"(?:^|(?<=[\n。！？；!?;]))\s*第[一二三四五六七八九十]{1,3}(?=[，,、：:])")
# A street address: the number after a road's name (開源道48號, 中山路100号之3) and the
# floor and room after the building (威利廣場23樓): 48號 is not the 48th of a month.
_ADDRESS = re.compile(
    r"(?<=[道路街巷弄])\s*\d{1,5}(?:[-之]\d{1,4})?\s*号(?:之\d{1,3})?"
    r"(?:[\u4e00-\u9fff]{0,8}?\d{1,3}\s*[楼层](?:\s*[A-Za-z]?\d{0,4}\s*室)?)?"
)
# Not figures, one row per class found on real news: (name, words one of which the
# folded text must hold for the pattern to be tried, pattern). A new class is a row
# here and a test in tests/core/test_figures_real_context.py.
_CN_DIGIT = "一二三四五六七八九十"
CONTEXT_ROWS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    # 一，如果…  二，… : a bare numeral opening a line before a comma numbers a point
    ("point numbering", ("，", ","), re.compile(rf"(?m)^[ \t]*[{_CN_DIGIT}]{{1,3}}(?=[，,])")),
    # 第一板斧是，… : an ordinal and its noun opening a point
    ("point numbering", ("是",), re.compile(
        rf"(?:^|(?<=[\n。！？；!?;]))[ \t]*第[{_CN_DIGIT}]{{1,3}}(?![季年月周天日次期届名位])[\u4e00-\u9fff]{{1,3}}(?=是[，,：:])")),
    # a line holding only a number of one or two digits, between lines, heads a section
    ("section number", ("\n",), re.compile(r"(?<=\n)[ \t]*\d{1,2}[ \t]*(?=\n)")),
    # 十九届四中全会: the plenary sessions of a party's central committee
    ("plenum name", ("中全会",), re.compile(
        rf"(?:第)?[\d{_CN_DIGIT}]{{1,3}}届(?:中央)?[\d{_CN_DIGIT}]{{1,2}}中全会")),
    # economic sectors: 第三产业 (the tertiary sector), 三次产业 (the three sectors)
    ("sector term", ("产业",), re.compile(r"第[一二三]产业|[一二三]次产业")),
    # a generation: 00后, 90后, 95后 (those born in the 2000s, 1990s, after 1995)
    ("generation", ("后",), re.compile(r"(?<![\d.])\d0后(?![\d])|(?<![\d.])[0-9]5后(?=[”\"」』])")),
    # weekdays: 周三, 星期四, 礼拜天; not 一周三天 or 周三次 (three a week)
    ("weekday", ("周", "星期", "礼拜"), re.compile(
        r"(?<![每一两二三四五六七八九十几数])(?:周|星期|礼拜)[一二三四五六日天](?![次天日趟遍回个])")),
    # 两双数据: a double-double in basketball, not two pairs
    ("basketball term", ("双数据",), re.compile(r"[两三四]双(?=数据)")),
    # names of facilities: 第二航廈, T2航站楼; 1号、2号、3号入口 (entrances, gates, lines)
    ("facility name", ("航",), re.compile(r"第[一二三四五\d]航(?:站楼|厦|站)")),
    ("facility name", ("号",), re.compile(
        r"\d{1,3}号(?:[、,，和及]\s*\d{1,3}号)*(?=\s*(?:入口|出口|门|闸口|登机口|站台|月台|码头|泊位"
        r"|航站楼|展厅|展馆|窗口|通道|车道|车厢|看台|闸))")),
    # a hotline after 致电 (call): 請致電3661 3800
    ("hotline", ("致电",), re.compile(r"(?<=致电)\s*[:：]?\s*\d{3,5}(?:[ -]?\d{3,5}){0,2}")),
    # “八”这个数字: a numeral quoted to talk about it, not a quantity
    ("numeral named", ("这个数字", "这个字", "这一数字"), re.compile(
        rf"(?<=[“\"「『])[\d{_CN_DIGIT}百千万]{{1,4}}(?=[”\"」』](?:这个|这一)?(?:数字|字))")),
    # moons named by their planet and number: 木衛三十九 (Jupiter XXXIX), 土卫六
    ("moon name", ("卫",), re.compile(rf"(?<=[木土天海]卫)[\d{_CN_DIGIT}]{{1,4}}")),
    # a page widget's bullet list: "- 2019年09月07日" above "- 09:02", a bare count alone
    # on a bullet between bullets (views, comments)
    ("widget line", ("\n- ",), re.compile(
        r"(?m)(?<=^- )\d{4}年\d{1,2}月\d{1,2}日(?=[ \t]*\n- \d{1,2}:\d{2}[ \t]*$)"
        r"|(?<=\n- )\d{1,3}(?:,\d{3})+(?=[ \t]*\n)")),
    # copyright lines: Copyright 2015, © 2019, Copyright © 1996-2019
    ("copyright year", ("opyright", "©", "(c)", "(C)"), re.compile(
        r"(?:(?<![A-Za-z])Copyright|COPYRIGHT|©|\([cC]\))\s*(?:©\s*)?\d{4}(?:\s*[-–]\s*\d{4})?(?![\d])"
        r"(?=\s*(?:[.,;]|$|\n|[A-Z]|by|All))")),
)


# “12306账号”, "996工作制", “5G网络”: digits opening a quoted term and glued to a Han noun
# that no measure word, currency or date mark starts name a thing; “3000元” stays.
_QUOTED_NUMBER_NAME = re.compile(r"(?<=[“\"「『])\d{2,6}(?=[\u4e00-\u9fff]{1,6}[”\"」』])")


def _quoted_number_names(n: str, spans: list) -> None:
    for m in _QUOTED_NUMBER_NAME.finditer(n):
        e = m.end()
        if n[e] in _QUANTITY_NEXT or ZH_CLASSIFIER_AFTER.match(n, e) or ZH_CUR_AFTER.match(n, e):
            continue
        if any(n.startswith(q, e) for q in ZH_SUFFIX_QUALIFIERS):
            continue
        spans.append(m.span())


def _inline_list_items(n: str, spans: list) -> None:
    """"are: 1) Deviled, 2) Scotch, 3) Scrambled": after a first item 1), each next
    number with a closing bracket after a comma or semicolon is an item too."""
    for m in re.finditer(r"(?<![\d(（])1[)）](?=[ \t]+[^\d\s])", n):
        at, want = m.end(), 2
        while True:
            nxt = re.compile(rf"[^\n]{{0,80}}?[,;，；]\s*({want})[)）](?=[ \t]+[^\d\s])").match(n, at)
            if not nxt:
                break
            if want == 2:
                spans.append(m.span())
            spans.append((nxt.start(1), nxt.end(1) + 1))
            at, want = nxt.end(), want + 1


_STATUTE = re.compile(r"第[\d一二三四五六七八九十百零两]+(?:条|款|项|章|节|编|则|篇)")
_EN_SECTION = re.compile(r"(?<![A-Za-z])(?:Article|Section|Clause|Chapter|Paragraph|Rule)s?\s+"
                         r"\d+[A-Za-z]?(?:\(\d+\))?")
# "(1451 GMT)": a four-digit clock time before a time zone
_ZONE_TIME = re.compile(r"(?<![\d.,])[0-2]\d[0-5]\d\s?(?:GMT|UTC|HKT|BST|CET|CEST|EST|EDT|PST|PDT)\b")
_CLAUSE_BREAK = re.compile(r"[.!?;。！？；,]\s")

# Anchored at a digit run.
_PHONE_PLUS = re.compile(r"\+\d{1,3}(?:[-\s./]?\(?\d{1,5}\)?){2,5}(?![\w])")
_PHONE_PAREN = re.compile(r"\(\d{2,5}\)\s?\d{3,5}[-\s]?\d{3,5}(?![\w])")
_PHONE_DASH = re.compile(r"\d{2,5}-\d{6,9}(?![\w-])|(?!\d{4}-\d{1,2}-\d{1,2}(?![\d-]))\d{2,8}(?:-\d{2,8}){2,}(?![\w])")
_DOTTED = re.compile(r"\d+(?:\.\d+){2,}(?![\d])")
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?(?![a-z]))?(?![\d:])", re.I)
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
_NUMBER_SUFFIX = re.compile(
    r"\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?"
    r"(?:k|m|b|bn|mn|mln|bln|tln|mil|km|kg|mg|ml|cm|mm|m2|sqm|gb|mb|tb|kb|kw|mw|gw|kwh|mwh|gwh"
    r"|mph|kmh|kph|fps|lbs?|cc|ps|hp|nm|ips|ms|w|l"
    r"|ha|st|nd|rd|th|s|pm|am|usd|hkd|rmb|cny|eur|gbp|jpy|aud|cad|sgd|pc|pct|x|yrs?)?\.?",
    re.I,
)
_GRAMS = re.compile(r"\d+(?:\.\d+)?g")
_CURRENCY_CODE_NUMBER = re.compile(
    r"(?:usd|hkd|rmb|cny|eur|gbp|jpy|aud|cad|sgd|twd|chf|nzd|mop|inr|krw)\d+(?:[.,]\d+)*(?:k|m|bn|b)?\.?",
    re.I,
)
_COMPOUND = re.compile(r"\d+(?:[.,]\d+)*-[A-Za-z]+(?:-[A-Za-z]+)*\.?")
_ORDINAL_DIGITS = re.compile(r"\d+(?:st|nd|rd|th)(?=[\s-]+[A-Z])")
_NAME_NUMBER_WORD = re.compile(
    r"(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth"
    r"|Eleventh|Twelfth|Thirteenth|Fourteenth|Fifteenth|Sixteenth|Seventeenth|Eighteenth"
    r"|Nineteenth|Twentieth|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve"
    r"|Twenty|Thirty|Forty|Fifty|Hundred)(?=[\s-]+[A-Z])"
)
_TITLE_WORDS_BEFORE = re.compile(r"(?<![A-Za-z])(?:[A-Z][A-Za-z&-]+\s+){2,}$")
_NAME_WORD = re.compile(r"[A-Z][A-Za-z&'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?。！？\n“\"(（:：]\s*)$")


class Masks:
    """Sorted, merged spans; `overlaps(start, end)` is a binary search."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans.sort()
        merged: list[list[int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.ends[i] > start:
            return True
        j = i + 1
        return j < len(self.starts) and self.starts[j] < end


def _is_code(token: str) -> bool:
    if not any(c.isalpha() for c in token) or re.fullmatch(r"\d+(?:\.\d+)?[eE]", token):
        return False
    if _GRAMS.fullmatch(token):
        return False  # 200g (grams; 5G, in capitals, is a network)
    for rx in (_NUMBER_SUFFIX, _CURRENCY_CODE_NUMBER, _COMPOUND):
        if rx.fullmatch(token):
            return False
    parts = token.split("-")
    if len(parts) == 2 and all(_NUMBER_SUFFIX.fullmatch(p) for p in parts):
        return False  # 5k-20k is a range
    return True


def _token_around(n: str, s: int, e: int) -> tuple[int, int]:
    while s > 0 and n[s - 1] in _TOKEN_CHARS:
        s -= 1
    while e < len(n) and n[e] in _TOKEN_CHARS:
        e += 1
    while e > s and n[e - 1] in "-_.":
        e -= 1
    while s < e and n[s] in "-_.":
        s += 1
    return s, e


def _digit_masks(n: str, spans: list) -> None:
    """Each pattern below needs a particular character right after the digit run (-,
    ., : or a letter), so most runs are settled by looking at one character."""
    last_token_end = -1
    plain_token_end = -1  # end of a token already found not to be a code
    for m in _DIGITS.finditer(n):
        s, e = m.span()
        if s < last_token_end:
            continue
        prev = n[s - 1] if s else ""
        nxt = n[e] if e < len(n) else ""
        if prev == "+":
            p = _PHONE_PLUS.match(n, s - 1)
            if p and (s < 2 or not n[s - 2].isalnum()):
                spans.append(p.span())
                last_token_end = p.end()
                continue
        if prev == "(":
            p = _PHONE_PAREN.match(n, s - 1)
            if p:
                spans.append(p.span())
                last_token_end = p.end()
                continue
        if e - s >= 16:
            if not (ZH_CUR_AFTER.match(n, e) or EN_CUR_AFTER.match(n, e)):
                spans.append((s, e))  # an ID; but a currency after it makes it an amount
            continue
        if nxt in _SEPARATORS:
            p = _separated(n, s, prev)
            if p:
                spans.append(p)
                last_token_end = p[1]
                continue
        if (prev in _TOKEN_CHARS or nxt in _TOKEN_CHARS) and s >= plain_token_end:
            # every digit run of "1-2-1-2-…" shares one token: judge it once, not once
            # per run (that was quadratic: 67 s for 40,000 characters)
            ts, te = _token_around(n, s, e)
            if _is_code(n[ts:te]):
                spans.append((ts, te))
                last_token_end = te
                continue
            plain_token_end = te
        o = _ORDINAL_DIGITS.match(n, s) if nxt in _ORDINAL_FIRST else None
        if o and (s == 0 or not n[s - 1].isalnum()):
            _name_after(n, s, o.end(), spans)
        elif prev == " " and _capitalised_before(n, s) and _TITLE_WORDS_BEFORE.search(n, max(0, s - 80), s):
            words = n[max(0, s - 80) : s].split()
            if words and words[-1].lower() not in EN_MONTHS and words[-1].rstrip(".").lower() not in ("no", "number"):
                if not n[e : e + 2].lower() in ("st", "nd", "rd", "th") and n[e : e + 1] not in ",":
                    spans.append((s, e))


_SEPARATORS = frozenset("-.:")
_ORDINAL_FIRST = frozenset("sntr")
_TITLE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz&-")


def _separated(n: str, s: int, prev: str):
    """A phone number, dotted number (IP, version) or clock time starting at s."""
    for rx in (_PHONE_DASH, _DOTTED, _TIME):
        p = rx.match(n, s)
        # a Han character before it is a boundary (建立時間16:41, 電話:2626-9999), a
        # Latin letter or digit is not (A-12-345-678 is one code)
        if p and not (prev and ((prev.isascii() and prev.isalnum()) or prev in "-.")):
            return p.span()
    return None


def _capitalised_before(n: str, s: int) -> bool:
    """Whether the word before the spaces at s holds a capital with a letter after it,
    which _TITLE_WORDS_BEFORE needs; checked here to spare the regex most numbers."""
    j = s - 1
    while j >= 0 and n[j].isspace():
        j -= 1
    k = j
    while k >= 0 and n[k] in _TITLE_CHARS:
        k -= 1
    return any("A" <= c <= "Z" for c in n[k + 1 : j])


def _name_after(n: str, s: int, e: int, spans: list) -> None:
    j = e
    while j < len(n) and n[j] in " -":
        j += 1
    nxt = _NAME_WORD.match(n, j)
    if nxt and nxt.group().lower() not in EN_MONTHS:
        spans.append((s, nxt.end()))


def _emails(n: str, spans: list) -> None:
    for m in _EMAIL_TAIL.finditer(n):
        head = _EMAIL_HEAD.search(n, max(0, m.start() - 64), m.start())
        if head:
            spans.append((head.start(), m.end()))


def _title_quotes(text: str, spans: list) -> None:
    small = {"of", "and", "the", "for", "in", "on", "to", "a", "an", "at", "by", "with"}
    for m in _QUOTED.finditer(text):
        inner = m.group(1)
        if not any(map(str.isdigit, inner)) or _CLAUSE_BREAK.search(inner):
            continue
        words = re.findall(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,]*", inner)
        if not words or len(words) > 12:
            continue
        alpha = [w for w in words if w[0].isalpha()]
        content = [w for w in alpha if w.lower() not in small]
        caps = [w for w in alpha if w[0].isupper()]
        if len(alpha) >= 2 and content and len(caps) >= 0.8 * len(content):
            spans.append((m.start(1), m.end(1)))


def _name_words(n: str, spans: list) -> None:
    """Capitalised number words opening a name (Fourteenth Five-Year Plan)."""
    for m in _NAME_NUMBER_WORD.finditer(n):
        if m.start() and n[m.start() - 1].isalpha():
            continue
        if _SENTENCE_START.search(n, max(0, m.start() - 4), m.start()):
            continue  # "Five universities ..." at a sentence start is a count
        _name_after(n, m.start(), m.end(), spans)


# A case, file or hotline number names a thing, it counts nothing: 个案编号:3857、3895,
# 第3664个案, 生命线协谈专线:1995, 热线 2345 6789 (24小时), hotline 1823.
_REF_NUMBER = re.compile(
    r"(?:编号|专线|热线|电话|[Hh]otline|[Hh]elpline)\s*[:：]?\s*"
    r"\d[\d-]*(?:\s*[、,，/]\s*\d[\d-]*)*(?:\s*[(（]\d{1,2}\s*小时[)）])?"
    r"|第\d+个案"
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ZH_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千万亿")
# The last character of a word that leads into a quantity (约, 超过, 达, 增长, 第 ...):
# the digits after it are the quantity, not the end of a name.
_NOT_NAME_END = frozenset(
    "约近超过达为至到是有共计了长降涨跌升减逾占比第前后仅只等和与及或、年月日号时点期届向对给把被让将"
    "在于从由以每次用值率额量数价高低多少大小上下内外全总共余剩约合之"
)
# After the digits of a quantity: a scale, a percent, a unit, a date or time mark.
_QUANTITY_NEXT = frozenset("万亿千百十%‰.,年月日号时点分秒周岁多余来成折倍")
_CLOSE_QUOTES = frozenset("”\"」』")


def _han_product_names(n: str, spans: list) -> None:
    """A Han name glued to digits with nothing a quantity needs after them: 含光800,
    玄铁910, 虚幻4. It must recur in the article (the name of the product it reports on),
    or stand quoted, or be followed by another Han word or a list comma."""
    found: dict[str, list[tuple[int, int]]] = {}
    for m in _DIGITS.finditer(n):
        s, e = m.span()
        if s < 2 or not (_HAN.match(n[s - 1]) and _HAN.match(n[s - 2])):
            continue
        if n[s - 1] in _NOT_NAME_END or n[s - 1] in _ZH_NUMERAL_CHARS or n[s - 2] in _ZH_NUMERAL_CHARS:
            continue
        if e - s == 4 and 1800 <= int(m.group()) <= 2100:
            continue  # 2025全球游戏大会: a year before an event's name is still read as a year
        nxt = n[e : e + 1]
        if nxt in _QUANTITY_NEXT or ZH_CLASSIFIER_AFTER.match(n, e) or ZH_CUR_AFTER.match(n, e):
            continue
        if nxt and nxt.isascii() and nxt.isalnum():
            continue
        if any(n.startswith(q, e) for q in ZH_SUFFIX_QUALIFIERS):
            continue
        found.setdefault(n[s - 2 : e], []).append((s, e))
    for key, where in found.items():
        for s, e in where:
            nxt = n[e : e + 1]
            quoted = n[s - 3 : s - 2] in ("“", '"', "「", "『") and nxt in _CLOSE_QUOTES
            if len(where) >= 2 or quoted or nxt == "、" or (nxt and _HAN.match(nxt)):
                spans.append((s, e))


# A Latin product name before a model or version number: iPhone 11 (a capital inside
# the word), QGIS 2.8 (capitals, and the same name and number again in the article).
_LATIN_NAME_NUMBER = re.compile(
    r"(?<![A-Za-z\d$.])(?P<name>[a-z]+[A-Z][A-Za-z]*|[A-Z][a-z]+[A-Z][A-Za-z]*|[A-Z]{2,6}) "
    r"(?P<num>\d{1,3}(?:\.\d{1,2})?)(?![\d.,]?\d|[A-Za-z%‰])"
    r"(?!\s*(?:percent|per cent|hundred|thousand|million|billion|trillion|bn|mn|k|m)\b)"
)


def _latin_product_names(n: str, spans: list) -> None:
    from annotator.text.figures.currencies import EN_SUFFIX_CURRENCIES, PREFIX_CURRENCIES

    hits = []
    for m in _LATIN_NAME_NUMBER.finditer(n):
        name = m.group("name")
        if name.lower() in PREFIX_CURRENCIES or name.lower() in EN_SUFFIX_CURRENCIES or name.lower() in EN_MONTHS:
            continue
        hits.append((m, name.isupper()))
    counts: dict[str, int] = {}
    for m, _ in hits:
        counts[m.group()] = counts.get(m.group(), 0) + 1
    for m, caps in hits:
        if not caps or counts[m.group()] >= 2:
            spans.append(m.span("num"))


# The structural classes, as CONTEXT_ROWS: (name, hints, pattern); the pattern runs when
# one hint is in the folded text ("" is in every text). A plain `str in` test is far
# faster than a regex scan, so every row that can have a hint has one.
PATTERN_ROWS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("link", ("://", "www."), _URL),
    ("ad marker", ("[",), _AD),
    ("title", ("《", "〈"), _TITLE_MARKS),
    ("name", ("十",), _ZH_NAMES),
    ("clock time", ("时", "点"), _ZH_CLOCK),
    ("time with a zone", ("GMT", "UTC", "T ", "T)"), _ZONE_TIME),
    ("list item", ("、", ".", ")"), _LIST_ITEM),
    ("street number", ("号",), _ADDRESS),
    ("enumeration", ("第",), _ENUMERATION),
    ("statute number", ("第",), _STATUTE),
    ("section number", ("",), _EN_SECTION),
    ("reference number", ("编号", "专线", "热线", "电话", "otline", "elpline", "个案"), _REF_NUMBER),
)
# Classes a pattern alone cannot tell, as (name, hints, finder): finder(folded, spans)
# appends the spans it masks.
FINDER_ROWS = (
    ("inline list item", ("1)", "1）"), _inline_list_items),
    ("quoted name", ("“", '"', "「"), _quoted_number_names),
    ("Han product name", ("",), _han_product_names),
    ("Latin product name", ("",), _latin_product_names),
    ("e-mail", ("",), _emails),
    ("digit code", ("",), _digit_masks),
    ("quoted title", ("",), _title_quotes),
    ("name word", ("",), _name_words),
)


def _plan(rows) -> tuple:
    """Rows as (hints, item), hints None for a row that always runs."""
    return tuple((None if "" in hints else hints, item) for _name, hints, item in rows)


_PATTERN_PLAN = _plan(PATTERN_ROWS + CONTEXT_ROWS)
_FINDER_PLAN = _plan(FINDER_ROWS)


def find_masks(text: str, folded: str) -> Masks:
    """Spans of the folded text that hold no figure: every row of PATTERN_ROWS,
    CONTEXT_ROWS and FINDER_ROWS whose hints the text holds."""
    spans: list[tuple[int, int]] = []
    for hints, rx in _PATTERN_PLAN:
        if hints is None:
            spans.extend(m.span() for m in rx.finditer(folded))
            continue
        for h in hints:  # loops, not any(): this runs for every paragraph
            if h in folded:
                spans.extend(m.span() for m in rx.finditer(folded))
                break
    for hints, finder in _FINDER_PLAN:
        if hints is None:
            finder(folded, spans)
            continue
        for h in hints:
            if h in folded:
                finder(folded, spans)
                break
    return Masks(spans)
