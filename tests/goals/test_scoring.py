"""The scoring arithmetic (pure): key-result achievement per direction, objective, person, unit
and theme roll-ups, explanations' words. No database."""

from decimal import Decimal

import pytest

from goals.scoring.engine import (
    DEFAULT_CAP,
    KeyResultFigures,
    Part,
    achievement,
    counts_for_alignment,
    counts_for_owner,
    key_result_detail,
    key_result_formula,
    number,
    objective_formula,
    objective_score,
    person_score,
    progress,
    progress_of,
    round_score,
    theme_score,
    unit_score,
    weighted_mean,
)

D = Decimal


def higher(baseline="0", target="60", stretch=None):
    return KeyResultFigures(
        "higher", D(baseline) if baseline is not None else None, D(target), D(stretch) if stretch else None
    )


def lower(baseline="30", target="15", stretch=None):
    return KeyResultFigures(
        "lower", D(baseline) if baseline is not None else None, D(target), D(stretch) if stretch else None
    )


# --- rounding --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [("70.834", "70.83"), ("70.835", "70.84"), ("-0.005", "-0.01"), ("100", "100.00"), ("0.004", "0.00")],
)
def test_scores_round_half_up_to_two_decimals(raw, rounded):
    assert round_score(D(raw)) == D(rounded)


# --- higher is better -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("0", "0"), ("42.5", "70.83"), ("60", "100"), ("66", "110"), ("72", "120"), ("90", "120"), ("-10", "0")],
)
def test_higher_is_better_runs_from_baseline_to_target_and_stops_at_the_cap(actual, expected):
    assert achievement(higher(), D(actual)) == D(expected)


def test_higher_with_a_baseline_counts_only_the_way_from_it():
    # given: from 45 000 to 100 000 active users
    kr = higher(baseline="45000", target="100000")
    assert achievement(kr, D("45000")) == 0
    assert achievement(kr, D("72500")) == 50
    assert achievement(kr, D("40000")) == 0  # below the baseline: nothing, not negative


def test_higher_without_a_baseline_starts_at_zero():
    assert achievement(higher(baseline=None, target="80"), D("20")) == 25


def test_negative_values_work_both_ways():
    # a loss of 10 to a profit of 10
    assert achievement(higher(baseline="-10", target="10"), D("0")) == 50
    assert achievement(higher(baseline="-10", target="10"), D("-20")) == 0
    # a deficit from -50 down to -20 (higher is better, all negative)
    assert achievement(higher(baseline="-50", target="-20"), D("-35")) == 50


def test_stretch_value_is_where_the_cap_is_reached():
    kr = higher(target="60", stretch="80")
    assert achievement(kr, D("60")) == 100
    assert achievement(kr, D("70")) == 110  # half way to the stretch: half way from 100 to 120
    assert achievement(kr, D("80")) == 120
    assert achievement(kr, D("100")) == 120
    assert achievement(kr, D("30")) == 50  # below the target the stretch changes nothing


def test_stretch_follows_the_periods_cap():
    kr = higher(target="60", stretch="80")
    assert achievement(kr, D("70"), cap=D("150")) == 125
    assert achievement(kr, D("80"), cap=D("150")) == 150


@pytest.mark.parametrize(("cap", "expected"), [("100", "100"), ("120", "120"), ("150", "150"), ("200", "200")])
def test_the_cap_comes_from_the_period(cap, expected):
    assert achievement(higher(target="60"), D("300"), cap=D(cap)) == D(expected)


def test_default_cap_is_120():
    assert DEFAULT_CAP == 120
    assert achievement(higher(), D("1000")) == 120


def test_target_equal_to_baseline_is_all_or_nothing():
    kr = higher(baseline="50", target="50")
    assert achievement(kr, D("50")) == 100
    assert achievement(kr, D("51")) == 100
    assert achievement(kr, D("49")) == 0


# --- lower is better --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"), [("30", "0"), ("22.5", "50"), ("15", "100"), ("12", "120"), ("5", "120"), ("40", "0")]
)
def test_lower_is_better_runs_down_from_baseline_to_target(actual, expected):
    assert achievement(lower(), D(actual)) == D(expected)


def test_lower_with_stretch():
    kr = lower(baseline="8", target="3", stretch="1")
    assert achievement(kr, D("3")) == 100
    assert achievement(kr, D("2")) == 110
    assert achievement(kr, D("1")) == 120
    assert achievement(kr, D("0")) == 120


def test_lower_without_baseline_counts_twice_the_target_as_nothing():
    kr = lower(baseline=None, target="10")
    assert achievement(kr, D("20")) == 0
    assert achievement(kr, D("15")) == 50
    assert achievement(kr, D("10")) == 100


