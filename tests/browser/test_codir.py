"""A directorate requests a CODIR presentation; its CVRH schedules it, then marks it held."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_request_schedule_held(live_server, page, log_in_as, directorate_user, cvrh_user):
    log_in_as(directorate_user)
    page.get_by_role("link", name="CODIR presentations").first.click()
    page.get_by_role("link", name="Request a presentation").click()
    page.get_by_label("Preferred date").fill((date.today() + timedelta(days=15)).isoformat())
    page.get_by_label("Format").select_option("video")
    page.get_by_label("Expected audience").fill("Comité de direction")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request is sent to CVRH de Nantes.")).to_be_visible()
    page.get_by_label("Your message").fill("Le mardi matin nous arrange.")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_text("Le mardi matin nous arrange.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in_as(cvrh_user)
    page.goto(live_server + "/en/codir/?view=to_answer")
    expect(page.locator("[data-counter='to_answer']")).to_contain_text("(1)")
    page.get_by_role("link", name="DREAL-PDL").click()
    page.fill("#schedule-day", (date.today() + timedelta(days=16)).isoformat())
    page.fill("#schedule-time", "10:00")
    page.fill("#schedule-place", "https://visio.example.org/codir")
    page.fill("#schedule-speaker", "Emma Laurent")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.locator("[data-codir-status]")).to_have_text("Scheduled")
    expect(page.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
    page.get_by_role("button", name="Mark as held").click()
    expect(page.locator("[data-codir-status]")).to_have_text("Held")
    expect(page.get_by_text("Presentation held")).to_be_visible()
    assert page.console_errors == []


def test_a_second_request_is_sent_to_the_first_and_rescheduling_starts_from_the_meeting(
    live_server, page, log_in_as, directorate_user, cvrh_user
):
    log_in_as(directorate_user)
    page.goto(live_server + "/fr/codir/new")
    first_choice = date.today() + timedelta(days=15)
    page.get_by_label("Date souhaitée").fill(first_choice.isoformat())
    page.get_by_label("Format").select_option("video")
    page.get_by_label("Public attendu").fill("Comité de direction")
    page.get_by_label("Lieu ou lien de visioconférence").fill("https://visio.example.org/pdl")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Votre demande a été envoyée au CVRH de Nantes.")).to_be_visible()
    page.goto(live_server + "/fr/codir/new")
    expect(page.get_by_text("Votre direction a déjà une demande en cours")).to_be_visible()
    page.get_by_role("link", name="Voir la demande en cours").click()
    expect(page.locator("[data-codir-status]")).to_have_text("En attente de réponse")
    page.get_by_role("button", name="Se déconnecter").click()

    log_in_as(cvrh_user)
    page.goto(live_server + "/en/codir/?view=to_answer")
    page.get_by_role("link", name="DREAL-PDL").click()
    expect(page.locator("#schedule-day")).to_have_value(first_choice.isoformat())
    expect(page.locator("#schedule-place")).to_have_value("https://visio.example.org/pdl")
    page.fill("#schedule-time", "14:00")
    page.fill("#schedule-duration", "45")
    page.fill("#schedule-speaker", "Emma Laurent")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.locator("#scheduled-at")).to_contain_text("at 2:00")
    expect(page.locator("#scheduled-at")).to_contain_text("(Paris time) – 45 minutes")
    expect(page.locator("#schedule-duration")).to_have_value("45")
    expect(page.locator("#schedule-time")).to_have_value("14:00")
    expect(page.locator("#schedule-speaker")).to_have_value("Emma Laurent")
    assert page.console_errors == []
