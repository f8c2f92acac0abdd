"""The home page's registry (core.home): apps add their sections without dashboard knowing them."""

import logging

import pytest
from django.urls import reverse

from core.home import HomeContext, HomePage, Panel, Stat, TodoItem, register_home_section, unregister_home_section
from tests.dashboard.test_home import panel_keys, todo_keys
from tests.factories import EmployeeFactory, NotificationFactory, OrgUnitFactory
from tests.goals.factories import KeyResultFactory, ObjectiveFactory


@pytest.fixture
def register_section():
    """Register a section for one test; it is removed again afterwards."""
    added = []

    def register(key, builder, *, order):
        register_home_section(key, builder, order=order)
        added.append(key)

    yield register
    for key in added:
        unregister_home_section(key)


def _todo(key):
    def builder(page: HomePage, context: HomeContext) -> None:
        page.todos.append(TodoItem(key=key, title=f"Later feature for {context.user.display_name}"))

    return builder


def test_a_registered_section_adds_its_item_and_is_gone_once_unregistered(client_for, org, register_section):
    seen = []

    def reviews_to_write(page, context):
        seen.append((context.user, context.employee, "manager" in context.roles))
        page.todos.append(TodoItem(key="reviews-to-write", title="2 reviews to write", url="/reviews/", action="Write"))
        page.panels.append(
            Panel(key="reviews", title="Reviews", stats=(Stat("Due", 2),), url="/reviews/", action="Open")
        )

    register_section("test-reviews", reviews_to_write, order=700)

    response = client_for(org.lead).get(reverse("home"))

    assert todo_keys(response) == ["reviews-to-write"]
    assert panel_keys(response) == ["my-team", "reviews"]
    assert "2 reviews to write" in response.content.decode()
    assert seen == [(org.lead.user, org.lead, True)]  # the context: the user, their record, their roles

    unregister_home_section("test-reviews")
    assert todo_keys(client_for(org.lead).get(reverse("home"))) == []


def test_sections_run_in_their_order_among_the_apps_own(client_for, org, register_section):
    NotificationFactory(recipient=org.rep.user)
    ObjectiveFactory(owner_employee=org.rep, status="draft")
    register_section("test-last", _todo("after-everything"), order=10_000)
    register_section("test-between", _todo("check-ins-due"), order=150)  # after notifications, before goals
    register_section("test-first", _todo("before-everything"), order=1)

    response = client_for(org.rep).get(reverse("home"))

    assert todo_keys(response) == [
        "before-everything",
        "notifications",
        "check-ins-due",
        "objectives-draft",
        "after-everything",
    ]


def test_the_apps_sections_keep_the_page_order(client_for, org):
    # Everything at once for a manager who is also HR and an executive.
    lead = org.lead
    lead.user.is_hr = lead.user.is_executive = True
    lead.user.save()
    org.rep.job_title = ""
    org.rep.save()
    EmployeeFactory(unit=org.east, manager=None)
    EmployeeFactory(unit=OrgUnitFactory(parent=org.root, is_active=False), manager=org.ceo)
    NotificationFactory(recipient=lead.user)
    ObjectiveFactory(owner_employee=lead, status="returned")
    ObjectiveFactory(owner_employee=lead, status="draft")
    KeyResultFactory(objective=ObjectiveFactory(owner_employee=lead, status="approved"))
    ObjectiveFactory(owner_employee=org.rep, status="submitted")

    response = client_for(lead).get(reverse("home"))

    assert todo_keys(response) == [
        "notifications",
        "objectives-returned",
        "objectives-draft",
        "progress-stale",
        "objectives-to-approve",
        "reports-incomplete",
        "no-manager",
        "inactive-unit",
    ]
    assert panel_keys(response) == ["my-team", "org-overview"]


def test_a_failing_section_is_logged_and_left_out_in_production(client_for, org, register_section, caplog):
    NotificationFactory(recipient=org.rep.user)

    def broken(page, context):
        page.todos.append(TodoItem(key="half-built", title="Half built"))
        raise RuntimeError("appeals are broken")

    register_section("test-broken", broken, order=150)
    register_section("test-after", _todo("after-the-broken-one"), order=160)

    with caplog.at_level(logging.ERROR, logger="dashboard.home"):
        response = client_for(org.rep).get(reverse("home"))

    assert response.status_code == 200
    assert todo_keys(response) == ["notifications", "after-the-broken-one"]  # nothing half-built shows
    assert "'test-broken' failed" in caplog.text
    assert "appeals are broken" in caplog.text  # with its traceback


def test_a_failing_section_raises_while_debugging(client_for, org, register_section, settings):
    settings.DEBUG = True

    def broken(page, context):
        raise RuntimeError("appeals are broken")

    register_section("test-broken", broken, order=150)

    with pytest.raises(RuntimeError, match="appeals are broken"):
        client_for(org.rep).get(reverse("home"))
