"""goals.scoring.scores_forget: a removed subject's score records and snapshots go, no one else's."""

from decimal import Decimal

import pytest

from goals import scoring
from goals.models import Objective, ScoreKind, ScoreRecord, ScoreSnapshot
from tests.goals.factories import KeyResultFactory, MeasurementFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def _scored(owner):
    objective = ObjectiveFactory(owner_employee=owner, status=Objective.Status.APPROVED)
    kr = KeyResultFactory(objective=objective, target=Decimal("100"))
    MeasurementFactory(key_result=kr, value=Decimal("50"), as_of=objective.period.start)
    return objective


def test_forgetting_a_person_and_their_objective_leaves_the_others_scores(org):
    gone, kept = _scored(org.rep), _scored(org.rep2)
    scoring.recompute_all()
    assert ScoreRecord.objects.filter(kind=ScoreKind.OBJECTIVE, subject_id=gone.pk).exists()

    removed = scoring.scores_forget(
        objective_ids=Objective.objects.filter(pk=gone.pk).values("pk"), employee_ids=[org.rep.pk]
    )

    assert removed > 0
    for model in (ScoreRecord, ScoreSnapshot):
        assert not model.objects.filter(kind=ScoreKind.OBJECTIVE, subject_id=gone.pk).exists()
        assert not model.objects.filter(kind=ScoreKind.PERSON, subject_id=org.rep.pk).exists()
    assert ScoreRecord.objects.filter(kind=ScoreKind.OBJECTIVE, subject_id=kept.pk).exists()
    assert ScoreRecord.objects.filter(kind=ScoreKind.PERSON, subject_id=org.rep2.pk).exists()


def test_forgetting_nothing_removes_nothing(org):
    _scored(org.rep)
    scoring.recompute_all()
    before = ScoreRecord.objects.count()

    assert scoring.scores_forget() == 0
    assert ScoreRecord.objects.count() == before
