"""HR's library pages through real URLs: KPIs and versions, reference ranges, SMART settings,
integration tokens — with the denials and query counts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from goals.models import IntegrationClient, Kpi, KpiReference, SmartCriterionSetting
from goals.progress.services.integrations import integration_client_authenticate
from goals.strategy.selectors import smart_warn_only
from goals.strategy.services import kpi_reference_set, kpi_update, smart_setting_set
from tests.goals.factories import KeyResultFactory, KpiFactory

KPI_POST = {
    "code": "NEW_CUST",
    "name": "新客户数",
    "name_en": "New customers",
    "definition": "本期首次签约的客户数。",
    "formula": "计数",
    "unit": "家",
    "direction": "higher",
    "category": "non_financial",
    "perspective": "customer",
    "frequency": "monthly",
}


def listed_codes(response) -> list[str]:
    return re.findall(
        r'<td class="primary nowrap"><a href="/goals/kpis/[^/]+/"><code>([^<]+)</code>', response.content.decode()
    )


@pytest.fixture
def kpi(db):
    return KpiFactory(code="NEW_CUST", name="新客户数", name_en="New customers", unit="家")


# --- denials ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, kpi):
    for url in (
        reverse("goals:kpis"),
        reverse("goals:kpi-detail", args=[kpi.code]),
        reverse("goals:kpi-create"),
        reverse("goals:kpi-edit", args=[kpi.code]),
        reverse("goals:smart-settings"),
        reverse("goals:integrations"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["rep", "lead", "ceo"])
def test_library_changes_are_403_for_everyone_but_hr(client_for, org, kpi, who):
    client = client_for(getattr(org, who))
    assert client.get(reverse("goals:kpi-create")).status_code == 403
    assert client.post(reverse("goals:kpi-create"), KPI_POST | {"code": "OTHER"}).status_code == 403
    assert client.get(reverse("goals:kpi-edit", args=[kpi.code])).status_code == 403
    assert client.post(reverse("goals:kpi-edit", args=[kpi.code]), KPI_POST).status_code == 403
    reference = {"grade_level": "P3", "low": "4", "high": "6", "per": "month"}
    assert client.post(reverse("goals:kpi-reference-set", args=[kpi.code]), reference).status_code == 403
    assert client.get(reverse("goals:smart-settings")).status_code == 403
    assert client.post(reverse("goals:smart-settings"), {"achievable": "on"}).status_code == 403
    assert client.get(reverse("goals:integrations")).status_code == 403
    assert client.post(reverse("goals:integrations"), {"name": "CRM"}).status_code == 403
    assert Kpi.objects.count() == 1
    assert not KpiReference.objects.exists()
    assert not SmartCriterionSetting.objects.exists()
    assert not IntegrationClient.objects.exists()


def test_admin_manages_the_library(client_for, org, kpi):
    client = client_for(org.admin)
    for url in (reverse("goals:kpi-create"), reverse("goals:smart-settings"), reverse("goals:integrations")):
        assert client.get(url).status_code == 200


# --- KPI list -------------------------------------------------------------------------------


def test_everyone_reads_the_library_current_versions_only(client_for, org, kpi):
    kpi_update(kpi=kpi, actor=org.hr.user, definition="A new definition")
    KpiFactory(code="CSAT", name="客户满意度", name_en="Customer satisfaction")
    response = client_for(org.rep).get(reverse("goals:kpis"))
    assert response.status_code == 200
    assert listed_codes(response) == ["CSAT", "NEW_CUST"]
    body = response.content.decode()
    assert "v2" in body
    assert reverse("goals:kpi-create") not in body  # reading, not managing
    assert reverse("goals:kpi-create") in client_for(org.hr).get(reverse("goals:kpis")).content.decode()


def test_search_and_filters(client_for, org, kpi):
    KpiFactory(code="SALES_REV", name="销售额", name_en="Sales revenue", category="financial", perspective="financial")
    KpiFactory(code="CSAT", name="客户满意度", name_en="Customer satisfaction", perspective="customer")
    client = client_for(org.lead)
    assert listed_codes(client.get(reverse("goals:kpis"), {"q": "sales"})) == ["SALES_REV"]
    assert listed_codes(client.get(reverse("goals:kpis"), {"q": "满意"})) == ["CSAT"]
    assert listed_codes(client.get(reverse("goals:kpis"), {"q": "new_c"})) == ["NEW_CUST"]
    assert listed_codes(client.get(reverse("goals:kpis"), {"category": "financial"})) == ["SALES_REV"]
    assert listed_codes(client.get(reverse("goals:kpis"), {"perspective": "customer"})) == ["CSAT", "NEW_CUST"]


@pytest.mark.parametrize("extra", [3, 40])
def test_kpi_list_is_paginated_and_its_query_count_does_not_grow(
    client_for, org, db, django_assert_max_num_queries, extra
):
    for _ in range(extra):
        kpi = KpiFactory()
        kpi_update(kpi=kpi, actor=org.hr.user, unit="%")  # a second version each
    client = client_for(org.rep)
    client.get(reverse("goals:kpis"))
    with django_assert_max_num_queries(7):  # nav (5) + count + page
        response = client.get(reverse("goals:kpis"))
    assert len(listed_codes(response)) == min(extra, 25)
    if extra > 25:
        assert "Page 1 of 2" in response.content.decode()
        assert len(listed_codes(client.get(reverse("goals:kpis"), {"page": 2}))) == extra - 25


# --- KPI detail, create and edit ----------------------------------------------------------


def test_hr_creates_a_kpi(client_for, org, db):
    response = client_for(org.hr).post(reverse("goals:kpi-create"), KPI_POST)
    assert response.status_code == 302
    kpi = Kpi.objects.get()
    assert (kpi.code, kpi.version, kpi.is_current, kpi.name_en) == ("NEW_CUST", 1, True, "New customers")
    page = client_for(org.hr).get(response["Location"])
    assert "version 1" in page.content.decode()


def test_duplicate_or_bad_code_is_a_form_error_that_keeps_the_input(client_for, org, kpi):
    client = client_for(org.hr)
    response = client.post(reverse("goals:kpi-create"), KPI_POST | {"code": "new_cust", "name_en": "Typed"})
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors["code"])
    assert 'value="Typed"' in response.content.decode()
    response = client.post(reverse("goals:kpi-create"), KPI_POST | {"code": "NEW CUST"})
    assert "code" in response.context["form"].errors
    assert Kpi.objects.count() == 1


def test_definition_change_makes_a_new_version_and_key_results_keep_theirs(client_for, org, kpi):
    old_key_result = KeyResultFactory(kpi=kpi)
    client = client_for(org.hr)
    form = client.get(reverse("goals:kpi-edit", args=[kpi.code]))
    assert "creates version 2" in form.content.decode()
    response = client.post(
        reverse("goals:kpi-edit", args=[kpi.code]), KPI_POST | {"definition": "首次签约且回款的客户数。"}, follow=True
    )
    assert "saved as version 2" in response.content.decode()
    assert "Key results set with version 1 keep it" in response.content.decode()
    current = Kpi.objects.get(code=kpi.code, is_current=True)
    assert current.version == 2
    assert current.definition == "首次签约且回款的客户数。"
    old_key_result.refresh_from_db()
    assert old_key_result.kpi_id == kpi.pk
    assert old_key_result.kpi.version == 1


def test_name_change_edits_the_version_in_place(client_for, org, kpi):
    response = client_for(org.hr).post(
        reverse("goals:kpi-edit", args=[kpi.code]),
        KPI_POST | {"definition": kpi.definition, "formula": kpi.formula, "name_en": "New customers won"},
        follow=True,
    )
    assert "stays version 1" in response.content.decode()
    assert list(Kpi.objects.values_list("version", "name_en")) == [(1, "New customers won")]


def test_detail_shows_versions_changes_usage_and_reference_ranges(client_for, org, kpi):
    KeyResultFactory(kpi=kpi)
    KeyResultFactory(kpi=kpi)
    v2 = kpi_update(kpi=kpi, actor=org.hr.user, unit="位", definition="新定义")
    KeyResultFactory(kpi=v2)
    kpi_reference_set(actor=org.hr.user, kpi_code=kpi.code, grade_level="P3", low=Decimal("4"), high=Decimal("6"))
    response = client_for(org.rep).get(reverse("goals:kpi-detail", args=[kpi.code]))
    body = response.content.decode()
    assert response.status_code == 200
    versions = response.context["versions"]
    assert [(row["kpi"].version, row["kpi"].key_result_count) for row in versions] == [(2, 1), (1, 2)]
    assert {change["label"] for change in versions[0]["changes"]} == {"definition", "unit of measure"}
    assert "used by 2 key results" in body
    assert "<del>家</del> → <ins>位</ins>" in body
    assert 'data-grade="P3"' in body
    assert "48–72 位" in body  # 4–6 a month is 48–72 for a year
    assert "Achievable" in body
    assert 'id="reference-form"' not in body  # the form is HR's


@pytest.mark.parametrize("size", [2, 15])
def test_kpi_detail_query_count_does_not_grow(client_for, org, kpi, django_assert_max_num_queries, size):
    current = kpi
    for i in range(size):
        KeyResultFactory(kpi=current)
        current = kpi_update(kpi=current, actor=org.hr.user, definition=f"定义 {i}")
        kpi_reference_set(
            actor=org.hr.user, kpi_code=kpi.code, grade_level=f"P{i}", low=Decimal(i), high=Decimal(i + 2)
        )
    client = client_for(org.hr)
    client.get(reverse("goals:kpi-detail", args=[kpi.code]))
    with django_assert_max_num_queries(9):  # nav (5) + versions with usage + ranges + HR's grade list + held ones
        response = client.get(reverse("goals:kpi-detail", args=[kpi.code]))
    assert len(response.context["versions"]) == size + 1


def test_unknown_kpi_is_404(client_for, org, db):
    client = client_for(org.hr)
    assert client.get(reverse("goals:kpi-detail", args=["NOPE"])).status_code == 404
    assert client.get(reverse("goals:kpi-edit", args=["NOPE"])).status_code == 404
    reference = {"grade_level": "P3", "low": "4", "high": "6", "per": "month"}
    assert client.post(reverse("goals:kpi-reference-set", args=["NOPE"]), reference).status_code == 404


# --- reference ranges -------------------------------------------------------------------


def test_hr_adds_and_changes_a_reference_range(client_for, org, kpi):
    client = client_for(org.hr)
    url = reverse("goals:kpi-reference-set", args=[kpi.code])
    response = client.post(url, {"grade_level": "P3", "low": "4", "high": "6", "per": "month"}, follow=True)
    assert "The reference range for grade P3 is saved: 4–6 家" in response.content.decode()
    response = client.post(url, {"grade_level": "P3", "low": "12", "high": "18", "per": "quarter"})
    assert response.status_code == 302
    reference = KpiReference.objects.get()
    assert (reference.low, reference.high, reference.per) == (Decimal("12"), Decimal("18"), "quarter")
    assert reference.history.count() == 2
    # "Change" prefills the form with the grade's range
    form = client.get(reverse("goals:kpi-detail", args=[kpi.code]), {"grade": "P3"}).context["reference_form"]
    assert form.initial == {"grade_level": "P3", "low": "12", "high": "18", "per": "quarter"}


def test_reference_range_high_below_low_is_refused_with_a_clear_error(client_for, org, kpi):
    response = client_for(org.hr).post(
        reverse("goals:kpi-reference-set", args=[kpi.code]), {"grade_level": "P5", "low": "10", "high": "8"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The high end (8) must not be below the low end (10)." in body
    assert 'value="P5"' in body
    assert not KpiReference.objects.exists()


def test_reference_set_is_post_only(client_for, org, kpi):
    assert client_for(org.hr).get(reverse("goals:kpi-reference-set", args=[kpi.code])).status_code == 405


# --- SMART settings ----------------------------------------------------------------------


def test_hr_sets_a_criterion_to_warn_only_and_it_is_in_history(client_for, org, db):
    client = client_for(org.hr)
    page = client.get(reverse("goals:smart-settings"))
    assert page.status_code == 200
    assert page.content.decode().count('type="checkbox"') == 5
    response = client.post(reverse("goals:smart-settings"), {"achievable": "on"}, follow=True)
    assert "The SMART settings are saved." in response.content.decode()
    assert smart_warn_only() == frozenset({"achievable"})
    history = response.context["page_obj"].object_list
    assert [(entry.criterion, entry.warn_only, entry.history_user) for entry in history] == [
        ("achievable", True, org.hr.user)
    ]
    # switching it back is one more history entry; untouched criteria get none
    client.post(reverse("goals:smart-settings"), {})
    assert smart_warn_only() == frozenset()
    assert [entry.warn_only for entry in client.get(reverse("goals:smart-settings")).context["page_obj"]] == [
        False,
        True,
    ]


@pytest.mark.parametrize("changes", [2, 40])
def test_smart_settings_history_is_paginated_and_its_query_count_does_not_grow(
    client_for, org, db, django_assert_max_num_queries, changes
):
    for i in range(changes):  # warn only, blocks, warn only, …: each one a change
        smart_setting_set(actor=org.hr.user, criterion="specific", warn_only=i % 2 == 0)
    client = client_for(org.hr)
    client.get(reverse("goals:smart-settings"))
    with django_assert_max_num_queries(8):  # nav (5) + settings + count + page
        response = client.get(reverse("goals:smart-settings"))
    assert len(response.context["page_obj"].object_list) == min(changes, 25)


# --- integration tokens ------------------------------------------------------------------


def test_issuing_shows_the_token_once_and_it_authenticates(client_for, org, db):
    client = client_for(org.hr)
    response = client.post(reverse("goals:integrations"), {"name": "CRM", "description": "Sales figures"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    raw = response.context["raw_token"]
    body = response.content.decode()
    assert raw in body
    assert "this is the only time it is shown" in body
    assert f'curl -H "Authorization: Bearer {raw}"' in body
    assert "http://testserver/api/v1/goals/measurements/push/" in body
    client_row = IntegrationClient.objects.get()
    assert raw not in (client_row.token_hash, client_row.token_prefix)
    assert integration_client_authenticate(raw_token=raw) == client_row
    # the list shows the prefix, never the token again
    listing = client.get(reverse("goals:integrations")).content.decode()
    assert raw not in listing
    assert f"{client_row.token_prefix}…" in listing
    assert "Sales figures" in listing


def test_revoking_stops_the_token(client_for, org, db):
    client = client_for(org.hr)
    raw = client.post(reverse("goals:integrations"), {"name": "ERP"}).context["raw_token"]
    system = IntegrationClient.objects.get()
    listing = client.get(reverse("goals:integrations")).content.decode()
    assert reverse("goals:integration-revoke", args=[system.pk]) in listing
    assert "Yes, revoke it" in listing
    assert client.get(reverse("goals:integration-revoke", args=[system.pk])).status_code == 405
    response = client.post(reverse("goals:integration-revoke", args=[system.pk]), follow=True)
    assert "is revoked" in response.content.decode()
    assert integration_client_authenticate(raw_token=raw) is None
    system.refresh_from_db()
    assert system.revoked_at is not None
    assert "Revoked" in response.content.decode()


def test_revoke_is_hr_only_and_unknown_is_404(client_for, org, db):
    client_for(org.hr).post(reverse("goals:integrations"), {"name": "ERP"})
    system = IntegrationClient.objects.get()
    assert client_for(org.lead).post(reverse("goals:integration-revoke", args=[system.pk])).status_code == 403
    system.refresh_from_db()
    assert system.is_active
    assert client_for(org.hr).post(reverse("goals:integration-revoke", args=[999])).status_code == 404


def test_duplicate_system_name_is_a_form_error(client_for, org, db):
    client = client_for(org.hr)
    client.post(reverse("goals:integrations"), {"name": "CRM"})
    response = client.post(reverse("goals:integrations"), {"name": "crm", "description": "again"})
    assert response.status_code == 200
    assert "raw_token" not in response.context
    assert "is already listed" in str(response.context["form"].errors["name"])
    assert 'value="again"' in response.content.decode()
    assert IntegrationClient.objects.count() == 1


@pytest.mark.parametrize("systems", [2, 30])
def test_integrations_list_is_paginated_and_its_query_count_does_not_grow(
    client_for, org, db, django_assert_max_num_queries, systems
):
    from goals.progress.services.integrations import integration_client_issue

    for i in range(systems):
        integration_client_issue(actor=org.hr.user, name=f"System {i:02d}")
    client = client_for(org.hr)
    client.get(reverse("goals:integrations"))
    with django_assert_max_num_queries(7):  # nav (5) + count + page
        response = client.get(reverse("goals:integrations"))
    assert len(response.context["page_obj"].object_list) == min(systems, 25)


def test_reference_ranges_suggest_hrs_grade_list_once_there_is_one(client_for, org, kpi):
    from org.models import GradeLevel

    url = reverse("goals:kpi-detail", args=[kpi.code])
    # given: no grade list yet — the grade levels people hold are suggested
    org.rep.grade_level = "P3"
    org.rep.save(update_fields=["grade_level"])
    before = client_for(org.hr).get(url).context["grade_levels"]
    assert "P3" in before
    # when: HR keeps a grade list, with a level nobody holds yet
    GradeLevel.objects.create(code="P2", rank=2)
    GradeLevel.objects.create(code="P3", rank=3)
    GradeLevel.objects.create(code="P9", rank=9)
    # then: the list is suggested, in its order
    assert client_for(org.hr).get(url).context["grade_levels"] == ["P2", "P3", "P9"]
