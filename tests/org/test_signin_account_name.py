"""Failed sign-ins count for the account whose password was checked, however it was named."""

from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_failures_count_for_the_account_whose_user_name_was_typed(client, db):
    # given: one person's e-mail address is another person's user name (the older account first)
    older = UserFactory(username="sam", email="sam@example.com")
    named = UserFactory(username="sam@example.com", email="s.li@example.com")
    # when: five wrong passwords for "sam@example.com" (the backend checks them against `named`)
    for attempt in range(5):
        login(client, "sam@example.com", "wrong", address=f"10.0.1.{attempt}")
    # then: `named` is locked out, by its other name too; `older` is not
    assert login(client, named.email, PASSWORD, address="10.0.2.1").status_code == 429
    assert login(client, older.username, PASSWORD, address="10.0.2.2").status_code == 302


def test_a_long_e_mail_address_counts_for_its_account_too(client, db):
    # given: an e-mail address longer than a user name may be (the API accepts up to 254 characters)
    person = UserFactory(username="longmail", email=f"{'x' * 150}@example.com")
    # when: five wrong passwords on the API token endpoint, typed as the e-mail address
    for attempt in range(5):
        client.post(
            reverse("api-token"), {"username": person.email, "password": "wrong"}, REMOTE_ADDR=f"10.0.3.{attempt}"
        )
    # then: the account is locked out, by its user name too
    response = client.post(reverse("api-token"), {"username": "longmail", "password": PASSWORD}, REMOTE_ADDR="10.0.4.1")
    assert response.status_code == 429
