"""A directorate's home opens on its declarations, its CODIR request and its follow-up."""

from datetime import UTC, datetime, timedelta

import pytest

from app.codir.models import CodirStatus
from app.declarations.models import DeclarationStatus
from app.directorates.models import portal_today
from app.extensions import db
from tests.core.homes import (
    call_closing_in,
    check_structure,
    codir_request,
    element,
    followed,
    headings,
    links,
    order,
    second_call,
    text,
)
from tests.factories import declare

EDIT = "/{lang}/declarations/PIX-2023/DREAL-PDL/edit"


@pytest.mark.parametrize(
    ("lang", "button", "left"),
    [("fr", "Remplir la déclaration", "12 jours restants"), ("en", "Fill in", "12 days left")],
)
def test_nothing_started_asks_to_fill_in_the_declaration(
    client, login, directorate_user, lang, button, left
):
    call_closing_in(12)
    db.session.commit()
    login(directorate_user)
    body = client.get(f"/{lang}/home").get_data(as_text=True)
    card = element(body, "declaration-PIX-2023")
    assert card.get("data-status") == "not_started" and card.get("data-action") == "fill"
    assert button in text(card) and left in text(card)
    assert links(card) == [EDIT.format(lang=lang)]
    # The button says what it does; the call it belongs to is read out too.
    assert card.xpath(".//a[contains(@class, 'fr-btn')]/span[@class='fr-sr-only']")


def test_corrections_requested_come_first_with_the_comment(
    client, login, directorate_user, other_directorate_user
):
    call = call_closing_in(20)
    sooner = second_call(5)  # a nearer deadline, but nothing asked of the directorate yet
    declare(
        call,
        "DREAL-PDL",
        DeclarationStatus.CORRECTIONS_REQUESTED,
        [("Siège", 10)],
        [],
        review_comment="Préciser le périmètre de la campagne « Siège ».",
    )
    declare(
        call,
        "DREAL-ARA",
        DeclarationStatus.CORRECTIONS_REQUESTED,
        [("Siège", 10)],
        [],
        review_comment="Commentaire réservé à DREAL-ARA",
    )
    db.session.commit()
    login(directorate_user)
    body = client.get("/fr/home").get_data(as_text=True)
    assert order(body, "declaration-P") == ["declaration-PIX-2023", "declaration-PIX-2027"]
    card = element(body, "declaration-PIX-2023")
    assert "portal-card--urgent" in card.get("class")
    assert text(element(body, "review-comment")).endswith(
        "Préciser le périmètre de la campagne « Siège »."
    )
    assert "Corriger la déclaration" in text(card)
    assert links(card) == [EDIT.format(lang="fr")]
    assert element(body, "declaration-PIX-2027").get("data-action") == "fill"
    assert "5 jours restants" in text(element(body, "declaration-PIX-2027"))
    assert "DREAL-ARA" not in body and "Commentaire réservé" not in body
    english = client.get("/en/home").get_data(as_text=True)
    assert "Correct the declaration" in text(element(english, "declaration-PIX-2023"))
    assert "Comment from the project team" in english
    assert sooner.code in english


def test_after_the_deadline_the_directorate_only_sees_its_declaration(
    client, login, directorate_user
):
    call = call_closing_in(-3)
    declare(
        call,
        "DREAL-PDL",
        DeclarationStatus.CORRECTIONS_REQUESTED,
        [("Siège", 10)],
        [],
        review_comment="Corriger les effectifs.",
    )
    db.session.commit()
    login(directorate_user)
    body = client.get("/en/home").get_data(as_text=True)
    card = element(body, "declaration-PIX-2023")
    assert card.get("data-action") == "view"
    assert "Deadline passed" in text(card) and "only the project team" in text(card)
    assert links(card) == ["/en/declarations/PIX-2023/DREAL-PDL"]
    assert "Corriger les effectifs." in text(element(body, "review-comment"))


def test_an_extension_gives_time_to_correct(client, login, directorate_user):
    call = call_closing_in(-3)
    declaration = declare(
        call, "DREAL-PDL", DeclarationStatus.CORRECTIONS_REQUESTED, [("Siège", 10)], []
    )
    declaration.extended_until = portal_today()
    db.session.commit()
    login(directorate_user)
    body = client.get("/fr/home").get_data(as_text=True)
    card = element(body, "declaration-PIX-2023")
    assert card.get("data-action") == "correct"
    assert "Dernier jour aujourd’hui" in text(card) and "Date limite prolongée" in text(card)
    assert not card.xpath(".//*[@data-testid='review-comment']")  # none was written


@pytest.mark.parametrize(
    ("status", "action", "label"),
    [
        (DeclarationStatus.DRAFT, "continue", "Continue the declaration"),
        (DeclarationStatus.SUBMITTED, "view", "See the declaration"),
        (DeclarationStatus.ACCEPTED, "view", "See the declaration"),
    ],
)
def test_one_next_action_per_state(client, login, directorate_user, status, action, label):
    call = call_closing_in(30)
    declare(call, "DREAL-PDL", status, [("Siège", 10)], [])
    db.session.commit()
    login(directorate_user)
    card = element(client.get("/en/home").get_data(as_text=True), "declaration-PIX-2023")
    assert card.get("data-status") == status.value and card.get("data-action") == action
    assert len(card.xpath(".//a[contains(@class, 'fr-btn')]")) == 1
    assert label in text(card)
    answered = status is not DeclarationStatus.DRAFT
    assert bool(card.xpath(".//*[@data-testid='days-left']")) is not answered


def test_no_open_call(client, login, directorate_user):
    call_closing_in(10).is_open = False
    db.session.commit()
    login(directorate_user)
    body = client.get("/fr/home").get_data(as_text=True)
    assert "Aucun appel à déclarations n’est ouvert" in text(element(body, "declaration-tasks"))


