from celery import shared_task

from notifications.services import notification_purge_read


@shared_task(name="notifications.purge_read")
def purge_read_notifications_task(older_than_days: int | None = None) -> int:
    """Nightly: drop notifications read long ago. Idempotent."""
    return notification_purge_read(older_than_days=older_than_days)
