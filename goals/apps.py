from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

OBJECTIVE_SUBMITTED = "objective_submitted"
OBJECTIVE_APPROVED = "objective_approved"
OBJECTIVE_RETURNED = "objective_returned"
OBJECTIVE_CLOSED = "objective_closed"
OBJECTIVE_CANCELLED = "objective_cancelled"


class GoalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "goals"
    verbose_name = _("Goals")

    def ready(self):
        from goals.org_facts import employee_score_facts, team_performance_columns
        from notifications import types
        from org.extensions import register_employee_facts, register_team_columns

        register_employee_facts(employee_score_facts)
        register_team_columns(team_performance_columns)

        # label: for the person told; group_label: for a team chat's group (HR's chat bots)
        types.register(
            OBJECTIVE_SUBMITTED,
            _("An objective is waiting for my approval"),
            chat=True,
            group_label=_("Objectives waiting for a manager's approval"),
        )
        types.register(OBJECTIVE_APPROVED, _("My objective was approved"), group_label=_("Objectives approved"))
        types.register(
            OBJECTIVE_RETURNED,
            _("My objective was returned with a comment"),
            chat=True,
            group_label=_("Objectives returned to their owner with a comment"),
        )
        types.register(OBJECTIVE_CLOSED, _("My objective was closed"), group_label=_("Objectives closed"))
        types.register(OBJECTIVE_CANCELLED, _("My objective was cancelled"), group_label=_("Objectives cancelled"))

        from goals import home, reminders

        reminders.register()
        home.register()  # my objectives and approvals on the home page (core.home)

        from core.schedules import register_schedule_name

        # The name migration 0004 seeds, so each reader sees it in their language.
        register_schedule_name("Nightly: recompute all scores", _("Nightly: recompute all scores"))
