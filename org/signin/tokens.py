"""Personal API tokens: issue, authenticate, revoke (services) and the owner's list (selector)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from org.models import ApiToken, User

TOKEN_PREFIX_LENGTH = 8
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`, valid for STRIDE_API_TOKEN_DAYS. The raw token is returned once, never stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        token_prefix=raw[:TOKEN_PREFIX_LENGTH],
        token_hash=_hash(raw),
        expires_at=timezone.now() + timedelta(days=settings.STRIDE_API_TOKEN_DAYS),
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(*, raw_token: str) -> ApiToken | None:
    """The usable token (not revoked, not expired, its owner active) this raw token is, or None."""
    if not raw_token or len(raw_token) < TOKEN_PREFIX_LENGTH:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.usable(now=now)
        .select_related("user")
        .filter(token_prefix=raw_token[:TOKEN_PREFIX_LENGTH])
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not secrets.compare_digest(token.token_hash, _hash(raw_token)):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_list_of(*, user: User) -> QuerySet[ApiToken]:
    """The person's own tokens, newest first (revoked and expired ones too, so they can see them)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")
