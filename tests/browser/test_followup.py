"""A directorate sets its targets, imports two checkpoints, reads the evolution, gets the list."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.followup.plans import FINAL, LAUNCH, declare_campaign, profiles_export

pytestmark = pytest.mark.browser


def test_targets_two_checkpoints_evolution_and_list(
    app, live_server, page, log_in_as, directorate_user, tmp_path
):
    declare_campaign()
    launch_file = tmp_path / "Resultats-Profils agents 2026-61001-2026-09-01-1000.csv"
    launch_file.write_bytes(profiles_export(LAUNCH))
    final_file = tmp_path / "Resultats-Profils agents 2026-61001-2026-12-31-1000.csv"
    final_file.write_bytes(profiles_export(FINAL))
    log_in_as(directorate_user)

    page.goto(live_server + "/en/followup/")
    page.get_by_role("link", name="Campagne agents 2026").click()
    page.get_by_role("link", name="Set the plan").click()
    page.get_by_role("radio", name="Profiles collection").check()
    page.get_by_label("2.1 Interacting").fill("3")
    page.get_by_label("4.1 Securing the digital environment").fill("2")
    page.get_by_label("2.1 Interacting").press("Tab")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("The follow-up plan is saved.")).to_be_visible()
    expect(page.locator("#targets")).to_contain_text("2.1 Interacting: level 3")

    for name, path in (("Launch", launch_file), ("Final review", final_file)):
        row = page.locator(f'tr[data-checkpoint="{name}"]')
        row.get_by_role("link", name="Import results").click()
        page.get_by_label("PIX Orga result export (.csv)").set_input_files(path)
        page.get_by_role("button", name="Import the results").click()
        expect(page.get_by_text("4 participations imported.")).to_be_visible()

    expect(page.locator('[data-figure="reached-all"]')).to_have_text("3")
    chart = page.locator('[data-testid="evolution-chart"]')
    expect(chart).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(2)
    evolution = page.locator('tr[data-evolution="reached_all"]')
    expect(evolution).to_contain_text("33%")
    expect(evolution).to_contain_text("75%")
    expect(evolution).to_contain_text("+41.7 pts")

    page.locator('tr[data-checkpoint="Launch"]').get_by_role(
        "link", name="People to accompany"
    ).click()
    expect(page.locator("#people tbody tr")).to_have_count(3)
    expect(page.locator('#people tr[data-status="below_target"]').first).to_contain_text("2.1")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the list (XLSX)").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert download.suggested_filename.endswith(".xlsx")
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Bernard", "Dubois", "Thomas"]
    assert page.console_errors == []
