"""The Acme benchmark company (issue 10), generated at 200 people: its shape, the app's own rules
on it, and that the same seed makes the same company."""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse

from dashboard.acme.context import PASSWORD, ROOT_NAME
from dashboard.acme.progress_part import month_ends
from dashboard.acme.replace import find_root, subtree_ids
from goals import scoring
from goals.models import Direction, KeyResult, Measurement, Milestone, Objective, Period, ScoreKind, ScoreRecord
from goals.objectives.rules import weights_sum_to_100
from goals.scoring.selectors import latest_updates
from org.models import Employee, OrgUnit

PEOPLE = 200
YEAR = 2026


def generate(*args: str) -> None:
    call_command("acme_generate", "--people", str(PEOPLE), "--year", str(YEAR), *args, stdout=_Quiet())


class _Quiet:
    def write(self, *_args, **_kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


def digest() -> str:
    """(username, unit path, objective titles, key-result figures, progress values), ids left out."""
    units = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    names = dict(OrgUnit.objects.values_list("pk", "name"))

    def path(pk):
        parts = []
        while pk is not None:
            parts.append(names[pk])
            pk = units[pk]
        return "/".join(reversed(parts))

    h = hashlib.sha256()
    for username, unit_id in Employee.objects.order_by("user__username").values_list("user__username", "unit_id"):
        h.update(f"{username}:{path(unit_id)}\n".encode())
    objectives = Objective.objects.order_by("pk").values_list("level", "title", "weight", "status", "parent__title")
    for row in objectives:
        h.update(repr(row).encode())
    for row in KeyResult.objects.order_by("pk").values_list("direction", "baseline", "target", "range_low",
                                                             "range_high", "weight", "current_value"):  # fmt: skip
        h.update(repr(row).encode())
    for row in Measurement.objects.order_by("pk").values_list("value", "as_of", "corrects__value"):
        h.update(repr(row).encode())
    return h.hexdigest()


def test_a_generated_company_has_the_issues_shape_and_keeps_the_apps_rules(db, client):
    # given a company of 200 people, generated with its scores
    generate()
    acme = find_root()

    # then (one generation for the three checks: it takes a few seconds)
    _check_shape(acme)
    _check_progress(acme)
    _check_rules(client)


def _check_shape(acme):
    unit_ids = subtree_ids(acme.pk)
    units = OrgUnit.objects.filter(pk__in=unit_ids)
    people = Employee.objects.filter(unit_id__in=unit_ids)
    assert people.count() == PEOPLE
    # the org tree: six levels, every unit headed, 5–12 reports per manager (a small leaf unit may have fewer)
    parents = dict(units.values_list("pk", "parent_id"))

    def depth(pk):
        return 1 if parents[pk] is None else 1 + depth(parents[pk])

    assert max(depth(pk) for pk in unit_ids) == 6
    reports = Counter(people.exclude(manager=None).values_list("manager_id", flat=True))
    assert all(5 <= n <= 12 for n in reports.values()), sorted(reports.values())
    assert people.filter(manager=None).count() == 1
    # objectives: 5 company, 3 per unit, 4 per person, aligned one level up
    company = Objective.objects.filter(level="company", owner_unit=acme)
    assert company.count() == 5
    assert all(o.theme_id for o in company)
    per_unit = Counter(Objective.objects.filter(level="unit").values_list("owner_unit_id", flat=True))
    assert set(per_unit.values()) == {3}
    assert len(per_unit) == len(unit_ids) - 1
    per_person = Counter(Objective.objects.filter(level="person").values_list("owner_employee_id", flat=True))
    assert set(per_person.values()) == {4}
    assert len(per_person) == PEOPLE
    for o in Objective.objects.filter(level="person").select_related("parent", "owner_employee"):
        assert o.parent.owner_unit_id == o.owner_employee.unit_id
    for o in Objective.objects.filter(level="unit").select_related("parent", "owner_unit"):
        assert o.parent.owner_unit_id == o.owner_unit.parent_id
    # three key results each, every direction
    assert set(Counter(KeyResult.objects.values_list("objective_id", flat=True)).values()) == {3}
    assert set(KeyResult.objects.values_list("direction", flat=True)) == set(Direction.values)
    assert Milestone.objects.filter(key_result__direction="milestones").exists()


def _check_progress(acme):
    year = Period.objects.get(kind="year", start__year=YEAR)
    days = month_ends(year.start, year.end)[:11]  # the generated today: the end of the eleventh month
    measured = KeyResult.objects.filter(objective__status="approved").exclude(direction="milestones")
    kr = measured.order_by("pk").first()
    effective = Measurement.objects.filter(key_result=kr, corrected_by__isnull=True)
    assert sorted(effective.values_list("as_of", flat=True)) == days
    assert set(Measurement.objects.values_list("as_of", flat=True)) == set(days)
    corrections = Measurement.objects.filter(corrects__isnull=False)
    assert 0 < corrections.count() < Measurement.objects.count() * 0.05
    assert all(c.corrects.as_of == c.as_of and c.comment for c in corrections[:20])
    assert not Measurement.objects.exclude(key_result__objective__status="approved").exists()
    # month-end snapshots (through the public interface: a person's score history)
    ceo = Employee.objects.get(manager=None, unit=acme)
    history = scoring.score_history("person", ceo.pk, year)
    assert {day for day, _score in history} >= set(days)
    assert scoring.person_score(employee_id=ceo.pk, period_id=year.pk) is not None


def _check_rules(client):
    # weights: an owner's counted objectives and each objective's key results sum to 100
    by_owner: dict[tuple, list[Decimal]] = {}
    for level, person, unit, weight in Objective.objects.values_list("level", "owner_employee", "owner_unit",
                                                                     "weight"):  # fmt: skip
        by_owner.setdefault((level, person, unit), []).append(weight)
    assert all(weights_sum_to_100(ws) for ws in by_owner.values())
    by_objective: dict[int, list[Decimal]] = {}
    for objective_id, weight in KeyResult.objects.values_list("objective_id", "weight"):
        by_objective.setdefault(objective_id, []).append(weight)
    assert all(weights_sum_to_100(ws) for ws in by_objective.values())
    for kr in KeyResult.objects.order_by("pk")[:300]:
        kr.full_clean()  # directions, targets, ranges, stretch
    for o in Objective.objects.order_by("pk")[:300]:
        o.full_clean()
    assert not Objective.objects.filter(status="approved", approved_by=None).exists()
    # a manager in the middle of the tree logs in and the goals pages answer
    manager = Employee.objects.filter(unit__parent__isnull=False, reports__isnull=False).order_by("pk").first()
    assert client.login(username=manager.user.username, password=PASSWORD)
    objective = Objective.objects.filter(owner_employee=manager).first()
    for url in [reverse("goals:my-objectives"), reverse("goals:team-objectives"), reverse("goals:cascade"),
                reverse("goals:objective-detail", args=[objective.pk]),
                reverse("goals:score-person", args=[manager.pk])]:  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_the_cached_figures_are_what_the_roll_up_computes(db):
    generate("--no-scores")
    before = dict(KeyResult.objects.values_list("pk", "achievement"))
    scores = {pk: (s, p) for pk, s, p in Objective.objects.values_list("pk", "score", "progress")}
    assert any(v is not None for v in before.values())

    scoring.recompute_all(period=Period.objects.get(kind="year", start__year=YEAR))

    assert dict(KeyResult.objects.values_list("pk", "achievement")) == before
    assert {pk: (s, p) for pk, s, p in Objective.objects.values_list("pk", "score", "progress")} == scores
    # every key result's latest update, value and date as the progress services would keep them
    read = latest_updates(scope=Q())
    kept = {pk: (update, value, day) for pk, update, value, day in
            KeyResult.objects.values_list("pk", "latest_update_id", "current_value", "last_measured_on")}  # fmt: skip
    assert {pk: read.get(pk, (None, None, None)) for pk in kept} == kept
    assert sum(1 for update, _v, _d in kept.values() if update is not None) > len(kept) / 2


def test_the_same_seed_makes_the_same_company_and_another_seed_another(db):
    generate("--no-scores")
    first = digest()
    scoring.recompute_all()  # score records for the first company's objectives and people
    assert ScoreRecord.objects.filter(kind=ScoreKind.OBJECTIVE).exists()
    with pytest.raises(CommandError, match="--replace"):
        generate("--no-scores")

    generate("--no-scores", "--replace")
    assert digest() == first
    assert OrgUnit.objects.filter(name=ROOT_NAME).count() == 1
    # the replaced company's scores went with it: every score record names a subject that exists
    live = set(Objective.objects.values_list("pk", flat=True))
    recorded = set(ScoreRecord.objects.filter(kind=ScoreKind.OBJECTIVE).values_list("subject_id", flat=True))
    assert recorded <= live

    generate("--no-scores", "--replace", "--seed", "2")
    assert digest() != first
