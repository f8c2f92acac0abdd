"""The reminder engine and goals' reminders: who is reminded, when (working days by HR's
calendar), once per occasion; HR's rules page through real URLs with denials, validation,
"run now" and query counts."""

import importlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from goals.models import Objective
from goals.progress.services.measurements import measurement_record
from notifications import types
from notifications.errors import NotificationErrorCode, ReminderError
from notifications.models import Notification, ReminderLog, ReminderRule
from notifications.reminders import (
    reminder_rule_set_enabled,
    reminder_rule_state,
    reminder_rule_states,
    reminder_rule_update,
    reminder_run,
    reminder_run_all,
)
from notifications.reminders.engine import _claim_on_conflict, _claim_savepoint
from notifications.tasks import run_reminder_task, run_reminders_task
from org.holidays import load_official_holidays
from tests.factories import EmployeeFactory
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory

MIGRATION = importlib.import_module("notifications.migrations.0005_reminder_rules_and_schedule")
STALE, DEADLINE = "key_result_stale", "goal_setting_deadline"
WAITING_CODES = {"check_in_due", "review_phase_opening", "review_phase_closing", "review_overdue", "appeal_deadline"}


@pytest.fixture(autouse=True)
def seeded_rules(db):
    """The rows and schedule the data migration seeds (run again: transactional tests, which
    run after these, empty the tables of a reused test database)."""
    MIGRATION.create_rules_and_schedule(django_apps, None)


@pytest.fixture
def year(db):
    return PeriodFactory()  # 2026


def approved_key_result(owner, year, *, approved_on=date(2026, 9, 1), **kwargs):
    objective = ObjectiveFactory(
        owner_employee=owner,
        period=year,
        status=Objective.Status.APPROVED,
        approved_at=datetime(approved_on.year, approved_on.month, approved_on.day, 2, tzinfo=UTC),
    )
    return KeyResultFactory(objective=objective, **kwargs)


def reminders(code=STALE):
    return list(ReminderLog.objects.filter(rule_code=code).order_by("pk"))


# --- the rules that exist -------------------------------------------------------------------


def test_migration_seeds_rules_and_the_daily_schedule(db):
    from django.db.migrations.recorder import MigrationRecorder

    assert MigrationRecorder.Migration.objects.filter(
        app="notifications", name=MIGRATION.__name__.rsplit(".")[-1]
    ).exists()
    rules = {rule.code: rule for rule in ReminderRule.objects.all()}
    assert set(rules) >= {STALE, DEADLINE, *WAITING_CODES}
    assert rules[STALE].enabled
    assert rules[STALE].params == {"days": 14}
    assert not rules[DEADLINE].enabled
    schedule = PeriodicTask.objects.get(name="Reminders: daily run")
    assert schedule.task == "notifications.run_reminders"
    assert schedule.enabled
    assert (schedule.crontab.hour, schedule.crontab.minute, str(schedule.crontab.timezone)) == (
        "9",
        "0",
        "Asia/Shanghai",
    )


def test_rules_for_later_features_wait_and_cannot_run(db):
    states = {s.code: s for s in reminder_rule_states()}
    for code in WAITING_CODES:
        assert states[code].source.waiting
        assert not states[code].enabled
        assert not states[code].runnable
        with pytest.raises(ReminderError) as excinfo:
            reminder_run(code)
        assert excinfo.value.code == NotificationErrorCode.REMINDER_WAITING
        with pytest.raises(ReminderError):
            reminder_rule_set_enabled(code=code, actor=None, enabled=True)
    # Their parameters can be set while they wait.
    reminder_rule_update(code="appeal_deadline", actor=None, enabled=False, params={"days_before": 5})
    assert reminder_rule_state(code="appeal_deadline").params == {"days_before": 5}
    # Goals' rules have sources and their notification kinds.
    assert not states[STALE].source.waiting
    assert not states[DEADLINE].source.waiting
    assert types.get("reminder_key_result_stale").label == states[STALE].source.label
    assert "reminder_appeal_deadline" not in {t.code for t in types.all_types()}


