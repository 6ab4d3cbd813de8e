"""A call's reach in the console: per directorate, who was written to, what failed or bounced."""

import re

import pytest

from app.extensions import db, utcnow
from app.mail import MessageStatus
from tests.conftest import outbox
from tests.reach.conftest import messages_to

URL = "/en/console/PIX-2023/reach"


def rows(html: str) -> dict[str, str]:
    """Return each directorate's row of the reach table, by code."""
    return dict(re.findall(r'<tr data-directorate="([^"]+)">(.*?)</tr>', html, re.S))


def numbers(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-number="(\w+)">([^<]+)<', html))


@pytest.fixture
def reached(client, login, opened, other_directorate_user, project_team_user):
    """Links e-mailed, DREAL-PDL's reminded; DREAL-PDL's mailboxes failed and bounced."""
    login(project_team_user)
    client.post("/en/declarations/PIX-2023/remind")
    problems = {
        "direction.pdl@example.org": (MessageStatus.FAILED, "SMTPRecipientsRefused: 550 busy"),
        "rh.pdl@example.org": (MessageStatus.BOUNCED, "5.1.1 – smtp; 550 User unknown"),
    }
    by_address = {}
    for message in outbox():
        message.status, message.error = problems.get(message.recipients, (MessageStatus.SENT, None))
        message.sent_at = utcnow()
        by_address.setdefault(message.recipients, message)
    db.session.commit()
    return by_address


def test_the_reach_of_each_directorate(client, reached, other_directorate_user):
    html = client.get(URL).get_data(as_text=True)
    table = rows(html)
    assert len(table) == 48
    pdl = table["DREAL-PDL"]
    assert "No account" in pdl
    assert 'data-contact="rh.pdl@example.org"' in pdl
    assert "link sent on" in pdl
    assert 'data-message="failed"' in pdl and "550 busy" in pdl
    assert 'data-message="bounced"' in pdl and "550 User unknown" in pdl
    assert 'data-state="failed"' in pdl
    ara = table["DREAL-ARA"]
    assert other_directorate_user.email in ara
    # Its contact's link, its correspondent's reminder (not its contact's: it has an account).
    assert ara.count('data-message="sent"') == 2
    assert 'data-state="reached"' in ara
    assert 'data-state="none"' in table["DREAL-BRE"]
    assert numbers(html) == {
        "directorates": "48",
        "with_account": "1",
        "reached": "1",
        "through_contacts": "0",
        "queued": "0",
        "failed": "2",
        "bounced": "2",
    }


def test_the_filters(client, reached):
    problems = rows(client.get(f"{URL}?state=problems").get_data(as_text=True))
    assert list(problems) == ["DREAL-PDL"]
    unreached = rows(client.get(f"{URL}?state=unreached").get_data(as_text=True))
    assert "DREAL-PDL" in unreached and "DREAL-ARA" not in unreached
    assert len(unreached) == 47
    no_account = rows(client.get(f"{URL}?state=no_account").get_data(as_text=True))
    assert "DREAL-ARA" not in no_account and len(no_account) == 47
    found = rows(client.get(f"{URL}?q=pays+de+la").get_data(as_text=True))
    assert list(found) == ["DREAL-PDL"]
    assert len(rows(client.get(f"{URL}?state=nonsense").get_data(as_text=True))) == 48


def test_a_directorate_reached_through_its_contacts_only(client, reached):
    message = reached["direction.pdl@example.org"]
    message.status = MessageStatus.SENT
    db.session.commit()
    html = client.get(URL).get_data(as_text=True)
    assert numbers(html)["through_contacts"] == "1"
    assert 'data-state="reached"' in rows(html)["DREAL-PDL"]
    assert "(contact)" in rows(html)["DREAL-PDL"]


def test_the_french_page(client, reached):
    html = client.get("/fr/console/PIX-2023/reach").get_data(as_text=True)
    assert "Directions jointes" in html
    assert "Revenu en erreur" in html


def test_pending_messages_are_waiting(client, login, opened, project_team_user):
    login(project_team_user)
    html = client.get(URL).get_data(as_text=True)
    assert numbers(html)["queued"] == "3"
    assert 'data-state="queued"' in rows(html)["DREAL-ARA"]
    assert len(messages_to("hr.ara@example.org")) == 1


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("directorate", 403),
        ("cvrh", 403),
        ("project_team", 200),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("url", [URL, "/en/console/PIX-2023/claims"])
def test_only_the_staff_sees_the_reach(client, login, personas, persona, expected, url):
    if personas[persona]:
        login(personas[persona])
    assert client.get(url).status_code == expected


def test_unknown_call(client, login, project_team_user):
    login(project_team_user)
    assert client.get("/en/console/NOPE/reach").status_code == 404
    assert client.get("/en/console/NOPE/claims").status_code == 404
    assert client.post("/en/console/NOPE/reach/open").status_code == 404
