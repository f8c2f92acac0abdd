"""Goals pages: HR's library — KPIs with versions, fair-difficulty reference ranges, SMART settings
and the integration tokens other systems push progress updates with.

Everyone signed in reads the KPI library (managers pick KPIs for key results); changes are HR's.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.forms import apply_error_to_form
from goals.access import library_access_for_manage
from goals.models import Direction, Kpi, KpiReference, Period, SmartCriterionSetting
from goals.objectives.rules import CRITERIA, FAIL_OVER_REFERENCE, WARN_OVER_REFERENCE
from goals.progress.selectors import integration_client_list
from goals.progress.services.integrations import integration_client_issue, integration_client_revoke
from goals.strategy.forms import (
    IntegrationClientForm,
    KpiFilterForm,
    KpiForm,
    KpiReferenceForm,
    SmartSettingsForm,
    plain_number,
)
from goals.strategy.rules import PER_MONTHS, scale_reference
from goals.strategy.selectors import (
    grade_levels_in_use,
    kpi_list,
    kpi_reference_list,
    kpi_versions,
    smart_setting_history,
    smart_warn_only,
)
from goals.strategy.services import (
    KPI_DEFINITION_FIELDS,
    KPI_FIELDS,
    kpi_create,
    kpi_reference_set,
    kpi_update,
    smart_setting_set,
)
from org.models import User

PAGE_SIZE = 25
# The path the API helper serves for pushed progress updates (see the API's URLs).
PUSH_PATH = "/api/v1/goals/measurements/push/"
# Field order for showing what changed between KPI versions.
KPI_FIELD_ORDER = [
    "name", "name_en", "definition", "formula", "unit", "unit_en", "direction", "category", "perspective", "frequency",
]  # fmt: skip
CHOICE_FIELDS = {"direction", "category", "perspective", "frequency"}


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def can_manage_library(user: User) -> bool:
    try:
        library_access_for_manage(actor=user)
    except PermissionDenied:
        return False
    return True


def _field_label(name: str) -> str:
    return str(Kpi._meta.get_field(name).verbose_name)


def definition_field_labels() -> list[str]:
    return [_field_label(name) for name in KPI_FIELD_ORDER if name in KPI_DEFINITION_FIELDS]


# --- KPI list ----------------------------------------------------------------------------


@login_required
def kpis(request):
    """The library's current versions: search by code or name, filter by category and perspective."""
    form = KpiFilterForm(request.GET or None)
    queryset = kpi_list(current_only=True)
    if form.is_valid():
        data = form.cleaned_data
        text = data["q"].strip()
        if text:
            queryset = queryset.filter(Q(code__icontains=text) | Q(name__icontains=text) | Q(name_en__icontains=text))
        if data["category"]:
            queryset = queryset.filter(category=data["category"])
        if data["perspective"]:
            queryset = queryset.filter(perspective=data["perspective"])
    return render(
        request,
        "goals/kpi_list.html",
        {
            "form": form,
            "page_obj": _page(request, queryset.order_by("code")),
            "can_manage": can_manage_library(request.user),
            "nav_active": "hr",
        },
    )


# --- KPI detail, versions and reference ranges -------------------------------------------


def _display(kpi: Kpi, name: str) -> str:
    if name in CHOICE_FIELDS:
        return str(getattr(kpi, f"get_{name}_display")())
    return getattr(kpi, name) or "—"


def _version_rows(versions: list[Kpi]) -> list[dict]:
    """Each version with what changed since the one before it (versions are newest first)."""
    rows = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        changes = [
            {"label": _field_label(name), "old": _display(previous, name), "new": _display(version, name)}
            for name in KPI_FIELD_ORDER
            if previous is not None and getattr(previous, name) != getattr(version, name)
        ]
        rows.append({"kpi": version, "previous": previous, "changes": changes})
    return rows


def _reference_rows(references: list[KpiReference], months: Decimal | None) -> list[dict]:
    rows = []
    for reference in references:
        row = {"reference": reference, "low": plain_number(reference.low), "high": plain_number(reference.high)}
        if months is not None:
            low, high = scale_reference(reference.low, reference.high, per=reference.per, period_months=months)
            row |= {"scaled_low": plain_number(low), "scaled_high": plain_number(high)}
        rows.append(row)
    return rows


