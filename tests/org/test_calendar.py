"""HR's working-day calendar: the working-day arithmetic reminders use (weekends, holidays,
make-up working days, long holidays), China's official 2026 arrangement, and the HR page
through real URLs with its denials and query counts."""

import re
from datetime import date

import pytest
from django.urls import reverse

from org.errors import OrgError, OrgErrorCode
from org.holidays import load_official_holidays, official_days
from org.models import CalendarDay
from org.services import calendar_day_set
from org.working_days import WorkingCalendar

HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKDAY
COMPANY = "company"  # a company day off (CalendarDay.Kind.COMPANY)


@pytest.fixture
def official_2026(db):
    return load_official_holidays(year=2026)


# --- working days ---------------------------------------------------------------------------


def test_weekends_are_days_off_and_weekdays_working_days(db):
    calendar = WorkingCalendar()
    assert calendar.is_working_day(date(2026, 3, 13))  # Friday
    assert not calendar.is_working_day(date(2026, 3, 14))  # Saturday
    assert not calendar.is_working_day(date(2026, 3, 15))  # Sunday
    # Friday + 1 working day is Monday; Monday − 1 is Friday.
    assert calendar.add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 16)
    assert calendar.add_working_days(date(2026, 3, 16), -1) == date(2026, 3, 13)
    assert calendar.working_days_between(date(2026, 3, 13), date(2026, 3, 20)) == 5


def test_a_holiday_on_a_weekday_is_not_a_working_day(db):
    calendar_day_set(day=date(2026, 3, 18), kind=HOLIDAY, name="Company day")  # a Wednesday
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(date(2026, 3, 18))
    assert calendar.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 19)
    assert calendar.working_days_between(date(2026, 3, 13), date(2026, 3, 20)) == 4


def test_a_make_up_saturday_is_a_working_day(db):
    calendar_day_set(day=date(2026, 10, 10), kind=WORKDAY, name="国庆节调休上班")
    calendar = WorkingCalendar()
    assert calendar.is_working_day(date(2026, 10, 10))
    assert not calendar.is_working_day(date(2026, 10, 11))  # the Sunday stays a day off
    assert calendar.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert calendar.working_days_between(date(2026, 10, 9), date(2026, 10, 12)) == 2


def test_adding_and_subtracting_across_national_day_week(official_2026):
    calendar = WorkingCalendar()
    # Wednesday 30 September + 1 working day: 1–7 October are holidays → Thursday 8 October.
    assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # Thursday 8 October − 1 → 30 September; − 3 → 28 September (Sunday 27 is a day off, 中秋节).
    assert calendar.add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert calendar.add_working_days(date(2026, 10, 8), -3) == date(2026, 9, 28)
    # From Friday 9 October, 1 working day later is the make-up Saturday 10 October.
    assert calendar.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)
    # 22 Sep → 13 Oct: 23, 24, 28, 29, 30 Sep, 8, 9, 10 (调休), 12, 13 Oct.
    assert calendar.working_days_between(date(2026, 9, 22), date(2026, 10, 13)) == 10
    assert calendar.working_days_between(date(2026, 10, 13), date(2026, 9, 22)) == -10
    # Sunday 20 September is a make-up working day before the holiday.
    assert calendar.is_working_day(date(2026, 9, 20))


def test_spring_festival_nine_days_and_far_dates_load_more_of_the_calendar(official_2026, django_assert_num_queries):
    calendar = WorkingCalendar()
    with django_assert_num_queries(1):
        assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)  # 调休 Saturday
        assert calendar.add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)  # after 15–23 Feb
    # 200 working days later lies beyond the first window: the calendar reads the rest.
    later = calendar.add_working_days(date(2026, 2, 14), 200)
    assert calendar.working_days_between(date(2026, 2, 14), later) == 200
    assert calendar.is_working_day(later)


# --- China's official 2026 arrangement --------------------------------------------------------


def test_official_2026_has_the_state_council_days():
    days = {d.date: d for d in official_days(2026)}
    holidays = [d for d in days.values() if d.kind == HOLIDAY]
    workdays = sorted(d.date for d in days.values() if d.kind == WORKDAY)
    assert len(holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert workdays == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]
    assert all(d.weekday() >= 5 for d in workdays)
    assert days[date(2026, 2, 17)].name == "春节"
    assert days[date(2026, 10, 1)].name == "国庆节"
    assert official_days(1999) == []


