from django.urls import path

from notifications.views import channels, inbox, reminders

app_name = "notifications"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("read-all", inbox.mark_all_read, name="mark-all-read"),
    path("<int:pk>/open", inbox.notification_open, name="open"),
    path("<int:pk>/read", inbox.mark_read, name="mark-read"),
]

# Preferences and HR's team-chat bots.
urlpatterns += channels.urlpatterns

# HR's reminder rules.
urlpatterns += reminders.urlpatterns
