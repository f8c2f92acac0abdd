from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Apps register their reminder rules (goals.reminders) from their own ready(); the rules of
        # check-ins, reviews and appeals wait in notifications.reminders.parked until their apps come.
        from core.schedules import register_schedule_name
        from notifications import home
        from notifications.reminders import parked

        home.register()  # unread notifications on the home page (core.home)
        parked.register()

        # The names the migrations seed (0003, 0005, 0006), so each reader sees them in their language.
        register_schedule_name(
            "Nightly: remove notifications read long ago", _("Nightly: remove notifications read long ago")
        )
        register_schedule_name("Reminders: daily run", _("Reminders: daily run"))
        register_schedule_name(
            "Every 15 minutes: re-send pending notification deliveries",
            _("Every 15 minutes: re-send pending notification deliveries"),
        )
