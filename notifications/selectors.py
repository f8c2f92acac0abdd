from django.db.models import QuerySet

from notifications.models import Notification
from org.models import User


def notification_list(*, recipient: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=recipient).select_related("actor")
    return qs.unread() if unread_only else qs


def notification_unread_count(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient).unread().count()
