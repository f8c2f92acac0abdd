from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

IMPORT_FINISHED = "import_finished"


class OrgConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from notifications import types
        from org import home
        from org.signin import receivers  # noqa: F401 (session length at every sign-in)

        home.register()  # team, people data and organisation on the home page (core.home)

        types.register(
            IMPORT_FINISHED, _("Someone else imported the org chart"), group_label=_("Org chart imports finished")
        )