def test_loading_official_holidays_twice_changes_nothing_and_corrects_a_wrong_entry(db):
    first = load_official_holidays(year=2026)
    assert (first.created, first.updated, first.unchanged) == (39, 0, 0)
    CalendarDay.objects.filter(date=date(2026, 10, 1)).update(name="wrong")
    calendar_day_set(day=date(2026, 12, 31), kind=HOLIDAY, name="Company day")

    second = load_official_holidays(year=2026)

    assert (second.created, second.updated, second.unchanged) == (0, 1, 38)
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.filter(date=date(2026, 12, 31)).exists()  # HR's own day is kept


def test_a_make_up_working_day_on_a_weekday_is_refused(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        calendar_day_set(day=date(2026, 3, 18), kind=WORKDAY)
    assert "kind" in excinfo.value.message_dict
    assert not CalendarDay.objects.exists()


# --- the HR page ----------------------------------------------------------------------------


def calendar_url(year=2026):
    return f"{reverse('org:calendar')}?year={year}"


def test_anonymous_goes_to_login_and_only_hr_and_admins_may_open_it(client, client_for, org, official_2026):
    entry = CalendarDay.objects.get(date=date(2026, 10, 1))
    response = client.get(calendar_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for who in (org.rep, org.lead, org.ceo):
        c = client_for(who)
        assert c.get(calendar_url()).status_code == 403
        assert c.post(calendar_url(), {"date": "2026-03-18", "kind": HOLIDAY}).status_code == 403
        assert c.get(reverse("org:calendar-day-edit", args=[entry.pk])).status_code == 403
        assert c.post(reverse("org:calendar-day-delete", args=[entry.pk])).status_code == 403
        assert c.post(reverse("org:calendar-load-official"), {"year": 2026}).status_code == 403
    assert CalendarDay.objects.filter(pk=entry.pk).exists()
    assert not CalendarDay.objects.filter(date=date(2026, 3, 18)).exists()
    assert client_for(org.admin).get(calendar_url()).status_code == 200


def test_page_shows_entries_month_grid_and_counts(client_for, org, official_2026):
    response = client_for(org.hr).get(calendar_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-date="2026-10-01"' in body
    assert "National Day" in body  # the English name, for an English reader
    # 365 days − 104 weekend days − 19 holidays on weekdays + 6 make-up days = 248 working days.
    assert response.context["working_days"] == 248
    assert response.context["holiday_count"] == 33
    assert response.context["workday_count"] == 6
    assert '<td class="cal-day cal-makeup" title="Make-up working day for National Day' in body  # Saturday 10 October
    assert '<td class="cal-day cal-holiday" title="National Day · ' in body
    assert re.search(r'<td class="cal-day cal-weekend">\s*<time datetime="2026-03-14">', body)
    # 2026 is loaded: the prompt to load it is gone, a line says it is there
    assert reverse("org:calendar-load-official") not in body
    assert "official 2026 holidays and make-up working days are in the calendar" in body


def test_another_year_has_no_official_button_and_an_empty_list(client_for, org):
    response = client_for(org.hr).get(calendar_url(2031))
    assert response.status_code == 200
    assert reverse("org:calendar-load-official") not in response.content.decode()
    assert response.context["entries"] == []
    assert client_for(org.hr).get(f"{reverse('org:calendar')}?year=nonsense").status_code == 200


def test_hr_adds_edits_and_deletes_a_day(client_for, org):
    c = client_for(org.hr)

    response = c.post(calendar_url(), {"date": "2026-03-18", "kind": HOLIDAY, "name": "公司日"})
    assert response.status_code == 302
    assert response["Location"] == calendar_url()
    entry = CalendarDay.objects.get(date=date(2026, 3, 18))
    assert (entry.kind, entry.name) == (HOLIDAY, "公司日")
    assert entry.history.first().history_user == org.hr.user

    edit = reverse("org:calendar-day-edit", args=[entry.pk])
    page = c.get(edit)
    assert page.status_code == 200
    assert page.context["editing"] == entry
    response = c.post(edit, {"date": "2030-01-01", "kind": HOLIDAY, "name": "Company day"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.date, entry.name) == (date(2026, 3, 18), "Company day")  # the date stays

    response = c.post(reverse("org:calendar-day-delete", args=[entry.pk]))
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
    assert c.get(reverse("org:calendar-day-delete", args=[entry.pk])).status_code == 405


def test_make_up_day_on_a_weekday_shows_the_error_and_keeps_the_input(client_for, org):
    response = client_for(org.hr).post(calendar_url(), {"date": "2026-03-18", "kind": WORKDAY, "name": "误填"})
    assert response.status_code == 400
    assert "must fall on a Saturday or Sunday" in response.content.decode()
    assert response.context["form"]["name"].value() == "误填"
    assert not CalendarDay.objects.exists()


def test_form_errors_are_translated(client_for, org):
    org.hr.preferred_language = "zh-hans"
    org.hr.save()
    response = client_for(org.hr).post(calendar_url(), {"date": "not a date", "kind": HOLIDAY})
    assert response.status_code == 400
    assert "输入一个有效的日期。" in response.content.decode()


def test_load_official_button(client_for, org):
    c = client_for(org.hr)
    response = c.post(reverse("org:calendar-load-official"), {"year": "2026"}, follow=True)
    assert CalendarDay.objects.count() == 39
    assert "39 added" in response.content.decode()
    response = c.post(reverse("org:calendar-load-official"), {"year": "2031"}, follow=True)
    assert CalendarDay.objects.count() == 39
    assert "no official arrangement for 2031" in response.content.decode()


def test_query_count_does_not_grow_with_entries(client_for, org, django_assert_max_num_queries):
    c = client_for(org.hr)
    calendar_day_set(day=date(2026, 3, 18), kind=HOLIDAY)
    c.get(calendar_url())  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert c.get(calendar_url()).status_code == 200
    load_official_holidays(year=2026)
    with django_assert_max_num_queries(len(small)):
        assert c.get(calendar_url()).status_code == 200


def test_admin_refuses_a_make_up_day_on_a_weekday(client_for, org):
    c = client_for(org.admin)
    url = reverse("admin:org_calendarday_add")
    response = c.post(url, {"date": "2026-03-18", "kind": WORKDAY, "name": ""})
    assert response.status_code == 200
    assert "must fall on a Saturday or Sunday" in response.content.decode()
    assert c.post(url, {"date": "2026-03-21", "kind": WORKDAY, "name": "调休"}).status_code == 302
    assert CalendarDay.objects.get().date == date(2026, 3, 21)


# --- company days off -------------------------------------------------------------------------


def test_a_company_day_off_is_not_a_working_day(db):
    calendar_day_set(day=date(2026, 3, 18), kind=COMPANY, name="公司年会", name_en="Company offsite")  # Wednesday
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(date(2026, 3, 18))
    assert calendar.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 19)
    assert calendar.working_days_between(date(2026, 3, 13), date(2026, 3, 20)) == 4


def test_a_company_day_off_on_a_weekend_is_refused(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        calendar_day_set(day=date(2026, 3, 21), kind=COMPANY)  # Saturday
    assert "Monday to Friday" in excinfo.value.message_dict["kind"][0]
    assert not CalendarDay.objects.exists()


def test_hr_adds_a_company_day_off_and_the_page_counts_and_colours_it(client_for, org, official_2026):
    c = client_for(org.hr)
    response = c.post(
        calendar_url(), {"date": "2026-12-31", "kind": COMPANY, "name": "年终盘点", "name_en": "Year-end stocktake"}
    )
    assert response.status_code == 302
    page = c.get(calendar_url())
    body = page.content.decode()
    assert page.context["company_count"] == 1
    assert page.context["holiday_count"] == 33
    assert page.context["working_days"] == 247  # one fewer than with the official days alone
    assert re.search(r'<td class="cal-day cal-company" title="Year-end stocktake · Company day off', body)
    assert '<span class="badge cal-badge-company">Company day off (no work)</span>' in body


# --- a date that is there already -------------------------------------------------------------


def test_the_service_refuses_to_overwrite_unless_told_to(db):
    entry, created = calendar_day_set(day=date(2026, 3, 18), kind=HOLIDAY, name="公司日")
    assert created
    # the same again changes nothing and asks nothing
    assert calendar_day_set(day=date(2026, 3, 18), kind=HOLIDAY, name="公司日") == (entry, False)

    with pytest.raises(OrgError) as excinfo:
        calendar_day_set(day=date(2026, 3, 18), kind=COMPANY, name="年会")
    assert excinfo.value.code == OrgErrorCode.CALENDAR_DAY_EXISTS
    assert excinfo.value.extra["existing_id"] == entry.pk
    entry.refresh_from_db()
    assert (entry.kind, entry.name) == (HOLIDAY, "公司日")

    calendar_day_set(day=date(2026, 3, 18), kind=COMPANY, name="年会", replace=True)
    entry.refresh_from_db()
    assert (entry.kind, entry.name) == (COMPANY, "年会")


def test_adding_a_date_that_exists_asks_before_replacing_it(client_for, org, official_2026):
    c = client_for(org.hr)
    data = {"date": "2026-10-08", "kind": COMPANY, "name": "国庆加休", "name_en": "Extra day after National Day"}
    assert c.post(calendar_url(), data).status_code == 302

    # adding the same date again as something else: the page asks, nothing is written
    again = {"date": "2026-10-08", "kind": HOLIDAY, "name": "另一个名字", "name_en": "Another name"}
    response = c.post(calendar_url(), again)
    body = response.content.decode()
    assert response.status_code == 409
    assert "is already in the calendar: Company day off (no work), “Extra day after National Day”." in body
    assert "Replace it with what you entered below?" in body
    assert '<input type="hidden" name="replace" value="on"' in body
    assert response.context["form"]["name"].value() == "另一个名字"  # what was typed is kept
    entry = CalendarDay.objects.get(date=date(2026, 10, 8))
    assert (entry.kind, entry.name) == (COMPANY, "国庆加休")

    # confirming replaces it
    response = c.post(calendar_url(), {**again, "replace": "on"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.kind, entry.name, entry.name_en) == (HOLIDAY, "另一个名字", "Another name")
    assert entry.history.count() == 2


def test_editing_an_entry_does_not_ask(client_for, org, official_2026):
    entry = CalendarDay.objects.get(date=date(2026, 10, 1))
    response = client_for(org.hr).post(
        reverse("org:calendar-day-edit", args=[entry.pk]),
        {"kind": HOLIDAY, "name": "国庆节", "name_en": "National Day (PRC)"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name_en == "National Day (PRC)"


# --- holiday names in both languages ---------------------------------------------------------


def test_official_days_have_chinese_and_english_names(official_2026):
    day = CalendarDay.objects.get(date=date(2026, 10, 1))
    assert (day.name, day.name_en) == ("国庆节", "National Day")
    assert CalendarDay.objects.get(date=date(2026, 2, 17)).name_en == "Spring Festival"
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).name_en == "Make-up working day for National Day"
    assert not CalendarDay.objects.filter(name_en="").exists()


def test_an_entry_loaded_before_english_names_gets_one_when_loaded_again(db):
    load_official_holidays(year=2026)
    CalendarDay.objects.filter(name="春节").update(name_en="")
    result = load_official_holidays(year=2026)
    assert result.updated == 9
    assert set(CalendarDay.objects.filter(name="春节").values_list("name_en", flat=True)) == {"Spring Festival"}


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", "National Day", "国庆节"), ("zh-hans", "国庆节", "National Day")]
)
def test_holiday_names_read_in_the_readers_language(client_for, org, official_2026, language, shown, hidden):
    org.hr.preferred_language = language
    org.hr.save()
    response = client_for(org.hr).get(calendar_url())
    body = response.content.decode()
    row = re.search(r'<tr data-date="2026-10-01">.*?</tr>', body, re.S).group(0)
    assert shown in row
    assert hidden not in row
    assert re.search(rf'<td class="cal-day cal-holiday" title="{shown} · ', body)


# --- the month grid ----------------------------------------------------------------------------


def test_the_month_grid_has_seven_columns_and_every_day_once(client_for, org):
    body = client_for(org.hr).get(calendar_url()).content.decode()
    months = re.findall(r'<table class="cal-month">(.*?)</table>', body, re.S)
    assert len(months) == 12
    for month in months:
        for row in re.findall(r"<tr>(.*?)</tr>", month, re.S):
            assert len(re.findall(r"<t[dh][ >]", row)) == 7
    assert len(re.findall(r'<time datetime="2026-', body)) == 365
