"""A directorate's contact claims an account, asks a question; the project team answers and
grants fewer licences than requested; the directorate sees both."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.declarations.models import DeclarationStatus
from app.directorates.models import Call
from app.extensions import db
from app.licences import services as licences
from tests.factories import declare
from tests.reach.conftest import add_contact, link_in, messages_to

pytestmark = pytest.mark.browser


@pytest.fixture
def answered_by_e_mail(app, runner, project_team_user):
    """DREAL-PDL's declaration of the 2023 call, submitted by e-mail (imported): 120 licences
    requested, no account yet; a pool of 500 licences; the call opened to its contact."""
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    declare(call, "DREAL-PDL", DeclarationStatus.SUBMITTED, [("Siège", 80), ("Unités", 40)], [])
    licences.write_pool(project_team_user, call, None, 500, "")
    call.is_open = False
    db.session.commit()
    contact = add_contact("DREAL-PDL", "rh.pdl@example.org", "Ressources humaines", "en")
    result = runner.invoke(args=["calls", "open", "PIX-2023"])
    assert result.exit_code == 0, result.output
    return link_in(messages_to(contact.email)[-1])


def _log_out(page):
    page.get_by_role("button", name="Log out").first.click()


def test_a_contact_claims_asks_and_sees_the_answer_and_the_grant(
    live_server, page, log_in_as, answered_by_e_mail, project_team_user
):
    # The HR mailbox of DREAL-PDL follows its link and creates the directorate's account.
    page.goto(live_server + answered_by_e_mail)
    expect(page.get_by_role("heading", level=1)).to_have_text("An account for DREAL-PDL")
    page.get_by_label("Your full name").fill("Inès Fabre")
    page.locator("#password").fill("a long enough pass phrase")
    page.locator("#confirm").fill("a long enough pass phrase")
    page.get_by_role("button", name="Create the account").click()
    expect(page).to_have_url(live_server + "/en/home")

    # Its declaration (answered by e-mail, imported) is on its home; it asks a question.
    page.goto(live_server + "/en/declarations/PIX-2023/DREAL-PDL")
    thread = page.locator("#thread")
    thread.get_by_label("Your message").fill("Can we get the 120 licences before September?")
    thread.get_by_role("button", name="Send the message").click()
    expect(page.locator("#thread")).to_contain_text("before September?")
    _log_out(page)

    # The project team answers and grants 100 licences of the 120 requested.
    log_in_as(project_team_user)
    page.goto(live_server + "/en/declarations/PIX-2023/DREAL-PDL")
    expect(page.locator("#thread")).to_contain_text("Inès Fabre")
    thread = page.locator("#thread")
    thread.get_by_label("Your message").fill("Yes for 100 of them now, the rest in the spring.")
    thread.get_by_role("button", name="Send the message").click()
    expect(page.locator("#thread")).to_contain_text("the rest in the spring")
    page.locator("#licences").get_by_role("link", name="Grant licences").click()
    page.get_by_label("Licences granted").fill("100")
    page.get_by_label("Comment to the directorate (optional)").fill(
        "Twenty more in the spring, once the pool is topped up."
    )
    page.get_by_role("button", name=re.compile("Grant|Save")).click()
    expect(page.locator("#licences")).to_contain_text("100")
    _log_out(page)

    # The directorate logs in with its new account and sees the answer and the grant.
    page.goto(live_server + "/en/login")
    page.get_by_label("E-mail address").fill("rh.pdl@example.org")
    page.get_by_label("Password").fill("a long enough pass phrase")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server + "/en/home")
    page.goto(live_server + "/en/declarations/PIX-2023/DREAL-PDL")
    expect(page.locator("#thread")).to_contain_text("Yes for 100 of them now")
    granted = page.locator("#licences")
    expect(granted).to_contain_text("100")
    expect(granted).to_contain_text("120")
    expect(granted).to_contain_text("Twenty more in the spring")
    assert page.console_errors == []
