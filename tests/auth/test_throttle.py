"""Failed logins are throttled per account and per address, revealing nothing."""

import pytest

from tests.conftest import PASSWORD, log_in

LIMITS = {
    "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
    "LOGIN_LIMIT_PER_ADDRESS": "6 per 15 minutes",
}


@pytest.mark.app_config(**LIMITS)
def test_account_is_throttled_after_failures_even_with_the_right_password(client, directorate_user):
    for _ in range(3):
        assert log_in(client, directorate_user, "wrong password").status_code == 200
    throttled = log_in(client, directorate_user, PASSWORD)
    assert throttled.status_code == 429
    body = throttled.get_data(as_text=True)
    assert directorate_user.email not in body
    assert "Trop de tentatives" in body


@pytest.mark.app_config(**LIMITS)
def test_unknown_account_is_throttled_the_same_way(client):
    for _ in range(3):
        assert log_in(client, "nobody@example.org", "wrong password").status_code == 200
    assert log_in(client, "nobody@example.org", "wrong password").status_code == 429


@pytest.mark.app_config(**LIMITS)
def test_account_limit_ignores_the_case_of_the_address(client, directorate_user):
    for email in (
        "chloe.bernard@example.org",
        "CHLOE.BERNARD@example.org",
        "Chloe.Bernard@Example.org",
    ):
        log_in(client, email, "wrong password")
    assert log_in(client, directorate_user, PASSWORD).status_code == 429


@pytest.mark.app_config(**LIMITS)
def test_another_account_is_not_blocked_by_one_account_failures(
    client, directorate_user, cvrh_user
):
    for _ in range(3):
        log_in(client, directorate_user, "wrong password")
    assert log_in(client, cvrh_user, PASSWORD).status_code == 302


@pytest.mark.app_config(**LIMITS)
def test_address_is_throttled_across_accounts(client, cvrh_user):
    for number in range(6):
        assert log_in(client, f"guess{number}@example.org", "wrong password").status_code == 200
    assert log_in(client, cvrh_user, PASSWORD).status_code == 429


@pytest.mark.app_config(**LIMITS)
def test_successful_logins_do_not_count(client, directorate_user):
    for _ in range(5):
        assert log_in(client, directorate_user, PASSWORD).status_code == 302
        client.post("/fr/logout")
    assert log_in(client, directorate_user, PASSWORD).status_code == 302


@pytest.mark.app_config(**LIMITS)
def test_showing_the_login_page_is_not_throttled(client, directorate_user):
    for _ in range(4):
        log_in(client, directorate_user, "wrong password")
    assert client.get("/fr/login").status_code == 200
