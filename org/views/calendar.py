"""HR's working-day calendar: public holidays, company days off and make-up working days (调休)
by year, a month grid that shows them with the weekends, and China's official arrangement
loaded with one button. Adding a date that is already there asks before replacing it.

Reminders count working days by this calendar (org.working_days); appeal deadlines will too.
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from core.forms import apply_error_to_form
from core.widgets import DateInput
from org import rules
from org.access import org_access_for_manage
from org.errors import OrgError, OrgErrorCode
from org.holidays import load_official_holidays, official_days_missing, official_years
from org.models import CalendarDay
from org.services import calendar_day_delete, calendar_day_set
from org.working_days import calendar_day_list

FIRST_YEAR, LAST_YEAR = 2000, 2100
# Column heads of the month grid: as short as the language allows (Chinese: 一 二 三 … 日).
WEEKDAY_HEADS = [
    pgettext_lazy("month grid column", "Mo"),
    pgettext_lazy("month grid column", "Tu"),
    pgettext_lazy("month grid column", "We"),
    pgettext_lazy("month grid column", "Th"),
    pgettext_lazy("month grid column", "Fr"),
    pgettext_lazy("month grid column", "Sa"),
    pgettext_lazy("month grid column", "Su"),
]


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(
        label=gettext_lazy("Chinese name"), max_length=100, required=False, help_text=gettext_lazy("E.g. 国庆节.")
    )
    name_en = forms.CharField(
        label=gettext_lazy("English name"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("E.g. National Day. People reading Stride in English see this name."),
    )
    # Set by the "replace it?" question when the date is in the calendar already.
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(
                gettext_lazy("Enter a date between %(first)s and %(last)s."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return day


class CalendarDayEditForm(CalendarDayForm):
    """Editing changes how a date is marked; to move an entry, delete it and add the new date."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].disabled = True


def _year(value: str | None) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return timezone.localdate().year
    return year if FIRST_YEAR <= year <= LAST_YEAR else timezone.localdate().year


def _calendar_url(year: int) -> str:
    return f"{reverse('org:calendar')}?year={year}"


DAY_CLASSES = {
    CalendarDay.Kind.HOLIDAY: "cal-holiday",
    CalendarDay.Kind.COMPANY: "cal-company",
    CalendarDay.Kind.WORKDAY: "cal-makeup",
}


def _months(year: int, entries: list[CalendarDay]) -> list[dict]:
    """Twelve month grids (weeks from Monday), each day marked weekend / public holiday /
    company day off / make-up day."""
    by_date = {entry.date: entry for entry in entries}
    today = timezone.localdate()
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                entry = by_date.get(day)
                classes = ["cal-day"]
                if entry is not None:
                    classes.append(DAY_CLASSES[entry.kind])
                elif day.weekday() >= 5:
                    classes.append("cal-weekend")
                if day == today:
                    classes.append("cal-today")
                cells.append({"date": day, "entry": entry, "classes": " ".join(classes)})
            weeks.append(cells)
        months.append({"first": date(year, month, 1), "weeks": weeks})
    return months


def _render(
    request,
    *,
    year: int,
    form,
    editing: CalendarDay | None = None,
    existing: CalendarDay | None = None,
    status: int = 200,
):
    """The page; `existing` is the entry an added date would replace (the form then asks)."""
    entries = list(calendar_day_list(year=year))
    holidays = {e.date for e in entries if e.is_day_off}
    workdays = {e.date for e in entries if e.kind == CalendarDay.Kind.WORKDAY}
    working_days = rules.working_days_between(
        date(year - 1, 12, 31), date(year, 12, 31), holidays=holidays, workdays=workdays
    )
    context = {
        "year": year,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "entries": entries,
        "holiday_count": sum(e.kind == CalendarDay.Kind.HOLIDAY for e in entries),
        "company_count": sum(e.kind == CalendarDay.Kind.COMPANY for e in entries),
        "workday_count": len(workdays),
        "working_days": working_days,
        "months": _months(year, entries),
        "weekday_names": WEEKDAY_HEADS,
        "form": form,
        "editing": editing,
        "existing": existing,
        "official": year in official_years(),
        "official_missing": official_days_missing(year=year, entries=entries),
        "nav_active": "hr",
    }
    return render(request, "org/calendar.html", context, status=status)


