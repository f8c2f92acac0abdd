"""bin/check-translations, the CI gate for the Simplified Chinese catalogue, on a tiny example project."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pmsite.processes import BASE_DIR, clean_env

SCRIPT = BASE_DIR / "bin" / "check-translations"

pytestmark = pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")

MANAGE = """\
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mini.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
"""
SETTINGS = """\
from pathlib import Path
SECRET_KEY = "example"
USE_I18N = True
INSTALLED_APPS = []
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
"""
VIEWS = """\
from django.utils.translation import gettext as _
GREETING = _("Hello, %(name)s.")
FAREWELL = _("Goodbye.")
"""
HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: zh_Hans\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

"""
COMPLETE = (
    HEADER
    + """\
#: mini/views.py:2
#, python-format
msgid "Hello, %(name)s."
msgstr "你好，%(name)s。"

#: mini/views.py:3
msgid "Goodbye."
msgstr "再见。"
"""
)


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "mini-project"
    (root / "mini").mkdir(parents=True)
    (root / "manage.py").write_text(MANAGE)
    (root / "mini" / "__init__.py").write_text("")
    (root / "mini" / "settings.py").write_text(SETTINGS)
    (root / "mini" / "views.py").write_text(VIEWS)
    (root / "tests").mkdir()
    (root / "tests" / "test_x.py").write_text('from django.utils.translation import gettext as _\n_("Test only.")\n')
    (root / "locale" / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    return root


def write_catalogue(root: Path, text: str, *, compile_it: bool = True) -> Path:
    po = root / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po.write_text(text, encoding="utf-8")
    if compile_it:
        subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    return po


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root)],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_complete_compiled_catalogue_passes(project):
    write_catalogue(project, COMPLETE)
    result = check(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "complete and up to date" in result.stdout


def test_a_missing_catalogue_fails(project):
    result = check(project)
    assert result.returncode == 1
    assert "the catalogue is missing" in result.stdout


def test_untranslated_and_fuzzy_messages_are_listed(project):
    text = COMPLETE.replace('msgstr "再见。"', 'msgstr ""').replace("#, python-format", "#, fuzzy, python-format")
    write_catalogue(project, text)
    result = check(project)
    assert result.returncode == 1
    assert '1 untranslated message(s):\n    "Goodbye."  (mini/views.py:3)' in result.stdout
    assert '1 fuzzy message(s):\n    "Hello, %(name)s."' in result.stdout


def test_a_fuzzy_header_fails(project):
    write_catalogue(project, "#, fuzzy\n" + COMPLETE)
    result = check(project)
    assert result.returncode == 1
    assert "the catalogue header is marked fuzzy" in result.stdout


def test_a_catalogue_behind_the_source_fails(project):
    write_catalogue(project, COMPLETE)
    views = project / "mini" / "views.py"
    views.write_text(views.read_text().replace('_("Goodbye.")', '_("See you tomorrow.")'))
    result = check(project)
    assert result.returncode == 1
    assert 'in the source but missing from the catalogue (run makemessages, see README):\n    "See you tomorrow."' in (
        result.stdout
    )
    assert 'in the catalogue but no longer in the source (run makemessages, see README):\n    "Goodbye."' in (
        result.stdout
    )
    assert "Test only." not in result.stdout  # tests are not part of the product
    assert views.read_text().count("See you tomorrow.") == 1  # the project itself is untouched
    assert "See you" not in (project / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text()


def test_a_stale_or_missing_compiled_catalogue_fails(project):
    po = write_catalogue(project, COMPLETE)
    write_catalogue(project, COMPLETE.replace("再见。", "回头见。"), compile_it=False)
    result = check(project)
    assert result.returncode == 1
    assert "django.mo does not match django.po" in result.stdout
    po.with_suffix(".mo").unlink()
    assert "django.mo is missing" in check(project).stdout
