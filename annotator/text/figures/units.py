"""Units: the Chinese classifiers and measures read after a number, English unit
symbols and count nouns, and unit letters glued to a number.

Each is a table. A new unit is a new entry in the table its form belongs to, and a
test with a real sentence in tests/core/test_figures_real_units.py:
- a Chinese classifier or measure (3间, 五毫升): ZH_CLASSIFIERS; add it to ZH_MEASURES
  when a lone 一 before it is "one" (一吨), to ZH_HALF_AFTER when 半 may follow it (三斤半);
- a symbol glued to the number (7.62mm, 300W, 573.15K is no unit): GLUED_UNITS, the
  symbol in lower case and the unit as it is stored;
- a symbol after a space (151 PS, 180 lbs): EN_SYMBOL_UNIT_AFTER;
- an English plural noun that names the unit is found without a table; irregular
  plurals go to EN_UNIT_WORDS, words ending in s that are no plural to EN_NOT_UNIT.
"""

from __future__ import annotations

import re

from annotator.text.figures.lex import first_chars


ZH_CLASSIFIERS = ["万人次", "人次", "个月", "个小时", "个季度", "季度", "小时", "分钟", "周年", "平方公里", "平方米", "公里", "千米", "公斤", "千克", "公顷", "人", "名", "位", "家", "所", "个", "项", "次", "只", "件", "台", "辆", "架", "艘", "座", "栋", "幢", "条", "张", "本", "部", "份", "篇", "套", "批", "种", "类", "场", "届", "年", "周", "天", "秒", "岁", "倍", "吨", "斤", "克", "米", "亩", "户", "层", "款", "支", "股", "例", "宗", "起", "单", "级", "颗", "枚", "盒", "箱", "瓶", "页", "块", "点", "宗", "轮", "笔", "处", "片", "组", "所", "期", "季", "波", "票", "站", "面", "段", "代", "双", "对", "间", "毫米", "厘米", "公分", "公尺", "毫升", "公升", "摄氏度", "华氏度", "吋", "英寸", "英尺", "加仑", "千瓦", "瓦", "声", "晚", "车", "车道", "首", "记", "总吨"]
# Classifiers that name an edition of a year rather than count it: 2024届 (the class of
# 2024), 2020级, 2024款 (a model year), 2023年度, 1990年代. After any other classifier a
# year-like number is a count (2000人, 1950家).
ZH_YEAR_CLASSIFIERS = frozenset(["年", "届", "级", "款", "季", "季度", "期", "代"])
ZH_COUNT_CLASSIFIERS = frozenset(ZH_CLASSIFIERS) - ZH_YEAR_CLASSIFIERS
ZH_CLASSIFIER_AFTER = re.compile(
    r"\s*(" + "|".join(sorted(set(ZH_CLASSIFIERS), key=len, reverse=True)) + r")"
)
# Classifiers after which a lone 一 is still "one" and not the article "a".
ZH_MEASURES = set(
    ["吨", "斤", "克", "米", "亩", "倍", "岁", "公斤", "公里", "千米", "平方米", "小时", "分钟", "秒", "周年", "毫米", "厘米", "公分", "公尺", "毫升", "公升", "摄氏度", "吋", "英寸", "英尺", "加仑"]
)
# Measures and spans of time that take a half after them: 三斤半 (3.5 斤), 一年半,
# 两个半小时 (个 半 小时: the half stands between the classifier and the unit).
ZH_HALF_AFTER = frozenset(["斤", "吨", "克", "公斤", "米", "公里", "亩", "年", "天", "周", "岁", "小时", "分钟", "倍", "公尺", "英寸", "吋"])
ZH_HALF_INSIDE = re.compile(r"半\s*(小时|钟头|月|星期|礼拜)")
# Unit symbols written after a number and a space, case as written (151 PS, 197 Nm,
# 78563 IPS, 500 IPS/W, 180 lbs); glued forms are GLUED_UNITS.
EN_SYMBOL_UNIT_AFTER = re.compile(
    r" ?(PS|hp|bhp|Nm|lbs?|kg|km|kph|km/h|mph|fps|ms|kW|MW|GW|kWh|mAh|GB|TB|MB|IPS|cc|ml|mL|mm|cm|°C|°F|℃)"
    r"(?:/(?:W|s|h|kWh))?(?![A-Za-z\d])"
)

EN_UNIT_WORDS = {
    "people", "persons", "staff", "personnel", "children", "men", "women", "police",
    "cattle", "sheep", "fish", "aircraft", "equipment", "feet", "teeth", "mice", "geese",
    "per", "percent",
}
EN_NOT_UNIT = {
    "is", "was", "has", "this", "its", "us", "as", "his", "hers", "yours", "ours", "theirs",
    "less", "does", "plus", "thus", "always", "perhaps", "besides", "towards",
    "across", "various", "numerous", "previous", "famous", "serious", "news", "analysis",
    "basis", "crisis", "status", "campus", "bonus", "focus", "bus", "gas", "process",
    "progress", "success", "access", "business", "express", "address", "unless",
    "whereas", "afterwards", "upwards", "yes", "ethos", "chaos", "mathematics",
    "physics", "economics", "politics", "statistics", "series", "species", "means",
}
EN_UNIT_STOP = {
    "in", "of", "to", "for", "by", "from", "at", "on", "with", "and", "or", "the", "a",
    "an", "that", "which", "who", "than", "per", "as", "is", "are", "was", "were", "will",
    "would", "have", "has", "had", "be", "been", "this", "these", "those", "it", "its",
    "their", "our", "his", "her", "year", "years", "ago", "last", "next", "each",
}
EN_TIME_UNITS = {
    "year": "years", "years": "years", "month": "months", "months": "months",
    "week": "weeks", "weeks": "weeks", "day": "days", "days": "days", "hour": "hours",
    "hours": "hours", "minute": "minutes", "minutes": "minutes", "decade": "decades",
    "decades": "decades", "times": "times", "fold": "times",
}

# Unit symbols glued to a number (7.62mm, 5kg, 300W, 25°C), matched in any case: the
# symbol in lower case -> the unit as stored. Symbols whose case carries meaning keep
# it (W is a watt, Nm a newton metre, L a litre).
GLUED_UNITS = {
    "ml": "ml", "km": "km", "kg": "kg", "cm": "cm", "mm": "mm", "mg": "mg", "ms": "ms", "m": "m",
    "kw": "kW", "mw": "MW", "gw": "GW", "kwh": "kWh", "mwh": "mwh", "gwh": "gwh",
    "gb": "gb", "mb": "mb", "tb": "tb", "ha": "ha", "sqm": "sqm", "m2": "m2", "km2": "km2",
    "mph": "mph", "kmh": "kmh", "kph": "kph", "fps": "fps", "lb": "lb", "lbs": "lbs", "cc": "cc",
    "ps": "PS", "hp": "hp", "nm": "Nm", "ips": "IPS", "w": "W", "g": "g", "l": "L",
    "°c": "°C", "°f": "°F", "℃": "°C",
}
GLUED_UNIT = re.compile(
    "(" + "|".join(re.escape(u) for u in sorted(GLUED_UNITS, key=len, reverse=True)) + r")(?![A-Za-z\d])",
    re.I,
)

# First characters a classifier can start with (see lex.next_visible).
ZH_CLASSIFIER_FIRST = first_chars(ZH_CLASSIFIERS)
