"""A directorate fills and submits its declaration; the project team sees it."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.directorates.models import Call
from app.extensions import db

pytestmark = pytest.mark.browser


def _fill_campaign(page, index, label, headcount, licences):
    prefix = f"#campaigns-{index}-"
    page.fill(prefix + "label", label)
    page.select_option(prefix + "perimeter_kind", "unit")
    page.fill(prefix + "perimeter_description", f"Périmètre {label}")
    page.fill(prefix + "target_population", "Agents")
    page.fill(prefix + "headcount", str(headcount))
    page.fill(prefix + "licences", str(licences))
    page.fill(prefix + "starts_on", "2026-09-01")
    page.fill(prefix + "ends_on", "2026-12-01")


def _fill_person(page, kind, index, last, first, email):
    prefix = f"#{kind}-{index}-"
    page.fill(prefix + "last_name", last)
    page.fill(prefix + "first_name", first)
    page.fill(prefix + "email", email)


def test_fill_submit_and_review(
    app, live_server, page, log_in_as, directorate_user, project_team_user
):
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    call.deadline = date.today() + timedelta(days=20)
    db.session.commit()

    log_in_as(directorate_user)
    # The home opens on the declaration to fill in.
    page.get_by_role("link", name="Fill in the declaration").click()

    _fill_campaign(page, 0, "Services centraux", 120, 100)
    page.get_by_role("button", name="Add a campaign").click()
    _fill_campaign(page, 1, "Encadrement", 40, 40)
    _fill_person(page, "ambassadors", 0, "N'Diaye", "Awa", "awa.ndiaye@example.org")
    page.get_by_role("button", name="Add an ambassador").click()
    _fill_person(page, "ambassadors", 1, "Lefèvre", "Éric", "eric.lefevre@example.org")
    expect(page.locator("#campaigns-1-label")).to_have_value("Encadrement")
    _fill_person(page, "administrators", 0, "Dupont", "Hélène", "helene.dupont@example.org")
    page.fill("#administrators-0-function", "Responsable formation")

    # Submitting without the HR confirmation shows the error on the field and in the summary.
    page.get_by_role("button", name="Submit the declaration").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("HR or training domain")
    page.locator("label[for='administrators-0-hr_confirmed']").click()
    page.get_by_role("button", name="Submit the declaration").click()

    expect(page.get_by_text("Your declaration is submitted.")).to_be_visible()
    expect(page.locator("[data-status]").first).to_have_text("Submitted")
    expect(page.get_by_text("Total licences: 140")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in_as(project_team_user)
    page.goto(live_server + "/en/declarations/PIX-2023/?status=submitted")
    row = page.locator("tr[data-directorate='DREAL-PDL']")
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("140")
    row.get_by_role("link", name="DREAL-PDL").click()
    expect(page).to_have_url(re.compile(r"/en/declarations/PIX-2023/DREAL-PDL$"))
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("[data-status]").first).to_have_text("Accepted")
    assert page.console_errors == []
