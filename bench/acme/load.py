"""Pages under load: gunicorn started as the production image starts it (Dockerfile's CMD, on
127.0.0.1 and a free port, DEBUG off, WEB_CONCURRENCY workers as the image sets them), driven
from this process by concurrent clients, each with its own signed-in session."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.acme.cast import Page
from bench.acme.report import percentile

ROOT = Path(__file__).resolve().parents[2]
WORKERS = "3"  # the Dockerfile's WEB_CONCURRENCY
GUNICORN_FLAGS = [
    "--timeout",
    "60",
    "--access-logfile",
    "-",
    "--worker-tmp-dir",
    "/dev/shm",  # noqa: S108 (the Dockerfile's flags)
    "--no-control-socket",
]
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Timing:
    page: Page
    seconds: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    size: int = 0  # bytes of the last answer

    @property
    def p50(self) -> float:
        return percentile(self.seconds, 50)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 95)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(port: int) -> list[str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return [str(gunicorn), "pmsite.wsgi:application", "--bind", f"127.0.0.1:{port}", *GUNICORN_FLAGS]


@contextmanager
def gunicorn(*, settings: str) -> Iterator[str]:
    """A running gunicorn; yields its base URL. Its log goes to a temporary file, shown if it fails."""
    import requests

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "DEBUG": "False"}
    env.setdefault("WEB_CONCURRENCY", WORKERS)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as log:
        server = subprocess.Popen(gunicorn_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("gunicorn did not start:\n" + log.read()[-3000:])
                try:
                    if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                        break
                except requests.RequestException:  # not listening yet, or a worker still booting
                    pass
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def sign_in(base: str, username: str, password: str):
    """A requests session signed in through the login form (its CSRF token included)."""
    import requests

    session = requests.Session()
    form = session.get(f"{base}/accounts/login/", timeout=30)
    token = _CSRF.search(form.text)
    if token is None:
        raise RuntimeError("No CSRF token on the login page.")
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"Could not sign in as {username} (HTTP {answer.status_code}).")
    return session


class Driver:
    """`clients` threads; each keeps one signed-in session per user it has been asked to be."""

    def __init__(self, base: str, *, clients: int, password: str) -> None:
        self.base, self.clients, self.password = base, clients, password
        self._sessions: dict[tuple[int, str], object] = {}

    def _session(self, client: int, username: str):
        key = (client, username)
        if key not in self._sessions:
            self._sessions[key] = sign_in(self.base, username, self.password)
        return self._sessions[key]

    def sign_in_all(self, usernames: set[str]) -> None:
        for client in range(self.clients):
            for username in sorted(usernames):
                self._session(client, username)

    def measure(self, page: Page, *, requests_total: int, budget: float) -> Timing:
        """`requests_total` GETs of the page shared by the clients (after one untimed GET each), or as
        many as fit in `budget` seconds."""
        import requests

        timing = Timing(page)
        lock = threading.Lock()
        remaining = [requests_total]
        deadline = time.monotonic() + budget

        def client(index: int) -> None:
            session = self._session(index, page.username)
            session.get(self.base + page.url, timeout=120)  # warm this worker's caches, untimed
            while time.monotonic() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                started = time.perf_counter()
                try:
                    answer = session.get(self.base + page.url, timeout=120, allow_redirects=False)
                    status, size = answer.status_code, len(answer.content)
                except requests.RequestException:
                    status, size = 0, 0
                elapsed = time.perf_counter() - started
                with lock:
                    timing.seconds.append(elapsed)
                    timing.statuses[status] = timing.statuses.get(status, 0) + 1
                    timing.size = size or timing.size

        threads = [threading.Thread(target=client, args=(i,)) for i in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return timing
