# Stride production image: gunicorn serving pmsite.wsgi; the same image runs the Celery
# worker and beat (see docker-compose.yml). Static files are collected at build time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=pmsite.settings.production \
    STRIDE_VAR_DIR=/app/var \
    WEB_CONCURRENCY=3

RUN groupadd --system --gid 1000 stride \
    && useradd --system --uid 1000 --gid stride --home-dir /app --shell /usr/sbin/nologin stride

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=stride:stride . .

# Static files into the image (whitenoise serves them). The settings need a secret and
# hosts to load; these dummies exist only during this build step.
RUN SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var/media /app/var/static \
    && chown -R stride:stride /app/var \
    && chmod +x /app/docker/entrypoint.sh

USER 1000:1000
EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "pmsite.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "60", "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm", "--no-control-socket"]
