"""Strategy, objectives, KPIs, key results, progress updates, action plans and cached scores.

One module per sub-domain; every model is imported here, so `goals.models.X` is the one way to name it."""

from goals.models.objectives import ActionPlan, KeyResult, Milestone, Objective, ObjectiveQuerySet
from goals.models.progress import IntegrationClient, Measurement, evidence_path
from goals.models.scoring import ScoreCheck, ScoreKind, ScoreRecord, ScoreSnapshot
from goals.models.strategy import (
    CAP_VALIDATORS,
    WEIGHT_VALIDATORS,
    Direction,
    Kpi,
    KpiQuerySet,
    KpiReference,
    Period,
    Perspective,
    SmartCriterionSetting,
    StrategicTheme,
    unit_in_language,
)

__all__ = [
    "CAP_VALIDATORS",
    "WEIGHT_VALIDATORS",
    "ActionPlan",
    "Direction",
    "IntegrationClient",
    "KeyResult",
    "Kpi",
    "KpiQuerySet",
    "KpiReference",
    "Measurement",
    "Milestone",
    "Objective",
    "ObjectiveQuerySet",
    "Period",
    "Perspective",
    "ScoreCheck",
    "ScoreKind",
    "ScoreRecord",
    "ScoreSnapshot",
    "SmartCriterionSetting",
    "StrategicTheme",
    "evidence_path",
    "unit_in_language",
]
