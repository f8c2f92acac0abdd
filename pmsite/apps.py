from django.apps import AppConfig


class PmsiteConfig(AppConfig):
    name = "pmsite"
    verbose_name = "Stride"
