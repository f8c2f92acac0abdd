"""Tokens for other systems (CRM, ERP, attendance) that push progress updates."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from goals.models import IntegrationClient
from org.models import User

TOKEN_PREFIX_LENGTH = 8


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def integration_client_issue(*, actor: User, name: str, description: str = "") -> tuple[IntegrationClient, str]:
    """Issue a token for a system. The raw token is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    client = IntegrationClient(
        name=name,
        description=description,
        token_prefix=raw[:TOKEN_PREFIX_LENGTH],
        token_hash=_hash(raw),
        created_by=actor,
    )
    client.full_clean()
    client.save()
    return client, raw


@transaction.atomic
def integration_client_revoke(*, client: IntegrationClient, actor: User) -> IntegrationClient:
    client = IntegrationClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at", "updated_at"])
    return client


def integration_client_authenticate(*, raw_token: str) -> IntegrationClient | None:
    """The active client this token belongs to, or None. Compared in constant time."""
    if not raw_token or len(raw_token) < TOKEN_PREFIX_LENGTH:
        return None
    client = IntegrationClient.objects.filter(token_prefix=raw_token[:TOKEN_PREFIX_LENGTH]).first()
    if client is None or client.revoked_at is not None:
        return None
    if not secrets.compare_digest(client.token_hash, _hash(raw_token)):
        return None
    IntegrationClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
