from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.forms import apply_error_to_form
from org.errors import OrgError
from org.models import CalendarDay, Employee, GradeLevel, OrgUnit, User
from org.services import calendar_day_check, ensure_no_manager_cycle, ensure_no_unit_cycle


class EmployeeAdminForm(forms.ModelForm):
    """The admin refuses a manager that closes a loop, like every other path does."""

    class Meta:
        model = Employee
        fields = [
            "user",
            "employee_number",
            "unit",
            "manager",
            "job_title",
            "job_title_en",
            "grade_level",
            "hire_date",
            "is_active",
            "preferred_language",
        ]

    def clean_manager(self):
        manager = self.cleaned_data.get("manager")
        try:
            ensure_no_manager_cycle(self.instance.pk, manager)
        except OrgError as exc:
            raise forms.ValidationError(exc.message) from exc
        return manager


class OrgUnitAdminForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "name_en", "kind", "parent", "is_active"]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        try:
            ensure_no_unit_cycle(self.instance.pk, parent)
        except OrgError as exc:
            raise forms.ValidationError(exc.message) from exc
        return parent


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "english_name", "email", "is_hr", "is_executive", "is_staff", "is_active"]
    list_filter = ["is_hr", "is_executive", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "full_name", "english_name", "email"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "english_name", "email")}),
        (_("Stride roles"), {"fields": ("is_hr", "is_executive")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "email", "password1", "password2"),
            },
        ),
    )


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_en", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_en"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    form = OrgUnitAdminForm


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ["employee_number", "user", "unit", "manager", "job_title", "grade_level", "is_active"]
    list_filter = ["is_active", "grade_level", "unit"]
    search_fields = ["employee_number", "user__full_name", "user__english_name", "user__email"]
    list_select_related = ["user", "unit", "manager__user"]
    autocomplete_fields = ["user", "unit", "manager"]
    form = EmployeeAdminForm


# --- working-day calendar --------------------------------------------------------------------


class CalendarDayAdminForm(forms.ModelForm):
    """A make-up working day must be on a weekend, as on HR's calendar page."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "name_en"]

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("kind"):
            try:
                calendar_day_check(day=data["date"], kind=data["kind"])
            except ValidationError as error:
                apply_error_to_form(self, error)
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "name", "name_en"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en"]
    date_hierarchy = "date"
    form = CalendarDayAdminForm


@admin.register(GradeLevel)
class GradeLevelAdmin(SimpleHistoryAdmin):
    """HR's grade list (also on HR's Grade levels page)."""

    list_display = ["code", "description", "rank"]
    search_fields = ["code", "description"]
