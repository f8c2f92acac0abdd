"""Pages that belong to no single app: home, language switch, health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dashboard.home import home_page_for
from org.selectors import employee_of
from org.services import employee_set_language


def health(request):
    """Liveness and database reachability for load balancers and docker health checks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def home(request):
    """My work: what this person has to do now, by role."""
    page = home_page_for(user=request.user)
    return render(request, "home.html", {"page": page, "nav_active": "my-work"})


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


@require_POST
def language_switch(request):
    """Switch the interface language: a cookie for this browser and, for employees, their profile.

    The saved preference follows the person to every device (org.middleware.UserLanguageMiddleware).
    """
    response = HttpResponseRedirect(_safe_next(request, request.POST.get("next")))
    language = request.POST.get("language", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=getattr(settings, "LANGUAGE_COOKIE_AGE", None) or 60 * 60 * 24 * 365,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    if request.user.is_authenticated:
        employee = employee_of(request.user)
        if employee is not None and employee.preferred_language != language:
            employee_set_language(employee=employee, language=language)
    return response
