"""HR's grade list: the grade levels (职级) people may hold. The org chart import, the admin and
every service accept only these once the list has any entry."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_error_to_form
from core.text import join_words
from org.access import org_access_for_manage
from org.errors import OrgError, OrgErrorCode
from org.models import GradeLevel
from org.selectors import grade_level_list, grade_levels_not_in_list
from org.services import grade_level_create, grade_level_delete


class GradeLevelForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Grade level"),
        max_length=GradeLevel._meta.get_field("code").max_length,
        help_text=gettext_lazy("As written in the org chart, e.g. P4 or M2."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=GradeLevel._meta.get_field("description").max_length,
        required=False,
        help_text=gettext_lazy("E.g. 高级工程师 / Senior engineer."),
    )
    rank = forms.IntegerField(
        label=gettext_lazy("Order"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=gettext_lazy("Grade levels are listed by this number, lowest first."),
    )


def _render(request, form, *, status: int = 200):
    missing = grade_levels_not_in_list()
    context = {
        "grades": grade_level_list(),
        "missing": missing,
        "missing_text": join_words(
            ngettext("%(grade)s (%(count)s person)", "%(grade)s (%(count)s people)", count)
            % {"grade": grade, "count": count}
            for grade, count in missing
        ),
        "form": form,
        "nav_active": "hr",
    }
    return render(request, "org/grade_levels.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def grade_levels(request):
    """The list, with how many people hold each grade level, and the form to add one."""
    org_access_for_manage(actor=request.user)
    if request.method != "POST":
        return _render(request, GradeLevelForm())
    form = GradeLevelForm(request.POST)
    if form.is_valid():
        try:
            grade = grade_level_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_error_to_form(form, error)
        else:
            messages.success(request, _("Grade level %(code)s is added to the list.") % {"code": grade.code})
            return redirect("org:grade-levels")
    return _render(request, form, status=400)


@login_required
@require_POST
def grade_level_remove(request, pk: int):
    org_access_for_manage(actor=request.user)
    grade = get_object_or_404(GradeLevel, pk=pk)
    try:
        grade_level_delete(grade_level=grade, actor=request.user)
    except OrgError as error:
        if error.code != OrgErrorCode.GRADE_LEVEL_IN_USE:
            raise
        people = error.extra["people"]
        text = ngettext(
            "%(count)s person still holds grade level %(code)s, so it stays in the list. Give them another "
            "grade level first (for example with the org chart import), then remove it.",
            "%(count)s people still hold grade level %(code)s, so it stays in the list. Give them another "
            "grade level first (for example with the org chart import), then remove it.",
            people,
        )
        messages.error(request, text % {"count": people, "code": grade.code})
    else:
        messages.success(request, _("Grade level %(code)s is removed from the list.") % {"code": grade.code})
    return redirect("org:grade-levels")


urlpatterns = [
    path("grade-levels/", grade_levels, name="grade-levels"),
    path("grade-levels/<int:pk>/delete/", grade_level_remove, name="grade-level-delete"),
]