def test_without_a_codir_request_the_home_offers_one(client, login, directorate_user):
    codir_request("DREAL-ARA", CodirStatus.SCHEDULED)  # another directorate's
    db.session.commit()
    login(directorate_user)
    for lang, label in (("fr", "Demander une présentation"), ("en", "Request a presentation")):
        task = element(client.get(f"/{lang}/home").get_data(as_text=True), "codir-task")
        assert task.get("data-codir-status") == "none"
        assert label in text(task) and "CVRH de Nantes" in text(task)
        assert links(task) == [f"/{lang}/codir/new"]


def test_the_request_under_way_shows_its_date(client, login, directorate_user):
    codir_request("DREAL-PDL", CodirStatus.DECLINED, created_at=datetime(2026, 1, 5, tzinfo=UTC))
    scheduled = codir_request(
        "DREAL-PDL",
        CodirStatus.SCHEDULED,
        created_at=datetime(2025, 12, 1, tzinfo=UTC),
        scheduled_at=datetime(2026, 5, 4, 12, 0, tzinfo=UTC),  # 14:00 in Paris
    )
    db.session.commit()
    login(directorate_user)
    task = element(client.get("/fr/home").get_data(as_text=True), "codir-task")
    assert task.get("data-codir-status") == "scheduled"
    assert "Programmée le lundi 4 mai 2026 à 14 h 00" in text(task)
    assert links(task) == [f"/fr/codir/{scheduled.id}"]
    task = element(client.get("/en/home").get_data(as_text=True), "codir-task")
    assert "Monday, May 4, 2026 at 2:00" in text(task)


@pytest.mark.parametrize(
    ("status", "expected", "link"),
    [
        (CodirStatus.REQUESTED, "has not answered yet", "request"),
        (CodirStatus.DECLINED, "was declined", "/en/codir/new"),
        (CodirStatus.CANCELLED, "was cancelled", "/en/codir/new"),
    ],
)
def test_codir_request_states(client, login, directorate_user, status, expected, link):
    request = codir_request("DREAL-PDL", status)
    db.session.commit()
    login(directorate_user)
    task = element(client.get("/en/home").get_data(as_text=True), "codir-task")
    assert task.get("data-codir-status") == status.value
    assert expected in text(task)
    assert links(task) == [f"/en/codir/{request.id}" if link == "request" else link]


def test_the_campaign_follow_up_lists_what_is_due_first(
    client, login, directorate_user, other_directorate_user
):
    call = call_closing_in(-30)
    followed(
        "DREAL-PDL",
        call,
        [("Lancement", -40, True), ("Mi-parcours", -2, False), ("Bilan", 30, False)],
    )
    followed("DREAL-ARA", call, [("Lancement ARA", -2, False)])
    db.session.commit()
    login(directorate_user)
    body = client.get("/fr/home").get_data(as_text=True)
    assert order(body, "campaign-PIX") == ["campaign-PIX-2023-1", "campaign-PIX-2023-2"]
    due = element(body, "campaign-PIX-2023-1")
    assert due.get("data-state") == "overdue"
    assert "Import en retard" in text(due) and "Mi-parcours" in text(due)
    assert "Points d’étape avec résultats : 1 sur 3." in text(due)
    [import_link] = links(due)
    assert import_link.startswith("/fr/followup/PIX-2023/DREAL-PDL/1/checkpoints/")
    assert import_link.endswith("/import")
    unplanned = element(body, "campaign-PIX-2023-2")
    assert unplanned.get("data-state") == "plan_missing"
    assert links(unplanned) == ["/fr/followup/PIX-2023/DREAL-PDL/2/plan"]
    assert client.get(import_link).status_code == 200
    assert "Lancement ARA" not in body


def test_no_follow_up_section_before_a_submission(client, login, directorate_user):
    declare(call_closing_in(5), "DREAL-PDL", DeclarationStatus.DRAFT, [("Siège", 10)], [])
    db.session.commit()
    login(directorate_user)
    body = client.get("/en/home").get_data(as_text=True)
    assert "campaign-tasks" not in body and "Campaign follow-up</h2>" not in body


def test_headings_go_in_order_and_colleagues_come_last(client, login, directorate_user):
    followed("DREAL-PDL", call_closing_in(3), [("Lancement", 1, False)])
    db.session.commit()
    login(directorate_user)
    body = client.get("/en/home").get_data(as_text=True)
    check_structure(body)
    titles = [title for level, title in headings(body) if level == 2]
    assert titles[:3] == [
        "Your declarations",
        "Presentation to your management committee",
        "Campaign follow-up",
    ]
    assert titles[-1] == "Correspondents of your directorate"


def test_days_left_count_from_today_in_paris(client, login, directorate_user):
    call_closing_in(1)
    db.session.commit()
    login(directorate_user)
    card = element(client.get("/en/home").get_data(as_text=True), "declaration-PIX-2023")
    assert "1 day left" in text(card)
    expected = (portal_today() + timedelta(days=1)).strftime("%B")
    assert expected in text(card)


def test_a_plan_without_checkpoints_asks_for_them(client, login, directorate_user):
    followed("DREAL-PDL", call_closing_in(-30), [])
    db.session.commit()
    login(directorate_user)
    body = client.get("/fr/home").get_data(as_text=True)
    task = element(body, "campaign-PIX-2023-1")
    assert task.get("data-state") == "checkpoints_missing"
    assert "Points d’étape à fixer" in text(task) and "0 points" not in text(task)
    assert links(task) == ["/fr/followup/PIX-2023/DREAL-PDL/1/plan"]
