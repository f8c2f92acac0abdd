"""Explanations: every score comes with its items, weights, values, shares and formula, adds up
to the cached score, and is read in a fixed number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goals.models import Milestone, Objective, ScoreKind
from goals.scoring.explain import (
    explain_key_result,
    explain_objective,
    explain_person,
    explain_theme,
    explain_unit,
    hide_unseen,
    score_history,
)
from goals.scoring.rollup import recompute_all
from tests.factories import EmployeeFactory
from tests.goals.factories import KeyResultFactory, MeasurementFactory
from tests.goals.score_fixtures import Cascade, approved, build_cascade, record, this_year

D = Decimal


@pytest.fixture
def cascade(org) -> Cascade:
    return build_cascade(org)


def test_an_objective_explains_its_key_results_and_aligned_objectives(org, cascade):
    # given: the cascade's numbers, rolled up
    c = cascade
    c.record_all(org)
    recompute_all(period=c.year)
    # when
    e = explain_objective(c.unit)
    # then: 50 % from the key result (50), 50 % from the children ((60×75 + 40×50 + 50×50) ÷ 150 = 60)
    assert e.score == 55
    assert e.score == Objective.objects.get(pk=c.unit.pk).score
    assert [(i.kind, i.label, i.weight, i.value) for i in e.items] == [
        ("key_result", "销售中心销售额", D(100), D(50)),
        ("objective", "个人销售额 60 万元", D(60), D(75)),
        ("objective", "个人销售额 60 万元(2)", D(50), D(50)),
        ("objective", "试点新渠道", D(40), D(50)),
    ]
    assert [i.contribution for i in e.items] == [D(25), D(15), D("8.33"), D("6.67")]
    assert sum(i.contribution for i in e.items) == e.score
    assert e.items[0].detail == "actual 400 of target 800 from baseline 0 → 50 %"
    assert e.items[0].url == f"/goals/key-results/{c.unit_kr.pk}/history/"
    assert e.items[1].url == f"/goals/objectives/{c.rep_sales.pk}/"
    assert e.formula.startswith("50 % × (Σ weight × achievement")
    assert any("50 % of this score comes from the objectives aligned to it" in n for n in e.notes)


def test_an_objective_without_a_children_share_lists_only_its_key_results(org, cascade):
    c = cascade
    c.record_all(org)
    Objective.objects.filter(pk=c.unit.pk).update(children_weight=D(0))
    e = explain_objective(c.unit)
    assert e.score == 50
    assert [i.kind for i in e.items] == ["key_result"]
    assert e.formula == "Σ weight × achievement ÷ Σ weight (key results)"
    assert any("3 aligned objectives do not count here" in n for n in e.notes)


def test_missing_data_is_named_in_the_notes(org, cascade):
    c = cascade
    record(c.rep_kr, 30, actor=org.rep.user)
    second = KeyResultFactory(objective=c.rep_sales, title="回款额", weight=D(50))
    Objective.objects.filter(pk=c.rep_sales.pk).update(status=Objective.Status.SUBMITTED)
    e = explain_objective(c.rep_sales)
    assert e.score == 50
    assert [i.contribution for i in e.items] == [D(50), None]
    assert "“回款额” has no progress update yet and is left out." in e.notes
    assert "This objective is not approved yet: its score does not count anywhere yet." in e.notes
    assert second.pk == e.items[1].subject_id


def test_a_key_result_explains_its_latest_update(org, cascade):
    c = cascade
    record(c.rep_kr, D("42.5"), actor=org.rep.user)
    e = explain_key_result(c.rep_kr)
    assert (e.score, e.progress) == (D("70.83"), D("70.83"))
    assert e.items[0].detail == "actual 42.5 of target 60 from baseline 0 → 70.83 %"
    assert e.items[0].kind == "progress_update"
    assert e.formula.startswith("(actual − baseline) ÷ (target − baseline) × 100")


def test_a_key_result_at_the_cap_says_so(org, cascade):
    c = cascade
    record(c.rep_kr, 100, actor=org.rep.user)
    e = explain_key_result(c.rep_kr)
    assert (e.score, e.progress) == (D(120), D(100))
    assert "Achievement stops at the period's cap of 120 %." in e.notes


def test_a_key_result_without_updates(org, cascade):
    e = explain_key_result(cascade.rep_kr)
    assert e.score is None
    assert e.items == []
    assert e.notes == ["No progress update yet: the key result has no score."]


def test_a_milestone_key_result_lists_its_milestones(org):
    objective = approved(owner_employee=org.rep, period=this_year())
    kr = KeyResultFactory(objective=objective, direction="milestones", target=None)
    today = timezone.localdate()
    Milestone.objects.create(key_result=kr, title="立项", due_date=today, done_on=today)
    Milestone.objects.create(key_result=kr, title="上线", due_date=today + timedelta(days=30))
    e = explain_key_result(kr)
    assert e.score == 50
    assert [(i.label, i.value) for i in e.items] == [("立项", D(100)), ("上线", D(0))]
    assert e.items[1].detail.startswith("not done yet, due ")
    assert e.formula == "milestones done ÷ milestones × 100"


def test_a_person_explains_counted_objectives_and_shows_stretch_ones(org, cascade):
    c = cascade
    c.record_all(org)
    recompute_all(period=c.year)
    e = explain_person(org.rep, c.year)
    assert e.score == 75
    assert [(i.label, i.contribution) for i in e.items] == [("个人销售额 60 万元", D(75)), ("试点新渠道", None)]
    assert e.items[1].detail == "stretch (OKR): shown, not counted"
    assert "Stretch (OKR) objectives are shown but do not count in the score." in e.notes
    assert e.formula == "Σ weight × score ÷ Σ weight (counted objectives, approved or closed)"


def test_a_person_without_objectives(org, cascade):
    e = explain_person(org.hr, cascade.year)
    assert e.score is None
    assert e.items == []
    assert "No counted objective is approved for this period yet." in e.notes


def test_a_unit_and_a_theme(org, cascade):
    c = cascade
    c.record_all(org)
    recompute_all(period=c.year)
    unit = explain_unit(org.sales, c.year)
    assert unit.score == 55
    assert [i.label for i in unit.items] == ["销售中心销售额 800 万元"]
    top = explain_unit(org.root, c.year)
    assert top.score == D("52.5")
    theme = explain_theme(c.theme)
    assert theme.score == D("52.5")
    assert theme.items[0].detail == "Company objective of Xinghe Technology, progress 52.5 %"


def test_hidden_objectives_keep_their_numbers_but_not_their_names(org, cascade):
    # given: the unit objective's explanation counts the reps' personal objectives
    c = cascade
    c.record_all(org)
    recompute_all(period=c.year)
    e = explain_objective(c.unit)
    # when: a rep of another team reads it
    seen = hide_unseen(e, actor=org.other_rep.user)
    # then: the numbers stay, the personal objectives' titles and links don't
    assert [i.contribution for i in seen.items] == [i.contribution for i in e.items]
    assert [i.label for i in seen.items[1:]] == ["An objective you may not open"] * 3
    assert all(i.url == "" and i.subject_id is None for i in seen.items[1:])
    # and their manager sees everything
    assert hide_unseen(e, actor=org.lead.user) == e


def test_score_history_lists_the_daily_snapshots(org, cascade):
    c = cascade
    january, february = date(c.year.start.year, 1, 31), date(c.year.start.year, 2, 28)
    record(c.rep_kr, 15, actor=org.rep.user, as_of=january)
    record(c.rep_kr, 30, actor=org.rep.user, as_of=february)
    recompute_all(period=c.year, as_of=february)
    recompute_all(period=c.year, as_of=january)
    history = score_history(ScoreKind.PERSON, org.rep.pk, c.year)
    assert history[:2] == [(january, D(25)), (february, D(50))]
    assert score_history(ScoreKind.PERSON, org.rep2.pk, c.year) == []  # no score: no points


def _person_with(n: int, period):
    person = EmployeeFactory()
    for _ in range(n):
        objective = approved(owner_employee=person, period=period, weight=D(10))
        MeasurementFactory(key_result=KeyResultFactory(objective=objective), value=D(30))
    return person


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_explanations_take_a_fixed_number_of_queries(org):
    period = this_year()
    few, many = _person_with(2, period), _person_with(20, period)
    recompute_all(period=period)
    assert _queries(lambda: explain_person(few, period)) == _queries(lambda: explain_person(many, period))
    # an objective with 2 or 20 key results and aligned children
    parents = []
    for n in (2, 20):
        parent = approved(owner_employee=org.lead, period=period, children_weight=D(50))
        for _ in range(n):
            MeasurementFactory(key_result=KeyResultFactory(objective=parent, weight=D(5)), value=D(10))
            approved(owner_employee=org.rep, period=period, parent=parent, contribution_weight=D(1))
        parents.append(parent)
    small, large = (_queries(lambda p=p: explain_objective(p)) for p in parents)
    assert small == large <= 4
    reader = org.other_rep.user
    hide_unseen(explain_objective(parents[0]), actor=reader)  # the reader's roles are read once, then cached
    seen_small, seen_large = (_queries(lambda p=p: hide_unseen(explain_objective(p), actor=reader)) for p in parents)
    assert seen_small == seen_large
