"""Periods, strategic themes, the KPI library, reference ranges and SMART settings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from goals.models import Kpi, KpiReference, Period, SmartCriterionSetting, StrategicTheme
from goals.strategy.rules import fiscal_year_periods
from org.models import Employee, User

# A change to any of these makes a new KPI version; key results keep the version they used.
KPI_DEFINITION_FIELDS = {"definition", "formula", "unit", "direction", "category", "perspective"}
KPI_FIELDS = KPI_DEFINITION_FIELDS | {"name", "name_en", "unit_en", "frequency"}


@transaction.atomic
def period_ensure_fiscal_year(*, year: int, first_month: int | None = None) -> list[Period]:
    """Create (or keep) the fiscal year's periods: the year, halves, quarters and months."""
    first_month = first_month or settings.STRIDE_FISCAL_YEAR_START_MONTH
    by_name: dict[str, Period] = {}
    for spec in fiscal_year_periods(year, first_month):
        period, _ = Period.objects.get_or_create(
            kind=spec.kind,
            start=spec.start,
            defaults={"name": spec.name, "end": spec.end, "parent": by_name.get(spec.parent_name or "")},
        )
        by_name[spec.name] = period
    return list(by_name.values())


@transaction.atomic
def theme_create(
    *, actor: User, title: str, perspective: str, owner: Employee, period: Period, description: str = "",
    title_en: str = "",
) -> StrategicTheme:  # fmt: skip
    theme = StrategicTheme(
        title=title, title_en=title_en, description=description, perspective=perspective, owner=owner, period=period
    )
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_update(*, theme: StrategicTheme, actor: User, **fields) -> StrategicTheme:
    theme = StrategicTheme.objects.select_for_update().get(pk=theme.pk)
    for name, value in fields.items():
        setattr(theme, name, value)
    theme.full_clean()
    theme.save(update_fields=[*fields, "updated_at"])
    return theme


@transaction.atomic
def kpi_create(*, actor: User, code: str, name: str, definition: str, category: str, perspective: str, **fields) -> Kpi:
    code = code.strip()
    if code.lower() == "new":
        raise ValidationError({"code": [_("“new” is reserved; choose another code.")]})
    if Kpi.objects.filter(code__iexact=code).exists():
        raise ValidationError(
            {"code": [_("A KPI with the code %(code)s already exists. Choose another code.") % {"code": code}]}
        )
    kpi = Kpi(code=code, name=name, definition=definition, category=category, perspective=perspective, **fields)
    kpi.full_clean()
    kpi.save()
    return kpi


@transaction.atomic
def kpi_update(*, kpi: Kpi, actor: User, **fields) -> Kpi:
    """Change a KPI. A changed definition becomes a new version (same code, version + 1)."""
    unknown = set(fields) - KPI_FIELDS
    if unknown:
        raise TypeError(f"kpi_update() got unknown fields: {sorted(unknown)}")
    kpi = Kpi.objects.select_for_update().get(pk=kpi.pk)
    changed = {name: value for name, value in fields.items() if getattr(kpi, name) != value}
    if not changed:
        return kpi
    if not (set(changed) & KPI_DEFINITION_FIELDS):
        for name, value in changed.items():
            setattr(kpi, name, value)
        kpi.full_clean()
        kpi.save(update_fields=[*changed, "updated_at"])
        return kpi
    latest = Kpi.objects.filter(code=kpi.code).order_by("-version").first()
    current = Kpi.objects.select_for_update().get(code=kpi.code, is_current=True)
    current.is_current = False
    current.save(update_fields=["is_current", "updated_at"])
    values = {name: getattr(current, name) for name in KPI_FIELDS} | changed
    new = Kpi(code=kpi.code, version=latest.version + 1, is_current=True, **values)
    new.full_clean()
    new.save()
    return new


@transaction.atomic
def kpi_reference_set(
    *, actor: User, kpi_code: str, grade_level: str, low: Decimal, high: Decimal, per: str = Period.Kind.MONTH
) -> KpiReference:
    reference = KpiReference.objects.select_for_update().filter(kpi_code=kpi_code, grade_level=grade_level).first()
    if reference is None:
        reference = KpiReference(kpi_code=kpi_code, grade_level=grade_level)
    reference.low, reference.high, reference.per = low, high, per
    reference.full_clean()
    reference.save()
    return reference


@transaction.atomic
def smart_setting_set(*, actor: User, criterion: str, warn_only: bool) -> SmartCriterionSetting:
    setting, _ = SmartCriterionSetting.objects.select_for_update().get_or_create(criterion=criterion)
    if setting.warn_only != warn_only:
        setting.warn_only = warn_only
        setting.full_clean()
        setting.save(update_fields=["warn_only", "updated_at"])
    return setting
