"""The permission matrix: every URL of the URL configuration, GET as every role, against
the table in tests/pmsite/permission_matrix.py.

One world (the `org` fixture plus one record of each kind, owned by `rep`), one client per
role, one GET per URL and role. A URL without a row in the table fails, so every new page
or endpoint declares who may see it.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from goals.models import ActionPlan, IntegrationClient, KpiReference, Milestone
from notifications.models import ChatWebhook
from org.models import ApiToken, CalendarDay, GradeLevel, ImportJob
from tests.factories import EmployeeFactory, NotificationFactory
from tests.goals.factories import KeyResultFactory, KpiFactory, MeasurementFactory, ObjectiveFactory, ThemeFactory
from tests.pmsite.permission_matrix import MATRIX, ROLES, SKIPPED_PREFIXES

ALLOW, DENY, HIDDEN, POST_ONLY = "A", "D", "H", "P"


def url_patterns(patterns=None, prefix="", namespace=""):
    """{key: route} for every URL pattern: key is the URL name with its namespace, or the route
    for an unnamed one. A later pattern with a name already seen (django.contrib.auth's login and
    password-reset views, which ours come before and shadow) is left out."""
    found = {}
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if any(route.startswith(skipped) for skipped in SKIPPED_PREFIXES):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            for key, value in url_patterns(pattern.url_patterns, route, inner).items():
                found.setdefault(key, value)
        elif isinstance(pattern, URLPattern):
            key = f"{namespace}{pattern.name}" if pattern.name else route
            found.setdefault(key, route)
    return found


@pytest.fixture
def world(org, settings, tmp_path):
    """One record of each kind that a URL takes, belonging to `rep` (or kept by HR)."""
    settings.MEDIA_ROOT = tmp_path
    rep = org.rep
    objective = ObjectiveFactory(owner_employee=rep, created_by=rep.user)
    key_result = KeyResultFactory(objective=objective)
    kpi = KpiFactory(code="NEWCUST")
    KpiReference.objects.create(kpi_code=kpi.code, grade_level="P5", low=Decimal(4), high=Decimal(6))
    theme = ThemeFactory(owner=org.ceo, period=objective.period)
    executive = EmployeeFactory(user__username="cfo", user__is_executive=True, unit=org.root, manager=org.ceo)
    return {
        "roles": {
            "anonymous": None,
            "employee": rep.user,
            "peer": org.rep2.user,
            "manager": org.lead.user,
            "skip_level": org.director.user,
            "other_manager": org.peer_lead.user,
            "hr": org.hr.user,
            "executive": executive.user,
            "admin": org.admin,
        },
        "kwargs": {
            "pk": {
                "org:employee": rep.pk,
                "org:calendar-day-edit": CalendarDay.objects.create(date=date(2026, 10, 1), kind="holiday").pk,
                "org:grade-level-delete": GradeLevel.objects.create(code="P5").pk,
                "org:api-token-revoke": ApiToken.objects.create(
                    user=rep.user,
                    name="laptop",
                    token_prefix="abcdef12",
                    token_hash="x",
                    expires_at=timezone.now() + timedelta(days=30),
                ).pk,
                "notifications:open": NotificationFactory(recipient=rep.user).pk,
                "notifications:webhook-edit": ChatWebhook.objects.create(
                    name="East", provider="generic", url="https://chat.example.com/hook", unit=org.east
                ).pk,
                "goals:objective-detail": objective.pk,
                "goals:record-progress": key_result.pk,
                "goals:milestone-toggle": Milestone.objects.create(key_result=key_result, title="Pilot").pk,
                "goals:measurement-correct": MeasurementFactory(
                    key_result=key_result,
                    entered_by=rep.user,
                    evidence_file=ContentFile(b"signed", name="contract.pdf"),
                ).pk,
                "goals:action-plan-edit": ActionPlan.objects.create(objective=objective, what="Call", owner=rep).pk,
                "goals:theme-edit": theme.pk,
                "goals:integration-revoke": IntegrationClient.objects.create(
                    name="CRM", token_prefix="crm12345", token_hash="x", created_by=org.admin
                ).pk,
                "api-unit-detail": org.east.pk,
                "api-goals-period-detail": objective.period_id,
                "api-goals-kpi-detail": kpi.pk,
            },
            "employee_id": rep.pk,
            "unit_id": org.east.pk,
            "job_id": ImportJob.objects.create(
                kind=ImportJob.Kind.PROGRESS, created_by=rep.user, filename="progress.xlsx"
            ).pk,
            "code": {"kpi": kpi.code, "reminder": "key_result_stale"},
            "token": "no-such-preview",
            "uidb64": "MQ",
        },
    }


def _pk_for(key: str, pks: dict) -> int:
    """The record a `<pk>` URL takes: by URL name, else by the first URL of its family."""
    if key in pks:
        return pks[key]
    families = {
        "org:calendar-day": "org:calendar-day-edit",
        "notifications:mark-read": "notifications:open",
        "notifications:webhook": "notifications:webhook-edit",
        "goals:objective": "goals:objective-detail",
        "goals:action-plan-create": "goals:objective-detail",
        "goals:key-result": "goals:record-progress",
        "goals:measurement": "goals:measurement-correct",
        "goals:score-objective": "goals:objective-detail",
        "goals:cascade-children": "goals:objective-detail",
        "goals:score-theme": "goals:theme-edit",
        "api-notification": "notifications:open",
        "api-goals-theme": "goals:theme-edit",
        "api-goals-objective": "goals:objective-detail",
        "api-goals-score-objective": "goals:objective-detail",
        "api-goals-score-theme": "goals:theme-edit",
        "api-goals-key-result": "goals:record-progress",
        "api-goals-action-plan": "goals:action-plan-edit",
        "api-goals-measurement": "goals:measurement-correct",
    }
    for prefix, source in sorted(families.items(), key=lambda item: -len(item[0])):
        if key.startswith(prefix):
            return pks[source]
    raise AssertionError(f"No record for the <pk> of {key}: add one to the world fixture.")


def _url(key: str, route: str, kwargs: dict) -> str:
    if ":" not in key and key.startswith("^"):  # an unnamed regex catch-all
        return "/api/no-such-endpoint/"
    names = {
        "pk": lambda: _pk_for(key, kwargs["pk"]),
        "employee_id": lambda: kwargs["employee_id"],
        "notification_id": lambda: kwargs["pk"]["notifications:open"],
        "unit_id": lambda: kwargs["unit_id"],
        "job_id": lambda: kwargs["job_id"],
        "code": lambda: kwargs["code"]["kpi" if key.startswith("goals:kpi") else "reminder"],
        "token": lambda: kwargs["token"],
        "uidb64": lambda: kwargs["uidb64"],
    }
    params = {}
    for part in route.split("<")[1:]:
        name = part.split(">")[0].split(":")[-1]
        assert name in names, f"{key} takes <{name}>: give it a value in _url() and the world fixture."
        params[name] = names[name]()
    if "uidb64" in params:  # a password-reset link: any token, the page says the link is invalid
        params["token"] = "set-password"
    return resolve_url(key, **params)


def _outcome(response) -> str:
    status = response.status_code
    login = resolve_url(django_settings.LOGIN_URL)
    if status in (401, 403) or (status in (301, 302) and response["Location"].startswith(login)):
        return DENY
    if status == 404:
        return HIDDEN
    if status == 405:
        return POST_ONLY
    if 200 <= status < 400:
        return ALLOW
    return f"{status}"


def test_every_url_is_in_the_permission_matrix():
    """A URL without a row fails, with the line to add."""
    missing = sorted(set(url_patterns()) - set(MATRIX))
    assert not missing, (
        "These URLs have no row in tests/pmsite/permission_matrix.py: "
        + ", ".join(missing)
        + ". Add one per URL saying who may see it, e.g. "
        + f'"{missing[0]}": "D A H A H H A A A",  # roles: {" ".join(ROLES)}'
    )
    stale = sorted(set(MATRIX) - set(url_patterns()))
    assert not stale, f"Rows for URLs that no longer exist, remove them: {', '.join(stale)}"


def test_every_role_gets_what_the_matrix_says(world):
    observed, wrong = {}, []
    patterns = url_patterns()
    for role in ROLES:
        client = Client(raise_request_exception=False)
        user = world["roles"][role]
        if user is not None:
            client.force_login(user)
        for key, route in patterns.items():
            url = _url(key, route, world["kwargs"])
            response = client.get(url, secure=True)
            got = _outcome(response)
            if getattr(response, "file_to_stream", None):  # a download: close its file, not the request
                response.file_to_stream.close()
            observed.setdefault(key, []).append(got)
            expected = (MATRIX.get(key) or "? " * len(ROLES)).split()[ROLES.index(role)]
            if expected != got:
                wrong.append(f"{key} ({url}) as {role}: expected {expected}, got {got}")
    if wrong:
        print("\n".join(f'    "{key}": "{" ".join(cells)}",' for key, cells in observed.items()))
    assert not wrong, "\n".join(wrong)
