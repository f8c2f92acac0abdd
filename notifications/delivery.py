"""Sending a notification outside the app: e-mail, and team-chat bots over incoming webhooks.

Pure building blocks (language, links, message payloads, signatures) plus the two senders
the delivery service calls. Everything a person reads is rendered in the recipient's own
language (their employee profile's preferred language, else the site's default).

Chat providers and what they expect (their public bot documentation):
- Feishu / Lark custom bot: JSON {"msg_type": "text" | "interactive", ...}; with signature
  checks on, "timestamp" (seconds) and "sign" = base64(HMAC-SHA256(key="<timestamp>\\n<secret>",
  message=b"")) in the body. Answers {"code": 0, "msg": "success"} (older: "StatusCode").
- DingTalk custom robot: JSON {"msgtype": "markdown", ...}; with signing on, the query string gets
  timestamp (milliseconds) and sign = urlencode(base64(HMAC-SHA256(key=secret,
  message="<timestamp>\\n<secret>"))). Answers {"errcode": 0, "errmsg": "ok"}.
- WeCom (企业微信) group bot: JSON {"msgtype": "markdown", "markdown": {"content": ...}}.
  Answers {"errcode": 0, "errmsg": "ok"}.
- Generic: JSON {kind, text, url, recipient, created_at, language}; with a secret, the headers
  X-Stride-Timestamp and X-Stride-Signature = "sha256=" + hex(HMAC-SHA256(secret, "<timestamp>.<body>")).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from notifications import rules, types
from notifications.models import ChatWebhook, Notification
from org.models import Employee, User

MAX_ATTEMPTS = 5  # a delivery is tried this many times, then marked failed
HTTP_TIMEOUT_SECONDS = 10
MAX_ANSWER_BYTES = 64 * 1024
SUBJECT_LENGTH = 90
CHAT_TEXT_LENGTH = 1500  # WeCom's markdown takes 4096 bytes; Chinese is 3 bytes a character


class DeliveryError(Exception):
    """Sending failed; the message says why (shown to HR and kept in the delivery's last error)."""


def retry_delay_seconds(attempts: int) -> int:
    """Exponential backoff after the n-th failed attempt: 1, 2, 4, 8 minutes."""
    return 60 * 2 ** max(attempts - 1, 0)


# --- language and links --------------------------------------------------------------------


def recipient_language(user: User) -> str:
    """The language a person reads Stride in: their profile's choice, else the site's default."""
    supported = {code for code, _name in settings.LANGUAGES}
    try:
        chosen = user.employee.preferred_language
    except Employee.DoesNotExist:
        chosen = ""
    return chosen if chosen in supported else settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    """A link that works outside the browser session: STRIDE_BASE_URL + the path."""
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    return settings.STRIDE_BASE_URL.rstrip("/") + path


def notification_link(notification: Notification) -> str:
    return absolute_url(notification.url or reverse("notifications:inbox"))


def chat_name(user: User) -> str:
    """How a person is named in a team chat: their (Chinese) full name, as colleagues know it."""
    return user.full_name or user.username


# --- e-mail -----------------------------------------------------------------------------------


def email_message(*, notification: Notification) -> EmailMultiAlternatives:
    """The notification as an e-mail (text and HTML) in the recipient's language."""
    recipient = notification.recipient
    language = recipient_language(recipient)
    with translation.override(language):
        text = notification.text
        context = {
            "notification": notification,
            "text": text,
            "recipient_name": recipient.display_name,
            "actor_name": notification.actor.display_name if notification.actor else "",
            "kind_label": str(types.get(notification.kind).label),
            "link": notification_link(notification),
            "preferences_url": absolute_url(reverse("notifications:preferences")),
            "inbox_url": absolute_url(reverse("notifications:inbox")),
            "site_url": absolute_url("/"),
            "language": language,
        }
        subject = _("[Stride] %(text)s") % {"text": _one_line(text, SUBJECT_LENGTH)}
        body = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={
            "Content-Language": language,
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "X-Stride-Kind": notification.kind,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _one_line(text: str, length: int) -> str:
    return Truncator(" ".join(text.split())).chars(length)


def send_email(*, notification: Notification) -> None:
    """Send the notification's e-mail now. Raises DeliveryError when it cannot be sent."""
    if not notification.recipient.email:
        raise DeliveryError(_("The recipient has no e-mail address."))
    try:
        sent = email_message(notification=notification).send(fail_silently=False)
    except Exception as exc:  # SMTP errors, refused connections, time-outs
        raise DeliveryError(_("The mail server refused the e-mail: %(error)s") % {"error": exc}) from exc
    if not sent:
        raise DeliveryError(_("The mail server did not accept the e-mail."))


# --- chat messages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChatMessage:
    """What a chat bot posts, already in the reader's language."""

    title: str
    text: str
    url: str = ""
    link_label: str = ""
    kind: str = ""
    mention: str = ""  # "@王芳" as plain text (no user-ID mapping)
    recipient: dict = field(default_factory=dict)
    created_at: datetime | None = None
    language: str = ""

    @property
    def line(self) -> str:
        """The message as one plain line, with the person named first."""
        return f"{self.mention} {self.text}".strip()


def chat_message(*, notification: Notification) -> ChatMessage:
    """A notification as a chat message, in the recipient's language, naming them."""
    recipient = notification.recipient
    language = recipient_language(recipient)
    with translation.override(language):
        return ChatMessage(
            title=_("Stride"),
            text=Truncator(notification.text).chars(CHAT_TEXT_LENGTH),
            url=notification_link(notification),
            link_label=_("Open in Stride"),
            kind=notification.kind,
            mention=f"@{chat_name(recipient)}",
            recipient={"username": recipient.username, "name": chat_name(recipient), "email": recipient.email},
            created_at=notification.created_at,
            language=language,
        )


def webhook_test_message() -> ChatMessage:
    """The message HR's "send a test message" button posts (in HR's current language)."""
    return ChatMessage(
        title=_("Stride"),
        text=_("This is a test message from Stride. If you can read it, the bot is set up correctly."),
        url=absolute_url(reverse("notifications:preferences")),
        link_label=_("Open in Stride"),
        kind="test",
        created_at=timezone.now(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


# --- signatures (pure) -------------------------------------------------------------------------


def feishu_sign(*, secret: str, timestamp: int) -> str:
    """Feishu/Lark: base64(HMAC-SHA256 with key "<timestamp>\\n<secret>" over an empty message)."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def dingtalk_sign(*, secret: str, timestamp_ms: int) -> str:
    """DingTalk: base64(HMAC-SHA256 with key secret over "<timestamp>\\n<secret>"), not yet URL-encoded."""
    message = f"{timestamp_ms}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def generic_sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """Generic webhook: "sha256=" + hex HMAC-SHA256 of "<timestamp>." + body, keyed with the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


# --- payloads per provider (pure) ---------------------------------------------------------------


@dataclass(frozen=True)
class ChatRequest:
    url: str
    body: bytes
    headers: dict


def _json(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def feishu_payload(message: ChatMessage) -> dict:
    """Plain text without a link; an interactive card with a button when there is one."""
    if not message.url:
        return {"msg_type": "text", "content": {"text": message.line}}
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {"template": "blue", "title": {"tag": "plain_text", "content": message.title}},
            "elements": [
                {"tag": "div", "text": {"tag": "plain_text", "content": message.line}},
                {
                    "tag": "action",
                    "actions": [
                        {
                            "tag": "button",
                            "text": {"tag": "plain_text", "content": message.link_label},
                            "type": "primary",
                            "url": message.url,
                        }
                    ],
                },
            ],
        },
    }


def _markdown_text(text: str) -> str:
    """Keep a person's text from turning into markdown headings, links or emphasis."""
    for char in ("\\", "[", "]", "*", "_", "`", "#", ">"):
        text = text.replace(char, "\\" + char)
    return text


def dingtalk_payload(message: ChatMessage) -> dict:
    lines = [f"#### {message.title}", "", _markdown_text(message.line)]
    if message.url:
        lines += ["", f"[{message.link_label}]({message.url})"]
    return {"msgtype": "markdown", "markdown": {"title": _one_line(message.line, 60), "text": "\n".join(lines)}}


def wecom_payload(message: ChatMessage) -> dict:
    lines = [f"**{message.title}**", _markdown_text(message.line)]
    if message.url:
        lines.append(f"[{message.link_label}]({message.url})")
    return {"msgtype": "markdown", "markdown": {"content": "\n".join(lines)}}


def generic_payload(message: ChatMessage) -> dict:
    return {
        "kind": message.kind,
        "text": message.line,
        "url": message.url,
        "recipient": message.recipient or None,
        "created_at": message.created_at.isoformat() if message.created_at else None,
        "language": message.language,
    }


def chat_request(*, webhook: ChatWebhook, message: ChatMessage, now: float | None = None) -> ChatRequest:
    """The HTTP request that posts `message` to the webhook, signed when it has a secret."""
    now = time.time() if now is None else now
    provider = webhook.provider
    url = webhook.url
    headers: dict[str, str] = {}
    if provider == ChatWebhook.Provider.FEISHU:
        payload = feishu_payload(message)
        if webhook.secret:
            timestamp = int(now)
            signature = {"timestamp": str(timestamp), "sign": feishu_sign(secret=webhook.secret, timestamp=timestamp)}
            payload = {**signature, **payload}
        body = _json(payload)
    elif provider == ChatWebhook.Provider.DINGTALK:
        body = _json(dingtalk_payload(message))
        if webhook.secret:
            timestamp_ms = int(now * 1000)
            sign = dingtalk_sign(secret=webhook.secret, timestamp_ms=timestamp_ms)
            query = urllib.parse.urlencode({"timestamp": timestamp_ms, "sign": sign})
            url = f"{url}{'&' if '?' in url else '?'}{query}"
    elif provider == ChatWebhook.Provider.WECOM:
        body = _json(wecom_payload(message))
    else:
        body = _json(generic_payload(message))
        if webhook.secret:
            timestamp = int(now)
            headers["X-Stride-Timestamp"] = str(timestamp)
            headers["X-Stride-Signature"] = generic_sign(secret=webhook.secret, timestamp=timestamp, body=body)
    return ChatRequest(url=url, body=body, headers=headers)


# --- posting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderAnswer:
    status: int
    text: str

    @property
    def data(self) -> dict | None:
        try:
            value = json.loads(self.text)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A bot URL that redirects is misconfigured; say so instead of posting elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def post(request: ChatRequest) -> ProviderAnswer:
    """POST the JSON body; any HTTP answer comes back, network failures raise DeliveryError."""
    if urllib.parse.urlsplit(request.url).scheme not in ("http", "https"):
        raise DeliveryError(_("The webhook address must start with http:// or https://."))
    http_request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        request.url,
        data=request.body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Stride", **request.headers},
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(http_request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            return ProviderAnswer(status=response.status, text=_decode(response.read(MAX_ANSWER_BYTES)))
    except urllib.error.HTTPError as exc:
        with exc:
            return ProviderAnswer(status=exc.code, text=_decode(exc.read(MAX_ANSWER_BYTES)))
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        host = urllib.parse.urlsplit(request.url).hostname or request.url
        text = rules.network_failure_text(failure=network_failure(reason), host=host, seconds=HTTP_TIMEOUT_SECONDS)
        raise DeliveryError(text) from exc


def network_failure(reason: object) -> str:
    """Which kind of network failure an exception (or URLError's reason) is: rules.REFUSED …"""
    if isinstance(reason, socket.gaierror):
        return rules.NOT_FOUND_HOST
    if isinstance(reason, ConnectionRefusedError):
        return rules.REFUSED
    if isinstance(reason, TimeoutError):  # socket.timeout is TimeoutError
        return rules.TIMEOUT
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return rules.TLS
    return rules.NETWORK


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def check_answer(*, provider: str, answer: ProviderAnswer) -> None:
    """Raise DeliveryError unless the provider accepted the message (2xx and no error code)."""
    if not 200 <= answer.status < 300:
        raise DeliveryError(rules.http_failure_text(status=answer.status))
    data = answer.data or {}
    if provider == ChatWebhook.Provider.FEISHU:
        code = data.get("code", data.get("StatusCode", 0))
        message = data.get("msg", data.get("StatusMessage", ""))
    elif provider in (ChatWebhook.Provider.DINGTALK, ChatWebhook.Provider.WECOM):
        if answer.data is None:
            raise DeliveryError(
                _("The chat service gave an answer Stride does not understand: %(answer)s")
                % {"answer": _one_line(answer.text, 300)}
            )
        code = data.get("errcode", 0)
        message = data.get("errmsg", "")
    else:
        return
    if code not in (0, "0", None):
        raise DeliveryError(rules.provider_error_text(provider=provider, code=code, message=message))


def send_chat(*, webhook: ChatWebhook, message: ChatMessage) -> ProviderAnswer:
    """Post a message to a bot and check the answer. Raises DeliveryError on any failure."""
    answer = post(chat_request(webhook=webhook, message=message))
    check_answer(provider=webhook.provider, answer=answer)
    return answer