def _save(request, form, *, year: int, editing: CalendarDay | None = None):
    data = form.cleaned_data
    day = editing.date if editing is not None else data["date"]
    try:
        _entry, created = calendar_day_set(
            day=day,
            kind=data["kind"],
            name=data["name"],
            name_en=data["name_en"],
            replace=editing is not None or data["replace"],
            actor=request.user,
        )
    except ValidationError as error:
        apply_error_to_form(form, error)
        return _render(request, year=year, form=form, editing=editing, status=400)
    except OrgError as error:
        if error.code != OrgErrorCode.CALENDAR_DAY_EXISTS:
            raise
        # Ask first: the same form, with what was typed, now carrying the confirmation.
        confirm = CalendarDayForm({**form.data.dict(), "replace": "on"})
        confirm.is_valid()
        existing = CalendarDay.objects.get(pk=error.extra["existing_id"])
        return _render(request, year=year, form=confirm, existing=existing, status=409)
    text = _("%(date)s is added to the calendar.") if created else _("%(date)s is updated.")
    messages.success(request, text % {"date": day.isoformat()})
    return redirect(_calendar_url(day.year))


@login_required
def calendar(request):
    """The year's holidays and make-up working days, the month grid, and the form to add a date."""
    org_access_for_manage(actor=request.user)
    year = _year(request.GET.get("year"))
    if request.method == "POST":
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            return _save(request, form, year=year)
        return _render(request, year=year, form=form, status=400)
    return _render(request, year=year, form=CalendarDayForm())


@login_required
def calendar_day_edit(request, pk: int):
    org_access_for_manage(actor=request.user)
    entry = get_object_or_404(CalendarDay, pk=pk)
    initial = {"date": entry.date, "kind": entry.kind, "name": entry.name, "name_en": entry.name_en}
    if request.method == "POST":
        form = CalendarDayEditForm(request.POST, initial=initial)
        if form.is_valid():
            return _save(request, form, year=entry.date.year, editing=entry)
        return _render(request, year=entry.date.year, form=form, editing=entry, status=400)
    return _render(request, year=entry.date.year, form=CalendarDayEditForm(initial=initial), editing=entry)


@login_required
@require_POST
def calendar_day_remove(request, pk: int):
    org_access_for_manage(actor=request.user)
    entry = get_object_or_404(CalendarDay, pk=pk)
    calendar_day_delete(calendar_day=entry, actor=request.user)
    messages.success(request, _("%(date)s is removed from the calendar.") % {"date": entry.date.isoformat()})
    return redirect(_calendar_url(entry.date.year))


@login_required
@require_POST
def calendar_load_official(request):
    """Load China's official holidays and make-up working days for a year we have them for."""
    org_access_for_manage(actor=request.user)
    year = _year(request.POST.get("year"))
    if year not in official_years():
        messages.error(
            request, _("Stride has no official arrangement for %(year)s. Add its dates one by one.") % {"year": year}
        )
        return redirect(_calendar_url(year))
    result = load_official_holidays(year=year, actor=request.user)
    messages.success(
        request,
        _(
            "China's official %(year)s holidays are in the calendar: "
            "%(created)s added, %(updated)s corrected, %(unchanged)s already there."
        )
        % {"year": year, "created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect(_calendar_url(year))


urlpatterns = [
    path("calendar/", calendar, name="calendar"),
    path("calendar/load-official/", calendar_load_official, name="calendar-load-official"),
    path("calendar/<int:pk>/edit/", calendar_day_edit, name="calendar-day-edit"),
    path("calendar/<int:pk>/delete/", calendar_day_remove, name="calendar-day-delete"),
]
