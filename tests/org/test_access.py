"""Every branch of the employee-record access functions, including the denials."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from org.access import employee_access_for_edit, employee_access_for_view, org_access_for_manage


@pytest.mark.parametrize(
    ("actor", "target"),
    [
        ("rep", "rep"),  # myself
        ("rep", "lead"),  # my manager
        ("rep", "ceo"),  # the top of my chain
        ("lead", "rep"),  # my direct report
        ("director", "other_rep"),  # an indirect report
        ("hr", "other_rep"),  # HR sees everyone
        ("ceo", "rep"),  # executives see everyone
        ("admin", "rep"),  # admins see everyone
    ],
)
def test_view_allowed(org, actor, target):
    who = getattr(org, actor)
    user = who if actor == "admin" else who.user
    assert employee_access_for_view(actor=user, employee_id=getattr(org, target).pk) == getattr(org, target)


@pytest.mark.parametrize(
    ("actor", "target"),
    [
        ("rep", "rep2"),  # a teammate
        ("rep", "other_rep"),  # someone in another team
        ("lead", "peer_lead"),  # a peer manager
        ("lead", "other_rep"),  # a peer manager's report
        ("lead", "hr"),  # someone outside my chain
    ],
)
def test_view_hidden_answers_404(org, actor, target):
    with pytest.raises(Http404):
        employee_access_for_view(actor=getattr(org, actor).user, employee_id=getattr(org, target).pk)


def test_view_of_missing_record_is_404(org):
    with pytest.raises(Http404):
        employee_access_for_view(actor=org.hr.user, employee_id=999_999)


def test_edit_only_hr_and_admin(org):
    assert employee_access_for_edit(actor=org.hr.user, employee_id=org.rep.pk) == org.rep
    assert employee_access_for_edit(actor=org.admin, employee_id=org.rep.pk) == org.rep


@pytest.mark.parametrize("actor", ["lead", "ceo", "rep"])
def test_edit_denied_to_those_who_may_only_read(org, actor):
    target = org.rep
    with pytest.raises(PermissionDenied):
        employee_access_for_edit(actor=getattr(org, actor).user, employee_id=target.pk)


def test_edit_of_a_hidden_record_is_404_not_403(org):
    with pytest.raises(Http404):
        employee_access_for_edit(actor=org.rep.user, employee_id=org.other_rep.pk)


def test_org_manage(org, django_user_model):
    org_access_for_manage(actor=org.hr.user)
    org_access_for_manage(actor=org.admin)
    for who in (org.rep.user, org.lead.user, org.ceo.user):
        with pytest.raises(PermissionDenied):
            org_access_for_manage(actor=who)


def test_user_without_employee_profile_sees_no_one(db):
    from org.selectors import employee_list_visible_to
    from tests.factories import UserFactory

    assert list(employee_list_visible_to(actor=UserFactory())) == []
