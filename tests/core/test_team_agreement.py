"""Agreement statistics checked against values worked out by hand (shown in comments)."""

import pytest

from annotator.services import review as svc
from annotator.services import team
from annotator.services.agreement import cohen_kappa, compute
from annotator.storage.db import open_db

from tests.core.factories import figure_ids, make_article

C, R, F = {"status": "confirmed"}, {"status": "corrected"}, {"status": "flagged", "flag": "other"}


def test_kappa_textbook_two_by_two():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    # po = 35/50 = 0.7; A says yes 25 times, B 30: pe = (25*30 + 25*20)/2500 = 0.5
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_kappa_edges():
    assert cohen_kappa(["c", "r"], ["c", "r"]) == pytest.approx(1.0)
    assert cohen_kappa(["c", "r"], ["r", "c"]) == pytest.approx(-1.0)
    assert cohen_kappa(["c", "c"], ["c", "c"]) is None  # chance agreement is 1: undefined
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError):
        cohen_kappa(["c"], [])


def test_three_reviewers_with_missing_ratings_by_hand():
    # u1: A=c B=c C=c; u2: A=c B=r; u3: A=f C=f
    # coincidences: o_cc = 3*2 pairs * 1/(3-1) = 3; o_cr = o_rc = 1; o_ff = 2
    # n_c = 4, n_r = 1, n_f = 2, n = 7
    # Do = 2/7; De = 2*(4*1 + 4*2 + 1*2) / (7*6) = 2/3; alpha = 1 - (2/7)/(2/3) = 4/7
    ratings = {"u1": {"A": C, "B": C, "C": C}, "u2": {"A": C, "B": R}, "u3": {"A": F, "C": F}}
    a = compute(ratings, {})
    assert a.alpha_nominal == pytest.approx(4 / 7)
    assert a.units == 3
    pairs = {(p.a, p.b): p for p in a.pairs}
    assert (pairs["A", "B"].figures, pairs["A", "B"].agreed) == (2, 1)
    assert pairs["A", "B"].percent == pytest.approx(50.0)
    assert (pairs["A", "C"].figures, pairs["A", "C"].percent) == (2, 100.0)
    assert pairs["A", "C"].kappa == pytest.approx(1.0)  # c,f vs c,f
    bc = pairs["B", "C"]
    assert (bc.figures, bc.percent, bc.kappa) == (1, 100.0, None)


def test_undefined_alpha_is_none_not_nan():
    assert compute({"u1": {"A": C, "B": C}}, {}).alpha_nominal is None
    assert compute({"u1": {"A": C}}, {}).alpha_nominal is None
    assert compute({}, {}).pairs == []


@pytest.fixture
def reviewed(tmp_path):
    """Two reviewers on two databases, merged into a third.

    figure  extracted  ana                 ben
    f0      180000     confirmed           confirmed
    f1       60200     confirmed           confirmed
    f2       96400     corrected 96500     confirmed
    f3         200     flagged outdated    flagged wrong_figure
    f4          15     corrected 16        corrected 15.5
    """
    paths = {}
    for name in ("ana", "ben"):
        d = open_db(tmp_path / f"{name}.db")
        aid = make_article(d)
        paths[name] = tmp_path / f"{name}.db"
        f = figure_ids(d, aid)
        if name == "ana":
            plan = [("confirm", {}), ("confirm", {}), ("correct", {"value": 96500}),
                    ("flag", {"reason": "outdated"}), ("correct", {"value": 16})]
        else:
            plan = [("confirm", {}), ("confirm", {}), ("confirm", {}),
                    ("flag", {"reason": "wrong_figure"}), ("correct", {"value": 15.5})]
        for fid, (action, kw) in zip(f, plan):
            svc.review(d, reviewer=name, target_id=fid, action=action, **kw)
        d.close()
    lead = open_db(tmp_path / "lead.db")
    team.merge(lead, paths["ana"])
    team.merge(lead, paths["ben"])
    return lead


def test_agreement_on_merged_databases_by_hand(reviewed):
    a = team.agreement(reviewed, "ds", by_reason=False)
    assert a.reviewers == ["ana", "ben"]
    (p,) = a.pairs
    # verdicts: ana c c r f r / ben c c c f r -> 4 of 5 agree
    assert (p.figures, p.agreed, p.percent) == (5, 4, 80.0)
    # ana: c2 r2 f1; ben: c3 r1 f1; pe = (2*3 + 2*1 + 1*1)/25 = 9/25
    # kappa = (4/5 - 9/25) / (1 - 9/25) = 0.44 / 0.64 = 0.6875
    assert p.kappa == pytest.approx(0.6875)
    # nominal alpha: o_cc = 4, o_cr = o_rc = 1, o_ff = 2, o_rr = 2; n_c 5, n_r 3, n_f 2, n 10
    # Do = 2/10; De = 2*(5*3 + 5*2 + 3*2)/(10*9) = 62/90; alpha = 1 - 180/620 = 22/31
    assert a.alpha_nominal == pytest.approx(22 / 31)
    # interval alpha on accepted values; f3 flagged by both has none:
    # units (180000,180000) (60200,60200) (96500,96400) (16,15.5)
    values = [180000, 180000, 60200, 60200, 96500, 96400, 16, 15.5]
    n = len(values)
    do = 2 * (100 ** 2 + 0.5 ** 2) / n
    de = 2 * (n * sum(v * v for v in values) - sum(values) ** 2) / (n * (n - 1))
    assert a.interval_units == 4
    assert a.alpha_interval == pytest.approx(1 - do / de)


