"""Strategy, objectives, KPIs, key results, progress updates and action plans."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from goals.currencies import DEFAULT_CURRENCY, is_currency_code
from goals.rules import direction_contradiction
from org.models import Employee, OrgUnit

WEIGHT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
CAP_VALIDATORS = [MinValueValidator(Decimal("100")), MaxValueValidator(Decimal("500"))]


def _english() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).startswith("en")


def unit_in_language(unit: str, unit_en: str) -> str:
    """A unit of measure for the reader: the English one in English when there is one (“家” / “customers”)."""
    return unit_en if unit_en and _english() else unit


class Perspective(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    CUSTOMER = "customer", _("Customer")
    INTERNAL_PROCESS = "internal_process", _("Internal process")
    LEARNING_GROWTH = "learning_growth", _("Learning & growth")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    RANGE = "range", _("Stay within a range")
    DONE = "done", _("Done / not done")
    MILESTONES = "milestones", _("Milestones")


class Period(BaseModel):
    """A fiscal year, half, quarter or month. Halves, quarters and months sit under their year."""

    class Kind(models.TextChoices):
        YEAR = "year", _("Year")
        HALF = "half", _("Half")
        QUARTER = "quarter", _("Quarter")
        MONTH = "month", _("Month")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=40)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    parent = models.ForeignKey(
        "self", verbose_name=_("within"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    achievement_cap = models.DecimalField(
        _("achievement cap (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("120"),
        validators=CAP_VALIDATORS,
        help_text=_("The most a key result can score in this period, in percent (at least 100)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        # Calendar order: FY2026, H1, Q1, Jan, Feb, Mar, Q2, Apr, … — by start, the longest first.
        ordering = ["start", "-end", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start"], name="goals_period_unique_kind_start"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="goals_period_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day) -> bool:
        return self.start <= day <= self.end


class StrategicTheme(BaseModel):
    """A strand of company strategy, on one balanced-scorecard perspective."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    perspective = models.CharField(_("perspective"), max_length=20, choices=Perspective.choices)
    owner = models.ForeignKey(
        Employee, verbose_name=_("owning executive"), on_delete=models.PROTECT, related_name="themes"
    )
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="themes")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategic theme")
        verbose_name_plural = _("strategic themes")
        ordering = ["period__start", "perspective", "title"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title_en if self.title_en and _english() else self.title


class KpiQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class Kpi(BaseModel):
    """One version of a defined, reusable indicator in HR's KPI library.

    Changing the definition makes a new version (same code, version + 1); key results keep
    pointing at the version they were set with.
    """

    class Category(models.TextChoices):
        FINANCIAL = "financial", _("Financial")
        NON_FINANCIAL = "non_financial", _("Non-financial")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    definition = models.TextField(_("definition"))
    formula = models.TextField(_("formula in words"), blank=True)
    unit = models.CharField(_("unit of measure"), max_length=30, blank=True)
    unit_en = models.CharField(
        _("English unit of measure"), max_length=30, blank=True, help_text=_("Shown when the interface is in English.")
    )
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices, default=Direction.HIGHER)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    perspective = models.CharField(_("perspective"), max_length=20, choices=Perspective.choices)
    frequency = models.CharField(
        _("default update frequency"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )

    history = HistoricalRecords()
    objects = KpiQuerySet.as_manager()

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="goals_kpi_unique_code_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="goals_kpi_one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.display_name} (v{self.version})"

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and _english() else self.name

    @property
    def unit_display(self) -> str:
        """The unit of measure in the reader's language."""
        return unit_in_language(self.unit, self.unit_en)


class KpiReference(BaseModel):
    """Fair difficulty: the target range HR expects for a KPI at a grade level, per month.

    E.g. new customers: P3 (a new sales rep) 4–6 a month, P5 (senior) 8–12.
    """

    kpi_code = models.CharField(_("KPI code"), max_length=40)
    grade_level = models.CharField(_("grade level"), max_length=20)
    low = models.DecimalField(_("low end of the range"), max_digits=18, decimal_places=4)
    high = models.DecimalField(_("high end of the range"), max_digits=18, decimal_places=4)
    per = models.CharField(
        _("per"),
        max_length=10,
        choices=Period.Kind.choices,
        default=Period.Kind.MONTH,
        help_text=_("The period length the range is stated for."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI reference range")
        verbose_name_plural = _("KPI reference ranges")
        ordering = ["kpi_code", "grade_level"]
        constraints = [
            models.UniqueConstraint(fields=["kpi_code", "grade_level"], name="goals_kpireference_unique_grade"),
            models.CheckConstraint(condition=Q(high__gte=models.F("low")), name="goals_kpireference_high_gte_low"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_code} {self.grade_level}: {self.low}–{self.high}"


class SmartCriterionSetting(BaseModel):
    """HR's choice per SMART criterion: a failure blocks submission, or only warns."""

    class Criterion(models.TextChoices):
        SPECIFIC = "specific", _("Specific")
        MEASURABLE = "measurable", _("Measurable")
        ACHIEVABLE = "achievable", _("Achievable")
        RELEVANT = "relevant", _("Relevant")
        TIME_BOUND = "time_bound", _("Time-bound")

    criterion = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices, unique=True)
    warn_only = models.BooleanField(_("warn only"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SMART criterion setting")
        verbose_name_plural = _("SMART criterion settings")
        ordering = ["criterion"]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {_('warn only') if self.warn_only else _('blocks submission')}"


class ObjectiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Objective.Status.APPROVED)

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
    # Derived by goals.rollup (written with update()/bulk_update() only, never by people).
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
    # Derived by goals.rollup: achievement in percent, 0 … the period's cap.
    achievement = models.DecimalField(
        _("achievement"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=["current_value", "last_measured_on", "achievement"])

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


class IntegrationClient(BaseModel):
    """Another system (CRM, ERP, attendance) allowed to push progress updates with its own token."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    token_prefix = models.CharField(_("token prefix"), max_length=12, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=128)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("integration client")
        verbose_name_plural = _("integration clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.key_result_id}/{filename}"


class Measurement(BaseModel):
    """One recorded value of a key result. Never changed: a correction is a new row."""

    class Confidence(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")

    key_result = models.ForeignKey(
        KeyResult, verbose_name=_("key result"), on_delete=models.CASCADE, related_name="measurements"
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    as_of = models.DateField(_("as of"))
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=KeyResult.Source.choices)
    source_client = models.ForeignKey(
        IntegrationClient,
        verbose_name=_("sent by system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measurements",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.ON_TRACK
    )
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["key_result", "as_of", "pk"]
        indexes = [models.Index(fields=["key_result", "as_of"], name="goals_measurement_kr_asof")]

    def __str__(self) -> str:
        return f"{self.key_result}: {self.value} ({self.as_of})"


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


class ScoreKind(models.TextChoices):
    OBJECTIVE = "objective", _("Objective")
    PERSON = "person", _("Person")
    UNIT = "unit", _("Unit")
    THEME = "theme", _("Strategic theme")


class ScoreRecord(BaseModel):
    """The current score of an objective, a person, a unit or a theme in a period (derived by goals.rollup).

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
    """A subject's score as it stood on one day, for trend charts (derived by goals.rollup)."""

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

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} ({self.period_id}) {self.day}: {self.score}"
