"""The SMART check, criterion by criterion, with realistic objectives in both languages."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from goals.objectives.rules import (
    FAIL,
    PASS,
    WARN,
    KeyResultInput,
    ObjectiveInput,
    check_achievable,
    check_measurable,
    check_relevant,
    check_specific,
    check_time_bound,
    has_number,
    smart_blocks_submission,
    smart_check,
    vague_words,
)

D = Decimal
Q1 = {"period_start": date(2026, 1, 1), "period_end": date(2026, 3, 31)}
SALES_KR = KeyResultInput("新签合同额", "higher", baseline=D(200), target=D(260))
CSAT_KR = KeyResultInput("Customer satisfaction score", "higher", baseline=D(82), target=D(90))


# --- Specific ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["提高客户满意度", "加强团队建设", "努力完成销售任务", "尽量减少客户投诉", "Improve customer satisfaction",
     "Try to do better on delivery", "Strengthen the team"],
)  # fmt: skip
def test_vague_title_without_anything_measurable_fails(title):
    result = check_specific(ObjectiveInput(title=title))
    assert result.status == FAIL
    assert vague_words(title)[0] in result.reason


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("华东区新签客户 60 家", PASS),
        ("Win 60 new customers in East China", PASS),
        ("Cut the average response time to 15 minutes", PASS),
        ("客户满意度从 82 分提升到 90 分", PASS),  # "提升" alone is vague; the numbers say how much
    ],
)
def test_concrete_titles(title, expected):
    assert check_specific(ObjectiveInput(title=title)).status == expected


def test_vague_title_with_numbers_in_key_results_only_warns():
    result = check_specific(ObjectiveInput(title="提高客户满意度", key_results=(CSAT_KR,)))
    assert result.status == WARN
    assert result.suggestion


def test_vague_word_with_a_number_in_the_title_passes():
    assert check_specific(ObjectiveInput(title="Improve satisfaction to 90 points")).status == PASS


def test_too_short_title_fails():
    assert check_specific(ObjectiveInput(title="销售")).status == FAIL
    assert check_specific(ObjectiveInput(title="Sales")).status == FAIL


def test_whole_words_only_in_english():
    # "betterment" is not "better"; "Moreton" is not "more"
    assert vague_words("Open the Moreton office and the betterment fund") == []


def test_chinese_numerals_count_as_numbers():
    assert has_number("新增十个大客户")
    assert has_number("回款率 95%")
    assert not has_number("加强团队建设")


# --- Measurable -------------------------------------------------------------------------


def test_no_key_result_fails():
    assert check_measurable(ObjectiveInput(title="华东区新签客户 60 家")).status == FAIL


def test_key_result_without_target_fails_and_names_it():
    kr = KeyResultInput("月新增用户", "higher", baseline=D(1000), target=None)
    result = check_measurable(ObjectiveInput(title="用户增长", key_results=(kr,)))
    assert result.status == FAIL
    assert "月新增用户" in result.reason


def test_only_done_not_done_warns():
    kr = KeyResultInput("Launch the partner portal", "done")
    assert check_measurable(ObjectiveInput(title="Launch the portal", key_results=(kr,))).status == WARN


def test_milestones_count_as_measurable():
    kr = KeyResultInput("上线新版 App", "milestones", milestones=3)
    assert check_measurable(ObjectiveInput(title="上线新版 App", key_results=(kr,))).status == PASS


def test_range_needs_both_ends():
    kr = KeyResultInput("Incident rate within band", "range", range_low=D(0), range_high=None)
    assert check_measurable(ObjectiveInput(title="Stable platform", key_results=(kr,))).status == FAIL


# --- Achievable -------------------------------------------------------------------------


def test_target_far_beyond_baseline_fails():
    kr = KeyResultInput("Monthly active users", "higher", baseline=D(10000), target=D(100000))
    assert check_achievable(ObjectiveInput(title="x", key_results=(kr,))).status == FAIL


def test_target_doubling_baseline_warns():
    kr = KeyResultInput("新签客户数", "higher", baseline=D(20), target=D(50))
    assert check_achievable(ObjectiveInput(title="x", key_results=(kr,))).status == WARN


def test_target_equal_to_baseline_warns():
    kr = KeyResultInput("回款率", "higher", baseline=D(95), target=D(95))
    assert check_achievable(ObjectiveInput(title="x", key_results=(kr,))).status == WARN


def test_new_rep_asked_for_a_senior_reps_number_is_flagged():
    # the article: a new rep 5 new customers a month, a senior rep 10 — over a quarter 12–18 for P3
    new_rep = KeyResultInput("新客户数", "higher", baseline=D(0), target=D(30), reference=(D(12), D(18)))
    result = check_achievable(ObjectiveInput(title="x", key_results=(new_rep,)))
    assert result.status == FAIL
    assert "12" in result.reason
    assert "18" in result.reason
    fair = KeyResultInput("新客户数", "higher", baseline=D(0), target=D(15), reference=(D(12), D(18)))
    assert check_achievable(ObjectiveInput(title="x", key_results=(fair,))).status == PASS


def test_too_easy_against_reference_warns():
    kr = KeyResultInput("New customers", "higher", baseline=D(0), target=D(6), reference=(D(24), D(36)))
    assert check_achievable(ObjectiveInput(title="x", key_results=(kr,))).status == WARN


def test_lower_is_better_reference():
    # average response time: the usual range is 15–30 minutes; asking for 5 is far beyond
    kr = KeyResultInput("平均响应时间", "lower", baseline=D(40), target=D(5), reference=(D(15), D(30)))
    assert check_achievable(ObjectiveInput(title="x", key_results=(kr,))).status == FAIL


def test_history_best_is_considered():
    kr = KeyResultInput("Campaign ROI", "higher", baseline=D(3), target=D(5), history_best=D(2))
    assert check_achievable(ObjectiveInput(title="x", key_results=(kr,))).status == WARN


def test_reasonable_targets_pass():
    assert check_achievable(ObjectiveInput(title="x", key_results=(SALES_KR, CSAT_KR))).status == PASS


# --- Relevant ---------------------------------------------------------------------------


def test_unaligned_personal_objective_fails():
    assert check_relevant(ObjectiveInput(title="x", level="person", aligned=False)).status == FAIL


def test_unaligned_company_objective_warns():
    assert check_relevant(ObjectiveInput(title="x", level="company", aligned=False)).status == WARN


def test_aligned_passes():
    assert check_relevant(ObjectiveInput(title="x", level="unit", aligned=True)).status == PASS


# --- Time-bound -------------------------------------------------------------------------


def test_no_due_date_fails_and_suggests_period_end():
    result = check_time_bound(ObjectiveInput(title="x", **Q1))
    assert result.status == FAIL
    assert "2026-03-31" in result.suggestion


def test_due_date_outside_period_fails():
    result = check_time_bound(ObjectiveInput(title="x", due_date=date(2026, 6, 30), **Q1))
    assert result.status == FAIL
    assert "2026-06-30" in result.reason


def test_due_date_inside_period_passes():
    assert check_time_bound(ObjectiveInput(title="x", due_date=date(2026, 3, 31), **Q1)).status == PASS


# --- Whole check ------------------------------------------------------------------------


def test_good_objective_passes_everything():
    obj = ObjectiveInput(
        title="华东区一季度新签合同额 260 万元",
        aligned=True,
        due_date=date(2026, 3, 31),
        key_results=(SALES_KR,),
        **Q1,
    )
    results = smart_check(obj)
    assert [r.status for r in results] == [PASS] * 5
    assert not smart_blocks_submission(results)


def test_failure_blocks_unless_hr_set_warn_only():
    obj = ObjectiveInput(
        title="华东区一季度新签合同额 260 万元", due_date=date(2026, 3, 31), key_results=(SALES_KR,), **Q1
    )
    assert smart_blocks_submission(smart_check(obj))
    relaxed = smart_check(obj, warn_only={"relevant"})
    assert not smart_blocks_submission(relaxed)
    assert next(r for r in relaxed if r.criterion == "relevant").status == WARN


def test_explanations_follow_the_readers_language():
    obj = ObjectiveInput(title="Improve customer satisfaction")
    with translation.override("en"):
        english = smart_check(obj)[0].reason
    assert "vague wording" in english
    with translation.override("zh-hans"):
        chinese = smart_check(obj)[0].reason
        label = smart_check(obj)[0].label
    assert "“improve”" in chinese
    assert "“improve”" in english
    assert chinese != english
    assert label == "具体"
