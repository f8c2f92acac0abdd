#!/bin/sh
# Container entrypoint. Before the web server starts: apply migrations and refresh the static
# files (the static volume may hold those of an older image). Every other command (celery
# worker, celery beat, manage.py …) runs as given.
set -e

if [ "$1" = "gunicorn" ]; then
    python manage.py migrate --noinput
    python manage.py collectstatic --noinput --verbosity 0
fi

exec "$@"
