"""Helpers for tests that start real processes (settings loaders, gunicorn, Celery)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
SETTINGS_DIR = BASE_DIR / "pmsite" / "settings"


def settings_env_names() -> set[str]:
    """Every environment variable the settings modules read."""
    pattern = re.compile(r"""[Ee]nv(?:\(\))?\.\w+\(\s*["']([A-Z][A-Z0-9_]*)["']""")
    return {name for path in SETTINGS_DIR.glob("*.py") for name in pattern.findall(path.read_text(encoding="utf-8"))}


def dotenv_defines(name: str) -> bool:
    """True when the project's .env file (which the settings load) sets `name`."""
    dotenv = BASE_DIR / ".env"
    return (
        dotenv.exists()
        and re.search(rf"^\s*(export\s+)?{name}\s*=", dotenv.read_text(encoding="utf-8"), re.MULTILINE) is not None
    )


def clean_env(overrides: dict[str, str] | None = None, /, **more: str) -> dict[str, str]:
    """This process's environment without any Stride or Django setting, plus `overrides`.

    (Test runs set some, e.g. browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which a deployment must not.)
    """
    names = settings_env_names()
    env = {k: v for k, v in os.environ.items() if k not in names and not k.startswith("DJANGO_")}
    return {**env, **(overrides or {}), **more}


def load_settings(module: str, names: list[str], **env: str) -> subprocess.CompletedProcess:
    """Import `module` in a fresh interpreter with `env` and print the settings `names` as JSON."""
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}, default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean_env({**env, "DJANGO_SETTINGS_MODULE": module}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_values(module: str, names: list[str], **env: str) -> dict:
    result = load_settings(module, names, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def database_url() -> str:
    """A DATABASE_URL for the test database this test runs on (PostgreSQL or a SQLite file)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        assert not name.startswith(("file:", ":memory:")), "the SQLite test database must be a file"
        return f"sqlite:///{name}"
    assert db["ENGINE"] == "django.db.backends.postgresql", db["ENGINE"]
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    credentials = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}{db['HOST'] or 'localhost'}{port}/{quote(db['NAME'], safe='')}"
