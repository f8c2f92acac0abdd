"""Objectives, their key results and milestones, and the action plans under them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from goals.currencies import DEFAULT_CURRENCY, is_currency_code
from goals.models.strategy import WEIGHT_VALIDATORS, Direction, Kpi, Period, StrategicTheme, unit_in_language
from goals.objectives.rules import direction_contradiction
from goals.scoring.engine import LIVE_STATUSES as SCORED_STATUSES
from org.models import Employee, OrgUnit


class ObjectiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Objective.Status.APPROVED)

    def live(self):
        """Objectives whose scores and progress count (in roll-ups, explanations, team pace): approved or closed."""
        return self.filter(status__in=Objective.LIVE_STATUSES)

    def counted(self):
        return self.filter(track=Objective.Track.KPI)


class Objective(BaseModel):
    """What someone — a person or a unit — commits to achieve in a period."""

    class Level(models.TextChoices):
        COMPANY = "company", _("Company")
        UNIT = "unit", _("Unit")
        PERSON = "person", _("Person")

    class Track(models.TextChoices):
        KPI = "kpi", _("Counted (KPI)")
        OKR = "okr", _("Stretch (OKR)")

    class Difficulty(models.IntegerChoices):
        ROUTINE = 1, _("Routine")
        MODERATE = 2, _("Moderate")
        CHALLENGING = 3, _("Challenging")
        STRETCH = 4, _("Very challenging")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned with comment")
        APPROVED = "approved", _("Approved (active)")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # The statuses whose scores and progress count — the scoring rule goals.scoring.engine.LIVE_STATUSES,
    # as Status members. Use Objective.objects.live() in queries and objective.is_live in Python.
    LIVE_STATUSES = tuple(map(Status, SCORED_STATUSES))

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="objectives")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    owner_employee = models.ForeignKey(
        Employee, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT, related_name="objectives"
    )
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owning unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("aligned to objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    theme = models.ForeignKey(
        StrategicTheme,
        verbose_name=_("aligned to theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
    )
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("0"), validators=WEIGHT_VALIDATORS
    )
    contribution_weight = models.DecimalField(
        _("contribution to parent"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=WEIGHT_VALIDATORS,
        help_text=_("How much this objective's score counts in its parent's score (0 = not rolled up)."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    track = models.CharField(_("track"), max_length=5, choices=Track.choices, default=Track.KPI)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MODERATE
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    children_weight = models.DecimalField(
        _("share from aligned objectives (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=WEIGHT_VALIDATORS,
        help_text=_(
            "How much of this objective's score, in percent, comes from the objectives aligned to it (each by its "
            "contribution to parent); the rest comes from its key results."
        ),
    )
    # Derived by goals.scoring.rollup (written with update()/bulk_update() only, never by people).
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False)
    progress = models.DecimalField(_("progress"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False)
    score_updated_at = models.DateTimeField(_("score computed at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["score", "progress", "score_updated_at"])
    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["period__start", "level", "-weight", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="person", owner_employee__isnull=False, owner_unit__isnull=True)
                    | Q(level__in=["unit", "company"], owner_unit__isnull=False, owner_employee__isnull=True)
                ),
                name="goals_objective_owner_matches_level",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="goals_objective_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["period", "owner_employee"], name="goals_obj_period_person"),
            models.Index(fields=["period", "owner_unit"], name="goals_obj_period_unit"),
            # the approval queues read the few objectives waiting for approval, not the whole table
            models.Index(fields=["submitted_at", "id"], condition=Q(status="submitted"), name="goals_obj_submitted"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.level == self.Level.PERSON and self.owner_employee_id is None:
            raise ValidationError({"owner_employee": _("A personal objective needs a person as its owner.")})
        if self.level != self.Level.PERSON and self.owner_unit_id is None:
            raise ValidationError({"owner_unit": _("A company or unit objective needs a unit as its owner.")})
        if self.parent_id and self.theme_id:
            raise ValidationError({"theme": _("Align the objective to a parent objective or to a theme, not both.")})

    @property
    def owner_name(self) -> str:
        return self.owner_employee.name if self.owner_employee_id else self.owner_unit.display_name

    @property
    def is_aligned(self) -> bool:
        return bool(self.parent_id or self.theme_id)

    @property
    def is_editable_by_owner(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_live(self) -> bool:
        """Do its score and progress count (approved or closed)? The in-Python twin of objects.live()."""
        return self.status in self.LIVE_STATUSES


class KeyResult(BaseModel):
    """A measurable target under an objective."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Manual")
        IMPORT = "import", _("Import")
        API = "api", _("API")

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="key_results"
    )
    title = models.CharField(_("title"), max_length=300)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices, default=Direction.HIGHER)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4, null=True, blank=True)
    stretch = models.DecimalField(_("stretch"), max_digits=18, decimal_places=4, null=True, blank=True)
    range_low = models.DecimalField(_("range from"), max_digits=18, decimal_places=4, null=True, blank=True)
    range_high = models.DecimalField(_("range to"), max_digits=18, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=30, blank=True)
    unit_en = models.CharField(
        _("English unit of measure"), max_length=30, blank=True, help_text=_("Shown when the interface is in English.")
    )
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("100"), validators=WEIGHT_VALIDATORS
    )
    kpi = models.ForeignKey(
        Kpi, verbose_name=_("KPI"), null=True, blank=True, on_delete=models.PROTECT, related_name="key_results"
    )
    data_source = models.CharField(_("data source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    # Derived from measurements (the latest effective one); kept for fast lists.
    current_value = models.DecimalField(_("current value"), max_digits=18, decimal_places=4, null=True, blank=True)
    last_measured_on = models.DateField(_("last update"), null=True, blank=True)
    # The update both come from: the roll-ups read these three instead of every key result's updates.
    # No database constraint: updates go only with their key result (and this is rewritten then).
    latest_update = models.ForeignKey(
        "goals.Measurement", verbose_name=_("latest update"), null=True, blank=True, editable=False,
        on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+",
    )  # fmt: skip
    # Derived by goals.scoring.rollup: achievement in percent, 0 … the period's cap.
    achievement = models.DecimalField(
        _("achievement"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=["current_value", "last_measured_on", "latest_update", "achievement"])

    class Meta:
        verbose_name = _("key result")
        verbose_name_plural = _("key results")
        ordering = ["objective", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def unit_display(self) -> str:
        """The unit of measure in the reader's language."""
        return unit_in_language(self.unit, self.unit_en)

    def clean(self):
        super().clean()
        errors = {}
        if self.direction in (Direction.HIGHER, Direction.LOWER) and self.target is None:
            errors["target"] = _("Enter a target value.")
        if self.direction == Direction.RANGE:
            if self.range_low is None or self.range_high is None:
                errors["range_low"] = _("Enter both ends of the range.")
            elif self.range_low > self.range_high:
                errors["range_high"] = _("The end of the range must not be below its start.")
        contradiction = direction_contradiction(self.direction, self.baseline, self.target)
        if contradiction:
            errors["target"] = contradiction
        if self.stretch is not None and self.target is not None and self.baseline is not None:
            up = self.target >= self.baseline
            if (up and self.stretch < self.target) or (not up and self.stretch > self.target):
                errors["stretch"] = _("A stretch value must lie beyond the target.")
        if errors:
            raise ValidationError(errors)


class Milestone(BaseModel):
    """One step of a milestone key result."""

    key_result = models.ForeignKey(
        KeyResult, verbose_name=_("key result"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["key_result", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionPlan(BaseModel):
    """A step towards an objective, with the resources it needs."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")
        CANCELLED = "cancelled", _("Cancelled")

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="action_plans"
    )
    what = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(Employee, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="action_plans")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.TODO)
    budget_amount = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(_("currency"), max_length=3, default="CNY", blank=True)
    people = models.PositiveIntegerField(_("people"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1, null=True, blank=True)
    other_needs = models.TextField(_("other needs"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["objective", "due_date", "pk"]

    def __str__(self) -> str:
        return self.what

    def clean(self):
        """Every writer's rules (the form, the API, the admin): amounts not negative, a real currency."""
        super().clean()
        errors = {}
        if self.budget_amount is not None and self.budget_amount < 0:
            errors["budget_amount"] = _("The budget cannot be negative.")
        if self.hours is not None and self.hours < 0:
            errors["hours"] = _("Hours cannot be negative.")
        code = (self.budget_currency or "").strip().upper() or DEFAULT_CURRENCY
        if is_currency_code(code):
            self.budget_currency = code
        else:
            errors["budget_currency"] = _(
                "%(code)s is not an ISO 4217 currency code. Use a code such as CNY, USD or EUR."
            ) % {"code": code}
        if errors:
            raise ValidationError(errors)
