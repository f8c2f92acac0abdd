"""What goals adds to an employee record (registered with org.extensions in GoalsConfig.ready)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from org.extensions import EmployeeFact


def employee_score_facts(*, request, employee) -> list[EmployeeFact]:
    """The person's results score for the current year, if the reader may see it."""
    from goals.templatetags.goals_scores import person_score

    results = person_score({"request": request}, employee)
    if results is None:
        return []
    label = _("Results score %(period)s") % {"period": results["period"].name}
    html = render_to_string("goals/_employee_score.html", {"results": results}, request=request)
    return [EmployeeFact(label=label, html=html)]