def _achievable_example(kpi: Kpi, rows: list[dict]) -> dict | None:
    """A worked example for the explanation: the first range scaled to a year."""
    if not rows or kpi.direction not in (Direction.HIGHER, Direction.LOWER):
        return None
    reference = rows[0]["reference"]
    low, high = scale_reference(reference.low, reference.high, per=reference.per, period_months=PER_MONTHS["year"])
    example = {
        "grade": reference.grade_level,
        "low": plain_number(reference.low),
        "high": plain_number(reference.high),
        "per": reference.get_per_display().lower(),
        "year_low": plain_number(low),
        "year_high": plain_number(high),
    }
    if kpi.direction == Direction.HIGHER:
        example["warn"] = plain_number(high * WARN_OVER_REFERENCE)
        example["fail"] = plain_number(high * FAIL_OVER_REFERENCE)
    else:
        example["warn"] = plain_number(low / WARN_OVER_REFERENCE)
        example["fail"] = plain_number((low / FAIL_OVER_REFERENCE).quantize(Decimal("0.01")))
    return example


def _current_or_404(code: str) -> Kpi:
    kpi = kpi_list(current_only=True).filter(code=code).first()
    if kpi is None:
        raise Http404
    return kpi


def _render_detail(request, code: str, *, reference_form: KpiReferenceForm | None = None):
    versions = list(kpi_versions(code=code))
    if not versions:
        raise Http404
    current = next((version for version in versions if version.is_current), versions[0])
    can_manage = can_manage_library(request.user)
    rows = _reference_rows(list(kpi_reference_list(kpi_code=code)), PER_MONTHS["year"])
    if reference_form is None and can_manage:
        grade = request.GET.get("grade", "").strip()
        existing = next((row["reference"] for row in rows if row["reference"].grade_level == grade), None)
        initial = {"grade_level": grade, "per": Period.Kind.MONTH}
        if existing is not None:
            initial |= {"low": plain_number(existing.low), "high": plain_number(existing.high), "per": existing.per}
        reference_form = KpiReferenceForm(initial=initial)
    return render(
        request,
        "goals/kpi_detail.html",
        {
            "kpi": current,
            "versions": _version_rows(versions),
            "key_result_total": sum(version.key_result_count for version in versions),
            "reference_rows": rows,
            "reference_form": reference_form,
            "grade_levels": grade_levels_in_use() if can_manage else [],
            "example": _achievable_example(current, rows),
            "can_manage": can_manage,
            "nav_active": "hr",
        },
    )


@login_required
def kpi_detail(request, code: str):
    return _render_detail(request, code)


@login_required
@require_POST
def kpi_reference_set_view(request, code: str):
    """Add or change the fair-difficulty range of one grade level (HR)."""
    library_access_for_manage(actor=request.user)
    kpi = _current_or_404(code)
    form = KpiReferenceForm(request.POST)
    if form.is_valid():
        try:
            reference = kpi_reference_set(actor=request.user, kpi_code=kpi.code, **form.cleaned_data)
        except (ValidationError, ApplicationError) as error:
            apply_error_to_form(form, error)
        else:
            messages.success(
                request,
                _("The reference range for grade %(grade)s is saved: %(low)s–%(high)s %(unit)s per %(per)s.")
                % {
                    "grade": reference.grade_level,
                    "low": plain_number(reference.low),
                    "high": plain_number(reference.high),
                    "unit": kpi.unit_display,
                    "per": reference.get_per_display().lower(),
                },
            )
            return redirect(f"{reverse('goals:kpi-detail', args=[kpi.code])}#references")
    return _render_detail(request, code, reference_form=form)


# --- KPI create and edit -----------------------------------------------------------------


@login_required
def kpi_create_view(request):
    library_access_for_manage(actor=request.user)
    if request.method == "POST":
        form = KpiForm(request.POST)
        if form.is_valid():
            try:
                kpi = kpi_create(actor=request.user, **form.cleaned_data)
            except (ValidationError, ApplicationError) as error:
                apply_error_to_form(form, error)
            else:
                messages.success(
                    request, _("KPI %(code)s is in the library as version %(version)s.") % {
                        "code": kpi.code, "version": kpi.version,
                    },
                )  # fmt: skip
                return redirect("goals:kpi-detail", code=kpi.code)
    else:
        form = KpiForm()
    return render(
        request,
        "goals/kpi_form.html",
        {"form": form, "kpi": None, "definition_fields": definition_field_labels(), "nav_active": "hr"},
    )


@login_required
def kpi_update_view(request, code: str):
    """Edit a KPI: a changed definition makes version N+1; key results keep the version they use."""
    library_access_for_manage(actor=request.user)
    kpi = _current_or_404(code)
    if request.method == "POST":
        form = KpiForm(request.POST, editing=True)
        if form.is_valid():
            fields = {name: value for name, value in form.cleaned_data.items() if name in KPI_FIELDS}
            try:
                saved = kpi_update(kpi=kpi, actor=request.user, **fields)
            except (ValidationError, ApplicationError) as error:
                apply_error_to_form(form, error)
            else:
                values = {"code": saved.code, "version": saved.version, "old": kpi.version}
                if saved.version != kpi.version:
                    message = _(
                        "KPI %(code)s is saved as version %(version)s. Key results set with version %(old)s keep it."
                    )
                elif saved.updated_at != kpi.updated_at:
                    message = _("KPI %(code)s is saved; it stays version %(version)s (the definition did not change).")
                else:
                    message = _("Nothing changed: KPI %(code)s stays version %(version)s.")
                messages.success(request, message % values)
                return redirect("goals:kpi-detail", code=saved.code)
    else:
        form = KpiForm(editing=True, initial={name: getattr(kpi, name) for name in KPI_FIELDS})
    return render(
        request,
        "goals/kpi_form.html",
        {
            "form": form,
            "kpi": kpi,
            "next_version": kpi_versions(code=kpi.code).values_list("version", flat=True).first() + 1,
            "definition_fields": definition_field_labels(),
            "nav_active": "hr",
        },
    )


