from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared infrastructure every app builds on; it imports no app (README, Architecture)."""

    name = "core"
    verbose_name = "Stride"
