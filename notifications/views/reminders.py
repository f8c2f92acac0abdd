"""HR's reminder rules: what each reminder does, whether it is on, its parameters, what it sent,
and a button to run it now. The daily schedule itself is a django-celery-beat entry (admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.forms import apply_error_to_form
from notifications.errors import NotificationErrorCode, ReminderError
from notifications.reminders import (
    reminder_access_for_manage,
    reminder_rule_form_class,
    reminder_rule_set_enabled,
    reminder_rule_state,
    reminder_rule_states,
    reminder_rule_update,
    reminder_run,
    reminder_schedule_list,
)


def _schedule_text(task) -> str:
    """“Every day at 09:00 (Asia/Shanghai)” for the usual daily entry; the raw rule otherwise."""
    crontab = task.crontab
    if crontab is None:
        return str(task.interval or task.clocked or task.solar or "")
    simple = (
        crontab.minute.isdigit() and crontab.hour.isdigit() and crontab.day_of_month == crontab.month_of_year == "*"
    )
    params = {"time": f"{int(crontab.hour):02d}:{int(crontab.minute):02d}" if simple else "", "zone": crontab.timezone}
    if simple and crontab.day_of_week == "*":
        return _("Every day at %(time)s (%(zone)s)") % params
    if simple and crontab.day_of_week in ("1-5", "mon-fri"):
        return _("Monday to Friday at %(time)s (%(zone)s)") % params
    cron = f"{crontab.minute} {crontab.hour} {crontab.day_of_month} {crontab.month_of_year} {crontab.day_of_week}"
    return _("Cron “%(cron)s” (%(zone)s)") % {"cron": cron, "zone": crontab.timezone}


@login_required
def reminder_rules(request):
    """Every reminder rule with its state and numbers, and the schedules that run them."""
    reminder_access_for_manage(actor=request.user)
    schedules = [
        {
            "task": task,
            "when": _schedule_text(task),
            "admin_url": reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
            if request.user.is_staff
            else "",
        }
        for task in reminder_schedule_list()
    ]
    return render(
        request,
        "notifications/reminder_rules.html",
        {"states": reminder_rule_states(), "schedules": schedules, "nav_active": "hr"},
    )


@login_required
def reminder_rule_edit(request, code: str):
    """Turn a rule on or off and set its parameters; values are checked against the rule's schema."""
    reminder_access_for_manage(actor=request.user)
    state = reminder_rule_state(code=code)
    if state is None:
        raise Http404
    form_class = reminder_rule_form_class(state.source)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reminder_rule_update(
                    code=code,
                    actor=request.user,
                    enabled=data["enabled"],
                    params={p.name: data[p.name] for p in state.source.params},
                )
            except ReminderError as error:
                apply_error_to_form(form, error)
            else:
                messages.success(request, _("The reminder “%(label)s” is saved.") % {"label": state.source.label})
                return redirect("notifications:reminder-rules")
    else:
        form = form_class(initial={"enabled": state.enabled, **state.params})
    return render(
        request,
        "notifications/reminder_rule_form.html",
        {"state": state, "form": form, "nav_active": "hr"},
    )


@login_required
@require_POST
def reminder_rule_toggle(request, code: str):
    """Switch a rule on or off from the list, keeping its parameters."""
    reminder_access_for_manage(actor=request.user)
    state = reminder_rule_state(code=code)
    if state is None:
        raise Http404
    label = state.source.label
    try:
        reminder_rule_set_enabled(code=code, actor=request.user, enabled=not state.enabled)
    except ReminderError as error:
        if error.code == NotificationErrorCode.REMINDER_INVALID:
            problems = [str(p) for ps in error.extra.get("errors", {}).values() for p in ps]
            messages.error(
                request,
                _("“%(label)s” cannot be turned on yet: %(problems)s Set its values on its page first.")
                % {"label": label, "problems": " ".join(problems)},
            )
            return redirect("notifications:reminder-rule-edit", code=code)
        messages.error(request, error.message)
    else:
        if state.enabled:
            messages.success(request, _("The reminder “%(label)s” is off.") % {"label": label})
        else:
            messages.success(request, _("The reminder “%(label)s” is on.") % {"label": label})
    return redirect("notifications:reminder-rules")


@login_required
@require_POST
def reminder_rule_run(request, code: str):
    """Run one rule now. Whoever was reminded for an occasion before is not reminded again."""
    reminder_access_for_manage(actor=request.user)
    state = reminder_rule_state(code=code)
    if state is None:
        raise Http404
    try:
        result = reminder_run(code)
    except ReminderError as error:
        messages.error(request, error.message)
    else:
        if result.sent:
            text = ngettext(
                "“%(label)s” ran: %(count)s reminder sent.", "“%(label)s” ran: %(count)s reminders sent.", result.sent
            )
            messages.success(request, text % {"label": state.source.label, "count": result.sent})
        elif result.found:
            messages.info(
                request,
                _("“%(label)s” ran: everyone it found today was reminded before, so nothing was sent again.")
                % {"label": state.source.label},
            )
        else:
            messages.info(
                request, _("“%(label)s” ran: nobody needs this reminder today.") % {"label": state.source.label}
            )
    return redirect("notifications:reminder-rules")


urlpatterns = [
    path("reminders/", reminder_rules, name="reminder-rules"),
    path("reminders/<slug:code>/", reminder_rule_edit, name="reminder-rule-edit"),
    path("reminders/<slug:code>/toggle/", reminder_rule_toggle, name="reminder-rule-toggle"),
    path("reminders/<slug:code>/run/", reminder_rule_run, name="reminder-rule-run"),
]
