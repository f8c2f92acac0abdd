"""Shared fixtures: a small organisation with every role, and logged-in clients."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from org.models import Employee, OrgUnit, User
from tests.factories import EmployeeFactory, OrgUnitFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Counters in the cache (password-reset throttling) start from zero in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class Org:
    """Head office → Sales → East sales; a CEO, a sales director, a team lead and reps.

    ceo ─ director ─ lead ─ rep, rep2
                   └ peer_lead ─ other_rep
    plus hr (reports to ceo), an executive without reports below sales, an admin account
    without an employee profile.
    """

    root: OrgUnit
    sales: OrgUnit
    east: OrgUnit
    south: OrgUnit
    hr_unit: OrgUnit
    ceo: Employee
    director: Employee
    lead: Employee
    rep: Employee
    rep2: Employee
    peer_lead: Employee
    other_rep: Employee
    hr: Employee
    admin: User


@pytest.fixture
def org(db) -> Org:
    root = OrgUnitFactory(name="星河科技", name_en="Xinghe Technology", kind=OrgUnit.Kind.COMPANY)
    sales = OrgUnitFactory(name="销售中心", name_en="Sales", parent=root, kind=OrgUnit.Kind.DIVISION)
    east = OrgUnitFactory(name="华东销售部", name_en="East China sales", parent=sales)
    south = OrgUnitFactory(name="华南销售部", name_en="South China sales", parent=sales)
    hr_unit = OrgUnitFactory(name="人力资源部", name_en="HR", parent=root)
    ceo = EmployeeFactory(user__username="ceo", user__is_executive=True, unit=root, job_title="CEO")
    director = EmployeeFactory(user__username="director", unit=sales, manager=ceo)
    lead = EmployeeFactory(user__username="lead", unit=east, manager=director)
    rep = EmployeeFactory(user__username="rep", unit=east, manager=lead)
    rep2 = EmployeeFactory(user__username="rep2", unit=east, manager=lead)
    peer_lead = EmployeeFactory(user__username="peerlead", unit=south, manager=director)
    other_rep = EmployeeFactory(user__username="otherrep", unit=south, manager=peer_lead)
    hr = EmployeeFactory(user__username="hr", user__is_hr=True, unit=hr_unit, manager=ceo)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    return Org(root, sales, east, south, hr_unit, ceo, director, lead, rep, rep2, peer_lead, other_rep, hr, admin)


@pytest.fixture
def client_for(client):
    """Log the Django test client in as a user (or an employee's user)."""

    def _login(who):
        user = who.user if isinstance(who, Employee) else who
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_for():
    """An authenticated DRF APIClient for a user (or an employee's user)."""

    def _login(who):
        user = who.user if isinstance(who, Employee) else who
        api = APIClient()
        api.force_authenticate(user)
        return api

    return _login
