"""Inter-reviewer agreement: pairwise percent agreement and Cohen's kappa, and
Krippendorff's alpha across all reviewers.

A unit is a figure; a reviewer's rating is their own latest decision on it (adjudications
are not ratings). The verdict category is the status: confirmed, corrected or flagged.
Flag reasons are left out by default because reviewers choose between neighbouring
reasons (wrong_figure / unsupported) far more loosely than between verdicts; pass
`by_reason=True` to count `flagged:outdated` and `flagged:unsupported` as different
verdicts (the way conflict detection does).

The interval alpha is over the value each reviewer holds to be right: the extracted
value when they confirmed, their corrected value when they corrected (the extracted one
if the correction changed only the unit or kind); flagged figures have no value.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Mapping, Optional, Sequence

import krippendorff
import numpy as np


@dataclass
class PairAgreement:
    a: str
    b: str
    figures: int  # figures both reviewed
    agreed: int
    percent: Optional[float]
    kappa: Optional[float]


@dataclass
class Agreement:
    dataset: Optional[str]
    reviewers: list[str]
    pairs: list[PairAgreement] = field(default_factory=list)
    units: int = 0  # figures rated by two or more reviewers
    alpha_nominal: Optional[float] = None
    alpha_interval: Optional[float] = None
    interval_units: int = 0
    by_reason: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def category(state: Mapping, by_reason: bool = False) -> Optional[str]:
    status = state.get("status")
    if status in (None, "unreviewed"):
        return None
    if status == "flagged" and by_reason:
        return f"flagged:{state.get('flag') or 'other'}"
    return status


def accepted_value(state: Mapping, extracted: Optional[float]) -> Optional[float]:
    status = state.get("status")
    if status == "confirmed":
        return extracted
    if status == "corrected":
        v = state.get("value")
        return v if v is not None else extracted
    return None


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> Optional[float]:
    """Cohen's kappa of two raters over the same items; None when it is undefined
    (both raters used one and the same category for every item, so chance agreement is 1)."""
    if len(a) != len(b):
        raise ValueError("both raters must rate the same items")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def _pairable(matrix: np.ndarray) -> Optional[np.ndarray]:
    """The units rated at least twice, or None when they show no variation at all."""
    data = matrix[:, (~np.isnan(matrix)).sum(axis=0) >= 2]
    if data.shape[1] == 0 or len(np.unique(data[~np.isnan(data)])) < 2:
        return None
    return data


def nominal_alpha(matrix: np.ndarray) -> Optional[float]:
    """Krippendorff's alpha (nominal) of a raters x units matrix with NaN for missing."""
    data = _pairable(matrix)
    if data is None:
        return None
    value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return value if math.isfinite(value) else None


def interval_alpha(matrix: np.ndarray) -> Optional[float]:
    """Krippendorff's alpha (interval) in closed form.

    The `krippendorff` package builds a units x values x values array, and corrected
    values are nearly all distinct (10,000 figures would need over a terabyte). With the
    squared difference as metric both disagreements reduce to sums of squares:
    sum over ordered pairs (a - b)^2 = 2 * (m * sum(v^2) - sum(v)^2) for m values, so
    Do = sum_u [2 (m_u S2_u - S1_u^2) / (m_u - 1)] / n and De = 2 (n S2 - S1^2) / (n (n - 1)).
    """
    data = _pairable(matrix)
    if data is None:
        return None
    present = ~np.isnan(data)
    m = present.sum(axis=0).astype(float)
    v = np.where(present, data, 0.0)
    centred = np.where(present, v - v.sum(axis=0) / m, 0.0)  # centring keeps precision
    within = (centred ** 2).sum(axis=0)  # = S2_u - S1_u^2 / m_u
    n = m.sum()
    do = (2 * m * within / (m - 1)).sum() / n
    values = data[present]
    de = 2 * n * ((values - values.mean()) ** 2).sum() / (n * (n - 1))
    if de == 0:
        return None
    return float(1 - do / de)


def compute(
    ratings: Mapping[str, Mapping[str, Mapping]],
    extracted: Mapping[str, Optional[float]],
    *,
    dataset: Optional[str] = None,
    by_reason: bool = False,
) -> Agreement:
    """Agreement from `ratings[figure_id][reviewer] = state` and the extracted values."""
    cats = {u: {r: c for r, s in per.items() if (c := category(s, by_reason))}
            for u, per in ratings.items()}
    reviewers = sorted({r for per in cats.values() for r in per})
    result = Agreement(dataset, reviewers, by_reason=by_reason)
    for a, b in combinations(reviewers, 2):
        both = [u for u, per in cats.items() if a in per and b in per]
        la, lb = [cats[u][a] for u in both], [cats[u][b] for u in both]
        agreed = sum(x == y for x, y in zip(la, lb))
        result.pairs.append(PairAgreement(
            a, b, len(both), agreed, 100.0 * agreed / len(both) if both else None,
            cohen_kappa(la, lb)))
    units = sorted(u for u, per in cats.items() if per)
    result.units = sum(len(cats[u]) >= 2 for u in units)
    if reviewers and units:
        result.alpha_nominal = nominal_alpha(_nominal_matrix(cats, reviewers, units))
        values = _value_matrix(ratings, extracted, reviewers, units)
        result.interval_units = int(((~np.isnan(values)).sum(axis=0) >= 2).sum())
        result.alpha_interval = interval_alpha(values)
    return result


def _nominal_matrix(cats: Mapping, reviewers: list[str], units: list[str]) -> np.ndarray:
    codes = {c: i for i, c in enumerate(sorted({c for per in cats.values() for c in per.values()}))}
    m = np.full((len(reviewers), len(units)), np.nan)
    for j, u in enumerate(units):
        for i, r in enumerate(reviewers):
            if r in cats[u]:
                m[i, j] = codes[cats[u][r]]
    return m


def _value_matrix(ratings: Mapping, extracted: Mapping, reviewers: list[str],
                  units: list[str]) -> np.ndarray:
    m = np.full((len(reviewers), len(units)), np.nan)
    for j, u in enumerate(units):
        for i, r in enumerate(reviewers):
            state = ratings[u].get(r)
            v = accepted_value(state, extracted.get(u)) if state else None
            if v is not None and math.isfinite(v):
                m[i, j] = v
    return m
