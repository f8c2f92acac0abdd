"""IdsFirstPaginator: a page read ids first, then its rows — the same rows in the same order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api import IdsFirstPaginator
from org.models import Employee
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return [EmployeeFactory(job_title=f"title {i % 4}") for i in range(23)]


def _ordered():
    return Employee.objects.select_related("user", "unit").order_by("job_title", "-pk")


def test_the_pages_hold_the_rows_of_one_query_in_its_order(people):
    paginator = IdsFirstPaginator(_ordered(), 5, orphans=3)

    pages = [list(paginator.page(number)) for number in paginator.page_range]

    assert [len(page) for page in pages] == [5, 5, 5, 8]  # the last page keeps its orphans
    assert [row.pk for page in pages for row in page] == [row.pk for row in _ordered()]


def test_a_page_sorts_ids_without_the_select_related_joins_then_reads_its_rows(people):
    paginator = IdsFirstPaginator(_ordered(), 5)
    paginator.count  # noqa: B018 (counted first, as a list page does)

    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(2)
        users = [row.user.username for row in page]  # read with the rows: no query per row

    ids_query, rows_query = (q["sql"] for q in queries.captured_queries)
    assert "org_user" not in ids_query
    assert "LIMIT 5 OFFSET 5" in ids_query
    assert "org_user" in rows_query
    assert "ORDER BY" not in rows_query  # the ids' order is the page's: the rows are not sorted again
    assert len(users) == 5


def test_a_list_is_paginated_as_before():
    paginator = IdsFirstPaginator([3, 1, 2], 2)
    assert list(paginator.page(2)) == [2]


def test_an_empty_query_set_has_an_empty_first_page():
    paginator = IdsFirstPaginator(_ordered(), 5)
    assert list(paginator.page(1)) == []
