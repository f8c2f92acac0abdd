"""Pages that belong to no single app: home, language switch, health check."""

from django.db import connection
from django.http import JsonResponse


def health(request):
    """Liveness and database reachability for load balancers and docker health checks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request):  # replaced by the home page work
    raise NotImplementedError


def language_switch(request):  # replaced by the language switch work
    raise NotImplementedError
