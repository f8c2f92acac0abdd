from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from goals.models import (
    ActionPlan,
    IntegrationClient,
    KeyResult,
    Kpi,
    KpiReference,
    Measurement,
    Milestone,
    Objective,
    Period,
    ScoreRecord,
    ScoreSnapshot,
    SmartCriterionSetting,
    StrategicTheme,
)


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "start", "end", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(StrategicTheme)
class StrategicThemeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "perspective", "owner", "period"]
    list_filter = ["perspective", "period"]
    search_fields = ["title", "title_en"]
    list_select_related = ["owner__user", "period"]
    autocomplete_fields = ["owner"]


class KeyResultInline(admin.TabularInline):
    model = KeyResult
    extra = 0
    fields = ["title", "direction", "baseline", "target", "stretch", "unit", "weight", "kpi", "current_value"]
    readonly_fields = ["current_value"]
    autocomplete_fields = ["kpi"]


class ActionPlanInline(admin.TabularInline):
    model = ActionPlan
    extra = 0
    autocomplete_fields = ["owner"]


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["title", "level", "owner_name", "period", "track", "weight", "status"]
    list_filter = ["status", "level", "track", "period"]
    search_fields = ["title", "owner_employee__user__full_name", "owner_unit__name"]
    list_select_related = ["owner_employee__user", "owner_unit", "period"]
    autocomplete_fields = ["owner_employee", "owner_unit", "parent", "theme"]
    raw_id_fields = ["created_by", "approved_by"]
    inlines = [KeyResultInline, ActionPlanInline]


@admin.register(KeyResult)
class KeyResultAdmin(SimpleHistoryAdmin):
    list_display = ["title", "objective", "direction", "baseline", "target", "current_value", "weight"]
    list_filter = ["direction", "data_source"]
    search_fields = ["title", "objective__title"]
    list_select_related = ["objective"]
    autocomplete_fields = ["objective", "kpi"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "key_result", "due_date", "done_on"]
    raw_id_fields = ["key_result"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    """Progress updates are never changed; corrections are new rows (made in the app)."""

    list_display = ["key_result", "value", "as_of", "source", "source_client", "entered_by", "corrects"]
    list_filter = ["source", "confidence"]
    search_fields = ["key_result__title"]
    list_select_related = ["key_result", "source_client", "entered_by", "corrects"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Kpi)
class KpiAdmin(SimpleHistoryAdmin):
    list_display = ["code", "version", "is_current", "name", "name_en", "unit", "direction", "category", "perspective"]
    list_filter = ["is_current", "category", "perspective", "direction"]
    search_fields = ["code", "name", "name_en"]


@admin.register(KpiReference)
class KpiReferenceAdmin(SimpleHistoryAdmin):
    list_display = ["kpi_code", "grade_level", "low", "high", "per"]
    search_fields = ["kpi_code", "grade_level"]


@admin.register(SmartCriterionSetting)
class SmartCriterionSettingAdmin(SimpleHistoryAdmin):
    list_display = ["criterion", "warn_only"]


@admin.register(IntegrationClient)
class IntegrationClientAdmin(SimpleHistoryAdmin):
    list_display = ["name", "token_prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_prefix", "token_hash", "last_used_at"]


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["what", "objective", "owner", "due_date", "status", "budget_amount", "budget_currency"]
    list_filter = ["status"]
    search_fields = ["what"]
    list_select_related = ["objective", "owner__user"]
    autocomplete_fields = ["objective", "owner"]


@admin.register(ScoreRecord)
class ScoreRecordAdmin(admin.ModelAdmin):
    """Current scores: derived data, recomputed by the roll-ups — read only."""

    list_display = ["kind", "subject_id", "period", "score", "progress", "computed_at"]
    list_filter = ["kind", "period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScoreSnapshot)
class ScoreSnapshotAdmin(admin.ModelAdmin):
    """Score history per day, for trend charts — read only."""

    list_display = ["kind", "subject_id", "period", "day", "score", "progress"]
    list_filter = ["kind", "period"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
