from django.urls import path

from notifications import apis

urlpatterns = [
    path("", apis.NotificationListApi.as_view(), name="api-notification-list"),
    path("read-all/", apis.NotificationMarkAllReadApi.as_view(), name="api-notification-read-all"),
    path("<int:notification_id>/read/", apis.NotificationMarkReadApi.as_view(), name="api-notification-read"),
]
