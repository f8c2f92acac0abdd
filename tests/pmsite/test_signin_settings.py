"""Sign-in settings: lengths, limits and the trusted proxy come from the environment."""

import pytest

from tests.pmsite.processes import settings_values
from tests.pmsite.test_deploy import PRODUCTION_ENV

pytestmark = pytest.mark.smoke

NAMES = [
    "AXES_FAILURE_LIMIT",
    "STRIDE_LOGIN_ADDRESS_FAILURE_LIMIT",
    "STRIDE_API_TOKEN_DAYS",
    "STRIDE_SESSION_HOURS",
    "STRIDE_PRIVILEGED_SESSION_HOURS",
    "SESSION_COOKIE_AGE",
    "STRIDE_TRUSTED_PROXY_COUNT",
]


def test_production_defaults_trust_the_one_https_proxy():
    production = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SETTINGS_MODULE"}
    values = settings_values("pmsite.settings.production", NAMES, **production)
    assert values == {
        "AXES_FAILURE_LIMIT": 5,
        "STRIDE_LOGIN_ADDRESS_FAILURE_LIMIT": 20,
        "STRIDE_API_TOKEN_DAYS": 90,
        "STRIDE_SESSION_HOURS": 12,
        "STRIDE_PRIVILEGED_SESSION_HOURS": 4,
        "SESSION_COOKIE_AGE": 12 * 60 * 60,
        "STRIDE_TRUSTED_PROXY_COUNT": 1,
    }


def test_local_settings_count_the_connections_address_and_read_the_environment(tmp_path):
    values = settings_values(
        "pmsite.settings.local",
        NAMES,
        STRIDE_VAR_DIR=str(tmp_path),
        STRIDE_LOGIN_FAILURE_LIMIT="8",
        STRIDE_SESSION_HOURS="24",
        STRIDE_API_TOKEN_DAYS="30",
    )
    assert values["STRIDE_TRUSTED_PROXY_COUNT"] == 0
    assert values["AXES_FAILURE_LIMIT"] == 8
    assert values["SESSION_COOKIE_AGE"] == 24 * 60 * 60
    assert values["STRIDE_API_TOKEN_DAYS"] == 30
