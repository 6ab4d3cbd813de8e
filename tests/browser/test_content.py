"""A CVRH author drafts a page, the project team reviews and publishes it, a visitor finds it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_draft_review_publish_and_find(
    app, live_server, page, log_in_as, cvrh_user, project_team_user
):
    log_in_as(cvrh_user)
    page.goto(live_server + "/en/content/manage")
    page.get_by_role("link", name="New: Page").click()
    page.get_by_label("Title", exact=True).fill("Onboarding with PIX")
    page.get_by_label("Text (Markdown)").fill(
        "## Steps\n\n| Week | Module |\n|---|---|\n| 1 | Digital security |\n"
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview table")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Onboarding with PIX")
    expect(page.locator('[data-state="private"]')).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator('[data-state="pending"]')).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in_as(project_team_user)
    page.goto(live_server + "/en/content/review")
    page.locator("#review-queue").get_by_role("link", name="Onboarding with PIX").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".fr-alert--success, .fr-notice, [role=alert]").first).to_be_visible()
    page.get_by_role("link", name="History").click()
    expect(page.locator("#revisions tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Log out").click()

    page.goto(live_server + "/en/content/search?q=onboarding")
    result = page.locator("#hits").get_by_role("link", name="Onboarding with PIX")
    expect(result).to_be_visible()
    expect(page.locator("#hits mark").first).to_have_text("Onboarding")
    result.click()
    expect(page.locator("article table")).to_be_visible()
    assert page.console_errors == []


def test_the_language_switch_of_an_add_form_leads_to_the_english_form(
    live_server, page, log_in_as, project_team_user
):
    import re

    from app.content.models import ContentKind, ContentState
    from tests.content.conftest import make

    section = make(
        project_team_user,
        ContentKind.SECTION,
        "fr",
        None,
        "Déployer",
        ContentState.PUBLISHED,
        slug="deployer",
    )
    make(
        project_team_user,
        ContentKind.SECTION,
        "en",
        None,
        "Deploying",
        ContentState.PUBLISHED,
        translation_of=section,
    )
    log_in_as(project_team_user)
    page.goto(live_server + "/fr/content/deployer")
    page.get_by_role("link", name="Ajouter une page").click()
    # The form's page, not the section's still on screen, is the one whose language menu opens.
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau : Page")
    page.get_by_role("button", name=re.compile("Choisir une langue|FR")).click()
    page.get_by_role("link", name="EN - English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("New: Page")
    expect(page.get_by_text("In the section Deploying.")).to_be_visible()
    assert page.console_errors == []
