"""E-mails at once: a declaration submitted (again), a content item submitted for review."""

import pytest
from sqlalchemy import select

from app.auth.models import Notifications, Role
from app.content.models import ContentKind, ContentState
from app.declarations.models import Declaration, DeclarationStatus
from app.extensions import db
from app.mail import OutboxMessage
from tests.conftest import log_in, make_user, outbox
from tests.content.conftest import make
from tests.declarations.conftest import EDIT_URL, complete_form
from tests.notifications.conftest import submit_declaration

VIEW_FR = "http://portal.test/fr/declarations/PIX-2023/DREAL-PDL"
VIEW_EN = "http://portal.test/en/declarations/PIX-2023/DREAL-PDL"


def _told(before: int, template_words: str) -> dict[str, OutboxMessage]:
    """Return the messages queued since `before` whose subject has these words, by recipient."""
    return {m.recipients: m for m in outbox()[before:] if template_words in m.subject}


def _recipients(before: int) -> list[str]:
    return sorted(m.recipients for m in outbox()[before:])


def test_a_submitted_declaration_tells_each_member_told_at_once_in_their_language(
    app, call, team, directorate_user, cvrh_user, other_directorate_user
):
    before = len(outbox())
    submit_declaration(app, directorate_user)
    # The submitter's confirmation, then one e-mail to each member told at once; nobody else
    # (not the admin by default, not the digest or silent members, not the other roles).
    assert _recipients(before) == sorted(
        [directorate_user.email, team.french.email, team.english.email]
    )
    french = _told(before, "DREAL-PDL")[team.french.email]
    english = _told(before, "DREAL-PDL")[team.english.email]
    assert french.language == "fr"
    # The subject's spaces are plain ones (send() folds every space of a subject).
    assert french.subject == "PIX\u00a0: déclaration de DREAL-PDL soumise, à examiner"
    assert "a soumis sa déclaration pour" in french.body
    assert f"Examiner la déclaration\u00a0: {VIEW_FR}\n" in french.body
    assert "http://portal.test/fr/account" in french.body
    assert english.language == "en"
    assert english.subject == "PIX: declaration of DREAL-PDL submitted, to review"
    assert "has submitted its declaration for" in english.body
    assert f"Review the declaration: {VIEW_EN}\n" in english.body
    assert "http://portal.test/en/account" in english.body
    client = app.test_client()
    log_in(client, team.english)  # the link opens the declaration for the project team
    assert client.get(VIEW_EN.removeprefix("http://portal.test")).status_code == 200


def test_a_declaration_submitted_again_after_corrections_says_so(
    app, client, login, call, team, directorate_user
):
    submit_declaration(app, directorate_user)
    login(team.french)
    response = client.post(
        "/fr/declarations/PIX-2023/DREAL-PDL/request_corrections", data={"comment": "Licences ?"}
    )
    assert response.status_code == 302
    declaration = db.session.scalar(select(Declaration))
    assert declaration.status is DeclarationStatus.CORRECTIONS_REQUESTED
    before = len(outbox())
    submit_declaration(app, directorate_user, version=str(declaration.version))
    told = _told(before, "DREAL-PDL")
    # The member who asked for the corrections did not submit: they are told too (and the
    # directorate's user gets the confirmation).
    assert set(told) == {team.french.email, team.english.email, directorate_user.email}
    assert told[team.french.email].subject == (
        "PIX\u00a0: déclaration de DREAL-PDL soumise de nouveau, à examiner"
    )
    assert "après les corrections demandées" in told[team.french.email].body
    assert told[team.english.email].subject == (
        "PIX: declaration of DREAL-PDL submitted again, to review"
    )


def test_an_incomplete_declaration_is_saved_but_tells_nobody(app, call, team, directorate_user):
    before = len(outbox())
    client = app.test_client()
    log_in(client, directorate_user)
    data = complete_form(submit_declaration="1", **{"administrators-0-hr_confirmed": None})
    response = client.post(EDIT_URL.format(lang="fr"), data=data)
    assert response.status_code == 200
    assert db.session.scalar(select(Declaration)).status is DeclarationStatus.DRAFT
    assert outbox()[before:] == []


