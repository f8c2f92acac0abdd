"""HR's grade list: the page through real URLs with its denials and query counts, the rule every
writer follows once the list has entries, and the org chart import's check against it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from org.models import Employee, GradeLevel
from org.services import employee_update, grade_level_create
from tests.factories import EmployeeFactory
from tests.org.test_import import person, problems_of, to_csv, upload


@pytest.fixture
def grades(db):
    return [grade_level_create(code=code, rank=rank) for rank, code in enumerate(["P4", "P5", "M1"])]


# --- the page ---------------------------------------------------------------------------------


def test_hr_sees_the_grade_list_with_how_many_people_hold_each(org, grades, client_for):
    # The org fixture's people all hold P5 (the factory's default); the CEO holds nothing listed.
    Employee.objects.filter(pk=org.ceo.pk).update(grade_level="M9")

    response = client_for(org.hr).get(reverse("org:grade-levels"))

    assert response.status_code == 200
    rows = {grade.code: grade.people for grade in response.context["grades"]}
    assert rows == {"P4": 0, "P5": 7, "M1": 0}
    assert [code for code, _count in response.context["missing"]] == ["M9"]
    assert "grade-levels-missing" in response.content.decode()


def test_hr_adds_a_grade_level_and_the_same_code_in_another_case_is_refused(org, grades, client_for):
    client = client_for(org.hr)

    added = client.post(reverse("org:grade-levels"), {"code": " P6 ", "description": "资深", "rank": "3"})
    again = client.post(reverse("org:grade-levels"), {"code": "p6", "description": "", "rank": "4"})

    assert added.status_code == 302
    assert GradeLevel.objects.filter(code="P6", description="资深").exists()
    assert again.status_code == 400
    assert "already in the list" in again.content.decode()
    assert GradeLevel.objects.filter(code__iexact="p6").count() == 1


def test_a_grade_level_people_hold_cannot_be_removed_one_nobody_holds_can(org, grades, client_for):
    client = client_for(org.hr)
    p5 = GradeLevel.objects.get(code="P5")
    p4 = GradeLevel.objects.get(code="P4")

    refused = client.post(reverse("org:grade-level-delete", args=[p5.pk]), follow=True)
    removed = client.post(reverse("org:grade-level-delete", args=[p4.pk]), follow=True)

    assert "8 people still hold grade level P5" in refused.content.decode()
    assert GradeLevel.objects.filter(pk=p5.pk).exists()
    assert "Grade level P4 is removed" in removed.content.decode()
    assert not GradeLevel.objects.filter(pk=p4.pk).exists()


@pytest.mark.parametrize("who", ["rep", "lead"])
def test_employees_and_managers_cannot_see_or_change_the_grade_list(org, grades, client_for, who):
    client = client_for(getattr(org, who))
    p4 = GradeLevel.objects.get(code="P4")

    assert client.get(reverse("org:grade-levels")).status_code == 403
    assert client.post(reverse("org:grade-levels"), {"code": "X1", "rank": "0"}).status_code == 403
    assert client.post(reverse("org:grade-level-delete", args=[p4.pk])).status_code == 403
    assert GradeLevel.objects.count() == 3


def test_the_grade_list_page_query_count_does_not_grow(org, grades, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.hr)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("org:grade-levels"))
    for rank in range(10, 30):
        grade_level_create(code=f"G{rank}", rank=rank)
    EmployeeFactory.create_batch(10, unit=org.south, manager=org.peer_lead, grade_level="G12")

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("org:grade-levels"))
    assert len(response.context["grades"]) == 23


# --- the rule for every writer ----------------------------------------------------------------


def test_a_person_can_only_get_a_listed_grade_level_once_there_is_a_list(org):
    employee_update(employee=org.rep, grade_level="Z9")  # no list yet: anything goes
    grade_level_create(code="P4")

    with pytest.raises(ValidationError) as refused:
        employee_update(employee=org.rep, grade_level="Z8")
    employee_update(employee=org.rep, grade_level="p4")

    assert "Use one of: P4" in str(refused.value)
    org.rep.refresh_from_db()
    assert org.rep.grade_level == "P4"


# --- the org chart import ------------------------------------------------------------------------


def test_import_refuses_grade_levels_not_in_the_list_and_names_the_allowed_ones(org, grades, client_for):
    rows = [person("N900", grade="P9"), person("N901", grade="p4"), person("N902", grade="")]

    problems = problems_of(upload(client_for(org.hr), to_csv(rows)))

    assert [(p["row"], p["column"]) for p in problems] == [(2, "Grade level")]
    assert "“P9” is not in the grade list" in problems[0]["message"]
    assert "Use one of: P4, P5, M1" in problems[0]["message"]
    assert not Employee.objects.filter(employee_number__startswith="N90").exists()


def test_import_writes_the_grade_level_as_the_list_spells_it(org, grades, client_for):
    response = upload(client_for(org.hr), to_csv([person("N901", grade="p4"), person("N902", grade="")]))

    assert response.status_code == 302
    assert Employee.objects.get(employee_number="N901").grade_level == "P4"
    assert Employee.objects.get(employee_number="N902").grade_level == ""
