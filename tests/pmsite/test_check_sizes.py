"""bin/check-sizes, the CI gate on module and function length, on a tiny example project."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.pmsite.processes import BASE_DIR, clean_env

SCRIPT = BASE_DIR / "bin" / "check-sizes"


def function(name: str, lines: int) -> str:
    """A function of exactly `lines` lines."""
    return f"def {name}():\n" + "    x = 1\n" * (lines - 2) + "    return x\n"


def module(lines: int) -> str:
    return "x = 1\n" * lines


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "mini"
    (root / "app").mkdir(parents=True)
    (root / ".ci").mkdir()
    (root / "app" / "views.py").write_text(function("short", 80) + "\n\n" + function("long", 90))
    (root / "app" / "big.py").write_text(module(510))
    (root / ".ci" / "sizes-allowed.txt").write_text(
        "# path lines reason\napp/big.py 510 split later\napp/views.py::long 90 split later\n"
    )
    return root


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root)],
        capture_output=True,
        text=True,
        env=clean_env(),
        check=False,
        timeout=60,
    )


def test_the_project_itself_passes():
    result = check(BASE_DIR)

    assert result.returncode == 0, result.stdout + result.stderr


def test_offenders_on_the_allow_list_pass(project):
    result = check(project)

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_new_long_function_fails_naming_it(project):
    # given a method over 80 lines that nobody allowed
    (project / "app" / "forms.py").write_text(
        "class Form:\n" + "\n".join("    " + line for line in function("clean", 81).splitlines())
    )

    result = check(project)

    assert result.returncode == 1
    assert "app/forms.py::Form.clean: function of 81 lines, over 80" in result.stdout


def test_a_new_long_module_fails(project):
    (project / "app" / "services.py").write_text(module(501))

    result = check(project)

    assert result.returncode == 1
    assert "app/services.py: module of 501 lines, over 500" in result.stdout


def test_an_allowed_module_that_grows_fails(project):
    (project / "app" / "big.py").write_text(module(511))

    result = check(project)

    assert result.returncode == 1
    assert "app/big.py: module grew to 511 lines, past the 510 allowed (split later)" in result.stdout


def test_an_entry_no_longer_needed_fails(project):
    # given the long function was split
    (project / "app" / "views.py").write_text(function("short", 80) + "\n\n" + function("long", 40))

    result = check(project)

    assert result.returncode == 1
    assert "app/views.py::long: no longer over its limit; remove it from the allow-list" in result.stdout


def test_migrations_and_tests_are_not_checked(project):
    (project / "app" / "migrations").mkdir()
    (project / "app" / "migrations" / "0001_initial.py").write_text(module(900))
    (project / "tests").mkdir()
    (project / "tests" / "test_app.py").write_text(function("test_long", 200))

    result = check(project)

    assert result.returncode == 0, result.stdout


def test_python_scripts_in_bin_are_checked(project):
    (project / "bin").mkdir()
    (project / "bin" / "tool").write_text("#!/usr/bin/env python3\n" + function("main", 85))

    result = check(project)

    assert result.returncode == 1
    assert "bin/tool::main: function of 85 lines, over 80" in result.stdout
