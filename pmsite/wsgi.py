"""
WSGI config for pmsite project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmsite.settings.production")

application = get_wsgi_application()
# What starting made (modules, settings, models, URL patterns) lives as long as the process: keep
# it out of the garbage collector's full passes, which otherwise walk it again during requests.
gc.freeze()
