"""Names embedded in French sentences take their article: "au CVRH de Nantes", "Suivi – ..."."""

import re
from html import unescape

from sqlalchemy import select

from app.codir.models import CodirRequest
from app.extensions import db
from tests.codir.conftest import request_form
from tests.conftest import log_in, outbox


def _text(response) -> str:
    html = response.get_data(as_text=True)
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    return text.replace("\u00a0", " ")


def test_a_request_is_sent_to_the_cvrh_with_its_article(client, login, directorate_user):
    login(directorate_user)
    form = _text(client.get("/fr/codir/new"))
    assert "Votre demande sera adressée au CVRH de Nantes, qui vous proposera" in form
    assert "adressée à CVRH" not in form
    sent = _text(client.post("/fr/codir/new", data=request_form(), follow_redirects=True))
    assert "Votre demande a été envoyée au CVRH de Nantes." in sent
    assert "envoyée à CVRH" not in sent
    english = _text(client.get("/en/codir/"))
    assert "Request a presentation" in english


def test_a_reassigned_request_is_handled_by_the_cvrh(
    app, client, login, directorate_user, admin_user
):
    own = app.test_client()
    log_in(own, directorate_user)
    own.post("/fr/codir/new", data=request_form())
    request = db.session.scalar(select(CodirRequest))
    login(admin_user)
    done = client.post(
        f"/fr/codir/{request.id}/reassign",
        data={"reassign-cvrh": "CVRH-PARIS", "reassign-version": request.version},
        follow_redirects=True,
    )
    assert "La demande est désormais traitée par le CVRH de Paris" in _text(done)
    # The directorate's e-mail says it the same way.
    to_directorate = [m for m in outbox() if m.recipients == directorate_user.email]
    assert "Votre demande est désormais traitée par le CVRH de Paris." in to_directorate[-1].body


def test_the_follow_up_title_does_not_glue_the_call_title(client, login, project_team_user):
    login(project_team_user)
    french = _text(client.get("/fr/console/PIX-2023/"))
    assert "Suivi – Déploiement PIX 2023" in french
    assert "Suivi de Déploiement" not in french
    assert "Follow-up of PIX deployment 2023" in _text(client.get("/en/console/PIX-2023/"))


def test_french_spaces_in_the_catalogue_are_single_and_non_breaking():
    """Inside « » and before : ; ? ! French has one non-breaking space, never two."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).parents[2] / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalogue = read_po(file)
    wrong = []
    for message in catalogue:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            if "\u00a0\u00a0" in text or " \u00a0" in text or "\u00a0 " in text:
                wrong.append(text)
            if "« " in text or " »" in text:
                wrong.append(text)
    assert not wrong, "\n".join(wrong)
