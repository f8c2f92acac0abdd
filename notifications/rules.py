"""Pure rules for team-chat bots — no ORM, no network: whether a webhook address fits the chosen
chat service, and what a failed post means, in words HR can act on.

Addresses per provider (their public bot documentation):
- Feishu: https://open.feishu.cn/open-apis/bot/v2/hook/<token>; Lark: the same on open.larksuite.com
- DingTalk: https://oapi.dingtalk.com/robot/send?access_token=<token>
- WeCom (企业微信): https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key>
- Generic JSON: any https:// address
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

FEISHU, DINGTALK, WECOM, GENERIC = "feishu", "dingtalk", "wecom", "generic"

PROVIDER_NAMES: dict[str, Promise] = {
    FEISHU: gettext_lazy("Feishu / Lark"),
    DINGTALK: gettext_lazy("DingTalk"),
    WECOM: gettext_lazy("WeCom"),
    GENERIC: gettext_lazy("Generic JSON webhook"),
}


@dataclass(frozen=True)
class AddressShape:
    hosts: tuple[str, ...]
    path_prefix: str
    query_key: str  # the token's parameter, "" when the token is in the path
    example: str


ADDRESS_SHAPES: dict[str, AddressShape] = {
    FEISHU: AddressShape(
        hosts=("open.feishu.cn", "open.larksuite.com"),
        path_prefix="/open-apis/bot/v2/hook/",
        query_key="",
        example="https://open.feishu.cn/open-apis/bot/v2/hook/…",
    ),
    DINGTALK: AddressShape(
        hosts=("oapi.dingtalk.com",),
        path_prefix="/robot/send",
        query_key="access_token",
        example="https://oapi.dingtalk.com/robot/send?access_token=…",
    ),
    WECOM: AddressShape(
        hosts=("qyapi.weixin.qq.com",),
        path_prefix="/cgi-bin/webhook/send",
        query_key="key",
        example="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
    ),
}


def _fits(shape: AddressShape, url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "https" or (parts.hostname or "") not in shape.hosts or parts.port not in (None, 443):
        return False
    if shape.query_key:
        token = parse_qs(parts.query).get(shape.query_key, [""])[0]
        return parts.path.rstrip("/") == shape.path_prefix and bool(token.strip())
    return parts.path.startswith(shape.path_prefix) and bool(parts.path.removeprefix(shape.path_prefix).strip("/"))


def provider_of_address(url: str) -> str | None:
    """The chat service whose bot address this is (its host), or None for any other address."""
    host = (urlsplit(url).hostname or "").lower()
    return next((code for code, shape in ADDRESS_SHAPES.items() if host in shape.hosts), None)


def webhook_address_problem(*, provider: str, url: str) -> str | None:
    """Why `url` cannot be the webhook address of a `provider` bot, or None when it fits."""
    url = (url or "").strip()
    if not url.lower().startswith("https://"):
        return _("The webhook address must start with https://. Copy it from the bot's settings in the group.")
    shape = ADDRESS_SHAPES.get(provider)
    if shape is None:  # generic: any https address
        return None
    if _fits(shape, url):
        return None
    other = provider_of_address(url)
    if other is not None and other != provider:
        return _(
            "This is the address of a %(other)s bot, not a %(provider)s one. "
            "Choose %(other)s as the chat service, or paste the %(provider)s bot's address."
        ) % {"other": PROVIDER_NAMES[other], "provider": PROVIDER_NAMES[provider]}
    return _(
        "This is not a %(provider)s bot address. It looks like %(example)s — "
        "copy it whole from the bot's settings in the group."
    ) % {"provider": PROVIDER_NAMES[provider], "example": shape.example}


# --- what a failure means ----------------------------------------------------------------------
# The sender (notifications.delivery) classifies what went wrong; these functions put it in words.

REFUSED, NOT_FOUND_HOST, TIMEOUT, TLS, NETWORK = "refused", "dns", "timeout", "tls", "network"


def network_failure_text(*, failure: str, host: str, seconds: int) -> str:
    """A failed connection in words: what happened and what to do next."""
    if failure == NOT_FOUND_HOST:
        return _(
            "The server name %(host)s could not be found. Check the webhook address for typing mistakes; "
            "if it is right, Stride's server cannot look up names on the internet."
        ) % {"host": host}
    if failure == REFUSED:
        return _(
            "%(host)s refused the connection. Check the webhook address; if it is right, "
            "the chat service may be down — try again later."
        ) % {"host": host}
    if failure == TIMEOUT:
        return ngettext(
            "%(host)s did not answer within %(seconds)s second. Try again later; if it keeps happening, "
            "check that Stride's server may connect to the internet (a firewall or proxy).",
            "%(host)s did not answer within %(seconds)s seconds. Try again later; if it keeps happening, "
            "check that Stride's server may connect to the internet (a firewall or proxy).",
            seconds,
        ) % {"host": host, "seconds": seconds}
    if failure == TLS:
        return _(
            "The secure connection to %(host)s failed: its certificate could not be checked. "
            "Check that the address is the bot's own address, and that Stride's server has up-to-date certificates."
        ) % {"host": host}
    return _(
        "%(host)s could not be reached. Check the webhook address and the network connection of Stride's server."
    ) % {"host": host}


def http_failure_text(*, status: int) -> str:
    """An HTTP error status from the chat service in words."""
    if 300 <= status < 400:
        return _(
            "The address sends Stride elsewhere (HTTP %(status)s) instead of taking the message. "
            "Paste the bot's own webhook address."
        ) % {"status": status}
    if status in (401, 403):
        return _(
            "The chat service refused access (HTTP %(status)s). Check the webhook address and the signing secret."
        ) % {"status": status}
    if status in (404, 410):
        return _(
            "The chat service does not know this address (HTTP %(status)s). The bot may have been removed "
            "from the group: copy its address again from the bot's settings."
        ) % {"status": status}
    if status == 429:
        return _("The chat service gets too many messages from this bot (HTTP 429). Try again in a minute.")
    if 400 <= status < 500:
        return _(
            "The chat service refused the message (HTTP %(status)s). Check the webhook address and the chat service."
        ) % {"status": status}
    return _(
        "The chat service had a problem of its own (HTTP %(status)s). Stride tries again later; "
        "you can also send a test message in a few minutes."
    ) % {"status": status}


# Provider error codes that mean the same thing, grouped; anything else is reported as it came.
BAD_ADDRESS, BAD_SIGNATURE, KEYWORD, IP_BLOCKED, TOO_MANY = "address", "signature", "keyword", "ip", "rate"

_CODES: dict[str, dict[str, str]] = {
    FEISHU: {"19001": BAD_ADDRESS, "19021": BAD_SIGNATURE, "19022": IP_BLOCKED, "19024": KEYWORD, "11232": TOO_MANY},
    DINGTALK: {"300001": BAD_ADDRESS, "300005": BAD_ADDRESS, "130101": TOO_MANY, "410100": TOO_MANY},
    WECOM: {"93000": BAD_ADDRESS, "40008": BAD_ADDRESS, "45009": TOO_MANY, "45033": TOO_MANY},
}


def provider_error_kind(*, provider: str, code, message: str) -> str | None:
    """What a provider's error code (and, for DingTalk's catch-all 310000, its message) means."""
    kind = _CODES.get(provider, {}).get(str(code))
    if kind is None and provider == DINGTALK and str(code) == "310000":
        text = (message or "").lower()
        if "sign" in text:
            return BAD_SIGNATURE
        if "keyword" in text:
            return KEYWORD
        if "ip" in text or "whitelist" in text:
            return IP_BLOCKED
    return kind


def provider_error_text(*, provider: str, code, message: str) -> str:
    """A provider's refusal in words, with its own code and message kept for reference."""
    kind = provider_error_kind(provider=provider, code=code, message=message)
    if kind == BAD_ADDRESS:
        sentence = _(
            "The chat service does not know this bot: its address is wrong or the bot was removed from the group. "
            "Copy the address again from the bot's settings."
        )
    elif kind == BAD_SIGNATURE:
        sentence = _(
            "The signature did not match. Check that the signing secret is the one shown in the bot's security "
            "settings, and that the clock of Stride's server is right."
        )
    elif kind == KEYWORD:
        sentence = _(
            "The bot only accepts messages with certain keywords. In the bot's security settings, "
            "remove the keyword check and use a signing secret instead."
        )
    elif kind == IP_BLOCKED:
        sentence = _(
            "The bot only accepts messages from certain IP addresses. "
            "Add the address of Stride's server in the bot's security settings."
        )
    elif kind == TOO_MANY:
        sentence = _("The chat service gets too many messages from this bot. Try again in a minute.")
    else:
        sentence = _("The chat service refused the message.")
    detail = _("(%(provider)s error %(code)s: %(message)s)") % {
        "provider": PROVIDER_NAMES.get(provider, provider),
        "code": code,
        "message": message or "—",
    }
    return f"{sentence} {detail}"
