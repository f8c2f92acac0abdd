"""Use the language a signed-in person chose, on every page and in every e-mail link."""

from django.conf import settings
from django.utils import translation

from org.selectors import employee_of


class UserLanguageMiddleware:
    """Runs after authentication: an employee's saved preference beats the cookie and browser."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            employee = employee_of(user)
            language = employee.preferred_language if employee else ""
            if language in self.supported:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
