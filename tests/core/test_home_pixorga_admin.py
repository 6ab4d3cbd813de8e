"""A PIX Orga administrator's home opens on the imports its directorate's campaigns wait for."""

import pytest

from app.auth.models import Role
from app.extensions import db
from tests.conftest import log_in, make_user
from tests.core.homes import call_closing_in, check_structure, element, followed, links, order, text


@pytest.fixture
def pixorga_admin(app):
    """An invited PIX Orga administrator of DREAL Pays de la Loire."""
    return make_user("helene.dupont@example.org", Role.PIXORGA_ADMIN, directorate="DREAL-PDL")


def test_imports_to_do_come_first(client, pixorga_admin, other_directorate_user):
    call = call_closing_in(-60)
    followed("DREAL-PDL", call, [("Lancement", -20, True), ("Bilan", 5, False)])
    followed("DREAL-ARA", call, [("Lancement ARA", -1, False)])
    db.session.commit()
    log_in(client, pixorga_admin, lang="en")
    body = client.get("/en/home").get_data(as_text=True)
    assert order(body, "campaign-PIX") == ["campaign-PIX-2023-1", "campaign-PIX-2023-2"]
    due = element(body, "campaign-PIX-2023-1")
    assert due.get("data-state") == "due"
    assert "Import due" in text(due) and "Next checkpoint: Bilan" in text(due)
    [link] = links(due)
    assert link.endswith("/import") and "/en/followup/PIX-2023/DREAL-PDL/1/" in link
    assert client.get(link).status_code == 200
    unplanned = element(body, "campaign-PIX-2023-2")
    assert unplanned.get("data-state") == "plan_missing"
    assert "correspondents set its plan first" in text(unplanned)
    assert links(unplanned) == ["/en/followup/PIX-2023/DREAL-PDL/2/"]  # not the plan form
    assert "/plan" not in body
    assert "Lancement ARA" not in body
    check_structure(body)
    french = client.get("/fr/home").get_data(as_text=True)
    assert "Import à faire" in text(element(french, "campaign-PIX-2023-1"))


def test_up_to_date(client, pixorga_admin):
    followed("DREAL-PDL", call_closing_in(-60), [("Lancement", -20, True)])
    db.session.commit()
    log_in(client, pixorga_admin)
    done = element(client.get("/fr/home").get_data(as_text=True), "campaign-PIX-2023-1")
    assert done.get("data-state") == "done"
    assert "À jour" in text(done)
    assert links(done) == ["/fr/followup/PIX-2023/DREAL-PDL/1/"]


def test_nothing_followed_yet(client, pixorga_admin):
    log_in(client, pixorga_admin)
    body = client.get("/en/home").get_data(as_text=True)
    assert "No campaign to follow yet" in text(element(body, "campaign-tasks"))