# --- SMART settings ----------------------------------------------------------------------


CRITERION_HELP = {
    "specific": gettext_lazy(
        "The title says what will be different, without vague words such as “improve”, “提高” or “尽量” "
        "unless a number or a key result makes them concrete."
    ),
    "measurable": gettext_lazy("At least one key result has a number to reach (or two milestones or more)."),
    "achievable": gettext_lazy(
        "Targets stay within reach of the baseline, of the KPI's history and of HR's fair-difficulty "
        "range for the owner's grade level."
    ),
    "relevant": gettext_lazy("The objective is aligned to a parent objective or a strategic theme."),
    "time_bound": gettext_lazy("The objective has a due date inside its period."),
}


@login_required
def smart_settings(request):
    """HR decides, per SMART criterion, whether a failure blocks submission or only warns."""
    library_access_for_manage(actor=request.user)
    current = smart_warn_only()
    if request.method == "POST":
        form = SmartSettingsForm(request.POST, warn_only=current)
        if form.is_valid():
            changed = [name for name in CRITERIA if form.cleaned_data[name] != (name in current)]
            for name in changed:
                smart_setting_set(actor=request.user, criterion=name, warn_only=form.cleaned_data[name])
            if changed:
                messages.success(request, _("The SMART settings are saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("goals:smart-settings")
    else:
        form = SmartSettingsForm(warn_only=current)
    labels = dict(SmartCriterionSetting.Criterion.choices)
    rows = [
        {"field": form[name], "label": labels[name], "help": CRITERION_HELP[name], "warn_only": name in current}
        for name in CRITERIA
    ]
    return render(
        request,
        "goals/smart_settings.html",
        {"form": form, "rows": rows, "page_obj": _page(request, smart_setting_history()), "nav_active": "hr"},
    )


# --- integration tokens ------------------------------------------------------------------


@login_required
def integrations(request):
    """Systems that push progress updates: list, issue a token (shown once), revoke."""
    library_access_for_manage(actor=request.user)
    if request.method == "POST":
        form = IntegrationClientForm(request.POST)
        if form.is_valid():
            try:
                client, raw_token = integration_client_issue(actor=request.user, **form.cleaned_data)
            except (ValidationError, ApplicationError) as error:
                apply_error_to_form(form, error)
            else:
                response = render(
                    request,
                    "goals/integration_token.html",
                    {
                        "client": client,
                        "raw_token": raw_token,
                        "push_url": request.build_absolute_uri(PUSH_PATH),
                        "nav_active": "hr",
                    },
                )
                response["Cache-Control"] = "no-store"
                return response
    else:
        form = IntegrationClientForm()
    return render(
        request,
        "goals/integrations.html",
        {
            "form": form,
            "page_obj": _page(request, integration_client_list()),
            "push_url": request.build_absolute_uri(PUSH_PATH),
            "nav_active": "hr",
        },
    )


@login_required
@require_POST
def integration_revoke(request, pk: int):
    library_access_for_manage(actor=request.user)
    client = integration_client_list().filter(pk=pk).first()
    if client is None:
        raise Http404
    was_active = client.is_active
    integration_client_revoke(client=client, actor=request.user)
    if was_active:
        messages.success(
            request,
            _("The token of %(name)s is revoked: its progress updates are refused from now on.")
            % {"name": client.name},
        )
    else:
        messages.info(request, _("The token of %(name)s was already revoked.") % {"name": client.name})
    return redirect("goals:integrations")


urlpatterns = [
    path("kpis/", kpis, name="kpis"),
    path("kpis/new/", kpi_create_view, name="kpi-create"),
    path("kpis/<str:code>/", kpi_detail, name="kpi-detail"),
    path("kpis/<str:code>/edit/", kpi_update_view, name="kpi-edit"),
    path("kpis/<str:code>/references/", kpi_reference_set_view, name="kpi-reference-set"),
    path("smart-settings/", smart_settings, name="smart-settings"),
    path("integrations/", integrations, name="integrations"),
    path("integrations/<int:pk>/revoke/", integration_revoke, name="integration-revoke"),
]
