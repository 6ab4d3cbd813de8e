"""A CVRH's home opens on the requests to answer, the presentations coming, its declarations."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.codir.models import CodirStatus
from app.declarations.models import DeclarationStatus
from app.directorates.models import Directorate
from app.extensions import db, utcnow
from tests.core.homes import (
    call_closing_in,
    check_structure,
    codir_request,
    directorate,
    element,
    headings,
    links,
    second_call,
    text,
)
from tests.factories import declare


def _waiting() -> dict[str, int]:
    """Three requests to CVRH Nantes, the oldest DREAL-BRE's; one to CVRH Clermont-Ferrand."""
    requests = {}
    for code, day in (("DREAL-PDL", 20), ("DREAL-BRE", 3), ("DIR-O", 11), ("DREAL-ARA", 1)):
        requests[code] = codir_request(
            code, CodirStatus.REQUESTED, created_at=datetime(2026, 2, day, 9, tzinfo=UTC)
        )
    db.session.commit()
    return {code: request.id for code, request in requests.items()}


def test_requests_to_answer_oldest_first(client, login, cvrh_user, other_cvrh_user):
    ids = _waiting()
    login(cvrh_user)
    for lang, count, since in (
        ("fr", "3 demandes à traiter", "3 février 2026"),
        ("en", "3 requests to answer", "February 3, 2026"),
    ):
        body = client.get(f"/{lang}/home").get_data(as_text=True)
        tile = element(body, "codir-to-answer")
        assert count in text(tile) and since in text(tile)
        assert links(tile) == [f"/{lang}/codir/?view=to_answer"]
        waiting = element(body, "codir-waiting")
        expected = [f"/{lang}/codir/{ids[code]}" for code in ("DREAL-BRE", "DIR-O", "DREAL-PDL")]
        assert links(waiting) == expected
        assert f"/codir/{ids['DREAL-ARA']}" not in body  # another CVRH's


def test_at_most_five_requests_are_listed_but_all_are_counted(client, login, cvrh_user):
    # One request under way per directorate: seven directorates of CVRH Nantes ask.
    codes = db.session.scalars(select(Directorate.code).order_by(Directorate.code).limit(7))
    for day, code in enumerate(codes, start=1):
        directorate(code).cvrh = cvrh_user.cvrh
        codir_request(code, CodirStatus.REQUESTED, created_at=datetime(2026, 2, day, tzinfo=UTC))
    db.session.commit()
    login(cvrh_user)
    body = client.get("/en/home").get_data(as_text=True)
    assert "7 requests to answer" in text(element(body, "codir-to-answer"))
    assert len(links(element(body, "codir-waiting"))) == 5


def test_nothing_to_answer(client, login, cvrh_user):
    login(cvrh_user)
    body = client.get("/en/home").get_data(as_text=True)
    assert "0 requests to answer" in text(element(body, "codir-to-answer"))
    assert "No request waits for an answer." in body
    assert "No presentation is scheduled." in text(element(body, "codir-upcoming"))


def test_next_presentations_by_date(client, login, cvrh_user, other_cvrh_user):
    later = codir_request(
        "DREAL-PDL", CodirStatus.SCHEDULED, scheduled_at=datetime(2099, 6, 2, 8, tzinfo=UTC)
    )
    sooner = codir_request(
        "DIR-O", CodirStatus.SCHEDULED, scheduled_at=datetime(2099, 5, 4, 12, tzinfo=UTC)
    )
    codir_request(  # past, not marked held yet: not coming
        "DREAL-BRE", CodirStatus.SCHEDULED, scheduled_at=utcnow() - timedelta(days=2)
    )
    codir_request("DREAL-ARA", CodirStatus.SCHEDULED, scheduled_at=datetime(2099, 5, 1, tzinfo=UTC))
    db.session.commit()
    login(cvrh_user)
    body = client.get("/fr/home").get_data(as_text=True)
    upcoming = element(body, "codir-upcoming")
    assert links(upcoming) == [f"/fr/codir/{sooner.id}", f"/fr/codir/{later.id}"]
    assert "lundi 4 mai 2099 à 14 h 00 – DIR Ouest" in text(upcoming)
    english = element(client.get("/en/home").get_data(as_text=True), "codir-upcoming")
    assert "Monday, May 4, 2099 at 2:00" in text(english)
    assert "Auvergne" not in text(english)


def test_declarations_counted_by_state_for_each_open_call(
    client, login, cvrh_user, other_cvrh_user
):
    call = call_closing_in(10)
    other = second_call(40)
    declare(call, "DREAL-PDL", DeclarationStatus.SUBMITTED, [("Siège", 10)], [])
    declare(call, "DREAL-BRE", DeclarationStatus.CORRECTIONS_REQUESTED, [("Siège", 10)], [])
    declare(call, "DIR-O", DeclarationStatus.SUBMITTED, [("Siège", 10)], [])
    declare(call, "DREAL-ARA", DeclarationStatus.ACCEPTED, [("Siège", 10)], [])  # Clermont
    declare(other, "DREAL-PDL", DeclarationStatus.DRAFT, [("Siège", 10)], [])
    db.session.commit()
    nantes = db.session.scalar(
        select(func.count(Directorate.id)).where(
            Directorate.cvrh_id == directorate("DREAL-PDL").cvrh_id
        )
    )
    login(cvrh_user)
    body = client.get("/en/home").get_data(as_text=True)
    card = element(body, "declarations-PIX-2023")
    counts = {node.get("data-status"): int(node.get("data-count")) for node in card.iter("p")
              if node.get("data-status")}  # fmt: skip
    assert counts == {
        "corrections_requested": 1,
        "not_started": nantes - 3,
        "draft": 0,
        "submitted": 2,
        "accepted": 0,
    }
    assert "Submitted: 2" in text(card)
    assert links(card) == ["/en/declarations/PIX-2023/"]
    second = element(body, "declarations-PIX-2027")
    assert second.xpath(".//p[@data-status='draft']")[0].get("data-count") == "1"
    # Each directorate of the CVRH, its state on each open call.
    row = html_row(body, "DREAL-BRE")
    assert [cell.get("data-status") for cell in row] == ["corrections_requested", "not_started"]
    assert "DREAL-ARA" not in body
    french = client.get("/fr/home").get_data(as_text=True)
    assert "Soumise : 2" in text(element(french, "declarations-PIX-2023"))


def html_row(body: str, code: str):
    """Return the status badges of a directorate's row in the CVRH's table."""
    row = element(body, "directorates").xpath(f".//tr[@data-directorate='{code}']")[0]
    return row.xpath(".//p[@data-status]")


def test_headings_go_in_order(client, login, cvrh_user):
    call_closing_in(5)
    _waiting()
    login(cvrh_user)
    body = client.get("/en/home").get_data(as_text=True)
    check_structure(body)
    assert [title for level, title in headings(body) if level == 2] == [
        "CODIR requests waiting for your answer",
        "Next presentations",
        "Declarations of your directorates",
        "Your directorates",
        "Staff of your CVRH on the portal",
    ]
