from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # The reminder engine registers the rules waiting for later features itself; apps
        # register their reminder sources (goals.reminders) from their own ready().
        from notifications import reminders  # noqa: F401
