import pytest
from django.core.management import call_command

from org.models import Employee, OrgUnit, User
from org.selectors import employee_management_chain, user_roles


@pytest.mark.smoke
def test_seed_demo_builds_the_company_with_a_login_per_role(db):
    call_command("seed_demo")
    assert 55 <= Employee.objects.count() <= 70
    depth = max(len(employee_management_chain(employee=e)) for e in Employee.objects.all())
    assert depth >= 3  # four levels of people at least
    logins = {
        "wangfang": {"employee"},
        "zhaolei": {"employee", "manager"},
        "liuyang": {"employee", "manager", "hr"},
        "chenjing": {"employee", "manager", "executive"},
        "admin": {"admin"},
    }
    for username, roles in logins.items():
        user = User.objects.get(username=username)
        assert user.check_password("stride-demo")
        assert set(user_roles(user)) == roles
    assert OrgUnit.objects.filter(name="华东销售部", name_en="East China sales").exists()
    languages = set(Employee.objects.values_list("preferred_language", flat=True))
    assert languages == {"en", "zh-hans"}
    # job titles in both languages, like names and units
    assert not Employee.objects.filter(job_title_en="").exists()
    assert Employee.objects.get(user__username="zhaolei").job_title_en == "East China sales manager"


def test_seed_demo_if_empty_leaves_existing_data_alone(org):
    before = Employee.objects.count()
    call_command("seed_demo", "--if-empty")
    assert Employee.objects.count() == before


@pytest.mark.smoke
def test_seed_demo_tells_the_articles_goal_story(db):
    from goals.models import KeyResult, Kpi, KpiReference, Measurement, Objective, StrategicTheme

    call_command("seed_demo")
    assert set(StrategicTheme.objects.values_list("perspective", flat=True)) == {
        "financial", "customer", "internal_process", "learning_growth"
    }  # fmt: skip
    assert Kpi.objects.current().count() >= 11
    # units of measure in both languages, on the KPIs and on the key results set with them
    assert not Kpi.objects.exclude(unit="").filter(unit_en="").exists()
    assert Kpi.objects.get(code="NEW_CUST", is_current=True).unit_en == "customers"
    assert not KeyResult.objects.exclude(unit="").filter(unit_en="").exists()
    assert KpiReference.objects.filter(kpi_code="NEW_CUST", grade_level="P3").exists()
    # the cascade: company → sales centre → east → a rep
    rep_goal = Objective.objects.get(owner_employee__user__username="lina", title__contains="新签客户")
    assert rep_goal.parent.parent.parent.level == "company"
    assert Measurement.objects.count() > 300
    assert Objective.objects.filter(status="submitted", owner_employee__manager__user__username="zhaolei").exists()
    vague = Objective.objects.get(title="提高客户满意度")
    assert vague.status == "draft"


def test_seed_demo_queues_no_path_roll_ups_and_then_updates_roll_up_again(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    from goals.models import KeyResult
    from goals.progress.services.measurements import measurement_record

    queued = []
    monkeypatch.setattr("goals.tasks._enqueue", lambda task, kwargs: queued.append((task.name, kwargs)))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert queued == []  # the demo's own full recompute made every score already
    key_result = KeyResult.objects.filter(objective__status="approved", direction="higher").first()
    with django_capture_on_commit_callbacks(execute=True):
        measurement_record(
            key_result=key_result, value=key_result.target, as_of=key_result.objective.period.start, actor=None
        )
    assert queued == [("goals.recompute_path", {"key_result_id": key_result.pk})]  # afterwards they roll up again


@pytest.mark.smoke
def test_every_roles_main_pages_answer_on_the_demo_company(db, client):
    """On the embedded default too (the smoke run is SQLite): the pages whose reads walk trees in
    raw SQL — homes, team, approvals, the cascade and its levels, a search — answer for each role."""
    from django.urls import reverse

    from goals.models import Objective, Period
    from org.models import OrgUnit, User

    call_command("seed_demo")
    year = Period.objects.filter(kind="year").order_by("-start").first()
    unit = OrgUnit.objects.filter(parent__isnull=False).order_by("pk").first()
    aligned = Objective.objects.filter(children__isnull=False, level="unit").order_by("pk").first()
    pages = {
        "wangfang": ["/", reverse("goals:my-objectives"), reverse("goals:cascade")],
        "zhaolei": ["/", reverse("goals:team-objectives"), reverse("goals:approvals"),
                    f"{reverse('goals:cascade')}?unit={unit.pk}", f"{reverse('goals:cascade')}?q=%E9%94%80",
                    f"{reverse('goals:cascade-children', args=[aligned.pk])}?period={year.pk}"],
        "liuyang": ["/", reverse("goals:approvals"), reverse("org:people")],
        "chenjing": ["/", reverse("goals:cascade"), reverse("goals:themes"), "/api/v1/goals/objectives/"],
    }  # fmt: skip
    for username, urls in pages.items():
        client.force_login(User.objects.get(username=username))
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
