"""X-Forwarded-For is believed only from the proxy's network: a client that reaches the web
server directly (past the HTTPS proxy) cannot pick a fresh address for every guess."""

import pytest
from django.test import Client
from django.urls import reverse

from org.signin.throttle import client_address
from tests.factories import PASSWORD, EmployeeFactory


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the proxy, inside the private network
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),  # the proxy on the same host
        ("203.0.113.5", "1.1.1.1", "203.0.113.5"),  # straight from the internet: its own address
        ("2001:db8::1", "1.1.1.1", "2001:db8::1"),
    ],
)
def test_the_forwarded_header_counts_only_from_the_proxys_network(rf, settings, remote, forwarded, expected):
    settings.STRIDE_TRUSTED_PROXY_COUNT = 1
    request = rf.post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_trusted_networks_come_from_settings(rf, settings):
    settings.STRIDE_TRUSTED_PROXY_COUNT = 1
    settings.STRIDE_TRUSTED_PROXY_NETWORKS = ["203.0.113.0/24"]
    request = rf.post("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_guessing_past_the_proxy_with_a_new_forwarded_address_each_time_is_still_locked(client, org, settings):
    # given: production's one trusted proxy, and an attacker who reaches the web server directly
    settings.STRIDE_TRUSTED_PROXY_COUNT = 1
    people = [EmployeeFactory(user__username=f"p{n}") for n in range(20)]
    # when: one wrong password for each of 20 accounts, a made-up X-Forwarded-For each time
    for n, person in enumerate(people):
        client.post(
            reverse("login"),
            {"username": person.user.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{n}",
        )
    # then: the attacker's own address is locked out
    response = Client().post(reverse("login"), {"username": "rep", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