def test_a_later_feature_completes_a_waiting_rule(db, org):
    from notifications.reminders import Occasion, register_reminder
    from notifications.reminders.registry import _registry

    saved = _registry["check_in_due"]
    try:
        register_reminder(
            "check_in_due",
            source=lambda params, today, calendar: [
                Occasion(recipient=org.rep.user, key=f"2026-10:{params['days_before']}", message="Check-in due.")
            ],
        )
        state = reminder_rule_state(code="check_in_due")
        assert state.source.label == saved.label
        assert state.source.params == saved.params
        reminder_rule_set_enabled(code="check_in_due", actor=None, enabled=True)
        assert reminder_run("check_in_due").sent == 1
        assert Notification.objects.get(recipient=org.rep.user).kind == "reminder_check_in_due"
    finally:
        _registry["check_in_due"] = saved


# --- key result without a progress update ---------------------------------------------------


def test_stale_key_result_reminds_its_owner_once(org, year):
    key_result = approved_key_result(org.rep, year, last_measured_on=date(2026, 9, 1), title="新签客户数")

    first = reminder_run(STALE, date(2026, 9, 21))  # 14 working days after Tuesday 1 September
    second = reminder_run(STALE, date(2026, 9, 22))

    assert (first.found, first.sent) == (1, 1)
    assert (second.found, second.sent) == (1, 0)
    [log] = reminders()
    assert (log.recipient, log.occasion) == (org.rep.user, f"{key_result.pk}:2026-09-01")
    note = Notification.objects.get(recipient=org.rep.user)
    assert log.notification == note
    assert note.kind == "reminder_key_result_stale"
    assert note.url == reverse("goals:key-result-history", args=[key_result.pk])
    assert (
        note.text
        == "Your key result “新签客户数” has had no progress update since 2026-09-01. Record where it stands now."
    )


def test_not_stale_before_n_working_days(org, year):
    approved_key_result(org.rep, year, last_measured_on=date(2026, 9, 1))
    assert reminder_run(STALE, date(2026, 9, 18)).found == 0  # 13 working days


def test_holidays_do_not_count_as_days_without_update(org, year):
    approved_key_result(org.rep, year, last_measured_on=date(2026, 9, 22))
    # 22 Sep → 13 Oct is 15 weekdays, but only 10 working days with 中秋节 and 国庆节.
    assert reminder_run(STALE, date(2026, 10, 13)).found == 1
    ReminderLog.objects.all().delete()
    load_official_holidays(year=2026)
    assert reminder_run(STALE, date(2026, 10, 13)).found == 0


def test_a_new_progress_update_starts_a_new_occasion(org, year):
    key_result = approved_key_result(org.rep, year, last_measured_on=date(2026, 8, 3))
    assert reminder_run(STALE, date(2026, 9, 1)).sent == 1

    measurement_record(key_result=key_result, value=Decimal("20"), as_of=date(2026, 9, 2), actor=org.rep.user)
    assert reminder_run(STALE, date(2026, 9, 3)).found == 0
    assert reminder_run(STALE, date(2026, 9, 22)).sent == 1

    assert [log.occasion for log in reminders()] == [f"{key_result.pk}:2026-08-03", f"{key_result.pk}:2026-09-02"]
    assert Notification.objects.filter(recipient=org.rep.user).count() == 2


def test_never_updated_counts_from_approval_and_says_never(org, year):
    key_result = approved_key_result(org.rep, year, approved_on=date(2026, 3, 2), last_measured_on=None)
    assert reminder_run(STALE, date(2026, 3, 19)).found == 0  # 13 working days
    assert reminder_run(STALE, date(2026, 3, 20)).sent == 1
    assert reminders()[0].occasion == f"{key_result.pk}:never"