def test_flag_reasons_as_categories(reviewed):
    a = team.agreement(reviewed, "ds", by_reason=True)
    (p,) = a.pairs
    # f3 now disagrees too: 3 of 5; ana: c2 r2 f:outdated1; ben: c3 r1 f:wrong1
    # pe = (2*3 + 2*1 + 0)/25 = 8/25; kappa = (3/5 - 8/25)/(17/25) = 7/17
    assert (p.agreed, p.percent) == (3, 60.0)
    assert p.kappa == pytest.approx(7 / 17)


def test_adjudications_are_not_ratings(reviewed):
    conflict = team.conflicts(reviewed, "ds")[0].figure_id
    team.adjudicate_pick(reviewed, reviewer="lead", target_id=conflict, pick="ana")
    a = team.agreement(reviewed, "ds")
    assert a.reviewers == ["ana", "ben"]


def test_progress_per_reviewer(reviewed):
    rows = {r["reviewer"]: r for r in team.reviewer_progress(reviewed, "ds")}
    assert rows["ana"]["reviewed"] == 5 and rows["ana"]["figures"] == 5
    assert (rows["ana"]["confirmed"], rows["ana"]["corrected"], rows["ana"]["flagged"]) == (2, 2, 1)
    assert (rows["ben"]["confirmed"], rows["ben"]["corrected"]) == (3, 1)
    assert rows["ben"]["percent"] == 100.0


def test_unknown_dataset_is_a_clear_error(reviewed):
    with pytest.raises(svc.ReviewError, match=r"^no dataset named 'nope' \(datasets: ds\)$"):
        team.agreement(reviewed, "nope")


def test_interval_closed_form_matches_the_krippendorff_package():
    import krippendorff
    import numpy as np

    from annotator.services.agreement import interval_alpha

    rng = np.random.default_rng(3)
    for _ in range(20):
        data = rng.integers(0, 12, size=(4, 15)).astype(float)
        data[rng.random(data.shape) < 0.3] = np.nan
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
        assert interval_alpha(data) == pytest.approx(expected)


def test_interval_alpha_scales_to_many_distinct_values():
    import numpy as np

    from annotator.services.agreement import interval_alpha

    truth = np.arange(20000, dtype=float) * 37.5
    data = np.vstack([truth, truth + np.where(np.arange(20000) % 10 == 0, 100.0, 0.0)])
    assert 0.99 < interval_alpha(data) < 1.0


def test_nominal_alpha_from_the_coincidence_matrix_matches_the_krippendorff_package():
    import krippendorff
    import numpy as np

    from annotator.services.agreement import nominal_alpha

    rng = np.random.default_rng(5)
    for _ in range(30):
        data = rng.integers(0, 4, size=(5, 12)).astype(float)
        data[rng.random(data.shape) < 0.4] = np.nan
        try:
            expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        except ValueError:  # the package refuses data with one value only
            expected = None
        got = nominal_alpha(data)
        if expected is None or not np.isfinite(expected):
            assert got is None
        else:
            assert got == pytest.approx(expected)


def test_pairs_only_for_reviewers_who_share_figures():
    ratings = {"u1": {"A": C, "B": C}, "u2": {"C": R, "D": R}, "u3": {"A": F}}
    a = compute(ratings, {})
    assert [(p.a, p.b, p.figures) for p in a.pairs] == [("A", "B", 1), ("C", "D", 1)]
    assert a.pair_reviewers_left_out == 0


def test_thousands_of_reviewers_on_one_figure_give_a_bounded_pair_table():
    from annotator.services.agreement import MAX_PAIR_REVIEWERS

    names = [f"r{i:04d}" for i in range(3000)]
    ratings = {"u1": {n: (R if i % 5 == 0 else C) for i, n in enumerate(names)},
               "u2": {n: C for n in names[:10]}}
    a = compute(ratings, {"u1": 1.0, "u2": 2.0})
    assert len(a.reviewers) == 3000 and a.units == 2
    assert len(a.pairs) == MAX_PAIR_REVIEWERS * (MAX_PAIR_REVIEWERS - 1) // 2
    assert a.pair_reviewers_left_out == 3000 - MAX_PAIR_REVIEWERS
    # the ten who rated both figures come first
    assert {p.a for p in a.pairs if p.figures == 2} <= set(names[:10])
    # by the coincidence matrix: u1 has 600 R and 2400 C, u2 10 C
    # o_RC = o_CR = 600 * 2400 / 2999; n_R = 600, n_C = 2410, n = 3010
    o_rc = 600 * 2400 / 2999
    expected = 1 - (3010 - 1) * 2 * o_rc / (2 * 600 * 2410)
    assert a.alpha_nominal == pytest.approx(expected)