def test_lower_without_baseline_and_a_target_of_zero_or_below():
    assert achievement(lower(baseline=None, target="0"), D("0")) == 100
    assert achievement(lower(baseline=None, target="0"), D("1")) == 0
    assert achievement(lower(baseline=None, target="-5"), D("-4.5")) == 50


def test_lower_target_equal_to_baseline_means_at_most_the_target():
    kr = lower(baseline="3", target="3")
    assert achievement(kr, D("3")) == 100
    assert achievement(kr, D("2")) == 100
    assert achievement(kr, D("4")) == 0


def test_lower_with_negative_values():
    # a temperature from -10 down to -20 degrees
    assert achievement(lower(baseline="-10", target="-20"), D("-15")) == 50


# --- range, done, milestones ------------------------------------------------------------


def rng(low="95", high="105"):
    return KeyResultFigures("range", range_low=D(low), range_high=D(high))


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("95", "100"), ("100", "100"), ("105", "100"), ("90", "50"), ("110", "50"), ("85", "0"), ("200", "0")],
)
def test_range_is_full_inside_and_falls_off_by_its_width(actual, expected):
    assert achievement(rng(), D(actual)) == D(expected)


def test_range_of_zero_width():
    assert achievement(rng("5", "5"), D("5")) == 100
    assert achievement(rng("5", "5"), D("5.1")) == 0


def test_range_never_passes_100_even_with_a_high_cap():
    assert achievement(rng(), D("100"), cap=D("200")) == 100


def test_range_without_its_ends_has_no_score():
    assert achievement(KeyResultFigures("range", range_low=D("1")), D("1")) is None


@pytest.mark.parametrize(("actual", "expected"), [("1", "100"), ("0", "0"), ("2", "100"), ("0.5", "0")])
def test_done_is_all_or_nothing(actual, expected):
    assert achievement(KeyResultFigures("done"), D(actual)) == D(expected)


def test_milestones_count_the_share_done_and_ignore_the_value():
    kr = KeyResultFigures("milestones", milestones_total=3, milestones_done=1)
    assert achievement(kr, None) == D("33.33")
    assert achievement(kr, D("999")) == D("33.33")
    assert achievement(KeyResultFigures("milestones", milestones_total=4, milestones_done=4), None) == 100


def test_milestones_without_any_have_no_score():
    assert achievement(KeyResultFigures("milestones"), None) is None


def test_milestones_done_beyond_the_total_stay_at_100():
    assert achievement(KeyResultFigures("milestones", milestones_total=2, milestones_done=5), None) == 100


# --- missing data -----------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["higher", "lower", "range", "done"])
def test_no_value_means_no_score(direction):
    kr = KeyResultFigures(direction, D("0"), D("10"), range_low=D("1"), range_high=D("2"))
    assert achievement(kr, None) is None


@pytest.mark.parametrize("direction", ["higher", "lower"])
def test_no_target_means_no_score(direction):
    assert achievement(KeyResultFigures(direction, baseline=D("1")), D("5")) is None


def test_progress_is_achievement_capped_at_100():
    assert progress(higher(), D("90")) == 100
    assert progress(higher(target="60", stretch="80"), D("70")) == 100
    assert progress(higher(), D("30")) == 50
    assert progress_of(D("118")) == 100
    assert progress_of(D("50")) == 50
    assert progress_of(None) is None


# --- objectives -------------------------------------------------------------------------


def part(weight, score, progress=None, counted=True):
    score = None if score is None else D(score)
    prog = progress_of(score) if progress is None else D(progress)
    return Part(D(weight), score, prog, counted=counted)


def test_objective_score_is_the_weighted_mean_of_its_key_results():
    result = objective_score([part(60, "80"), part(40, "50")], [], D("0"))
    assert result.score == 68
    assert result.contributions == (D("48.00"), D("20.00"))
    assert sum(result.contributions) == result.score


def test_objective_progress_uses_the_capped_values():
    result = objective_score([part(50, "120"), part(50, "60")], [], D("0"))
    assert result.score == 90
    assert result.progress == 80


def test_key_results_without_data_are_left_out_and_the_rest_reweighted():
    result = objective_score([part(60, "80"), part(40, None)], [], D("0"))
    assert result.score == 80
    assert result.contributions == (D("80.00"), None)


def test_no_data_at_all_means_no_score():
    result = objective_score([part(60, None), part(40, None)], [], D("0"))
    assert result.score is None
    assert result.progress is None
    assert objective_score([], [], D("50")).score is None


def test_zero_weights_do_not_count():
    assert objective_score([part(0, "80"), part(100, "50")], [], D("0")).score == 50
    assert objective_score([part(0, "80"), part(0, "50")], [], D("0")).score is None


