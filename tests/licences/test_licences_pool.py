"""The pool arithmetic: grants within the pool, exactly the pool, never above; the pool never
below what is granted; only answered declarations receive licences."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.declarations.models import Declaration, DeclarationStatus
from app.extensions import db
from tests.conftest import outbox
from tests.licences.conftest import (
    POOL_URL,
    count,
    grant,
    grant_events,
    granted,
    pool_events,
    pool_size,
    set_pool,
)


def messages_of(html: str, field: str) -> list[str]:
    """Return the error messages shown under a field."""
    block = html.split(f'id="{field}-messages"')[1].split("</div>")[0]
    return [unescape(m).strip() for m in re.findall(r'fr-message--error">([^<]+)<', block)]


@pytest.fixture
def staff(client, login, known, project_team_user):
    login(project_team_user)
    return project_team_user


def test_a_pool_is_set_then_changed_with_its_history(client, staff):
    response = set_pool(client, 200, "Dotation initiale")
    assert response.status_code == 302
    assert set_pool(client, 250, "Rallonge").status_code == 302
    assert pool_size() == 250
    history = [(e.before, e.after, e.comment, e.actor_id) for e in pool_events()]
    assert history == [
        (None, 200, "Dotation initiale", staff.id),
        (200, 250, "Rallonge", staff.id),
    ]
    page = client.get(POOL_URL.format(lang="en")).get_data(as_text=True)
    assert "Pool: 200 → 250" in page
    assert "Rallonge" in page
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "licences.pool_set"))
    assert [entry.details["changes"]["pool"] for entry in audit] == [[None, 200], [200, 250]]


def test_saving_the_same_pool_records_nothing(client, staff):
    set_pool(client, 200)
    assert set_pool(client, 200).status_code == 302
    assert len(pool_events()) == 1


def test_grants_within_the_pool(client, staff):
    set_pool(client, 300)
    assert grant(client, "DREAL-PDL", 100, "Moins que demandé : première vague.").status_code == 302
    assert grant(client, "DGPR", 95).status_code == 302
    assert granted() == {"DREAL-PDL": 100, "DGPR": 95}
    page = client.get(POOL_URL.format(lang="en")).get_data(as_text=True)
    assert re.search(r'data-pool="left">105<', page)
    assert re.search(r'data-pool="granted">195<', page)


def test_a_grant_may_take_exactly_what_is_left(client, staff):
    set_pool(client, 235)
    assert grant(client, "DREAL-PDL", 140).status_code == 302
    assert grant(client, "DGPR", 95).status_code == 302
    assert sum(granted().values()) == 235
    page = client.get(POOL_URL.format(lang="en")).get_data(as_text=True)
    assert re.search(r'data-pool="left">0<', page)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "Only 60 licences are left in the pool of this call for this directorate: grant 60 at "
            "most, or raise the pool first.",
        ),
        (
            "fr",
            "Il ne reste que 60 licences dans la dotation de cet appel pour cette direction\u00a0: "
            "accordez-en 60 au plus, ou augmentez d’abord la dotation.",
        ),
    ],
)
def test_a_grant_above_what_is_left_is_refused_on_its_field(client, staff, lang, expected):
    set_pool(client, 200)
    grant(client, "DREAL-PDL", 140)
    mails, audits = len(outbox()), count(AuditEntry)
    response = grant(client, "DGPR", 61, "Trop", lang=lang)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert messages_of(html, "licences") == [expected]
    assert 'value="61"' in html  # the input is kept
    assert granted() == {"DREAL-PDL": 140}
    assert len(grant_events()) == 1
    assert len(outbox()) == mails
    assert count(AuditEntry) == audits


def test_changing_a_grant_counts_what_it_already_holds(client, staff):
    set_pool(client, 200)
    grant(client, "DREAL-PDL", 140)
    # 60 are left, plus the 140 DREAL-PDL holds: it may go up to 200, not beyond.
    assert grant(client, "DREAL-PDL", 201).status_code == 200
    assert grant(client, "DREAL-PDL", 200).status_code == 302
    assert granted() == {"DREAL-PDL": 200}
    assert [e.changes["granted_licences"] for e in grant_events()] == [[None, 140], [140, 200]]


def test_the_pool_cannot_go_below_what_is_granted(client, staff):
    set_pool(client, 300)
    grant(client, "DREAL-PDL", 140)
    grant(client, "DGPR", 60)
    response = set_pool(client, 199, "Baisse")
    assert response.status_code == 200
    assert messages_of(response.get_data(as_text=True), "licences") == [
        "200 licences are already granted in this call: the pool cannot be smaller. Lower the "
        "grants first."
    ]
    assert pool_size() == 300
    assert len(pool_events()) == 1
    assert set_pool(client, 200, "Ajustée aux attributions").status_code == 302
    assert pool_size() == 200


def test_nothing_is_granted_without_a_pool(client, staff):
    response = grant(client, "DREAL-PDL", 10)
    assert response.status_code == 200
    assert messages_of(response.get_data(as_text=True), "licences") == [
        "The pool of this call is not set yet: set it before granting licences."
    ]
    assert granted() == {}


def test_a_draft_receives_no_licences(client, staff):
    set_pool(client, 300)
    response = grant(client, "DREAL-ARA", 5)
    assert response.status_code == 200
    assert (
        "This declaration is not submitted"
        in messages_of(response.get_data(as_text=True), "licences")[0]
    )
    assert granted() == {}


def test_a_grant_of_a_reopened_declaration_may_be_lowered_not_raised(client, staff):
    set_pool(client, 300)
    grant(client, "DGPR", 95)
    dgpr = db.session.scalar(select(Declaration).where(Declaration.status == "accepted"))
    assert (
        client.post(
            "/en/declarations/PIX-2023/DGPR/reopen", data={"comment": "", "version": dgpr.version}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Declaration, dgpr.id).status is DeclarationStatus.DRAFT
    assert grant(client, "DGPR", 96).status_code == 200
    assert grant(client, "DGPR", 50, "Rendues à la dotation").status_code == 302
    assert granted() == {"DGPR": 50}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the number of licences granted."),
        ("-3", "Enter a whole number from 0 to 10,000,000."),
        ("douze", "Enter a whole number, such as 25."),
        ("99999999999", "Enter a whole number from 0 to 10,000,000."),
    ],
)
def test_a_grant_is_a_whole_number(client, staff, typed, message):
    set_pool(client, 300)
    response = grant(client, "DREAL-PDL", typed)
    assert response.status_code == 200
    assert messages_of(response.get_data(as_text=True), "licences") == [message]
    assert granted() == {}


# Spaces alone passed InputRequired, and no number reached the services: a server error.
@pytest.mark.parametrize("typed", [" ", "\u00a0\t"])
def test_spaces_alone_are_no_number_of_licences(client, staff, typed):
    response = set_pool(client, typed)
    assert response.status_code == 200
    assert messages_of(response.get_data(as_text=True), "licences") == [
        "Enter the number of licences of the pool."
    ]
    assert pool_size() is None
    set_pool(client, 300)
    response = grant(client, "DREAL-PDL", typed)
    assert response.status_code == 200
    assert messages_of(response.get_data(as_text=True), "licences") == [
        "Enter the number of licences granted."
    ]
    assert granted() == {}


def test_a_grant_of_zero_is_a_decision(client, staff):
    set_pool(client, 300)
    assert grant(client, "DREAL-PDL", 0, "Pas de licence pour cette vague.").status_code == 302
    assert granted() == {"DREAL-PDL": 0}
