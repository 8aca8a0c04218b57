"""Inter-reviewer agreement: pairwise percent agreement and Cohen's kappa, and
Krippendorff's alpha across all reviewers, each linear in the ratings.

A unit is a figure; a reviewer's rating is their own latest decision on it (adjudications
are not ratings). The verdict category is the status: confirmed, corrected or flagged,
and a flag's reason: `flagged:outdated` and `flagged:unsupported` are different verdicts,
as they are for conflict detection (storage.reviews.derive compares the reason), so two
reviewers the conflicts list shows at odds never count as agreeing. `by_reason=False`
leaves the reasons out, for a looser measure: reviewers choose between neighbouring
reasons (wrong_figure / unsupported) far more loosely than between verdicts.

The interval alpha is over the value each reviewer holds to be right: the extracted
value when they confirmed, their corrected value when they corrected (the extracted one
if the correction changed only the unit or kind); flagged figures have no value.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from collections.abc import Iterable, Mapping, Sequence

import numpy as np


@dataclass
class PairAgreement:
    a: str
    b: str
    figures: int  # figures both reviewed
    agreed: int
    percent: float | None
    kappa: float | None


@dataclass
class Agreement:
    dataset: str | None
    reviewers: list[str]
    pairs: list[PairAgreement] = field(default_factory=list)
    units: int = 0  # figures rated by two or more reviewers
    alpha_nominal: float | None = None
    alpha_interval: float | None = None
    interval_units: int = 0
    by_reason: bool = True
    # reviewers who share figures with others but are left out of `pairs` (see compute)
    pair_reviewers_left_out: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def category(state: Mapping, by_reason: bool = True) -> str | None:
    status = state.get("status")
    if status in (None, "unreviewed"):
        return None
    if status == "flagged" and by_reason:
        return f"flagged:{state.get('flag') or 'other'}"
    return status


def accepted_value(state: Mapping, extracted: float | None) -> float | None:
    status = state.get("status")
    if status == "confirmed":
        return extracted
    if status == "corrected":
        v = state.get("value")
        return v if v is not None else extracted
    return None


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
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


# Pairwise statistics are given for the reviewers who rated the most figures rated twice
# or more, at most this many (990 pairs): 4,000 reviewers of one figure made 8 million
# pairs (129 s, 1.5 GB) for a table nobody reads. Alpha is over everyone.
MAX_PAIR_REVIEWERS = 45


def _units(matrix: np.ndarray) -> list[list[float]]:
    """A raters x units matrix (NaN for missing) as each unit's ratings."""
    return [list(col[~np.isnan(col)]) for col in np.asarray(matrix, dtype=float).T]


def nominal_alpha(matrix: np.ndarray) -> float | None:
    """Krippendorff's alpha (nominal) of a raters x units matrix with NaN for missing."""
    return nominal_alpha_of_units(_units(matrix))


def interval_alpha(matrix: np.ndarray) -> float | None:
    """Krippendorff's alpha (interval) of a raters x units matrix with NaN for missing."""
    return interval_alpha_of_units(_units(matrix))


def nominal_alpha_of_units(units: Iterable[Sequence]) -> float | None:
    """Krippendorff's alpha (nominal) from each unit's ratings, through the coincidence
    matrix: o_ck = sum over units of n_uc (n_uk - [c = k]) / (m_u - 1), n_c = sum_k o_ck,
    alpha = 1 - (n - 1) sum_{c != k} o_ck / sum_{c != k} n_c n_k. Linear in the ratings
    (the `krippendorff` package builds a units x values x values array). Units rated
    once are not pairable; None when the pairable ratings show no variation."""
    o: Counter = Counter()
    for ratings in units:
        m = len(ratings)
        if m < 2:
            continue
        counts = Counter(ratings)
        for c, nc in counts.items():
            for k, nk in counts.items():
                o[c, k] += nc * (nk - (c == k)) / (m - 1)
    totals: Counter = Counter()
    for (c, _k), v in o.items():
        totals[c] += v
    if len([c for c, v in totals.items() if v > 0]) < 2:
        return None
    n = sum(totals.values())
    disagree = sum(v for (c, k), v in o.items() if c != k)
    expected = n * n - sum(v * v for v in totals.values())  # sum_{c != k} n_c n_k
    if expected <= 0:
        return None
    value = 1 - (n - 1) * disagree / expected
    return value if math.isfinite(value) else None


