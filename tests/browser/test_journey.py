"""Whole journeys in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_log_in_switch_language_and_log_out(live_server, page, directorate_user):
    page.goto(live_server + "/")
    expect(page).to_have_url(live_server + "/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill(directorate_user.email.upper())
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(live_server + "/fr/home")
    expect(page.get_by_role("heading", level=1)).to_have_text("DREAL Pays de la Loire")
    expect(page.get_by_text("28 avril 2023")).to_be_visible()

    # The DSFR language selector (enhanced by the DSFR JavaScript) leads to the same page.
    page.get_by_role("button", name=re.compile("Choisir une langue|FR")).click()
    page.get_by_role("link", name="EN - English").click()
    expect(page).to_have_url(live_server + "/en/home")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("April 28, 2023")).to_be_visible()
    expect(page.get_by_role("heading", name="Your declarations")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(live_server + "/en/")
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto(live_server + "/en/home")
    expect(page).to_have_url(re.compile(r"/en/login\?next="))

    assert page.console_errors == []


def test_wrong_password_shows_the_error_summary(live_server, page, directorate_user):
    page.goto(live_server + "/en/login")
    page.get_by_label("E-mail address").fill(directorate_user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Incorrect e-mail address or password.")
    summary.get_by_role("link").click()
    expect(page.get_by_label("E-mail address")).to_be_focused()
    assert page.console_errors == []
