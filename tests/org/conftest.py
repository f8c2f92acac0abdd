import pytest


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Checked org-chart uploads wait for their confirmation under MEDIA_ROOT: keep them out of var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
