from django.http import Http404

from notifications.models import Notification
from org.models import User


def notification_access_for_recipient(*, actor: User, notification_id: int) -> Notification:
    """A notification is visible only to the person it was sent to; others get 404."""
    notification = Notification.objects.filter(pk=notification_id, recipient=actor).first()
    if notification is None:
        raise Http404
    return notification
