"""Root URLs."""

from django.contrib import admin
from django.urls import include, path, re_path

from core.api import NotFoundApi
from core.apidocs import SchemaView, SwaggerView
from dashboard import views
from org import urls as org_urls
from org.signin.reset import ThrottledPasswordResetView
from org.signin.views import SignInView

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("language/", views.language_switch, name="language-switch"),
    path("org/", include("org.urls")),
    path("org/spreadsheet/", include(org_urls.spreadsheet_urls)),
    path("notifications/", include("notifications.urls")),
    path("goals/", include("goals.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("pmsite.api_urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/(.*/)?$", NotFoundApi.as_view()),  # last: any other /api/ path, 404 as JSON
]
