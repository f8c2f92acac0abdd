"""Carry DRF's one-per-person tokens (rest_framework.authtoken, no longer installed) over to personal
API tokens, so scripts using them keep working until they expire (STRIDE_API_TOKEN_DAYS from now).

The old table is read with SQL when it exists and is left in place (drop `authtoken_token` by hand
once this has run); a fresh database has nothing to carry over.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def carry_over(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("org", "ApiToken")
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    expires_at = timezone.now() + timedelta(days=settings.STRIDE_API_TOKEN_DAYS)
    taken = set(ApiToken.objects.values_list("token_prefix", flat=True))
    for key, user_id, created in rows:
        if key[:8] in taken:
            continue  # a prefix collision: that person signs in for a new token
        taken.add(key[:8])
        token = ApiToken.objects.create(
            user_id=user_id,
            name="API (before tokens expired)",
            token_prefix=key[:8],
            token_hash=hashlib.sha256(key.encode()).hexdigest(),
            expires_at=expires_at,
        )
        ApiToken.objects.filter(pk=token.pk).update(created_at=created)


class Migration(migrations.Migration):
    dependencies = [("org", "0006_api_tokens")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
