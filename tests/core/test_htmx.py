"""A page answers htmx with a fragment only when htmx sent the request (HX-Request: true)."""

import pytest
from django.test import RequestFactory

from core.htmx import is_htmx


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"HX-Request": "true"}, True),
        ({}, False),
        ({"HX-Request": "false"}, False),
        ({"HX-Request": ""}, False),
        ({"HX-Request": "1"}, False),
    ],
)
def test_is_htmx_only_for_the_header_htmx_sends(headers, expected):
    request = RequestFactory().get("/", headers=headers)
    assert is_htmx(request) is expected