def test_an_admin_who_chose_immediately_is_told_and_other_roles_never_are(
    app, call, team, directorate_user, cvrh_user
):
    from app.notifications import services

    services.choose(team.admin, Notifications.IMMEDIATE)
    # A value set on an account whose role is never told (by hand, or kept from an old role).
    colleague = make_user("lina.roche@example.org", Role.DIRECTORATE, directorate="DREAL-PDL")
    for person in (cvrh_user, colleague):
        person.notifications = Notifications.IMMEDIATE
    team.english.active = False
    db.session.commit()
    before = len(outbox())
    submit_declaration(app, directorate_user)
    told = set(_told(before, "DREAL-PDL")) - {directorate_user.email}  # its confirmation
    assert told == {team.french.email, team.admin.email}
    # The admin's e-mail is in English, their language.
    assert _told(before, "DREAL-PDL")[team.admin.email].language == "en"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_content_item_submitted_for_review_tells_the_team_not_its_author(
    client, login, team, cvrh_user, lang
):
    section = make(
        team.french,
        ContentKind.SECTION,
        "fr",
        None,
        "Déployer",
        ContentState.PUBLISHED,
        slug="deployer",
    )
    sheet = make(cvrh_user, ContentKind.PAGE, "fr", section, "Fiche ambassadeur", slug="fiche")
    login(cvrh_user)
    before = len(outbox())
    response = client.post(f"/{lang}/content/item/{sheet.id}/submit", data={"comment": ""})
    assert response.status_code == 302
    told = _told(before, "Fiche ambassadeur")
    assert set(told) == {team.french.email, team.english.email}
    french, english = told[team.french.email], told[team.english.email]
    # Each in the recipient's language, whatever the language of the page that submitted.
    assert french.subject == "PIX\u00a0: «\u00a0Fiche ambassadeur\u00a0» en attente de relecture"
    assert "Emma Laurent a soumis «\u00a0Fiche ambassadeur\u00a0» (Page, français)" in french.body
    assert "http://portal.test/fr/content/deployer/fiche\n" in french.body
    assert "http://portal.test/fr/content/review" in french.body
    assert english.subject == "PIX: “Fiche ambassadeur” waiting for review"
    assert "Emma Laurent has submitted “Fiche ambassadeur” (Page, French)" in english.body
    assert "http://portal.test/fr/content/deployer/fiche\n" in english.body
    assert "http://portal.test/en/content/review" in english.body
    client.post("/fr/logout")
    login(team.english)  # the link opens the item for a reviewer
    page = client.get("/fr/content/deployer/fiche").get_data(as_text=True)
    assert "Fiche ambassadeur" in page


def test_a_member_who_submits_is_not_told_of_it(client, login, team):
    section = make(
        team.french,
        ContentKind.SECTION,
        "fr",
        None,
        "Déployer",
        ContentState.PUBLISHED,
        slug="deployer",
    )
    page = make(team.french, ContentKind.PAGE, "fr", section, "Webinaires", slug="webinaires")
    login(team.french)
    before = len(outbox())
    assert client.post(f"/fr/content/item/{page.id}/submit").status_code == 302
    assert _recipients(before) == [team.english.email]


def test_changes_to_a_published_item_submitted_for_review_say_so(client, login, team, cvrh_user):
    section = make(
        team.french,
        ContentKind.SECTION,
        "fr",
        None,
        "Déployer",
        ContentState.PUBLISHED,
        slug="deployer",
    )
    page = make(cvrh_user, ContentKind.PAGE, "fr", section, "Calendrier", ContentState.PUBLISHED)
    login(cvrh_user)
    edit = {"title": "Calendrier", "slug": "calendrier", "body": "Nouveau.", "save": "1"}
    assert client.post(f"/fr/content/item/{page.id}/edit", data=edit).status_code == 302
    before = len(outbox())
    assert client.post(f"/fr/content/item/{page.id}/submit").status_code == 302
    db.session.refresh(page)
    assert page.working_state is ContentState.PENDING
    told = _told(before, "Calendrier")
    assert told[team.english.email].subject == "PIX: changes to “Calendrier” waiting for review"
    assert "The published version stays online" in told[team.english.email].body


def test_publishing_or_retracting_tells_nobody(client, login, team, cvrh_user):
    section = make(
        team.french,
        ContentKind.SECTION,
        "fr",
        None,
        "Déployer",
        ContentState.PUBLISHED,
        slug="deployer",
    )
    page = make(cvrh_user, ContentKind.PAGE, "fr", section, "Agenda", ContentState.PENDING)
    login(cvrh_user)
    before = len(outbox())
    assert client.post(f"/fr/content/item/{page.id}/retract").status_code == 302
    client.post("/fr/logout")
    login(team.french)
    assert client.post(f"/fr/content/item/{page.id}/publish").status_code == 302
    assert outbox()[before:] == []
