"""The project team and a CVRH read the skills follow-up of a call in a browser."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.followup import aggregates

pytestmark = pytest.mark.browser


def test_project_team_reads_filters_and_downloads(
    app, live_server, page, log_in_as, project_team_user, tmp_path
):
    aggregates.load()
    log_in_as(project_team_user)
    page.get_by_test_id("skills-link").click()
    page.get_by_role("link", name="PIX deployment 2023").click()
    expect(page.locator('[data-number="participants"]')).to_have_text("36")

    # Two bars per group with figures; none for a group whose figures are hidden or absent.
    cvrh_chart = page.locator("#figure-cvrh svg")
    expect(cvrh_chart).to_be_visible()
    expect(cvrh_chart).to_have_attribute("role", "img")
    expect(page.locator("#figure-cvrh rect.portal-chart__bar")).to_have_count(4)  # 2 CVRHs
    bre = page.locator('tr[data-directorate="DREAL-BRE"]')
    expect(bre.locator('[data-cell="reached"]')).to_have_text("fewer than 5")

    # A group's row leads to its directorates.
    page.locator("#table-cvrh").get_by_role("link", name="CVRH de Nantes").click()
    expect(page).to_have_url(re.compile(r"cvrh=CVRH-NANTES"))
    expect(page.locator('tr[data-directorate="DREAL-ARA"]')).to_have_count(0)
    expect(page.locator('tr[data-directorate="DREAL-PDL"]')).to_have_count(1)
    expect(page.locator('[data-number="participants"]')).to_have_text("16")

    page.select_option("#state", "planned")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tr[data-directorate]")).to_have_count(1)
    expect(page.locator("tr[data-directorate]")).to_have_attribute("data-directorate", "DIR-O")

    # The competences where the gap is largest, then the spreadsheet with the same figures.
    page.goto(live_server + "/en/followup/skills/PIX-2023/")
    page.get_by_role("link", name="largest gap to the targets first").click()
    expect(page.locator("#table-competences tbody tr").first).to_have_attribute(
        "data-competence", "2.1"
    )
    page.get_by_role("link", name=re.compile("consolidated spreadsheets")).click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Workbook (XLSX)").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    rows = list(load_workbook(path)["Follow-up by campaign"].iter_rows(values_only=True))
    bre_rows = [row for row in rows if row[0] == "DREAL-BRE"]
    assert bre_rows[0][10] == "fewer than 5"
    assert page.console_errors == []


def test_cvrh_plans_its_training_offer(app, live_server, page, log_in_as, cvrh_user):
    aggregates.load()
    log_in_as(cvrh_user)
    page.get_by_role("link", name="Their skills follow-up").click()
    page.get_by_role("link", name="PIX deployment 2023").click()
    expect(page.locator('[data-number="participants"]')).to_have_text("16")
    expect(page.locator('tr[data-directorate="DREAL-ARA"]')).to_have_count(0)
    # A CVRH sees the competences with the largest gap to the targets first.
    expect(page.locator("#table-competences tbody tr").first).to_have_attribute(
        "data-competence", "2.1"
    )
    expect(
        page.locator('#table-competences tr[data-competence="2.1"] [data-cell="reached"]')
    ).to_have_text("75 %")
    # No link to a directorate's individual follow-up, and the console stays closed.
    expect(page.locator('a[href*="/followup/PIX-2023/"]')).to_have_count(0)
    assert page.console_errors == []
    response = page.goto(live_server + "/en/console/")
    assert response.status == 403
