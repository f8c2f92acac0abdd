"""`bin/run` as a newcomer meets it: set-up output in a log file, the banner last, links in
e-mails on the port it serves, and one Ctrl-C or SIGTERM stopping all three processes.

Runs the real script on a fresh SQLite file and folder queue (the embedded default), so it
migrates, loads the demo company and starts runserver, a Celery worker and Celery beat.
"""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.pmsite.processes import BASE_DIR, clean_env

BANNER_END = "Press Ctrl-C to stop."
# A bound on "stops", not a speed target: the script gives Celery 4 s for the job in hand, then kills.
STOP_BOUND_SECONDS = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout
    return [int(line) for line in out.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie waiting for its parent counts as stopped
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[1][:1] != "Z"


def _group_members(pgid: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(") ", 1)[1].split()
        except (FileNotFoundError, IndexError, ProcessLookupError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    """One var dir for the module: the first start migrates and loads the demo, later ones find it there."""
    return tmp_path_factory.mktemp("run") / "var"


@pytest.fixture
def started(var_dir, tmp_path):
    """bin/run on a free port; yields (process, port, var dir, its screen output, its children's groups)."""
    port = _free_port()
    var = var_dir
    out_path = tmp_path / "run.out"
    env = clean_env(STRIDE_VAR_DIR=str(var), PORT=str(port))
    with out_path.open("wb") as out:
        process = subprocess.Popen(
            [str(BASE_DIR / "bin" / "run")],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives it
        )
    deadline = time.monotonic() + 300
    while BANNER_END not in out_path.read_text(errors="replace"):
        assert process.poll() is None, out_path.read_text(errors="replace")
        assert time.monotonic() < deadline, "no banner within 5 minutes:\n" + out_path.read_text(errors="replace")
        time.sleep(0.5)
    groups = [os.getpgid(pid) for pid in _children(process.pid)]
    yield process, port, var, out_path, groups
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    for pgid in groups:
        for pid in _group_members(pgid):
            os.kill(pid, signal.SIGKILL)


def _stopped_within(process, groups, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None and not any(_group_members(pgid) for pgid in groups):
            return True
        time.sleep(0.1)
    return False


def test_banner_comes_last_setup_output_goes_to_a_log_and_mail_links_follow_the_port(started):
    _process, port, var, out_path, groups = started
    # given: the banner is on the screen; the web server, worker and beat run in their own groups
    assert len(groups) == 3
    time.sleep(3)  # anything the processes print while starting would land now
    # then: nothing follows the banner, and the demo data's output is in the set-up log, not on screen
    screen = out_path.read_text(errors="replace")
    assert screen.rstrip().endswith(BANNER_END), screen[-2000:]
    assert "Demo company loaded" not in screen
    setup_log = (var / "log" / "setup.log").read_text()
    assert "Demo company loaded" in setup_log or "demo" in setup_log.lower(), setup_log
    assert f"http://localhost:{port}/" in screen
    # and: the site answers at the address the banner gives
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    # and: e-mails the worker sends (the demo's approval requests, printed to its log) link to this port
    deadline = time.monotonic() + 60
    worker_log = var / "log" / "worker.log"
    while "localhost:" not in worker_log.read_text(errors="replace") and time.monotonic() < deadline:
        time.sleep(0.5)
    mail = worker_log.read_text(errors="replace")
    assert f"http://localhost:{port}/" in mail
    assert "http://localhost:8000/" not in mail or port == 8000


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_one_ctrl_c_or_sigterm_stops_all_three_processes(started, stop):
    process, _port, _var, out_path, groups = started
    # when: Ctrl-C (SIGINT to the terminal's foreground group) or one SIGTERM to the script
    if stop == signal.SIGINT:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    # then: the script and every process it started are gone
    assert _stopped_within(process, groups, STOP_BOUND_SECONDS), out_path.read_text(errors="replace")[-2000:]
    assert process.returncode == (130 if stop == signal.SIGINT else 143)
