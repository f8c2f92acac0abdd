"""Models of the strategy side: periods, strategic themes, the KPI library with its reference
ranges, and HR's SMART settings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from org.models import Employee

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
