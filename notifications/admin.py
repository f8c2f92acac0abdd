from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from notifications.models import (
    ChatWebhook,
    Delivery,
    Notification,
    NotificationPreference,
    ReminderLog,
    ReminderRule,
)
from notifications.services import delivery_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "message", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__username", "recipient__full_name", "message"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "actor"]


# --- e-mail and chat delivery --------------------------------------------------------------


@admin.register(ChatWebhook)
class ChatWebhookAdmin(SimpleHistoryAdmin):
    """The signing secret is write-only: set or change it on HR's “Team chat bots” page."""

    list_display = ["name", "provider", "unit", "is_active", "created_by", "created_at"]
    list_filter = ["provider", "is_active"]
    search_fields = ["name"]
    exclude = ["secret"]
    raw_id_fields = ["unit", "created_by"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "webhook", "status", "attempts", "sent_at", "updated_at"]
    list_filter = ["status", "channel", "webhook"]
    search_fields = ["notification__recipient__username", "notification__recipient__full_name", "last_error"]
    list_select_related = ["notification", "webhook"]
    raw_id_fields = ["notification", "webhook"]
    readonly_fields = ["notification", "channel", "webhook", "status", "attempts", "last_error", "sent_at"]
    actions = ["retry_failed"]

    @admin.action(description=_("Try the selected failed deliveries again"))
    def retry_failed(self, request, queryset):
        failed = list(queryset.filter(status=Delivery.Status.FAILED))
        for delivery in failed:
            delivery_retry(delivery=delivery)
        self.message_user(request, _("%(count)s deliveries queued again.") % {"count": len(failed)})


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "channel", "enabled", "updated_at"]
    list_filter = ["channel", "enabled", "kind"]
    search_fields = ["user__username", "user__full_name", "kind"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


# --- reminders -------------------------------------------------------------------------------


class ReminderRuleAdminForm(forms.ModelForm):
    """Parameters are checked against the rule's schema, as on HR's reminders page."""

    class Meta:
        model = ReminderRule
        fields = ["enabled", "params"]

    def clean(self):
        from notifications.errors import ReminderError
        from notifications.reminders import reminder_params_clean, reminder_source_get

        data = super().clean()
        source = reminder_source_get(self.instance.code)
        if source is None:
            return data
        try:
            data["params"] = reminder_params_clean(
                source=source, enabled=data.get("enabled", False), params=data.get("params") or {}
            )
        except ReminderError as error:
            problems = [f"{name}: {p}" for name, ps in error.extra.get("errors", {}).items() for p in ps]
            raise forms.ValidationError(problems or [str(error.message)]) from error
        return data


@admin.register(ReminderRule)
class ReminderRuleAdmin(SimpleHistoryAdmin):
    """Rules come from the apps (codes are fixed); HR's page “Reminders” is the usual place to edit them."""

    list_display = ["code", "enabled", "params", "updated_at"]
    list_filter = ["enabled"]
    readonly_fields = ["code"]
    form = ReminderRuleAdminForm

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        from notifications.reminders import reminder_rule_update, reminder_source_get

        if reminder_source_get(obj.code) is None:
            super().save_model(request, obj, form, change)
            return
        reminder_rule_update(code=obj.code, actor=request.user, enabled=obj.enabled, params=obj.params)


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """What was sent to whom, once per occasion. Deleting a row lets that reminder go again."""

    list_display = ["rule_code", "recipient", "occasion", "notification", "created_at"]
    list_filter = ["rule_code"]
    search_fields = ["recipient__username", "recipient__full_name", "occasion"]
    list_select_related = ["recipient", "notification"]
    raw_id_fields = ["recipient", "notification"]
    readonly_fields = ["rule_code", "recipient", "occasion", "notification", "created_at"]

    def has_add_permission(self, request):
        return False
