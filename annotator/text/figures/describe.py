"""A figure's normalised value written for the reviewer who checks it.

The stored value is a float chosen for comparison and export (a date is
Y*10000 + M*100 + D, so 去年11月 reads 1100); shown raw it looks like a wrong
number. These strings are language-neutral: ISO-style dates with "?" for a part
the text does not give, ISO 4217 codes before amounts, the unit after a count.
"""

from __future__ import annotations

import math

_PLAIN_UNITS = {"year"}  # years are never grouped: 2024, not 2,024


def describe_value(
    kind: str | None,
    value: float | None,
    value_max: float | None = None,
    unit: str | None = None,
    currency: str | None = None,
) -> str:
    """"2024-10", "????-06-28", "HKD 38,500", "4.3%", "18,000–23,000 人", "2024–2027";
    empty when there is no value at all."""
    if value is None and value_max is None:
        return ""
    ranged = kind == "range"
    if kind == "date" or unit == "date":
        return _span(_date(value), _date(value_max), " – ", ranged)
    if kind == "year" or unit == "year":
        return _span(_number(value, False), _number(value_max, False), "–", ranged)
    if kind == "ordinal":
        return _ordinal(value, unit)
    number = _span(_number(value), _number(value_max), "–", ranged)
    if unit in ("%", "‰"):
        return _join(currency, number + unit)
    if unit == "pp":
        return _join(currency, number, "pp")
    if kind == "money" or currency:
        return _money(number, unit, currency)
    return _join(number, unit)


def _money(number: str, unit: str | None, currency: str | None) -> str:
    if unit:  # a sub-unit: 50 cent, sen 100,000, 2 satoshi
        return _join(currency, number, unit)
    if not currency:
        return f"{number} (currency not given)"  # a bare $ where several dollars are named
    return _join(currency, number)


def _ordinal(value: float | None, unit: str | None) -> str:
    rank = _number(value, False)
    if unit == "No.":
        return f"No. {rank}"
    return _join(f"#{rank}", unit)


def _date(value: float | None) -> str | None:
    if value is None:
        return None
    v = int(value)
    y, m, d = v // 10000, (v // 100) % 100, v % 100
    year = f"{y:04d}" if y else "????"
    if not m and not d:
        return year
    month = f"{m:02d}" if m else "??"
    return f"{year}-{month}-{d:02d}" if d else f"{year}-{month}"


def _number(v: float | None, grouped: bool = True) -> str | None:
    if v is None:
        return None
    if math.isnan(v) or math.isinf(v):
        return str(v)
    if abs(v) >= 1e15:
        return f"{v:.6g}"
    if v == int(v):
        return f"{int(v):,}" if grouped else str(int(v))
    text = f"{v:,.6f}" if grouped else f"{v:.6f}"
    return text.rstrip("0").rstrip(".")


def _span(low: str | None, high: str | None, dash: str, ranged: bool) -> str:
    """One value, or both ends of a range; a range open at one end shows its bound."""
    if low is None:
        return f"≤ {high}"
    if high is None:
        return f"≥ {low}" if ranged else low
    return low if high == low else f"{low}{dash}{high}"


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)