def interval_alpha_of_units(units: Iterable[Sequence[float]]) -> float | None:
    """Krippendorff's alpha (interval) in closed form, from each unit's values.

    With the squared difference as metric both disagreements reduce to sums of squares:
    sum over ordered pairs (a - b)^2 = 2 * (m * sum(v^2) - sum(v)^2) for m values, so
    Do = sum_u [2 (m_u S2_u - S1_u^2) / (m_u - 1)] / n and De = 2 (n S2 - S1^2) / (n (n - 1)).
    Sums are taken around each unit's mean (and the overall mean): that keeps precision.
    """
    pairable = [np.asarray(v, dtype=float) for v in units if len(v) >= 2]
    if not pairable:
        return None
    values = np.concatenate(pairable)
    if len(np.unique(values)) < 2:
        return None
    n = float(len(values))
    do = sum(2 * len(v) * float(((v - v.mean()) ** 2).sum()) / (len(v) - 1)
             for v in pairable) / n
    de = 2 * n * float(((values - values.mean()) ** 2).sum()) / (n * (n - 1))
    if de == 0:
        return None
    return float(1 - do / de)


def compute(
    ratings: Mapping[str, Mapping[str, Mapping]],
    extracted: Mapping[str, float | None],
    *,
    dataset: str | None = None,
    by_reason: bool = True,
) -> Agreement:
    """Agreement from `ratings[figure_id][reviewer] = state` and the extracted values.

    Linear in the ratings: alpha from each figure's ratings, and pairwise statistics
    only for reviewers who share a figure, among the MAX_PAIR_REVIEWERS who rated the most
    shared figures (the rest are counted in `pair_reviewers_left_out`)."""
    cats = {u: {r: c for r, s in per.items() if (c := category(s, by_reason))}
            for u, per in ratings.items()}
    reviewers = sorted({r for per in cats.values() for r in per})
    result = Agreement(dataset, reviewers, by_reason=by_reason)
    result.pairs, result.pair_reviewers_left_out = _pairs(cats)
    units = [u for u, per in cats.items() if per]
    result.units = sum(len(cats[u]) >= 2 for u in units)
    if reviewers and units:
        result.alpha_nominal = nominal_alpha_of_units(list(cats[u].values()) for u in units)
        values = [_values(ratings[u], extracted.get(u)) for u in units]
        result.interval_units = sum(len(v) >= 2 for v in values)
        result.alpha_interval = interval_alpha_of_units(values)
    return result


def _values(per: Mapping[str, Mapping], extracted: float | None) -> list[float]:
    out = []
    for state in per.values():
        v = accepted_value(state, extracted) if state else None
        if v is not None and not isinstance(v, bool) and math.isfinite(v):
            out.append(float(v))
    return out


def _pairs(cats: Mapping[str, Mapping[str, str]]) -> tuple[list[PairAgreement], int]:
    """Percent agreement and kappa for each pair of reviewers who rated a figure both,
    among the MAX_PAIR_REVIEWERS reviewers with the most figures rated by two or more;
    and how many reviewers who share a figure with someone were left out."""
    shared: Counter = Counter()
    for per in cats.values():
        if len(per) >= 2:
            shared.update(per.keys())
    ranked = sorted(shared, key=lambda r: (-shared[r], r))
    kept = set(ranked[:MAX_PAIR_REVIEWERS])
    acc: dict[tuple[str, str], list] = {}
    for per in cats.values():
        if len(per) < 2:
            continue
        raters = sorted(r for r in per if r in kept)
        for i, a in enumerate(raters):
            ca = per[a]
            for b in raters[i + 1:]:
                cb = per[b]
                row = acc.get((a, b))
                if row is None:
                    row = acc[a, b] = [0, 0, Counter(), Counter()]
                row[0] += 1
                row[1] += ca == cb
                row[2][ca] += 1
                row[3][cb] += 1
    pairs = []
    for (a, b), (n, agreed, ca, cb) in sorted(acc.items()):
        expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
        kappa = None if math.isclose(expected, 1.0) else (agreed / n - expected) / (1 - expected)
        pairs.append(PairAgreement(a, b, n, agreed, 100.0 * agreed / n, kappa))
    return pairs, max(0, len(ranked) - MAX_PAIR_REVIEWERS)
