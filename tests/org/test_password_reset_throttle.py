"""Password reset requests send e-mail, so an anonymous visitor cannot send them without limit."""

import pytest
from django.core import mail
from django.urls import reverse

from org.signin.reset import RESET_LIMIT_PER_CLIENT, RESET_LIMIT_PER_EMAIL

pytestmark = pytest.mark.django_db


def _ask(client, email, address="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_a_persons_mailbox_gets_at_most_the_limit_of_reset_links_an_hour(client, org):
    # given: the rep's address asked for a reset link as often as allowed, from different addresses
    email = org.rep.user.email
    for i in range(RESET_LIMIT_PER_EMAIL):
        assert _ask(client, email, address=f"198.51.100.{i + 1}").status_code == 302
    assert len(mail.outbox) == RESET_LIMIT_PER_EMAIL
    # when: once more, in another case, from yet another address
    response = _ask(client, email.upper(), address="198.51.100.99")
    # then: refused with a message saying what to do; no e-mail sent
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many password reset requests" in response.content.decode()
    assert len(mail.outbox) == RESET_LIMIT_PER_EMAIL


def test_one_client_cannot_spray_reset_requests_over_many_addresses(client, org):
    # given: one client asking for many different addresses (known or not: the answer is the same)
    for i in range(RESET_LIMIT_PER_CLIENT):
        assert _ask(client, f"nobody{i}@example.com").status_code == 302
    # when / then: the next request from that client is refused, even for a real account
    response = _ask(client, org.rep.user.email)
    assert response.status_code == 429
    assert mail.outbox == []
    # and: another client is not held up
    assert _ask(client, org.rep.user.email, address="192.0.2.50").status_code == 302
    assert len(mail.outbox) == 1


def test_the_refusal_is_in_chinese_for_a_chinese_reader(client, org):
    for i in range(RESET_LIMIT_PER_EMAIL):
        _ask(client, org.rep.user.email, address=f"198.51.100.{i + 1}")
    response = client.post(
        reverse("password_reset"),
        {"email": org.rep.user.email},
        REMOTE_ADDR="198.51.100.9",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 429
    assert "密码重置请求过多" in response.content.decode()
