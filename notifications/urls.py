from django.urls import path

from notifications import views, views_channels, views_reminders

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all", views.mark_all_read, name="mark-all-read"),
    path("<int:pk>/open", views.notification_open, name="open"),
    path("<int:pk>/read", views.mark_read, name="mark-read"),
]

# Preferences and HR's team-chat bots.
urlpatterns += views_channels.urlpatterns

# HR's reminder rules.
urlpatterns += views_reminders.urlpatterns
