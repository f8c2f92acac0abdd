"""The production set-up: docker compose file, image recipe, production settings, gunicorn.

No Docker engine runs in CI, so the compose file and Dockerfile are checked as files, and
what the web container runs (gunicorn with production settings, its health check) is run
here directly.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.pmsite.processes import BASE_DIR, clean_env, database_url, dotenv_defines, load_settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "pmsite.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "stride.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://stride.example.com",
    "DATABASE_URL": "postgres://stride:secret@db:5432/stride",
    "REDIS_URL": "redis://redis:6379/0",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.mark.smoke
@pytest.mark.parametrize("script", ["bin/run", "bin/test", "bin/check-translations", ".ci/run", "docker/entrypoint.sh"])
def test_the_commands_are_executable(script):
    assert os.access(BASE_DIR / script, os.X_OK), f"chmod +x {script} (and commit the mode)"


@pytest.mark.smoke
def test_compose_names_every_service_with_health_checks(compose):
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("db", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], f"{name} has no health check"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "/app/docker/healthcheck.py" in services["web"]["healthcheck"]["test"]


@pytest.mark.smoke
def test_compose_runs_gunicorn_worker_and_database_beat_with_production_settings(compose):
    services = compose["services"]
    assert services["web"]["command"][:2] == ["gunicorn", "pmsite.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "pmsite", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "pmsite", "beat"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "pmsite.settings.production"
        assert service["env_file"] == ".env"
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
    for name in ("worker", "beat"):  # the web container has migrated before they start
        assert services[name]["depends_on"]["web"]["condition"] == "service_healthy"


@pytest.mark.smoke
def test_compose_keeps_data_in_volumes(compose):
    services = compose["services"]
    assert {"postgres-data", "redis-data", "media", "static"} <= set(compose["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "media:/app/var/media" in services["web"]["volumes"]
    assert "static:/app/var/static" in services["web"]["volumes"]
    assert "media:/app/var/media" in services["worker"]["volumes"]


@pytest.mark.smoke
def test_dockerfile_builds_a_non_root_gunicorn_image():
    dockerfile = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.MULTILINE)
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile
    user = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert user, "the image runs as root"
    assert user[-1] not in ("root", "0")
    assert re.search(r'^CMD \["gunicorn", "pmsite\.wsgi:application"', dockerfile, re.MULTILINE)
    entrypoint = BASE_DIR / "docker" / "entrypoint.sh"
    assert os.access(entrypoint, os.X_OK)
    assert "migrate --noinput" in entrypoint.read_text(encoding="utf-8")
    ignored = (BASE_DIR / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".git", ".venv", "var"} <= set(ignored)


@pytest.mark.smoke
def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env=clean_env(PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # HSTS preloading is opt-in (SECURE_HSTS_PRELOAD) because it is hard to undo, so the
    # check's reminder about it is the one finding allowed.
    assert set(re.findall(r"\((\w+\.[CEW]\d+)\)", output)) <= {"security.W021"}, output


@pytest.mark.smoke
@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without(missing):
    if dotenv_defines(missing):
        pytest.skip(f"the project's .env sets {missing}")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in (missing, "DJANGO_SETTINGS_MODULE")}
    result = load_settings("pmsite.settings.production", ["DEBUG"], **env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_image_steps_serve_the_site_and_pass_the_container_health_check(db, tmp_path):
    # given: the image's build step (collectstatic with dummy settings) ...
    static_root = str(tmp_path / "static")
    build_env = clean_env(
        DJANGO_SETTINGS_MODULE="pmsite.settings.production",
        SECRET_KEY="build-only-not-secret",
        ALLOWED_HOSTS="localhost",
        STATIC_ROOT=static_root,
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=build_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr
    # ... and its start: the entrypoint (migrate, collectstatic) running the Dockerfile's CMD
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", (BASE_DIR / "Dockerfile").read_text(encoding="utf-8"), re.M)[1])
    port = _free_port()
    cmd = [f"127.0.0.1:{port}" if arg == "0.0.0.0:8000" else arg for arg in cmd]
    assert cmd[0] == "gunicorn"
    assert f"127.0.0.1:{port}" in cmd
    env = clean_env(PRODUCTION_ENV, DATABASE_URL=database_url(), STATIC_ROOT=static_root, WEB_CONCURRENCY="1")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    log = tmp_path / "web.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(BASE_DIR / "docker" / "entrypoint.sh"), *cmd],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        health = [sys.executable, "docker/healthcheck.py"]
        check_env = {**env, "STRIDE_HEALTHCHECK_PORT": str(port)}
        deadline = time.monotonic() + 60
        while True:
            # when: docker runs the web container's health check
            result = subprocess.run(health, cwd=BASE_DIR, env=check_env, capture_output=True, text=True, check=False)
            if result.returncode == 0 or time.monotonic() > deadline or server.poll() is not None:
                break
            time.sleep(0.3)
        # then: healthy, and the login page renders with its hashed static files served by whitenoise
        assert result.returncode == 0, result.stderr + log.read_text(encoding="utf-8")
        status, body = _get(port, "/accounts/login/")
        assert status == 200
        stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body)
        assert stylesheet, body[:2000]
        assert re.search(rb"\.[0-9a-f]{12}\.css$", stylesheet.group(1)), "static files are not hashed"
        assert _get(port, stylesheet.group(1).decode())[0] == 200
        # and plain HTTP that did not come through the HTTPS proxy is redirected
        assert _get(port, "/accounts/login/", https=False)[0] == 301
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _get(port: int, path: str, *, https: bool = True) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "stride.example.com"}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()
