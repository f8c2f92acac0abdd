from django.urls import include, path

urlpatterns = [
    path("", include("org.apis_urls")),
    path("notifications/", include("notifications.apis_urls")),
    path("goals/", include("goals.apis_urls")),
]
