"""Attendance: ticked by the project team or read from the video-conference tool's list, matched
by address case-insensitively; unknown and repeated addresses reported; a malformed list saves
nothing."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.events.models import Attendance, EventSession
from app.extensions import db
from tests.events.conftest import add_session, declare, invitation_of, invite, personal_url

ANNE = ("Anne", "Martin", "anne.martin@example.org")
ERIC = ("Éric", "Lefèvre", "eric.lefevre@example.org")
INES = ("Inès", "Moreau", "ines.moreau@example.org")
HUGO = ("Hugo", "Lambert", "hugo.lambert@example.org")


@pytest.fixture
def held(client, app, login, project_team_user, event, call):
    """A session held yesterday: Anne, Éric and Inès had a seat, Hugo was invited only."""
    declare(call, "DREAL-PDL", ambassadors=[ANNE, ERIC, INES, HUGO])
    session = add_session(event, days=2, capacity=5)
    login(project_team_user)
    invite(client, event)
    person = app.test_client()
    for who in (ANNE, ERIC, INES):
        person.post(
            personal_url(invitation_of(event, who[2])) + "/register", data={"session": session.id}
        )
    session.starts_at -= timedelta(days=3)
    session.ends_at -= timedelta(days=3)
    db.session.commit()
    return session


def _present(session) -> set[str]:
    db.session.expire_all()
    rows = db.session.scalars(select(Attendance).where(Attendance.session_id == session.id))
    return {row.invitation.email for row in rows}


def _upload(client, session, text: str | bytes, name="presence.csv"):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return client.post(
        f"/fr/events/sessions/{session.id}/attendance/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_ticking_who_attended(client, held, event):
    page = client.get(f"/fr/events/sessions/{held.id}/").get_data(as_text=True)
    anne, eric = invitation_of(event, ANNE[2]), invitation_of(event, ERIC[2])
    assert f'id="present-{anne.id}"' in page and "Cochez les personnes présentes" in page
    version = held.version
    response = client.post(
        f"/fr/events/sessions/{held.id}/attendance",
        data={"present": [anne.id, eric.id, 999999, "x"], "version": version},
    )
    assert response.status_code == 302
    assert _present(held) == {ANNE[2], ERIC[2]}
    # A page opened before that save: refused, nothing changed.
    stale = client.post(
        f"/fr/events/sessions/{held.id}/attendance", data={"present": [anne.id], "version": version}
    )
    assert stale.status_code == 409
    assert _present(held) == {ANNE[2], ERIC[2]}
    current = db.session.get(EventSession, held.id).version
    client.post(
        f"/fr/events/sessions/{held.id}/attendance", data={"present": [anne.id], "version": current}
    )
    assert _present(held) == {ANNE[2]}


def test_attendance_waits_for_the_session(client, login, project_team_user, event, call):
    session = add_session(event, days=2)
    login(project_team_user)
    response = client.post(
        f"/fr/events/sessions/{session.id}/attendance", data={"version": session.version}
    )
    assert response.status_code == 302
    assert "une fois la session commencée" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert _upload(client, session, "Email\nanne.martin@example.org\n").status_code == 400


def test_the_tools_list_marks_the_invited_and_reports_the_rest(client, held, event):
    listing = (
        "Nom;Adresse e-mail;Durée (minutes)\n"
        "Anne Martin;ANNE.MARTIN@example.org;55\n"
        "Anne Martin;anne.martin@example.org ;5\n"
        "Hugo Lambert;hugo.lambert@example.org;60\n"
        "Invité extérieur;externe@example.org;30\n"
        "Téléphone;;10\n"
    )
    response = _upload(client, held, listing)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 personnes notées présentes" in page
    assert "externe@example.org" in page.split('data-testid="unknown"', 1)[1].split("</p>", 1)[0]
    assert (
        "anne.martin@example.org"
        in page.split('data-testid="duplicates"', 1)[1].split("</p>", 1)[0]
    )
    assert "1 ligne sans adresse" in page
    assert _present(held) == {ANNE[2], HUGO[2]}
    # Hugo had no seat: he is on the roll now, marked as found in the list.
    roll = client.get(f"/fr/events/sessions/{held.id}/").get_data(as_text=True)
    assert "trouvée dans la liste de présence" in roll
    # The same list again: nothing new, nothing doubled.
    page = _upload(client, held, listing).get_data(as_text=True)
    assert "0 personne notée présente" in page and "2 personnes déjà notées présentes" in page
    assert db.session.scalar(select(db.func.count(Attendance.id))) == 2


def test_a_list_exported_in_utf16_with_a_summary_above_it(client, held):
    listing = (
        "Résumé de la réunion\n"
        "Titre\tWebinaire\n"
        "\n"
        "Nom complet\tE-mail\tHeure d'arrivée\n"
        "Inès Moreau\tines.moreau@EXAMPLE.org\t14:01\n"
        "\n"
        "Activités\n"
        "pas une adresse\tni ça\n"
    )
    response = _upload(client, held, "\ufeff".encode("utf-16-le") + listing.encode("utf-16-le"))
    assert response.status_code == 200
    assert _present(held) == {INES[2]}


@pytest.mark.parametrize(
    ("listing", "message"),
    [
        (
            "Nom,Email\nAnne,anne.martin@example.org\nBob,pas-une-adresse\n",
            "Ligne 3\u00a0: «\u00a0pas-une-adresse\u00a0»",
        ),
        ("Nom,Durée\nAnne,55\n", "Aucune colonne d’adresses électroniques"),
        ("", "Le fichier est vide"),
        ("Nom,Email\nAnne,anne.martin@example.org\nBob\n", "La ligne 3 n’a pas de colonne"),
        (b"Email\nanne.martin@example.org\n\x81\x8d\x8f\n", "n’est pas un texte"),
        # A quote never closed makes a cell over the csv module's limit: once a server error.
        (
            'Nom,Email\nAnne,anne.martin@example.org\nBob,"' + "x" * 140_000 + "\nÉric,e@x.fr\n",
            "La ligne 3 ne peut pas être lue comme du CSV",
        ),
    ],
)
def test_a_malformed_list_saves_nothing(client, held, listing, message):
    response = _upload(client, held, listing)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _present(held) == set()


def test_the_personal_page_shows_the_sessions_attended(app, client, held, event):
    anne, eric = invitation_of(event, ANNE[2]), invitation_of(event, ERIC[2])
    client.post(
        f"/fr/events/sessions/{held.id}/attendance",
        data={"present": [anne.id], "version": held.version},
    )
    person = app.test_client()
    page = person.get(personal_url(anne)).get_data(as_text=True)
    assert "Sessions auxquelles vous avez assisté" in page
    assert f'data-attended="{held.id}"' in page
    assert "Vous n’êtes pas encore inscrit" not in page
    assert "Vous n’êtes pas inscrit(e) à une autre session." in page
    # Éric had a seat but was not seen: nothing attended.
    other = person.get(personal_url(eric)).get_data(as_text=True)
    assert 'data-attended="' not in other
