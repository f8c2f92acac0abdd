"""Configuration comes from the environment, with working defaults where a default is safe.

Settings are read once per process, so each case loads them in a fresh interpreter.
"""

import re

import pytest

from tests.pmsite.processes import BASE_DIR, dotenv_defines, settings_env_names, settings_values

pytestmark = pytest.mark.smoke

BROKER = ["CELERY_BROKER_URL", "CELERY_BROKER_TRANSPORT_OPTIONS", "CELERY_BEAT_SCHEDULER"]


def test_local_settings_need_no_services(tmp_path):
    if dotenv_defines("DATABASE_URL") or dotenv_defines("REDIS_URL"):
        pytest.skip("the project's .env sets DATABASE_URL or REDIS_URL")
    # given: nothing configured but the folder for local state
    values = settings_values("pmsite.settings.local", ["DATABASES", "DEBUG", *BROKER], STRIDE_VAR_DIR=str(tmp_path))
    # then: SQLite and the folder queue inside it, schedules from the database
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASES"]["default"]["NAME"] == str(tmp_path / "stride.sqlite3")
    assert values["CELERY_BROKER_URL"] == "filesystem://"
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"]["data_folder_in"] == str(tmp_path / "celery" / "queue")
    assert values["CELERY_BEAT_SCHEDULER"] == "django_celery_beat.schedulers:DatabaseScheduler"
    assert values["DEBUG"] is True


def test_database_and_redis_come_from_the_environment(tmp_path):
    values = settings_values(
        "pmsite.settings.local",
        ["DATABASES", *BROKER],
        DATABASE_URL="postgres://stride:pw@db.internal:5433/stride_prod",
        REDIS_URL="redis://cache.internal:6379/2",
        STRIDE_VAR_DIR=str(tmp_path),
    )
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", 5433, "stride_prod")
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6379/2"


def test_test_settings_keep_an_explicitly_empty_redis_url_for_the_embedded_broker(tmp_path):
    # bin/test runs the smoke subset with REDIS_URL="" and a SQLite file
    values = settings_values(
        "pmsite.settings.test",
        ["DATABASES", *BROKER],
        REDIS_URL="",
        DATABASE_URL=f"sqlite:///{tmp_path}/smoke.sqlite3",
        STRIDE_VAR_DIR=str(tmp_path),
    )
    assert values["CELERY_BROKER_URL"] == "filesystem://"
    # the test database is a file too, so a Celery worker started by a test can open it
    assert values["DATABASES"]["default"]["TEST"]["NAME"] == str(tmp_path / "test_smoke.sqlite3")


def test_test_settings_default_to_postgresql_and_redis():
    values = settings_values("pmsite.settings.test", ["DATABASES", *BROKER])
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert values["CELERY_BROKER_URL"].startswith("redis://")


def test_every_setting_from_the_environment_is_documented():
    names = settings_env_names()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= names  # the scan works
    example = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    missing_from_example = {n for n in names if not re.search(rf"^#?\s*{n}=", example, re.MULTILINE)}
    missing_from_readme = {n for n in names if not re.search(rf"^\|\s*`{n}`", readme, re.MULTILINE)}
    assert missing_from_example == set(), ".env.example lacks these settings"
    assert missing_from_readme == set(), "the README's configuration table lacks these settings"


def test_postgresql_connections_run_without_the_jit_compiler(db):
    # JIT compiled a large generated UPDATE for minutes without answering a cancel: Stride turns it off
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
