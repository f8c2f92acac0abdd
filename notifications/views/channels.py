"""Pages for the channels beyond the inbox: a person's notification preferences, and HR's
team-chat bots (list, add, edit, deactivate, send a test message)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.forms import apply_error_to_form
from notifications.delivery import DeliveryError
from notifications.forms import ChatWebhookForm, PreferencesForm, preference_field_name
from notifications.models import Channel, ChatWebhook
from notifications.selectors import (
    chat_webhook_list,
    chat_webhooks_covering,
    notification_preference_rows,
    notification_preferences_of,
)
from notifications.services import (
    chat_webhook_create,
    chat_webhook_deactivate,
    chat_webhook_send_test,
    chat_webhook_update,
    notification_preferences_update,
)
from org.access import org_access_for_manage
from org.selectors import unit_tree

PAGE_SIZE = 25


# --- preferences (everyone) ------------------------------------------------------------------


@login_required
def preferences(request):
    """Which kinds of notification reach me by e-mail and in team chat (the inbox always gets them)."""
    current = notification_preferences_of(user=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, current=current)
        if form.is_valid():
            try:
                changed = notification_preferences_update(user=request.user, choices=form.choices())
            except ApplicationError as error:
                apply_error_to_form(form, error)
            else:
                if changed:
                    messages.success(request, _("Your notification preferences are saved."))
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("notifications:preferences")
    else:
        form = PreferencesForm(current=current)
    rows = [
        {
            "kind": row.kind,
            "email": form[preference_field_name(row.kind.code, Channel.EMAIL)],
            "chat": form[preference_field_name(row.kind.code, Channel.CHAT)],
        }
        for row in notification_preference_rows(user=request.user)
    ]
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "rows": rows,
            "has_email": bool(request.user.email),
            "chat_bots": chat_webhooks_covering(user=request.user),
        },
    )


# --- chat bots (HR and admins) ------------------------------------------------------------------


def _webhook_or_404(pk: int) -> ChatWebhook:
    webhook = ChatWebhook.objects.select_related("unit").filter(pk=pk).first()
    if webhook is None:
        raise Http404
    return webhook


def masked_url(url: str) -> str:
    """Show where a bot posts without its token: scheme, host and the start of the path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path[:24]}…"


@login_required
def webhooks(request):
    org_access_for_manage(actor=request.user)
    page_obj = Paginator(chat_webhook_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    for webhook in page_obj:
        webhook.masked_url = masked_url(webhook.url)
    return render(request, "notifications/webhooks.html", {"page_obj": page_obj, "nav_active": "hr"})


@login_required
def webhook_create(request):
    org_access_for_manage(actor=request.user)
    tree = unit_tree(with_counts=False)  # the unit picker's choices
    if request.method == "POST":
        form = ChatWebhookForm(request.POST, tree=tree)
        if form.is_valid():
            try:
                webhook = chat_webhook_create(
                    actor=request.user, secret=form.secret_change() or "", **form.service_fields()
                )
            except (ValidationError, ApplicationError) as error:
                apply_error_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("The chat bot %(name)s is saved. Send it a test message to check it works.")
                    % {"name": webhook.name},
                )
                return redirect("notifications:webhooks")
    else:
        form = ChatWebhookForm(tree=tree)
    return render(request, "notifications/webhooks_form.html", {"form": form, "webhook": None, "nav_active": "hr"})


@login_required
def webhook_edit(request, pk: int):
    org_access_for_manage(actor=request.user)
    webhook = _webhook_or_404(pk)
    tree = unit_tree(with_counts=False)  # the unit picker's choices
    if request.method == "POST":
        form = ChatWebhookForm(request.POST, tree=tree, has_secret=bool(webhook.secret))
        if form.is_valid():
            try:
                chat_webhook_update(
                    webhook=webhook, actor=request.user, secret=form.secret_change(), **form.service_fields()
                )
            except (ValidationError, ApplicationError) as error:
                apply_error_to_form(form, error)
            else:
                messages.success(request, _("The chat bot %(name)s is saved.") % {"name": form.cleaned_data["name"]})
                return redirect("notifications:webhooks")
    else:
        form = ChatWebhookForm(initial=ChatWebhookForm.initial_for(webhook), tree=tree, has_secret=bool(webhook.secret))
    return render(request, "notifications/webhooks_form.html", {"form": form, "webhook": webhook, "nav_active": "hr"})


@login_required
@require_POST
def webhook_deactivate(request, pk: int):
    org_access_for_manage(actor=request.user)
    webhook = _webhook_or_404(pk)
    if webhook.is_active:
        chat_webhook_deactivate(webhook=webhook, actor=request.user)
        messages.success(
            request,
            _("The chat bot %(name)s is deactivated: nothing more is posted to it.") % {"name": webhook.name},
        )
    else:
        messages.info(request, _("The chat bot %(name)s was already inactive.") % {"name": webhook.name})
    return redirect("notifications:webhooks")


@login_required
@require_POST
def webhook_test(request, pk: int):
    """Post a test message now and show what the chat service answered."""
    org_access_for_manage(actor=request.user)
    webhook = _webhook_or_404(pk)
    try:
        answer = chat_webhook_send_test(webhook=webhook)
    except DeliveryError as error:
        messages.error(
            request,
            _("The test message to %(name)s failed. %(error)s") % {"name": webhook.name, "error": error},
        )
    else:
        messages.success(
            request,
            _("The test message to %(name)s was accepted. The chat service answered: HTTP %(status)s %(answer)s")
            % {"name": webhook.name, "status": answer.status, "answer": answer.text[:300]},
        )
    return redirect("notifications:webhooks")


urlpatterns = [
    path("preferences/", preferences, name="preferences"),
    path("webhooks/", webhooks, name="webhooks"),
    path("webhooks/new/", webhook_create, name="webhook-create"),
    path("webhooks/<int:pk>/edit/", webhook_edit, name="webhook-edit"),
    path("webhooks/<int:pk>/deactivate/", webhook_deactivate, name="webhook-deactivate"),
    path("webhooks/<int:pk>/test/", webhook_test, name="webhook-test"),
]
