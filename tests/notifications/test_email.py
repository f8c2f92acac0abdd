"""Notification e-mails: in the recipient's language, text and HTML, absolute links, the footer."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from goals.apps import OBJECTIVE_APPROVED
from goals.models import Objective
from goals.objectives.services import objective_approve
from notifications.models import Delivery
from notifications.services import notify
from notifications.tasks import deliver_task
from tests.factories import UserFactory
from tests.goals.factories import ObjectiveFactory

APPROVED = gettext_lazy("Your objective “%(title)s” was approved by %(approver)s.")
BASE = "https://stride.example.com"


@pytest.fixture(autouse=True)
def base_url():
    with override_settings(STRIDE_BASE_URL=BASE):
        yield


def send_all() -> None:
    for pk in Delivery.objects.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True):
        deliver_task(delivery_id=pk)


def approved(recipient, *, title="华东区新签客户 60 家", url="/goals/objectives/7/") -> None:
    notify(
        recipients=[recipient],
        message=APPROVED,
        params={"title": title, "approver": "赵磊"},
        url=url,
        kind=OBJECTIVE_APPROVED,
    )
    send_all()


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_an_english_reader_gets_english_text_and_html_with_absolute_links(org):
    # given: a person who reads Stride in English
    org.rep.preferred_language = "en"
    org.rep.save()
    # when
    approved(org.rep.user)
    # then: one e-mail to their address, in English, with the text and an HTML alternative
    [message] = mail.outbox
    assert message.to == [org.rep.user.email]
    assert message.subject == "[Stride] Your objective “华东区新签客户 60 家” was approved by 赵磊."
    assert message.extra_headers["Content-Language"] == "en"
    assert message.message()["Content-Language"] == "en"
    assert f"Hello {org.rep.user.english_name}," in message.body
    assert "Your objective “华东区新签客户 60 家” was approved by 赵磊." in message.body
    assert f"Open in Stride: {BASE}/goals/objectives/7/" in message.body
    assert f"{BASE}{reverse('notifications:preferences')}" in message.body
    html = html_of(message)
    assert '<html lang="en">' in html
    assert f'href="{BASE}/goals/objectives/7/"' in html
    assert f'href="{BASE}{reverse("notifications:preferences")}"' in html
    assert f'href="{BASE}{reverse("notifications:inbox")}"' in html


def test_a_chinese_reader_gets_the_email_in_chinese(org):
    # given: a person who chose Simplified Chinese, while the sender works in English
    org.rep.preferred_language = "zh-hans"
    org.rep.save()
    # when
    with translation.override("en"):
        approved(org.rep.user)
        # then: the sender's language is untouched
        assert translation.get_language() == "en"
    [message] = mail.outbox
    assert message.message()["Content-Language"] == "zh-hans"
    assert message.subject.startswith("[Stride] ")
    assert "你的目标“华东区新签客户 60 家”已由 赵磊 批准。" in message.subject
    assert "你的目标“华东区新签客户 60 家”已由 赵磊 批准。" in message.body
    assert org.rep.user.full_name in message.body  # greeted by their Chinese name
    html = html_of(message)
    assert '<html lang="zh-hans">' in html
    assert "你的目标“华东区新签客户 60 家”已由 赵磊 批准。" in html


def test_someone_without_a_profile_gets_the_sites_default_language(org):
    admin = UserFactory(username="root", email="root@example.com")
    with override_settings(LANGUAGE_CODE="zh-hans"):
        approved(admin)
    [message] = mail.outbox
    assert message.message()["Content-Language"] == "zh-hans"
    assert "已由 赵磊 批准" in message.body


def test_text_is_plain_and_html_is_escaped(org):
    approved(org.rep.user, title="Grow <fast> & “safe”")
    [message] = mail.outbox
    assert "Grow <fast> & “safe”" in message.body
    assert "&lt;" not in message.body
    html = html_of(message)
    assert "Grow &lt;fast&gt; &amp; “safe”" in html
    assert "<fast>" not in html


def test_a_long_message_gets_a_short_one_line_subject(org):
    notify(recipients=[org.rep.user], message="Line one\nline two " + "x" * 300, kind="general")
    send_all()
    [message] = mail.outbox
    assert "\n" not in message.subject
    assert len(message.subject) <= len("[Stride] ") + 90
    assert message.subject.endswith("…")
    assert "x" * 300 in message.body


def test_a_notification_without_a_link_points_to_the_inbox(org):
    notify(recipients=[org.rep.user], message="Hello", kind="general")
    send_all()
    assert f"Open in Stride: {BASE}{reverse('notifications:inbox')}" in mail.outbox[0].body


def test_approving_an_objective_emails_its_owner(org):
    # given: rep's objective waits for approval; rep reads Stride in Chinese
    org.rep.preferred_language = "zh-hans"
    org.rep.save()
    objective = ObjectiveFactory(owner_employee=org.rep, status=Objective.Status.SUBMITTED, title="全年新签客户 60 家")
    # when: the manager approves it and the delivery job runs
    objective_approve(objective=objective, actor=org.lead.user)
    send_all()
    # then: rep gets one e-mail in Chinese with a link to the objective
    [message] = mail.outbox
    assert message.to == [org.rep.user.email]
    assert "你的目标“全年新签客户 60 家”已由" in message.subject
    assert f"{BASE}/goals/" in message.body
    assert Delivery.objects.get().status == Delivery.Status.SENT
