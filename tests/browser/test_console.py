"""The project team follows a call in the console, opens a list and downloads the workbook."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import build_known

pytestmark = pytest.mark.browser


def test_follow_up_and_download(app, live_server, page, log_in_as, project_team_user, tmp_path):
    build_known()
    log_in_as(project_team_user)
    page.get_by_role("link", name="Follow-up", exact=True).first.click()
    page.get_by_role("link", name="PIX deployment 2023").click()

    chart = page.locator("#figure-status svg")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    bars = page.locator("#figure-status rect.portal-chart__bar")
    expect(bars).to_have_count(5)
    widths = [float(bars.nth(i).get_attribute("width")) for i in range(5)]
    assert widths[0] == max(widths) > widths[2] > 0  # not started (45) drawn longer than 1
    expect(page.locator('[data-number="licences"]')).to_have_text("240")

    page.select_option("#cvrh", "CVRH-NANTES")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator('[data-number="licences"]')).to_have_text("140")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Workbook (XLSX)").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert download.suggested_filename.startswith("PIX-2023-")
    summary = load_workbook(path)["Summary"]
    codes = [row[0] for row in summary.iter_rows(min_row=2, values_only=True)]
    assert "DREAL-PDL" in codes and "DGPR" not in codes

    page.locator("#table-status").get_by_role("link", name="Submitted").click()
    expect(page.locator("tr[data-directorate]")).to_have_count(1)
    expect(page.locator("tr[data-directorate]")).to_have_attribute("data-directorate", "DREAL-PDL")
    assert page.console_errors == []