def test_only_active_personal_objectives_with_updatable_key_results(org, year):
    old = date(2026, 6, 1)
    approved_key_result(org.rep, year, last_measured_on=old)  # reminded
    approved_key_result(org.rep2, year, last_measured_on=old, direction="milestones")
    draft = ObjectiveFactory(owner_employee=org.lead, period=year, status=Objective.Status.DRAFT)
    KeyResultFactory(objective=draft, last_measured_on=old)
    inactive = EmployeeFactory(unit=org.east, manager=org.lead, is_active=False)
    approved_key_result(inactive, year, last_measured_on=old)
    past = PeriodFactory(name="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    approved_key_result(org.other_rep, past, last_measured_on=old)

    run = reminder_run(STALE, date(2026, 9, 1))

    assert run.found == 1
    assert [log.recipient for log in reminders()] == [org.rep.user]


def test_days_parameter_is_used(org, year):
    approved_key_result(org.rep, year, last_measured_on=date(2026, 9, 1))
    reminder_rule_update(code=STALE, actor=org.hr.user, enabled=True, params={"days": 3})
    assert reminder_run(STALE, date(2026, 9, 4)).sent == 1


def test_run_query_count_does_not_grow_per_person_already_reminded(org, year, django_assert_max_num_queries):
    for _ in range(3):
        approved_key_result(org.rep, year, last_measured_on=date(2026, 6, 1))
    reminder_run(STALE, date(2026, 9, 1))
    with CaptureQueriesContext(connection) as small:
        assert reminder_run(STALE, date(2026, 9, 1)).sent == 0
    for _ in range(20):
        approved_key_result(org.rep2, year, last_measured_on=date(2026, 6, 1))
    reminder_run(STALE, date(2026, 9, 1))
    with django_assert_max_num_queries(len(small)):
        assert reminder_run(STALE, date(2026, 9, 1)).sent == 0


# --- goal-setting deadline --------------------------------------------------------------------


def set_deadline(deadline, days_before=3, period=""):
    reminder_rule_update(
        code=DEADLINE,
        actor=None,
        enabled=True,
        params={"deadline": deadline, "days_before": days_before, "period": period},
    )


def test_deadline_rule_is_off_until_hr_sets_a_deadline(org, year):
    with pytest.raises(ReminderError) as excinfo:
        reminder_run(DEADLINE)
    assert excinfo.value.code == NotificationErrorCode.REMINDER_DISABLED
    with pytest.raises(ReminderError) as excinfo:
        reminder_rule_set_enabled(code=DEADLINE, actor=None, enabled=True)
    assert excinfo.value.code == NotificationErrorCode.REMINDER_INVALID
    assert excinfo.value.extra["errors"] == {"deadline": ["Enter a value to turn this reminder on."]}


def test_deadline_reminds_those_without_a_submitted_counted_objective(org, year):
    ObjectiveFactory(owner_employee=org.rep, period=year, status=Objective.Status.SUBMITTED)
    quarter = PeriodFactory(
        kind="quarter", name="2026 Q4", start=date(2026, 10, 1), end=date(2026, 12, 31), parent=year
    )
    ObjectiveFactory(owner_employee=org.rep2, period=quarter, status=Objective.Status.APPROVED)
    ObjectiveFactory(owner_employee=org.lead, period=year, status=Objective.Status.DRAFT)
    ObjectiveFactory(owner_employee=org.peer_lead, period=year, status=Objective.Status.APPROVED, track="okr")
    EmployeeFactory(unit=org.east, is_active=False)
    set_deadline(date(2026, 10, 16))

    run = reminder_run(DEADLINE, date(2026, 10, 13))

    reminded = {log.recipient for log in reminders(DEADLINE)}
    expected = {e.user for e in (org.ceo, org.director, org.lead, org.peer_lead, org.other_rep, org.hr)}
    assert reminded == expected
    assert run.sent == len(expected)
    assert {log.occasion for log in reminders(DEADLINE)} == {f"{year.pk}:2026-10-16"}
    note = Notification.objects.filter(kind="reminder_goal_setting_deadline").first()
    assert note.text == "The goal-setting deadline is 2026-10-16: draft and submit your objectives."
    assert note.url == reverse("goals:my-objectives")
    assert reminder_run(DEADLINE, date(2026, 10, 14)).sent == 0  # once per person per deadline


def test_deadline_window_counts_working_days(org, year):
    load_official_holidays(year=2026)
    set_deadline(date(2026, 10, 9), days_before=3)  # 3 working days before: 29 Sep (1–7 Oct are holidays)
    assert reminder_run(DEADLINE, date(2026, 9, 28)).found == 0
    assert reminder_run(DEADLINE, date(2026, 9, 29)).found > 0
    assert reminder_run(DEADLINE, date(2026, 10, 10)).found == 0  # after the deadline


def test_deadline_for_a_named_period(org, year):
    other = PeriodFactory(kind="year", name="2027", start=date(2027, 1, 1), end=date(2027, 12, 31))
    ObjectiveFactory(owner_employee=org.rep, period=year, status=Objective.Status.APPROVED)
    set_deadline(date(2026, 12, 18), days_before=0, period="2027")
    reminder_run(DEADLINE, date(2026, 12, 18))
    assert org.rep.user in {log.recipient for log in reminders(DEADLINE)}  # nothing for 2027 yet
    assert {log.occasion for log in reminders(DEADLINE)} == {f"{other.pk}:2026-12-18"}


def test_deadline_period_must_exist(org, year):
    with pytest.raises(ReminderError) as excinfo:
        set_deadline(date(2026, 12, 18), period="FY1999")
    assert excinfo.value.extra["errors"]["period"] == [
        "There is no period named “FY1999”. Enter a period's name exactly as it is listed, or leave it empty."
    ]


# --- running everything, tasks and the fallback claim ----------------------------------------


def test_run_all_runs_rules_that_are_on_and_skips_days_off(org, year):
    approved_key_result(org.rep, year, last_measured_on=date(2026, 6, 1))
    load_official_holidays(year=2026)
    assert reminder_run_all(date(2026, 10, 2), working_days_only=True) == {}  # 国庆节
    assert reminder_run_all(date(2026, 10, 2)) == {STALE: 1}
    ReminderLog.objects.all().delete()
    assert run_reminders_task(today="2026-10-10") == {STALE: 1}  # make-up Saturday
    assert run_reminders_task(today="2026-10-12") == {STALE: 0}


def test_single_rule_task(org, year):
    approved_key_result(org.rep, year, last_measured_on=date(2026, 6, 1))
    assert run_reminder_task(STALE, today="2026-09-01") == 1
    assert run_reminder_task(DEADLINE, today="2026-09-01").startswith(NotificationErrorCode.REMINDER_DISABLED)


@pytest.mark.parametrize("claim", [_claim_on_conflict, _claim_savepoint])
def test_claiming_a_log_row_succeeds_once(org, claim):
    pairs = [(org.rep.user.pk, "a"), (org.rep2.user.pk, "a")]
    first = claim(rule_code="x", pairs=pairs)
    assert set(first) == set(pairs)
    assert claim(rule_code="x", pairs=[*pairs, (org.rep.user.pk, "b")]) == {
        (org.rep.user.pk, "b"): ReminderLog.objects.get(occasion="b").pk
    }
    assert ReminderLog.objects.count() == 3


def test_a_failed_notification_leaves_no_log_so_the_next_run_sends_it(org, year, monkeypatch):
    approved_key_result(org.rep, year, last_measured_on=date(2026, 6, 1))

    def broken(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr("notifications.reminders.engine.notify", broken)
    with pytest.raises(RuntimeError):
        reminder_run(STALE, date(2026, 9, 1))
    assert not ReminderLog.objects.exists()
    monkeypatch.undo()
    assert reminder_run(STALE, date(2026, 9, 1)).sent == 1


# --- HR's page -------------------------------------------------------------------------------


RULES_URL = reverse("notifications:reminder-rules")


def edit_url(code):
    return reverse("notifications:reminder-rule-edit", args=[code])


def test_anonymous_goes_to_login_and_others_are_refused(client, client_for, org, year):
    response = client.get(RULES_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for who in (org.rep, org.lead, org.ceo):
        c = client_for(who)
        assert c.get(RULES_URL).status_code == 403
        assert c.get(edit_url(STALE)).status_code == 403
        assert c.post(edit_url(STALE), {"days": "3"}).status_code == 403
        assert c.post(reverse("notifications:reminder-rule-toggle", args=[STALE])).status_code == 403
        assert c.post(reverse("notifications:reminder-rule-run", args=[STALE])).status_code == 403
    assert ReminderRule.objects.get(code=STALE).enabled
    assert not ReminderLog.objects.exists()
    assert client_for(org.admin).get(RULES_URL).status_code == 200
    assert client_for(org.hr).get(edit_url("nonexistent")).status_code == 404


def test_list_shows_rules_state_and_numbers(client_for, org, year):
    approved_key_result(org.rep, year, last_measured_on=date(2026, 6, 1))
    reminder_run(STALE, date(2026, 9, 1))
    response = client_for(org.hr).get(RULES_URL)
    body = response.content.decode()
    assert response.status_code == 200
    states = {s.code: s for s in response.context["states"]}
    assert states[STALE].sent_count == 1
    assert states[STALE].last_sent_at is not None
    assert "Key result without a progress update" in body
    assert "Waiting for the feature" in body
    assert reverse("notifications:reminder-rule-run", args=[STALE]) in body
    assert reverse("notifications:reminder-rule-run", args=["appeal_deadline"]) not in body
    assert reverse("notifications:reminder-rule-toggle", args=["appeal_deadline"]) not in body
    assert "Every day at 09:00 (Asia/Shanghai)" in body
    assert {s.code for s in response.context["states"][:2]} == {DEADLINE, STALE}  # runnable rules first


def test_list_query_count_does_not_grow(client_for, org, year, django_assert_max_num_queries):
    c = client_for(org.hr)
    approved_key_result(org.rep, year, last_measured_on=date(2026, 6, 1))
    reminder_run(STALE, date(2026, 9, 1))
    c.get(RULES_URL)
    with CaptureQueriesContext(connection) as small:
        assert c.get(RULES_URL).status_code == 200
    for _ in range(15):
        approved_key_result(org.rep2, year, last_measured_on=date(2026, 6, 1))
    reminder_run(STALE, date(2026, 9, 1))
    set_deadline(date(2026, 9, 4))
    reminder_run(DEADLINE, date(2026, 9, 1))
    with django_assert_max_num_queries(len(small)):
        assert c.get(RULES_URL).status_code == 200


def test_hr_sets_the_deadline_and_turns_the_rule_on(client_for, org, year):
    c = client_for(org.hr)
    page = c.get(edit_url(DEADLINE))
    assert page.status_code == 200
    assert 'type="date"' in page.content.decode()

    response = c.post(edit_url(DEADLINE), {"enabled": "on", "deadline": "2026-10-16", "days_before": "5", "period": ""})

    assert response.status_code == 302
    rule = ReminderRule.objects.get(code=DEADLINE)
    assert rule.enabled
    assert rule.params == {"deadline": "2026-10-16", "days_before": 5, "period": ""}
    assert rule.history.first().history_user == org.hr.user


def test_params_errors_are_shown_and_input_kept(client_for, org, year):
    response = client_for(org.hr).post(
        edit_url(DEADLINE), {"enabled": "on", "deadline": "", "days_before": "-1", "period": "FY1999"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a value to turn this reminder on." in body
    assert "Ensure this value is greater than or equal to 0." in body
    assert "There is no period named “FY1999”" in body
    assert 'value="FY1999"' in body
    assert not ReminderRule.objects.get(code=DEADLINE).enabled


def test_params_errors_are_translated(client_for, org, year):
    org.hr.preferred_language = "zh-hans"
    org.hr.save()
    response = client_for(org.hr).post(edit_url(STALE), {"enabled": "on", "days": "0"})
    assert "确保该值大于或等于1。" in response.content.decode()
    response = client_for(org.hr).post(edit_url(DEADLINE), {"deadline": "31/31/2026", "days_before": "3"})
    assert "输入一个有效的日期。" in response.content.decode()


def test_waiting_rule_page_has_no_switch_and_refuses_to_turn_on(client_for, org):
    c = client_for(org.hr)
    page = c.get(edit_url("review_overdue"))
    assert 'name="enabled"' not in page.content.decode()
    response = c.post(edit_url("review_overdue"), {"enabled": "on", "days_after": "2"})
    assert response.status_code == 200
    assert "waits for a feature" in response.content.decode()
    response = c.post(edit_url("review_overdue"), {"days_after": "2"})
    assert response.status_code == 302
    assert ReminderRule.objects.get(code="review_overdue").params == {"days_after": 2}
    response = c.post(reverse("notifications:reminder-rule-toggle", args=["review_overdue"]), follow=True)
    assert "waits for a feature" in response.content.decode()
    assert not ReminderRule.objects.get(code="review_overdue").enabled


def test_toggle_turns_off_and_on(client_for, org):
    c = client_for(org.hr)
    toggle = reverse("notifications:reminder-rule-toggle", args=[STALE])
    assert "is off" in c.post(toggle, follow=True).content.decode()
    assert not ReminderRule.objects.get(code=STALE).enabled
    assert "is on" in c.post(toggle, follow=True).content.decode()
    rule = ReminderRule.objects.get(code=STALE)
    assert rule.enabled
    assert rule.params == {"days": 14}
    # Turning on a rule that lacks a required value sends HR to its page.
    response = c.post(reverse("notifications:reminder-rule-toggle", args=[DEADLINE]))
    assert response["Location"] == edit_url(DEADLINE)
    assert c.get(toggle).status_code == 405


def test_run_now_sends_once(client_for, org):
    today = timezone.localdate()
    current = PeriodFactory(name="now", start=today - timedelta(days=180), end=today + timedelta(days=180))
    approved_key_result(org.rep, current, approved_on=current.start, last_measured_on=today - timedelta(days=60))
    c = client_for(org.hr)
    run = reverse("notifications:reminder-rule-run", args=[STALE])

    first = c.post(run, follow=True).content.decode()
    second = c.post(run, follow=True).content.decode()

    assert "1 reminder sent" in first
    assert "reminded before" in second
    assert Notification.objects.filter(recipient=org.rep.user, kind="reminder_key_result_stale").count() == 1
    assert (
        "turned off"
        in c.post(reverse("notifications:reminder-rule-run", args=[DEADLINE]), follow=True).content.decode()
    )
    assert c.get(run).status_code == 405


def test_admin_edits_go_through_the_schema(client_for, org):
    c = client_for(org.admin)
    rule = ReminderRule.objects.get(code=STALE)
    url = reverse("admin:notifications_reminderrule_change", args=[rule.pk])
    assert c.get(url).status_code == 200
    assert c.get(reverse("admin:notifications_reminderlog_changelist")).status_code == 200

    refused = c.post(url, {"enabled": "on", "params": '{"days": 0}'})
    assert refused.status_code == 200
    assert "days: Ensure this value is greater than or equal to 1." in refused.content.decode()
    accepted = c.post(url, {"enabled": "on", "params": '{"days": "7"}'})
    assert accepted.status_code == 302
    rule.refresh_from_db()
    assert rule.params == {"days": 7}
