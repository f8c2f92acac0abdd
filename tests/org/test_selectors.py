from org.selectors import (
    employee_list_in_unit,
    employee_list_visible_to,
    employee_management_chain,
    employee_reports,
    unit_paths,
    user_roles,
)


def test_reports_direct_and_indirect(org):
    # given the sales director
    # when we ask for the whole subtree and for direct reports only
    everyone = set(employee_reports(manager=org.director))
    direct = set(employee_reports(manager=org.director, direct_only=True))
    # then the subtree holds both leads and all reps, direct only the leads
    assert everyone == {org.lead, org.rep, org.rep2, org.peer_lead, org.other_rep}
    assert direct == {org.lead, org.peer_lead}


def test_management_chain_nearest_first(org):
    assert employee_management_chain(employee=org.rep) == [org.lead, org.director, org.ceo]
    assert employee_management_chain(employee=org.ceo) == []


def test_people_in_unit_and_below(org):
    assert set(employee_list_in_unit(unit=org.sales)) == {
        org.director,
        org.lead,
        org.rep,
        org.rep2,
        org.peer_lead,
        org.other_rep,
    }
    assert set(employee_list_in_unit(unit=org.sales, include_subunits=False)) == {org.director}


def test_roles(org):
    assert user_roles(org.rep.user) == {"employee"}
    assert user_roles(org.lead.user) == {"employee", "manager"}
    assert user_roles(org.hr.user) == {"employee", "hr"}
    assert user_roles(org.ceo.user) == {"employee", "manager", "executive"}
    assert user_roles(org.admin) == {"admin"}


def test_visibility_of_a_rep_is_self_and_chain(org):
    assert set(employee_list_visible_to(actor=org.rep.user)) == {org.rep, org.lead, org.director, org.ceo}


def test_visibility_of_a_lead_excludes_peer_team(org):
    visible = set(employee_list_visible_to(actor=org.lead.user))
    assert org.rep in visible
    assert org.other_rep not in visible
    assert org.peer_lead not in visible


def test_unit_paths(org):
    paths = unit_paths()
    assert paths[org.east.pk] == ["星河科技", "销售中心", "华东销售部"]
