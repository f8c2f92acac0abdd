"""Log in, log out, change and reset a password — through the real pages."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, EmployeeFactory

NEW_PASSWORD = "Brand-new-pass-42"


def test_login_page_asks_for_user_name_or_email_and_shows_no_navigation(client, db):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "User name or e-mail address" in body
    assert 'data-section="my-work"' not in body
    assert reverse("password_reset") in body


def test_login_with_email_then_navigation_appears(client, org):
    response = client.post(
        reverse("login"), {"username": org.rep.user.email.upper(), "password": PASSWORD}, follow=True
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert 'data-section="my-work"' in body
    assert org.rep.user.display_name in body
    assert 'data-section="hr"' not in body


def test_login_follows_next(client, org):
    target = reverse("notifications:inbox")
    response = client.post(
        f"{reverse('login')}?next={target}", {"username": "rep", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target


def test_wrong_password_is_refused_with_a_message(client, org):
    response = client.post(reverse("login"), {"username": "rep", "password": "wrong"})
    assert response.status_code == 200
    assert 'class="errorlist nonfield"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_navigation_by_role(client_for, org):
    def sections(who):
        return re.findall(r'data-section="([^"]+)"', client_for(who).get(reverse("home")).content.decode())

    assert sections(org.rep) == ["my-work"]
    assert sections(org.lead) == ["my-work", "my-team"]
    assert sections(org.hr) == ["my-work", "hr"]
    assert sections(org.ceo) == ["my-work", "my-team", "strategy"]
    assert sections(org.admin) == ["my-work", "hr", "strategy"]


def test_current_section_is_marked_active(client_for, org):
    body = client_for(org.hr).get(reverse("org:people")).content.decode()
    assert re.search(r'data-section="hr" class="active" aria-current="true"', body)
    assert not re.search(r'data-section="my-work" class="active"', body)


def test_logout_is_a_post_and_returns_to_login(client_for, org):
    client = client_for(org.rep)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_password_change_needs_login(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change(client, org):
    client.post(reverse("login"), {"username": "rep", "password": PASSWORD})
    page = client.get(reverse("password_change"))
    assert page.status_code == 200

    bad = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert bad.status_code == 200
    assert 'class="errorlist' in bad.content.decode()

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Your password was changed." in response.content.decode()
    assert Client().login(username="rep", password=NEW_PASSWORD)


def test_password_reset_by_email_end_to_end(client, org):
    response = client.post(reverse("password_reset"), {"email": org.rep.user.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [org.rep.user.email]
    assert message.subject == "Reset your Stride password"
    assert org.rep.user.english_name in message.body  # addressed by name, in English
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)  # Django swaps the token for a session and redirects
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")

    fresh = Client()
    logged_in = fresh.post(reverse("login"), {"username": org.rep.user.email, "password": NEW_PASSWORD})
    assert logged_in["Location"] == reverse("home")
    assert not Client().login(username="rep", password=PASSWORD)
    # The link works once.
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_reset_email_is_in_the_recipients_language(client, org):
    chinese = EmployeeFactory(
        user__username="wangfang", user__full_name="王芳", user__english_name="Wang Fang", preferred_language="zh-hans"
    )
    client.post(reverse("password_reset"), {"email": chinese.user.email}, HTTP_ACCEPT_LANGUAGE="en")
    body = mail.outbox[0].body
    assert "王芳" in body
    assert "Wang Fang" not in body
    assert "请访问以下页面设置新密码" in body


def test_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client, org):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_reset_pages_render_for_anonymous_people(client, db):
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert 'class="language-switcher"' in response.content.decode()
    bad_link = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
    assert "This link no longer works" in bad_link.content.decode()
