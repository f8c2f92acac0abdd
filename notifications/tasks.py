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


# --- reminders ------------------------------------------------------------------------------


@shared_task(name="notifications.run_reminders")
def run_reminders_task(today: str | None = None, working_days_only: bool = True) -> dict:
    """Daily: run every reminder rule that is on. Each reminder goes once per person per occasion,
    so running twice (or on two workers) sends nothing twice. Days off by HR's calendar are skipped."""
    from datetime import date

    from notifications.reminders import reminder_run_all

    day = date.fromisoformat(today) if today else None
    return reminder_run_all(day, working_days_only=working_days_only)


@shared_task(name="notifications.run_reminder")
def run_reminder_task(code: str, today: str | None = None) -> int | str:
    """Run one reminder rule (for a schedule of its own). Idempotent like the daily run."""
    from datetime import date

    from notifications.errors import ReminderError
    from notifications.reminders import reminder_run

    try:
        return reminder_run(code, date.fromisoformat(today) if today else None).sent
    except ReminderError as error:  # turned off, or waiting for its feature: nothing to do
        return f"{error.code}: {error.message}"
