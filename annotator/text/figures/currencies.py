"""Currencies: the words and signs that make a number an amount of money, with the
ISO 4217 code each stands for. How they attach to a number (which side, scales
between, sub-units, a bare 元 by region) is read in money.py and region.py.

A new currency is a row of the table its form belongs to and a test in
tests/core/test_figures_money.py (Traditional forms fold to the Simplified row):
- written before the number (US$5, HK$ 38,500, RM20, 人民币300): PREFIX_CURRENCIES;
- an English word or code after it (45 billion Hong Kong dollars, 42 MYR):
  EN_SUFFIX_CURRENCIES; a sub-unit (50 cents, 20 pence): EN_SUBUNITS;
- a Chinese word after it (5.5万港元, 300新台币): ZH_SUFFIX_CURRENCIES.
Keys are lower case; "$" and "¥" stay ambiguous here and are settled by the article.
"""

from __future__ import annotations

import re

from annotator.text.figures.lex import alternation, first_chars


PREFIX_CURRENCIES = {
    "us$": "USD", "u.s.$": "USD", "u.s $": "USD", "us $": "USD", "usd$": "USD",
    "hk$": "HKD", "hk $": "HKD", "hkd$": "HKD", "c$": "CAD", "c $": "CAD", "cad$": "CAD",
    "a$": "AUD", "aud$": "AUD", "s$": "SGD", "nt$": "TWD", "nz$": "NZD",
    "nzd$": "NZD", "mex$": "MXN", "mxn$": "MXN", "r$": "BRL", "rmb": "CNY", "rmb$": "CNY",
    "$": "$", "£": "GBP", "€": "EUR", "¥": "¥", "₹": "INR", "₩": "KRW", "₽": "RUB",
    "₿": "XBT", "mop$": "MOP", "mop": "MOP",
    "usd": "USD", "hkd": "HKD", "cny": "CNY", "eur": "EUR", "gbp": "GBP", "jpy": "JPY",
    "aud": "AUD", "cad": "CAD", "sgd": "SGD", "twd": "TWD", "chf": "CHF", "krw": "KRW",
    "inr": "INR", "nzd": "NZD", "myr": "MYR", "thb": "THB", "mxn": "MXN",
    "人民币": "CNY", "港币": "HKD", "港元": "HKD", "美元": "USD",
    "sek": "SEK", "nok": "NOK", "dkk": "DKK", "zar": "ZAR", "brl": "BRL", "idr": "IDR",
    "vnd": "VND", "pkr": "PKR", "lkr": "LKR", "pln": "PLN", "czk": "CZK", "huf": "HUF",
    "aed": "AED", "ngn": "NGN", "kes": "KES", "egp": "EGP",
    # Tamil "ரூ" (rupee): Sri Lanka writes it for LKR; Indian Tamil text uses ₹.
    "ரூ": "LKR",
}
EN_SUFFIX_CURRENCIES = {
    "hong kong dollars": "HKD", "hong kong dollar": "HKD", "hk dollars": "HKD",
    "us dollars": "USD", "us dollar": "USD", "u.s. dollars": "USD", "american dollars": "USD",
    "australian dollars": "AUD", "canadian dollars": "CAD", "singapore dollars": "SGD",
    "new taiwan dollars": "TWD", "taiwan dollars": "TWD", "new zealand dollars": "NZD",
    "dollars": "$", "dollar": "$", "usd": "USD", "hkd": "HKD", "rmb": "CNY", "cny": "CNY",
    "yuan": "CNY", "renminbi": "CNY", "chinese yuan": "CNY", "euros": "EUR", "euro": "EUR",
    "eur": "EUR", "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP", "gbp": "GBP",
    "sterling": "GBP", "yen": "JPY", "jpy": "JPY", "swiss francs": "CHF", "francs": "FRF",
    "won": "KRW", "rupees": "INR", "rupee": "INR", "ringgit": "MYR", "baht": "THB",
    "pesos": "MXN", "pesetas": "ESP", "finnish markka": "FIM", "markka": "FIM",
    "dutch guilders": "NLG", "guilders": "NLG", "turkish lira": "TRY", "lira": "TRY",
    "naira": "NGN", "patacas": "MOP", "bitcoins": "XBT", "bitcoin": "XBT", "btc": "XBT",
    "australian dollar": "AUD", "canadian dollar": "CAD", "aud": "AUD", "cad": "CAD",
    "sgd": "SGD", "chf": "CHF", "twd": "TWD", "€": "EUR", "$": "$", "₡": "CRC",
    "₾": "GEL", "₭": "LAK", "£": "GBP", "¥": "¥", "₹": "INR", "₩": "KRW", "₽": "RUB",
    "ரூ": "LKR", "kuai": "CNY", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "zar": "ZAR",
    "brl": "BRL", "idr": "IDR", "vnd": "VND", "pkr": "PKR", "lkr": "LKR", "pln": "PLN",
    "czk": "CZK", "huf": "HUF", "aed": "AED", "inr": "INR", "krw": "KRW", "nzd": "NZD",
}
# Sub-units: the value stays in the sub-unit (50 cents -> 50, unit "cent").
EN_SUBUNITS = {
    "us cents": "cent", "u.s. cents": "cent", "euro cents": "cent",
    "cents": "cent", "cent": "cent", "pence": "pence", "penny": "pence",
    "satoshis": "satoshi", "satoshi": "satoshi", "sen": "sen",
}
# a sub-unit that names its currency: 5 US cents is USD 0.05 written in cents
EN_SUBUNIT_CURRENCIES = {"us cents": "USD", "u.s. cents": "USD", "euro cents": "EUR"}
ZH_SUFFIX_CURRENCIES = {
    "元人民币": "CNY", "人民币": "CNY", "元": "CNY", "块钱": "CNY", "美元": "USD", "美金": "USD",
    "美圆": "USD", "港元": "HKD", "港币": "HKD", "港纸": "HKD", "日元": "JPY", "日圆": "JPY",
    "欧元": "EUR", "英镑": "GBP", "新台币": "TWD", "台币": "TWD", "澳元": "AUD", "澳币": "AUD",
    "加元": "CAD", "加币": "CAD", "韩元": "KRW", "卢布": "RUB", "瑞士法郎": "CHF",
    "法郎": "CHF", "澳门元": "MOP", "澳门币": "MOP", "新加坡元": "SGD", "新元": "SGD",
    "泰铢": "THB", "卢比": "INR", "奈拉": "NGN", "林吉特": "MYR", "比特币": "XBT",
    "个比特币": "XBT", "美分": "USD-cent",
}

PREFIX_CUR_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(" + alternation(k for k in PREFIX_CURRENCIES if k[0].isalpha())
    + r")|(" + alternation(k for k in PREFIX_CURRENCIES if not k[0].isalpha()) + r"))\s*$",
    re.I,
)
# A currency glued to the next number ("3 USD50") opens that amount. "sen" only in
# lower case: "Sen." is a senator.
EN_CUR_AFTER = re.compile(
    r"(?:\s*|-)(" + alternation(EN_SUFFIX_CURRENCIES) + r"|"
    + alternation(k for k in EN_SUBUNITS if k != "sen") + r"|(?-i:sen))(?![A-Za-z\d])",
    re.I,
)
ZH_CUR_AFTER = re.compile(r"\s*(" + alternation(ZH_SUFFIX_CURRENCIES) + r")")

# First characters a currency after a number can start with (see lex.next_visible).
ZH_CUR_FIRST = first_chars(ZH_SUFFIX_CURRENCIES)
EN_CUR_FIRST = first_chars(list(EN_SUFFIX_CURRENCIES) + list(EN_SUBUNITS)) | {"-"}