def test_children_share_blends_key_results_and_aligned_objectives():
    # given: key results at 80, children at 60 (weights 30) and 100 (weights 10) → children mean 70
    krs = [part(100, "80")]
    children = [part(30, "60"), part(10, "100")]
    result = objective_score(krs, children, D("25"))
    # then: 75 % × 80 + 25 % × 70
    assert result.score == D("77.50")
    assert result.contributions == (D("60.00"), D("11.25"), D("6.25"))
    assert sum(result.contributions) == result.score


def test_children_ignored_when_their_share_is_zero():
    result = objective_score([part(100, "80")], [part(100, "20")], D("0"))
    assert result.score == 80
    assert result.contributions == (D("80.00"), None)


def test_children_share_of_100_uses_only_children():
    assert objective_score([part(100, "80")], [part(1, "20")], D("100")).score == 20


def test_a_part_without_data_gives_way_to_the_other():
    # children share set but no child has a score: the key results count in full
    assert objective_score([part(100, "80")], [part(50, None)], D("40")).score == 80
    # no key result data: the children count in full
    assert objective_score([part(100, None)], [part(50, "30")], D("40")).score == 30
    # no key results at all, children only
    assert objective_score([], [part(50, "30")], D("40")).score == 30


def test_children_with_contribution_weight_zero_do_not_roll_up():
    assert objective_score([part(100, "80")], [part(0, "10")], D("50")).score == 80


def test_children_not_counted_are_left_out():
    result = objective_score([part(100, "80")], [part(50, "10", counted=False), part(50, "40")], D("50"))
    assert result.score == 60


# --- people, units, themes -------------------------------------------------------------------


def test_person_score_over_counted_objectives_only():
    items = [part(60, "90"), part(40, "40"), part(0, "120", counted=False)]
    result = person_score(items)
    assert result.score == 70
    assert result.contributions == (D("54.00"), D("16.00"), None)


def test_person_score_reweights_objectives_without_data():
    assert person_score([part(60, None), part(40, "40")]).score == 40


def test_person_without_counted_objectives_has_no_score():
    assert person_score([part(100, "80", counted=False)]).score is None
    assert person_score([]).score is None


def test_unit_score_is_the_weighted_mean_of_its_objectives():
    assert unit_score([part(70, "100"), part(30, "50")]).score == 85


def test_theme_score_by_weight():
    assert theme_score([part(40, "100"), part(20, "40")]).score == 80


def test_theme_score_with_every_weight_zero_counts_each_equally():
    result = theme_score([part(0, "100"), part(0, "40")])
    assert result.score == 70
    assert result.contributions == (D("50.00"), D("20.00"))


def test_weighted_mean_keeps_its_old_behaviour():
    assert weighted_mean([(D(60), D(80)), (D(40), None)]) == 80
    assert weighted_mean([(D(0), D(80))]) is None
    assert weighted_mean([]) is None


@pytest.mark.parametrize(
    ("track", "status", "counted"),
    [
        ("kpi", "approved", True),
        ("kpi", "closed", True),
        ("okr", "approved", False),
        ("kpi", "draft", False),
        ("kpi", "submitted", False),
        ("kpi", "returned", False),
        ("kpi", "cancelled", False),
    ],
)
def test_what_counts_for_an_owner(track, status, counted):
    assert counts_for_owner(track=track, status=status) is counted


@pytest.mark.parametrize(("status", "counted"), [("approved", True), ("closed", True), ("cancelled", False)])
def test_what_rolls_up_through_alignment(status, counted):
    assert counts_for_alignment(status=status) is counted


# --- words --------------------------------------------------------------------------


def test_numbers_without_trailing_zeros():
    assert number(D("60.0000")) == "60"
    assert number(D("42.50")) == "42.5"
    assert number(D("-0.00")) == "0"
    assert number(None) == "—"


def test_key_result_detail_states_the_numbers():
    kr = higher(target="60")
    assert key_result_detail(kr, D("42.5"), achievement(kr, D("42.5"))) == (
        "actual 42.5 of target 60 from baseline 0 → 70.83 %"
    )
    assert key_result_detail(kr, None, None) == "no progress update yet"
    ms = KeyResultFigures("milestones", milestones_total=4, milestones_done=1)
    assert key_result_detail(ms, None, D("25")) == "1 of 4 milestones done → 25 %"
    assert key_result_detail(rng(), D("90"), D("50")) == "actual 90, range 95–105 → 50 %"
    assert key_result_detail(KeyResultFigures("done"), D("1"), D("100")) == "done → 100 %"


def test_formulas_in_words():
    assert "cap of 150 %" in key_result_formula(higher(), cap=D("150"))
    assert "stretch value 80" in key_result_formula(higher(stretch="80"), cap=D("120"))
    assert objective_formula(children_weight=D("0"), kr_share=D(1), child_share=D(0)).startswith("Σ weight")
    mixed = objective_formula(children_weight=D("25"), kr_share=D("0.75"), child_share=D("0.25"))
    assert mixed.startswith("75 % ×")
    assert "25 % ×" in mixed
