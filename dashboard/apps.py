from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The home page, navigation and (later) the strategy dashboard: the app on top of every other."""

    name = "dashboard"
    verbose_name = "Dashboard"
