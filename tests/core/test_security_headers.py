"""Security headers: a Content-Security-Policy without inline scripts, a Permissions-Policy,
and `Cache-Control: private, no-store` on what belongs to one signed-in person and on the API."""

import re

import pytest
from django.urls import reverse

from tests.pmsite.processes import BASE_DIR


def _csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_a_signed_in_page_has_a_strict_policy_and_is_not_stored(client_for, org):
    # when: an employee opens the home page
    response = client_for(org.rep).get(reverse("home"))
    # then: scripts only from our own origin, never inline or eval
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    # and powerful browser features are switched off
    features = dict(item.strip().split("=") for item in response.headers["Permissions-Policy"].split(","))
    assert features["camera"] == "()"
    assert features["microphone"] == "()"
    assert features["geolocation"] == "()"
    # and no cache (shared proxy or back button after logout) keeps a copy
    assert response.headers["Cache-Control"] == "private, no-store"


def test_the_login_page_has_the_policy_too(client):
    response = client.get(reverse("login"))
    assert _csp(response)["script-src"] == ["'self'"]
    assert "Permissions-Policy" in response.headers


def test_exports_are_not_stored(client_for, org):
    response = client_for(org.hr).get(reverse("org_io:export"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("signed_in", [True, False])
def test_api_answers_are_not_stored(api_for, client, org, signed_in):
    api = api_for(org.rep) if signed_in else client
    response = api.get(reverse("api-me"))
    assert response.status_code == (200 if signed_in else 401)
    assert response.headers["Cache-Control"] == "private, no-store"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
HTMX_EVAL = re.compile(r"\shx-on[:-]|\shx-vars=|hx-vals=['\"]js:|\[[^\]]*\]\"[^>]*hx-", re.IGNORECASE)


def _page_templates():
    for path in sorted((BASE_DIR / "templates").rglob("*.html")):
        if "email" not in path.parts:  # e-mails are not pages
            yield path


def test_templates_have_no_inline_scripts_or_event_handlers():
    problems = []
    for path in _page_templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, HTMX_EVAL):
            problems += [f"{path.relative_to(BASE_DIR)}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert problems == []


def test_htmx_does_not_inject_its_indicator_styles(client_for, org):
    body = client_for(org.rep).get(reverse("home")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in body
