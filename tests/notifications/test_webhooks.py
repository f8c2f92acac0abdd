"""Team-chat bots against a local HTTP server: payloads and signatures per provider, provider
errors, which people a bot covers, and HR's pages (403 for everyone else, the write-only secret,
the test message)."""

import base64
import hashlib
import hmac
import re
import socket
import time

import pytest
from celery.exceptions import Retry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.apps import OBJECTIVE_SUBMITTED
from notifications.delivery import (
    ChatMessage,
    DeliveryError,
    chat_request,
    dingtalk_sign,
    feishu_sign,
    send_chat,
    webhook_test_message,
)
from notifications.forms import ChatWebhookForm
from notifications.models import Channel, ChatWebhook, Delivery, NotificationPreference
from notifications.rules import webhook_address_problem
from notifications.services import chat_webhook_create, chat_webhook_send_test, notify
from notifications.tasks import deliver_task
from tests.factories import EmployeeFactory

Provider = ChatWebhook.Provider


def post_one(org, webhook, *, url="/goals/objectives/7/", recipient=None):
    """notify → the bot's delivery → the job; returns the delivery."""
    recipient = recipient or org.rep.user
    notify(
        recipients=[recipient],
        message="%(owner)s submitted the objective “%(title)s” for approval.",
        params={"owner": "王芳", "title": "全年新签客户 60 家"},
        url=url,
        kind=OBJECTIVE_SUBMITTED,
    )
    delivery = Delivery.objects.get(channel=Channel.CHAT, webhook=webhook, notification__recipient=recipient)
    deliver_task(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery


TEXT = "王芳 submitted the objective “全年新签客户 60 家” for approval."


@pytest.fixture
def rep_named(org):
    user = org.rep.user
    user.full_name = "王芳"
    user.save()
    return user


# --- payloads and signatures ----------------------------------------------------------------------


def test_feishu_card_with_a_link_and_a_verifiable_signature(org, rep_named, chat_server, make_webhook, settings):
    settings.STRIDE_BASE_URL = "https://stride.example.com"
    bot = make_webhook(Provider.FEISHU, kinds=[OBJECTIVE_SUBMITTED], secret="feishu-secret")
    before = int(time.time())

    delivery = post_one(org, bot)

    assert delivery.status == Delivery.Status.SENT
    [request] = chat_server.requests
    assert request.path == "/feishu"
    assert request.headers["content-type"].startswith("application/json")
    body = request.json
    assert body["msg_type"] == "interactive"
    card = body["card"]
    assert card["header"]["title"]["content"] == "Stride"
    assert card["elements"][0]["text"]["content"] == f"@王芳 {TEXT}"
    button = card["elements"][1]["actions"][0]
    assert button["url"] == "https://stride.example.com/goals/objectives/7/"
    assert button["text"]["content"] == "Open in Stride"
    # the signature, recomputed as Feishu does: HMAC-SHA256 keyed with "timestamp\nsecret" over nothing
    timestamp = int(body["timestamp"])
    assert before <= timestamp <= int(time.time())
    key = f"{timestamp}\nfeishu-secret".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def test_feishu_plain_text_without_signature():
    bot = ChatWebhook(provider=Provider.FEISHU, url="http://127.0.0.1:1/x")
    request = chat_request(webhook=bot, message=ChatMessage(title="Stride", text="Hello", mention="@王芳"))
    assert request.url == "http://127.0.0.1:1/x"
    assert request.body.decode() == '{"msg_type":"text","content":{"text":"@王芳 Hello"}}'


def test_dingtalk_markdown_signed_in_the_query_string(org, rep_named, chat_server, make_webhook):
    bot = make_webhook(
        Provider.DINGTALK,
        kinds=[OBJECTIVE_SUBMITTED],
        secret="SECdingtalk",
        url=chat_server.url("/robot/send?access_token=abc"),
    )
    before = int(time.time() * 1000)

    assert post_one(org, bot).status == Delivery.Status.SENT

    [request] = chat_server.requests
    assert request.path == "/robot/send"
    assert request.query["access_token"] == "abc"
    timestamp = int(request.query["timestamp"])
    assert before <= timestamp <= int(time.time() * 1000)
    expected = base64.b64encode(
        hmac.new(b"SECdingtalk", f"{timestamp}\nSECdingtalk".encode(), hashlib.sha256).digest()
    ).decode()
    assert request.query["sign"] == expected  # parse_qs undid the URL encoding
    assert dingtalk_sign(secret="SECdingtalk", timestamp_ms=timestamp) == expected
    body = request.json
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"].startswith("@王芳 ")
    assert "@王芳 " in body["markdown"]["text"]
    assert "[Open in Stride](http://localhost:8000/goals/objectives/7/)" in body["markdown"]["text"]


def test_wecom_markdown(org, rep_named, chat_server, make_webhook):
    bot = make_webhook(Provider.WECOM, kinds=[OBJECTIVE_SUBMITTED], url=chat_server.url("/cgi-bin/webhook/send?key=k1"))
    assert post_one(org, bot).status == Delivery.Status.SENT
    [request] = chat_server.requests
    assert request.query == {"key": "k1"}
    assert request.json["msgtype"] == "markdown"
    content = request.json["markdown"]["content"]
    assert content.splitlines()[0] == "**Stride**"
    assert "@王芳 " in content
    assert content.splitlines()[-1] == "[Open in Stride](http://localhost:8000/goals/objectives/7/)"


def test_generic_json_with_a_signature_header(org, rep_named, chat_server, make_webhook):
    bot = make_webhook(Provider.GENERIC, kinds=[OBJECTIVE_SUBMITTED], secret="s3cret")
    assert post_one(org, bot).status == Delivery.Status.SENT
    [request] = chat_server.requests
    body = request.json
    assert set(body) == {"kind", "text", "url", "recipient", "created_at", "language"}
    assert body["kind"] == OBJECTIVE_SUBMITTED
    assert body["text"] == f"@王芳 {TEXT}"
    assert body["url"] == "http://localhost:8000/goals/objectives/7/"
    assert body["recipient"] == {"username": "rep", "name": "王芳", "email": org.rep.user.email}
    assert body["created_at"] == Delivery.objects.get(webhook=bot).notification.created_at.isoformat()
    timestamp = request.headers["x-stride-timestamp"]
    digest = hmac.new(b"s3cret", f"{timestamp}.".encode() + request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-stride-signature"] == f"sha256={digest}"


def test_the_chat_message_is_in_the_recipients_language(org, rep_named, chat_server, make_webhook):
    org.rep.preferred_language = "zh-hans"
    org.rep.save()
    bot = make_webhook(Provider.GENERIC, kinds=[OBJECTIVE_SUBMITTED])
    notify(
        recipients=[org.rep.user],
        message="Your objective “%(title)s” was approved by %(approver)s.",
        params={"title": "增长", "approver": "赵磊"},
        kind=OBJECTIVE_SUBMITTED,
    )
    deliver_task(delivery_id=Delivery.objects.get(webhook=bot).pk)
    assert chat_server.requests[0].json["text"] == "@王芳 你的目标“增长”已由 赵磊 批准。"
    assert chat_server.requests[0].json["language"] == "zh-hans"


def test_signature_helpers_match_the_documented_examples():
    # Feishu: key = "timestamp\nsecret", empty message; DingTalk: key = secret, message = "timestamp\nsecret"
    assert (
        feishu_sign(secret="abc", timestamp=1599360473)
        == base64.b64encode(hmac.new(b"1599360473\nabc", b"", hashlib.sha256).digest()).decode()
    )
    assert (
        dingtalk_sign(secret="abc", timestamp_ms=1599360473000)
        == base64.b64encode(hmac.new(b"abc", b"1599360473000\nabc", hashlib.sha256).digest()).decode()
    )


# --- provider errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "status", "answer", "expected"),
    [
        (Provider.FEISHU, 200, {"code": 19021, "msg": "sign match fail"}, "error 19021: sign match fail"),
        (Provider.FEISHU, 200, {"StatusCode": 9499, "StatusMessage": "Bad Request"}, "error 9499"),
        (Provider.DINGTALK, 200, {"errcode": 310000, "errmsg": "sign not match"}, "error 310000: sign not match"),
        (Provider.WECOM, 200, {"errcode": 93000, "errmsg": "invalid webhook url"}, "error 93000"),
        (Provider.WECOM, 200, "<html>proxy</html>", "does not understand"),
        (Provider.GENERIC, 404, {"detail": "no such hook"}, "HTTP 404"),
    ],
)
def test_provider_errors_are_failures_with_the_reason(
    org, chat_server, make_webhook, provider, status, answer, expected
):
    bot = make_webhook(provider, kinds=[OBJECTIVE_SUBMITTED])
    chat_server.answer(status, answer)
    notify(recipients=[org.rep.user], message="Hello", kind=OBJECTIVE_SUBMITTED)
    delivery = Delivery.objects.get(webhook=bot)
    with pytest.raises(Retry):
        deliver_task(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    assert expected in delivery.last_error


def test_an_unreachable_service_is_a_failure(org):
    bot = ChatWebhook(provider=Provider.GENERIC, url="http://127.0.0.1:9/nothing-listens-here")
    with pytest.raises(DeliveryError, match=r"127\.0\.0\.1 refused the connection\. Check the webhook address"):
        send_chat(webhook=bot, message=webhook_test_message())


def test_a_redirect_is_not_followed(org, chat_server):
    bot = ChatWebhook(provider=Provider.GENERIC, url=chat_server.url("/moved"))
    chat_server.answer(302, "")
    with pytest.raises(DeliveryError, match="HTTP 302"):
        chat_webhook_send_test(webhook=bot)


# --- whom a bot covers -----------------------------------------------------------------------------


def test_a_bot_covers_its_unit_and_the_units_below(org, make_webhook):
    everyone = make_webhook(name="everyone", kinds=[OBJECTIVE_SUBMITTED])
    sales = make_webhook(name="sales", kinds=[OBJECTIVE_SUBMITTED], unit=org.sales)
    east = make_webhook(name="east", kinds=[OBJECTIVE_SUBMITTED], unit=org.east)
    make_webhook(name="other kinds", kinds=["general"])
    make_webhook(name="inactive", kinds=[OBJECTIVE_SUBMITTED], is_active=False)
    people = [org.rep.user, org.other_rep.user, org.director.user, org.hr.user, org.admin]

    notify(recipients=people, message="Submitted", kind=OBJECTIVE_SUBMITTED)

    covered = {
        (d.notification.recipient.username, d.webhook.name)
        for d in Delivery.objects.filter(channel=Channel.CHAT).select_related("notification__recipient", "webhook")
    }
    assert covered == {
        ("rep", "everyone"), ("rep", "sales"), ("rep", "east"),
        ("otherrep", "everyone"), ("otherrep", "sales"),
        ("director", "everyone"), ("director", "sales"),
        ("hr", "everyone"),
        ("admin", "everyone"),
    }  # fmt: skip
    assert {everyone.pk, sales.pk, east.pk} == set(
        Delivery.objects.filter(channel=Channel.CHAT).values_list("webhook", flat=True)
    )


def test_a_person_who_turned_chat_off_is_not_posted(org, make_webhook):
    make_webhook(kinds=[OBJECTIVE_SUBMITTED])
    NotificationPreference.objects.create(
        user=org.rep.user, kind=OBJECTIVE_SUBMITTED, channel=Channel.CHAT, enabled=False
    )
    notify(recipients=[org.rep.user, org.rep2.user], message="Submitted", kind=OBJECTIVE_SUBMITTED)
    assert list(
        Delivery.objects.filter(channel=Channel.CHAT).values_list("notification__recipient__username", flat=True)
    ) == ["rep2"]


def test_someone_moved_to_another_unit_follows_their_new_unit(org, make_webhook):
    make_webhook(name="east", kinds=[OBJECTIVE_SUBMITTED], unit=org.east)
    newcomer = EmployeeFactory(unit=org.south).user
    notify(recipients=[newcomer], message="Submitted", kind=OBJECTIVE_SUBMITTED)
    assert not Delivery.objects.filter(channel=Channel.CHAT).exists()


# --- HR's pages ------------------------------------------------------------------------------------


def page_urls(bot) -> list[tuple[str, str]]:
    return [
        ("get", reverse("notifications:webhooks")),
        ("get", reverse("notifications:webhook-create")),
        ("post", reverse("notifications:webhook-create")),
        ("get", reverse("notifications:webhook-edit", args=[bot.pk])),
        ("post", reverse("notifications:webhook-edit", args=[bot.pk])),
        ("post", reverse("notifications:webhook-deactivate", args=[bot.pk])),
        ("post", reverse("notifications:webhook-test", args=[bot.pk])),
    ]


def test_anonymous_is_sent_to_login(client, make_webhook):
    bot = make_webhook()
    for method, url in page_urls(bot):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["rep", "lead", "director", "ceo"])
def test_everyone_but_hr_and_admins_gets_403(client_for, org, make_webhook, chat_server, who):
    bot = make_webhook()
    client = client_for(getattr(org, who))
    for method, url in page_urls(bot):
        assert getattr(client, method)(url, {"name": "x"}).status_code == 403, url
    bot.refresh_from_db()
    assert bot.is_active
    assert chat_server.requests == []


def test_hr_adds_a_bot_and_the_secret_is_never_shown_back(client_for, org):
    client = client_for(org.hr)
    form = client.get(reverse("notifications:webhook-create")).content.decode()
    assert 'type="password"' in form
    assert "objective_submitted" in form  # the registered kinds are offered

    response = client.post(
        reverse("notifications:webhook-create"),
        {
            "name": "华东销售群",
            "provider": "dingtalk",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123456",
            "secret": "SEC-very-secret",
            "unit": str(org.east.pk),
            "kinds": [OBJECTIVE_SUBMITTED, "general"],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    bot = ChatWebhook.objects.get()
    assert (bot.name, bot.provider, bot.unit, bot.secret) == ("华东销售群", "dingtalk", org.east, "SEC-very-secret")
    assert bot.kinds == sorted([OBJECTIVE_SUBMITTED, "general"])
    assert bot.created_by == org.hr.user
    listing = client.get(reverse("notifications:webhooks")).content.decode()
    edit = client.get(reverse("notifications:webhook-edit", args=[bot.pk])).content.decode()
    assert "华东销售群" in listing
    assert "TOKEN123456" not in listing  # the list masks the address's token
    for page in (listing, edit):
        assert "SEC-very-secret" not in page
    assert "A signing secret is stored" in edit


def test_hr_edits_a_bot_keeping_replacing_or_removing_the_secret(client_for, org, make_webhook):
    bot = make_webhook(
        Provider.FEISHU,
        secret="old-secret",
        kinds=[OBJECTIVE_SUBMITTED],
        url="https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d",
    )
    client = client_for(org.hr)
    data = {
        "name": "Renamed",
        "provider": "feishu",
        "url": bot.url,
        "unit": "",
        "kinds": ["general"],
        "is_active": "on",
    }
    url = reverse("notifications:webhook-edit", args=[bot.pk])

    assert client.post(url, data).status_code == 302
    bot.refresh_from_db()
    assert (bot.name, bot.kinds, bot.secret) == ("Renamed", ["general"], "old-secret")

    assert client.post(url, {**data, "secret": "new-secret"}).status_code == 302
    bot.refresh_from_db()
    assert bot.secret == "new-secret"

    assert client.post(url, {**data, "clear_secret": "on"}).status_code == 302
    bot.refresh_from_db()
    assert bot.secret == ""
    # the history keeps every change but never the secret
    assert bot.history.count() == 4
    assert not hasattr(bot.history.first(), "secret")


def test_a_bad_address_is_refused_with_a_field_error(client_for, org):
    response = client_for(org.hr).post(
        reverse("notifications:webhook-create"),
        {"name": "ftp", "provider": "generic", "url": "ftp://example.com/hook", "kinds": ["general"]},
    )
    assert response.status_code == 200
    assert "must start with https://" in response.content.decode()
    assert 'value="ftp"' in response.content.decode()  # what was typed is kept
    assert not ChatWebhook.objects.exists()


def test_hr_deactivates_a_bot_and_it_stops_posting(client_for, org, make_webhook):
    bot = make_webhook(kinds=[OBJECTIVE_SUBMITTED])
    response = client_for(org.hr).post(reverse("notifications:webhook-deactivate", args=[bot.pk]), follow=True)
    assert "is deactivated" in response.content.decode()
    bot.refresh_from_db()
    assert not bot.is_active
    notify(recipients=[org.rep.user], message="Submitted", kind=OBJECTIVE_SUBMITTED)
    assert not Delivery.objects.filter(channel=Channel.CHAT).exists()


def test_the_test_button_shows_the_providers_answer(client_for, org, chat_server, make_webhook):
    bot = make_webhook(Provider.WECOM, kinds=[])
    client = client_for(org.admin)
    chat_server.answer(200, {"errcode": 0, "errmsg": "ok"})

    page = client.post(reverse("notifications:webhook-test", args=[bot.pk]), follow=True).content.decode()

    assert "was accepted" in page
    assert "HTTP 200" in page
    assert "errmsg" in page
    [request] = chat_server.requests
    assert "This is a test message from Stride." in request.json["markdown"]["content"]

    chat_server.answer(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    page = client.post(reverse("notifications:webhook-test", args=[bot.pk]), follow=True).content.decode()
    assert "failed" in page
    assert "93000" in page
    assert not Delivery.objects.exists()  # a test message is not a delivery


def test_a_missing_bot_is_404_for_hr(client_for, org):
    assert client_for(org.hr).get(reverse("notifications:webhook-edit", args=[999])).status_code == 404


@pytest.mark.parametrize("extra", [3, 20])
def test_webhook_list_query_count_does_not_grow(client_for, org, make_webhook, django_assert_max_num_queries, extra):
    def bots(count, prefix):
        for i in range(count):
            bot = make_webhook(name=f"{prefix}{i}", unit=org.east if i % 2 else None)
            notify(recipients=[org.rep.user], message="Hello")
            Delivery.objects.create(notification=org.rep.user.notifications.first(), channel=Channel.CHAT, webhook=bot)

    client = client_for(org.hr)
    bots(2, "small")
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("notifications:webhooks")).status_code == 200
    bots(extra, "more")
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("notifications:webhooks"))
    assert len(re.findall(r'data-webhook="\d+"', response.content.decode())) == 2 + extra


# --- the address must match the chat service ------------------------------------------------------

GOOD_ADDRESSES = {
    Provider.FEISHU: "https://open.feishu.cn/open-apis/bot/v2/hook/8f0c-4d2e",
    Provider.DINGTALK: "https://oapi.dingtalk.com/robot/send?access_token=abc123",
    Provider.WECOM: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6",
    Provider.GENERIC: "https://hooks.example.com/stride",
}


@pytest.mark.parametrize(
    ("provider", "url"),
    [
        *GOOD_ADDRESSES.items(),
        (Provider.FEISHU, "https://open.larksuite.com/open-apis/bot/v2/hook/8f0c-4d2e"),
        (Provider.GENERIC, "https://open.feishu.cn/open-apis/bot/v2/hook/8f0c"),  # a generic hook may be anywhere
    ],
)
def test_addresses_that_fit_their_chat_service(provider, url):
    assert webhook_address_problem(provider=provider, url=url) is None


@pytest.mark.parametrize(
    ("provider", "url", "expected"),
    [
        (Provider.FEISHU, GOOD_ADDRESSES[Provider.DINGTALK], "This is the address of a DingTalk bot, not a Feishu"),
        (Provider.DINGTALK, GOOD_ADDRESSES[Provider.WECOM], "This is the address of a WeCom bot, not a DingTalk one"),
        (Provider.WECOM, GOOD_ADDRESSES[Provider.FEISHU], "address of a Feishu / Lark bot, not a WeCom one"),
        (Provider.FEISHU, "https://open.feishu.cn/open-apis/bot/v2/hook/", "It looks like https://open.feishu.cn/"),
        (Provider.FEISHU, "https://example.com/open-apis/bot/v2/hook/x", "This is not a Feishu / Lark bot address"),
        (Provider.DINGTALK, "https://oapi.dingtalk.com/robot/send", "?access_token=…"),  # no token
        (Provider.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?token=x", "?key=…"),
        (Provider.WECOM, "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "must start with https://"),
        (Provider.GENERIC, "http://hooks.example.com/stride", "must start with https://"),
    ],
)
def test_addresses_that_do_not_fit_say_why(provider, url, expected):
    assert expected in webhook_address_problem(provider=provider, url=url)


def test_hr_cannot_save_a_feishu_bot_with_a_dingtalk_address(client_for, org):
    data = {"name": "群", "provider": "feishu", "url": GOOD_ADDRESSES[Provider.DINGTALK], "kinds": ["general"]}
    response = client_for(org.hr).post(reverse("notifications:webhook-create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "This is the address of a DingTalk bot, not a Feishu / Lark one." in body
    assert not ChatWebhook.objects.exists()

    # the same address with the right provider is saved
    response = client_for(org.hr).post(reverse("notifications:webhook-create"), {**data, "provider": "dingtalk"})
    assert response.status_code == 302
    assert ChatWebhook.objects.get().provider == Provider.DINGTALK


def test_changing_only_the_provider_is_checked_too(client_for, org, make_webhook):
    bot = make_webhook(Provider.WECOM, url=GOOD_ADDRESSES[Provider.WECOM], kinds=["general"])
    data = {**ChatWebhookForm.initial_for(bot), "provider": "dingtalk", "is_active": "on"}
    response = client_for(org.hr).post(reverse("notifications:webhook-edit", args=[bot.pk]), data)
    assert response.status_code == 200
    assert "This is the address of a WeCom bot, not a DingTalk one." in response.content.decode()
    bot.refresh_from_db()
    assert bot.provider == Provider.WECOM


def test_the_service_and_the_admin_refuse_a_mismatched_address(client_for, org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        chat_webhook_create(actor=org.hr.user, name="x", provider="wecom", url=GOOD_ADDRESSES[Provider.FEISHU])
    assert "not a WeCom one" in excinfo.value.message_dict["url"][0]

    response = client_for(org.admin).post(
        reverse("admin:notifications_chatwebhook_add"),
        {"name": "x", "provider": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send", "kinds": "[]"},
    )
    assert response.status_code == 200
    assert "This is not a DingTalk bot address." in response.content.decode()
    assert not ChatWebhook.objects.exists()


def test_a_bot_whose_old_address_no_longer_fits_can_still_be_deactivated(client_for, org, make_webhook):
    bot = make_webhook(Provider.FEISHU, url="http://127.0.0.1:1/old-address")
    response = client_for(org.hr).post(reverse("notifications:webhook-deactivate", args=[bot.pk]))
    assert response.status_code == 302
    bot.refresh_from_db()
    assert not bot.is_active


# --- a failed test message says what went wrong, in words ------------------------------------------


@pytest.fixture
def silent_server():
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    listener.close()


def test_a_name_that_cannot_be_found(db):
    bot = ChatWebhook(provider=Provider.GENERIC, url="https://no-such-host.invalid/hook")
    with pytest.raises(DeliveryError) as excinfo:
        send_chat(webhook=bot, message=webhook_test_message())
    assert str(excinfo.value).startswith("The server name no-such-host.invalid could not be found.")
    assert "Errno" not in str(excinfo.value)


def test_a_service_that_does_not_answer(db, silent_server, monkeypatch):
    monkeypatch.setattr("notifications.delivery.HTTP_TIMEOUT_SECONDS", 1)
    bot = ChatWebhook(provider=Provider.GENERIC, url=silent_server)
    with pytest.raises(DeliveryError, match=r"127\.0\.0\.1 did not answer within 1 second\. Try again later"):
        send_chat(webhook=bot, message=webhook_test_message())


def test_a_secure_connection_that_fails(db, chat_server):
    # https to a server that speaks plain HTTP: the TLS handshake fails
    bot = ChatWebhook(provider=Provider.GENERIC, url=chat_server.url("/hook").replace("http://", "https://"))
    with pytest.raises(DeliveryError, match=r"The secure connection to 127\.0\.0\.1 failed"):
        send_chat(webhook=bot, message=webhook_test_message())


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (403, "The chat service refused access (HTTP 403). Check the webhook address and the signing secret."),
        (404, "The chat service does not know this address (HTTP 404). The bot may have been removed"),
        (429, "too many messages from this bot (HTTP 429). Try again in a minute."),
        (400, "The chat service refused the message (HTTP 400)."),
        (502, "The chat service had a problem of its own (HTTP 502)."),
    ],
)
def test_http_errors_in_words(db, chat_server, status, expected):
    bot = ChatWebhook(provider=Provider.GENERIC, url=chat_server.url("/hook"))
    chat_server.answer(status, "<html>Bad Gateway</html>")
    with pytest.raises(DeliveryError) as excinfo:
        send_chat(webhook=bot, message=webhook_test_message())
    assert expected in str(excinfo.value)


@pytest.mark.parametrize(
    ("provider", "answer", "expected"),
    [
        (Provider.FEISHU, {"code": 19021, "msg": "sign match fail"}, "The signature did not match."),
        (Provider.FEISHU, {"code": 19024, "msg": "Key Words Not Found"}, "only accepts messages with certain keywords"),
        (Provider.FEISHU, {"code": 19001, "msg": "param invalid"}, "does not know this bot"),
        (Provider.DINGTALK, {"errcode": 310000, "errmsg": "keywords not in content"}, "certain keywords"),
        (Provider.DINGTALK, {"errcode": 310000, "errmsg": "ip 1.2.3.4 not in whitelist"}, "certain IP addresses"),
        (Provider.DINGTALK, {"errcode": 300001, "errmsg": "token is not exist"}, "does not know this bot"),
        (Provider.WECOM, {"errcode": 93000, "errmsg": "invalid webhook url"}, "does not know this bot"),
        (Provider.WECOM, {"errcode": 45009, "errmsg": "api freq out of limit"}, "too many messages"),
        (Provider.WECOM, {"errcode": 12345, "errmsg": "something new"}, "The chat service refused the message."),
    ],
)
def test_provider_error_codes_in_words(db, chat_server, provider, answer, expected):
    bot = ChatWebhook(provider=provider, url=chat_server.url("/hook"))
    chat_server.answer(200, answer)
    with pytest.raises(DeliveryError) as excinfo:
        send_chat(webhook=bot, message=webhook_test_message())
    code = answer.get("code", answer.get("errcode"))
    assert expected in str(excinfo.value)
    assert f"error {code}: " in str(excinfo.value)  # the service's own code, for reference


def test_the_test_button_says_in_words_that_nothing_listens(client_for, org, make_webhook):
    bot = make_webhook(Provider.GENERIC, url="http://127.0.0.1:9/nothing-listens-here")
    page = client_for(org.hr).post(reverse("notifications:webhook-test", args=[bot.pk]), follow=True)
    body = page.content.decode()
    assert f"The test message to {bot.name} failed. 127.0.0.1 refused the connection." in body
    assert "Errno" not in body
    assert "Connection refused" not in body


# --- kinds worded for a group --------------------------------------------------------------------


def test_the_bot_form_words_the_kinds_for_a_group(client_for, org):
    form = client_for(org.hr).get(reverse("notifications:webhook-create")).content.decode()
    assert "Objectives waiting for a manager&#x27;s approval" in form
    assert "Objectives returned to their owner with a comment" in form
    assert "General notices" in form
    assert "for my approval" not in form
    assert "My objective" not in form
    # a person's own preferences keep the wording for the person told
    preferences = client_for(org.rep).get(reverse("notifications:preferences")).content.decode()
    assert "An objective is waiting for my approval" in preferences


def test_every_kind_a_bot_can_take_is_worded_for_a_group():
    from notifications import types

    for kind in types.all_types():
        assert not str(kind.label_for_group).lower().startswith(("my ", "an objective is waiting for my")), kind.code
