"""Keyboard only: focus follows an added or removed row, and lands on the error summary."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.directorates.models import Call, portal_today
from app.extensions import db

pytestmark = pytest.mark.browser


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
          const box = document.querySelector(selector).getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def test_adding_a_row_puts_the_keyboard_in_it_and_removing_one_on_its_list(
    app, live_server, page, log_in_as, directorate_user
):
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    call.deadline = portal_today() + timedelta(days=20)
    db.session.commit()
    log_in_as(directorate_user)
    page.goto(live_server + "/en/declarations/PIX-2023/DREAL-PDL/edit")

    add = page.get_by_role("button", name="Add an ambassador")
    add.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#ambassadors-1-last_name")).to_be_focused()
    assert _in_view(page, "#ambassadors-1-last_name")
    page.keyboard.type("Lefèvre")
    page.keyboard.press("Tab")
    expect(page.locator("#ambassadors-1-first_name")).to_be_focused()

    page.get_by_role("button", name="Add a campaign").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#campaigns-1-label")).to_be_focused()
    # What was typed before is still there.
    expect(page.locator("#ambassadors-1-last_name")).to_have_value("Lefèvre")

    page.get_by_role("button", name=re.compile("Remove ambassador 2", re.I)).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ambassadors")).to_be_focused()
    assert _focused(page) == "ambassadors-list"
    expect(page.locator("#ambassadors-1-last_name")).to_have_count(0)
    assert page.console_errors == []


def test_a_failed_login_puts_the_keyboard_on_the_error_summary(live_server, page, directorate_user):
    page.goto(live_server + "/fr/login")
    page.get_by_label("Adresse électronique").fill(directorate_user.email)
    page.get_by_label("Mot de passe").fill("pas le mot de passe")
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    link = summary.get_by_role("link").first
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Adresse électronique")).to_be_focused()


def test_a_refused_declaration_puts_the_keyboard_on_the_error_summary(
    app, live_server, page, log_in_as, directorate_user
):
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    call.deadline = portal_today() + timedelta(days=20)
    db.session.commit()
    log_in_as(directorate_user)
    page.goto(live_server + "/en/declarations/PIX-2023/DREAL-PDL/edit")
    page.get_by_role("button", name="Submit the declaration").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert _in_view(page, "#error-summary")
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()


def test_without_javascript_the_information_menu_opens_on_focus(
    browser, live_server, directorate_user
):
    from tests.conftest import PASSWORD

    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(live_server + "/en/login")
    page.get_by_label("E-mail address").fill(directorate_user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server + "/en/home")
    competences = page.get_by_role("link", name="PIX competences")
    expect(competences).to_be_hidden()
    page.get_by_role("button", name="About PIX").focus()
    expect(competences).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("#menu-information a").first).to_be_focused()
    competences.click()
    expect(page).to_have_url(live_server + "/en/competences/")
    context.close()
