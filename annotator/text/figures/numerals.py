"""Reading numerals: Arabic digits, Chinese numerals and English number words.

Extraction scans a *normalised copy* of the text that has exactly the same length
as the original (full-width ASCII folded to ASCII, the Traditional forms of the
characters the engine's patterns use folded to Simplified), so every offset found
in the copy is an offset into the original. OpenCC is not used for this: its phrase
tables may change the length.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import cn2an

# -- length-preserving normalisation -------------------------------------------------

_FOLD = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}  # full-width ASCII
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x202F: 0x20, 0x2009: 0x20, 0x2007: 0x20})
_FOLD.update({0x2212: 0x2D, 0x2013: 0x2D, 0x2014: 0x2D, 0xFE63: 0x2D, 0x2010: 0x2D, 0x2011: 0x2D})
_FOLD.update({0xFFE5: 0xA5, 0xFFE1: 0xA3, 0xFF04: 0x24})  # ￥ ￡ ＄
# Traditional (and Hong Kong / Taiwan variant) forms of every character the engine's
# patterns and word lists are written with, each followed by its Simplified form: with
# them every Chinese rule reads Traditional text too (約 僅 超過 佔比 從…增加至 當年 號).
# Generated from OpenCC's t2s, hk2s and tw2s character conversions; kept literal so that
# figures never depend on the installed dictionaries. A test checks it is complete.
# Not folded, although OpenCC maps them: 摺 (a pleat; as 折 it would read as a discount)
# and 韆 (in 鞦韆, a swing; as 千 it would read as a thousand). 么 is Simplified itself.
# 倆 folds to 两 (OpenCC: 俩), the form every numeral pattern knows.
TRAD_PAIRS = (
    "萬万與与兩两個个箇个為为爲为買买於于畝亩億亿僅仅從从價价會会餘余倆两剋克內内農农"
    "減减幾几齣出擊击劃划別别彆别動动昇升陞升單单賣卖佔占盧卢卻却壓压叄叁雙双疊叠衹只"
    "隻只枱台檯台臺台颱台號号閤合衕同後后噸吨聽听員员週周響响迴回圓圆場场塊块處处頭头"
    "傢家對对將将層层屆届嵗岁歲岁幣币佈布並并併并幷并開开張张噹当當当總总戶户釦扣擴扩"
    "掃扫拚拼數数斷断舊旧時时條条來来盃杯構构棟栋歐欧氣气註注漲涨滿满點点碼码種种筆笔"
    "類类係系繫系紅红約约級级紙纸綫线線线組组經经績绩維维縮缩騰腾緻致規规計计記记說说"
    "説说負负敗败貫贯貳贰貴贵費费資资賠赔賺赚躍跃車车輪轮輛辆達达過过這这踰逾鄰邻裏里"
    "裡里針针鍼针鈡钟鍾钟鐘钟錢钱銖铢錯错鎊镑長长門门闖闯間间陸陆難难麪面麫面麵面韓韩"
    "頁页頃顷項项顆颗額额飆飙驟骤淩凌許许黃黄節节則则編编環环纍累較较樓楼侖仑導导聲声攝摄華华釐厘島岛崙仑禮礼"
    "專专熱热電电話话廂厢廈厦廳厅業业機机產产産产舘馆閘闸館馆徵征據据厤历曆历歷历監监紀纪續续連连遲迟閉闭關关離离國国慶庆統统緒绪豐丰順顺鹹咸衛卫衞卫嚮向曏向給给讓让"
)
NOT_FOLDED = "摺韆"
_FOLD.update({ord(TRAD_PAIRS[i]): ord(TRAD_PAIRS[i + 1]) for i in range(0, len(TRAD_PAIRS), 2)})
# Banker's numerals (參拾 = 30) and 〇 as a digit.
_FOLD.update({ord("參"): ord("叁"), ord("〇"): ord("零")})


_FOLD_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]")


# ○ (a white circle) stands for 〇 in many papers (百分之零點○四, 二○二四年), but it is
# also a placeholder (○○公司) and a mark: it is a zero only next to a numeral.
_CIRCLE_ZERO = re.compile("(?<=[零一二三四五六七八九十百千万亿点两])○+|○+(?=[零一二三四五六七八九点])")


def fold(text: str) -> str:
    """Same-length copy of `text` in which the extraction patterns are written."""
    out = _FOLD_CHARS.sub(lambda m: chr(_FOLD[ord(m.group())]), text)
    if "○" in out:
        out = _CIRCLE_ZERO.sub(lambda m: "零" * len(m.group()), out)
    return out


# -- Arabic numbers --------------------------------------------------------------------


def parse_arabic(s: str) -> tuple[float | None, bool]:
    """Value of a digit string with optional ',' / ' ' grouping; flag bad grouping.

    Grouping is valid when every group after the first has three digits. Anything
    else (1,00,000 or 12,34) is read with the separators dropped and flagged.
    """
    s = s.replace(" ", ",")
    if "e" in s or "E" in s:
        try:
            return float(s.replace(",", "")), False
        except ValueError:
            return None, False
    intpart, _, frac = s.partition(".")
    groups = intpart.split(",")
    bad = len(groups) > 1 and (
        any(len(g) != 3 for g in groups[1:]) or not 1 <= len(groups[0]) <= 3
    )
    try:
        value = float("".join(groups) + ("." + frac if frac else ""))
    except ValueError:
        return None, False
    return value, bad


# -- Chinese numerals ------------------------------------------------------------------

CN_DIGITS = {
    "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "两": 2, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
    "幺": 1,
}
CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG = {"万": 10**4, "亿": 10**8, "兆": 10**12}
CN_APPROX = set("几多余来")
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG) + "廿卅卌"

_ARABIC_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
# 百十 before a digit is 一百十一 (111, the 一 of the tens left out), not two units.
_BARE_DIGIT_PAIR = re.compile(
    "[一二三四五六七八九两壹贰叁肆伍陆柒捌玖]{2}|(?![百佰][十拾][一二三四五六七八九两])[十百千拾佰仟]{2}"
)
# A digit right after 百/千 and before 万/亿 is the elided next place: 百二万 = 1,200,000
# (cn2an reads 1,020,000).
_ELIDED_BEFORE_BIG = re.compile("[百千佰仟][一二三四五六七八九两壹贰叁肆伍陆柒捌玖][万亿]")
# 廿 (20), 卅 (30) and 卌 (40), as in 卅二歲 and 五百卅四.
CN_TENS = {"廿": 2, "卅": 3, "卌": 4}


def _cn_tokens(s: str) -> list | None:
    out: list = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch.isspace():
            i += 1
            continue
        m = _ARABIC_TOKEN.match(s, i)
        if m:
            v, _ = parse_arabic(m.group().rstrip(".,"))
            if v is None:
                return None
            out.append(("n", v, m.end() - i > 1))
            i = m.end()
            continue
        if ch in CN_DIGITS:
            out.append(("d", CN_DIGITS[ch], ch == "零"))
        elif ch in CN_TENS:
            out.append(("d", CN_TENS[ch], False))
            out.append(("s", 10, False))
        elif ch in CN_SMALL:
            out.append(("s", CN_SMALL[ch], False))
        elif ch in CN_BIG:
            out.append(("b", CN_BIG[ch], False))
        elif ch in CN_APPROX:
            out.append(("a", 0, False))
        elif ch == "点":
            out.append(("p", 0, False))
        elif ch == "半":
            out.append(("h", 0, False))
        else:
            return None
        i += 1
    return out


def _cn_integer(tokens: list) -> float | None:
    """Evaluate integer tokens: digits, small and big units, elided tails."""
    total = 0.0
    section = 0.0
    num: float | None = None
    last_unit = 0
    elidable = False  # a lone digit right after a unit: 一万三 -> 13000, 百三 -> 130
    max_big = 0
    prev = None
    for kind, val, multi in tokens:
        if kind == "d" and val == 0:
            elidable = False
            prev = "z"
            continue
        if kind in ("d", "n"):
            if num is not None and prev in ("d", "n"):
                return None  # 四五 is an estimate, not a number
            num = float(val)
            elidable = prev in ("s", "b") and (kind == "d" or (not multi and val < 10))
        elif kind == "a":
            num = num if num is not None else 0.0
            elidable = False
        elif kind == "h":
            if num is not None:
                return None
            num, elidable = 0.5, False
        elif kind == "s":
            section += (1.0 if num is None else num) * val
            num, last_unit = None, val
        elif kind == "b":
            tail = num or 0.0
            if elidable and last_unit >= 10 and last_unit < val:
                tail = tail * last_unit / 10  # 百二万: 120万
            block = section + tail
            if block == 0 and total == 0:
                return None  # a big unit with nothing before it (万)
            if val > max_big or block == 0:
                total = (total + block) * val
                max_big = max(max_big, val)
            else:
                total += block * val
            section, num, last_unit = 0.0, None, val
        prev = kind
    if num is not None:
        section += num * last_unit / 10 if elidable and last_unit >= 10 else num
    return total + section


@lru_cache(maxsize=4096)
def cn_value(s: str) -> float | None:
    """Value of a Chinese (or mixed 1.8万) numeral; None when it is not one.

    cn2an reads the standard forms; forms it rejects (兆, 万万, elided 百三/千三,
    半百, 十多万, 零十, grouped digits before 万) go through a small evaluator of
    the same grammar.
    """
    s = s.replace(" ", "")
    if not s:
        return None
    sign = 1.0
    if s[0] == "负":
        sign, s = -1.0, s[1:]
    if not s:
        return None
    if _BARE_DIGIT_PAIR.search(s.split("点")[0]):
        return None  # 九九, 四五: a name or an estimate, not one number
    standard = s.replace("俩", "两").replace("幺", "一")
    if (
        not any(c in CN_APPROX or c in "兆半,廿卅卌" for c in standard)
        and "万万" not in standard
        and not _ELIDED_BEFORE_BIG.search(standard)
    ):
        try:
            v = cn2an.cn2an(standard, "smart")
            return sign * float(v)
        except (ValueError, KeyError, IndexError, TypeError):
            pass
    tokens = _cn_tokens(s)
    if not tokens:
        return None
    if any(t[0] == "p" for t in tokens):
        idx = next(i for i, t in enumerate(tokens) if t[0] == "p")
        whole, frac = tokens[:idx], tokens[idx + 1 :]
        if not frac or any(t[0] != "d" for t in frac):
            return None
        iv = _cn_integer(whole) if whole else 0.0
        if iv is None:
            return None
        digits = "".join(str(int(t[1])) for t in frac)
        return sign * float(f"{int(iv)}.{digits}") if iv == int(iv) else None
    v = _cn_integer(tokens)
    return None if v is None else sign * v


# -- English number words ---------------------------------------------------------------

EN_UNITS = {
    "zero": 0, "nought": 0, "naught": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
EN_SCALES = {
    "hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9,
    "trillion": 10**12, "lakh": 10**5, "crore": 10**7,
}
EN_ORDINALS = {
    "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90, "hundredth": 100, "thousandth": 1000,
}
EN_FRACTION_DENOMS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
    "tenth": 10, "tenths": 10, "hundredth": 100, "hundredths": 100,
}


def en_words_value(words: list[str]) -> float | None:
    """Value of an English cardinal such as ['one', 'hundred', 'and', 'sixty-one'].

    Also reads 'point' decimals (two hundred point zero three), 'dozen', and a
    trailing fraction (one and a half, three quarters, two thirds).
    """
    flat: list[str] = []
    for w in words:
        flat.extend(p for p in re.split(r"[-\s]+", w.lower()) if p)
    if "point" in flat:
        i = flat.index("point")
        whole = en_words_value(flat[:i]) if i else 0.0
        digits = [EN_UNITS.get(w) for w in flat[i + 1 :]]
        if whole is None or not digits or any(d is None or d > 9 for d in digits):
            # "point seventy-one" style decimals: read the tail as one number
            tail = en_words_value(flat[i + 1 :])
            if whole is None or tail is None:
                return None
            return float(f"{int(whole)}.{int(tail)}")
        return float(f"{int(whole)}." + "".join(str(d) for d in digits))
    if len(flat) > 1 and (flat[-1] in EN_SCALES or flat[-1] == "dozen") and flat[-1] != "hundred":
        scaled = _fraction_of_scale(flat)
        if scaled is not None:
            return scaled
    frac = 0.0
    if flat and flat[-1] in EN_FRACTION_DENOMS:
        den = EN_FRACTION_DENOMS[flat[-1]]
        head = flat[:-1]
        numer = 1.0
        if head and head[-1] in ("a", "an", "one"):
            head = head[:-1]
        elif head and (head[-1] in EN_UNITS or head[-1] in EN_TENS):
            numer = float(EN_UNITS.get(head[-1], EN_TENS.get(head[-1], 0)))
            head = head[:-1]
        elif flat[-1] in ("half",) and not head:
            return 0.5
        frac = numer / den
        if head and head[-1] == "and":
            head = head[:-1]
            base = en_words_value(head)
            return None if base is None else base + frac
        if head:
            base = en_words_value(head)
            return None if base is None else base * frac if base else None
        return frac
    total = 0.0
    current = 0.0
    seen = False
    last = ""  # "three four" or "twenty thirty" are two numbers, not a sum
    for w in flat:
        if w == "and":
            continue
        if w in ("a", "an"):
            current = current or 1.0
            seen = True
        elif w in EN_UNITS:
            if last == "unit":
                return None
            current += EN_UNITS[w]
            seen, last = True, "unit"
            continue
        elif w in EN_TENS:
            if last in ("unit", "tens"):
                return None
            current += EN_TENS[w]
            seen, last = True, "tens"
            continue
        elif w in ("dozen", "dozens", "dozs", "dzs"):
            current = (current or 1.0) * 12
            seen = True
        elif w == "hundred":
            current = (current or 1.0) * 100
            seen = True
        elif w in EN_SCALES:
            total += (current or 1.0) * EN_SCALES[w]
            current = 0.0
            seen = True
        else:
            return None
        last = "scale"
    return total + current if seen else None


def _fraction_of_scale(flat: list[str]) -> float | None:
    """half a million, five and a half million, one billion and a quarter million."""
    scale = EN_SCALES.get(flat[-1], 12)
    body = flat[:-1]
    if body and body[-1] in ("a", "an") and len(body) > 1 and body[-2] in EN_FRACTION_DENOMS:
        body = body[:-1]  # half a million
    if not body or body[-1] not in EN_FRACTION_DENOMS:
        return None
    cut = 0
    for i, w in enumerate(body):
        if w in EN_SCALES and EN_SCALES[w] > scale:
            cut = i + 1
    head, seg = body[:cut], body[cut:]
    while seg and seg[0] == "and":
        seg = seg[1:]
    seg_v = en_words_value(seg) if seg else None
    head_v = en_words_value(head) if head else 0.0
    if seg_v is None or head_v is None:
        return None
    return head_v + seg_v * scale


def clean_float(v: float | None) -> float | None:
    """Round away binary noise (4.78 * 1e12 -> 4780000000000.0) for stable output."""
    if v is None:
        return None
    if type(v) is float and v.is_integer():
        return v if v else 0.0  # most values: nothing to round (nor to log)
    if math.isnan(v) or math.isinf(v):
        return None
    if v == 0:
        return 0.0
    digits = 12 - int(math.floor(math.log10(abs(v))))
    return round(v, max(0, digits)) if digits > 0 else float(round(v))
