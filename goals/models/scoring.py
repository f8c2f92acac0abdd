"""Cached scores: one record per scored thing, and daily snapshots for the trend lines."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel
from goals.models.strategy import Period


class ScoreKind(models.TextChoices):
    OBJECTIVE = "objective", _("Objective")
    PERSON = "person", _("Person")
    UNIT = "unit", _("Unit")
    THEME = "theme", _("Strategic theme")


class ScoreRecord(BaseModel):
    """The current score of an objective, a person, a unit or a theme in a period (derived by goals.scoring.rollup).

    `subject_id` is the objective's, employee's, unit's or theme's id, by `kind`.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=ScoreKind.choices)
    subject_id = models.PositiveBigIntegerField(_("subject"))
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    progress = models.DecimalField(_("progress"), max_digits=7, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["period", "kind", "subject_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_id", "period"], name="goals_scorerecord_unique_subject"),
        ]
        indexes = [models.Index(fields=["period", "kind"], name="goals_score_period_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} ({self.period_id}): {self.score}"


class ScoreSnapshot(BaseModel):
    """A subject's score as it stood on one day, for trend charts (derived by goals.scoring.rollup)."""

    kind = models.CharField(_("kind"), max_length=10, choices=ScoreKind.choices)
    subject_id = models.PositiveBigIntegerField(_("subject"))
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="score_snapshots"
    )
    day = models.DateField(_("day"))
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    progress = models.DecimalField(_("progress"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")
        ordering = ["kind", "subject_id", "period", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "period", "day"], name="goals_scoresnapshot_unique_day"
            ),
        ]
        indexes = [models.Index(fields=["day", "period"], name="goals_snapshot_day_period")]  # a day's, for roll-ups

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} ({self.period_id}) {self.day}: {self.score}"


class ScoreCheck(BaseModel):
    """What the last full roll-up of a fiscal-year tree verified (derived by goals.scoring.rollup): a
    digest of every input of its scores (periods, objectives, key results and their latest values,
    milestones, themes — and the scoring rules themselves) as it read them, and one of the cached
    scores and of the day's snapshots as it left them. A full roll-up that finds both unchanged has
    nothing to compute."""

    period = models.OneToOneField(
        Period, verbose_name=_("fiscal year"), on_delete=models.CASCADE, related_name="score_check"
    )
    inputs = models.CharField(_("inputs digest"), max_length=64)
    scores = models.CharField(_("scores digest"), max_length=64)
    day = models.DateField(_("day"))
    snapshots = models.CharField(_("snapshots digest"), max_length=64)
    objectives = models.PositiveIntegerField(_("objectives"))

    class Meta:
        verbose_name = _("score check")
        verbose_name_plural = _("score checks")

    def __str__(self) -> str:
        return f"{self.period_id} {self.day}"
