"""What goals adds to an employee record (registered with org.extensions in GoalsConfig.ready)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from org.extensions import EmployeeFact, TeamColumn
from org.models import Employee


def employee_score_facts(*, request, employee) -> list[EmployeeFact]:
    """The person's results score for the current year, if the reader may see it."""
    from goals.templatetags.goals_scores import person_score

    results = person_score({"request": request}, employee)
    if results is None:
        return []
    label = _("Results score %(period)s") % {"period": results["period"].name}
    html = render_to_string("goals/_employee_score.html", {"results": results}, request=request)
    return [EmployeeFact(label=label, html=html)]


CSS = "css/goals.css"  # score chips and pace badges


def team_performance_columns(*, request, people: list) -> list[TeamColumn]:
    """Results score, pace and last progress update of each person on a page of "My team", for
    the current fiscal year (else the latest year); a prompt for people with no objectives.
    Only people whose scores the reader may see (the people below them, or everyone for HR,
    executives and admins). Three queries whatever the page size."""
    from goals.objectives.selectors import user_reads_all_goals
    from goals.progress.team import team_performance
    from goals.strategy.selectors import period_default
    from org.selectors import descendants_sql, employee_of

    if not people:
        return []
    period = period_default()
    if period is None:
        return []
    if not user_reads_all_goals(request.user):
        me = employee_of(request.user)
        if me is None:
            return []
        below = Employee.objects.filter(pk__in=descendants_sql(Employee, "manager", me.pk))
        seen = set(below.filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
        people = [p for p in people if p.pk in seen]
    performance = team_performance(people=people, period=period)

    def cells(which: str) -> dict:
        return {
            p.pk: render_to_string(
                "goals/_team_cell.html",
                # `request` as a plain variable (the chip's ?next=): with request=, the context
                # processors would run again for every cell.
                {"which": which, "perf": performance[p.pk], "person": p, "period": period, "request": request},
            )
            for p in people
            if p.pk in performance
        }

    return [
        TeamColumn(label=_("Results score %(period)s") % {"period": period.name}, cells=cells("score"), stylesheet=CSS),
        TeamColumn(label=_("Pace"), cells=cells("pace"), stylesheet=CSS),
        TeamColumn(label=_("Last update"), cells=cells("last"), stylesheet=CSS),
    ]
