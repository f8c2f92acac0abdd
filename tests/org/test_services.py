import pytest

from org.errors import OrgError
from org.models import Employee
from org.rules import find_cycle, find_cycles, split_unit_path
from org.services import employee_create, employee_update, unit_update


def test_manager_change_that_closes_a_loop_is_refused(org):
    # given the director manages the lead; when the director is put under the rep
    with pytest.raises(OrgError) as err:
        employee_update(employee=org.director, manager=org.rep)
    # then it is refused with a message that says what to do, and nothing changed
    assert err.value.code == "org.manager_cycle"
    assert "manager" in err.value.extra["errors"]
    org.director.refresh_from_db()
    assert org.director.manager == org.ceo


def test_own_manager_is_refused(org):
    with pytest.raises(OrgError):
        employee_update(employee=org.rep, manager=org.rep)


def test_manager_change_that_is_fine_keeps_history(org):
    employee_update(employee=org.rep, manager=org.peer_lead)
    org.rep.refresh_from_db()
    assert org.rep.manager == org.peer_lead
    assert org.rep.history.count() == 2
    assert org.rep.history.first().manager_id == org.peer_lead.pk


def test_unit_parent_loop_is_refused(org):
    with pytest.raises(OrgError) as err:
        unit_update(unit=org.sales, parent=org.east)
    assert err.value.code == "org.unit_cycle"


def test_employee_create_makes_login_with_unusable_password(org):
    emp = employee_create(
        employee_number="N1", full_name="新人", email="n1@example.com", unit=org.east, manager=org.lead
    )
    assert emp.user.username == "N1"
    assert not emp.user.has_usable_password()
    assert Employee.objects.get(employee_number="N1").manager == org.lead


def test_unknown_field_is_a_programming_error(org):
    with pytest.raises(TypeError):
        employee_update(employee=org.rep, salary=1)


def test_rules_find_cycles():
    assert find_cycle({"a": "b", "b": None}, "a") is None
    assert find_cycle({"a": "b", "b": "a"}, "a") == ["a", "b", "a"]
    assert find_cycle({"x": "a", "a": "b", "b": "c", "c": "a"}, "x") == ["a", "b", "c", "a"]
    cycles = find_cycles({"a": "b", "b": "a", "c": "c", "d": None})
    assert sorted(len(c) for c in cycles) == [2, 3]


def test_split_unit_path():
    assert split_unit_path(" 星河科技 / 销售中心/华东销售部 ") == ["星河科技", "销售中心", "华东销售部"]
    assert split_unit_path("") == []
