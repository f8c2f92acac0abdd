from celery import shared_task

from notifications.services import notification_purge_read


@shared_task(name="notifications.purge_read")
def purge_read_notifications_task(older_than_days: int | None = None) -> int:
    """Nightly: drop notifications read long ago. Idempotent."""
    return notification_purge_read(older_than_days=older_than_days)


# --- e-mail and chat deliveries ------------------------------------------------------------


@shared_task(bind=True, name="notifications.deliver", max_retries=5, acks_late=True)
def deliver_task(self, delivery_id: int) -> str:
    """Send one e-mail or chat post. Idempotent; a failure is retried with backoff (5 attempts in all)."""
    from notifications.services import delivery_attempt

    outcome = delivery_attempt(delivery_id=delivery_id)
    if outcome is None:
        return "busy"  # another worker holds it right now and will finish it
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="notifications.deliver_pending")
def deliver_pending_task(older_than_minutes: int = 15) -> int:
    """Periodic sweep: queue again deliveries left pending (broker was down, a worker was lost)."""
    from notifications.services import delivery_requeue_pending

    return delivery_requeue_pending(older_than_minutes=older_than_minutes)
