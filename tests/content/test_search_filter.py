"""The search filtered by PIX competence: items tagged with it or with a path covering it."""

import re

import pytest
from sqlalchemy import select

from app.content.models import ContentKind, ContentState
from app.directorates.models import LearningPath
from app.extensions import db
from tests.content.conftest import make


def hits(client, lang="fr", **args) -> list[str]:
    """Return the titles found (marks removed), or fail if the page did not answer 200."""
    response = client.get(f"/{lang}/content/search", query_string=args)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    if 'id="hits"' not in html:
        return []
    found = re.findall(r'<h2 class="fr-h5 fr-mb-1v"><a href="[^"]+">(.*?)</a>', html)
    return sorted(re.sub(r"</?mark>", "", title) for title in found)


@pytest.fixture
def mail_pages(site, project_team_user):
    """Published pages about e-mail, tagged differently; a private one tagged with 2.1."""
    collaboration = db.session.scalar(
        select(LearningPath).where(LearningPath.code == "EX-COLLABORATION")
    )
    pages = [
        ("Messagerie et agenda", "agenda", {"competences": ["2.1"]}),
        ("Messagerie sécurisée", "securisee", {"competences": ["4.1"]}),
        ("Messagerie d’équipe", "equipe", {"learning_paths": [collaboration.id]}),
        ("Messagerie sans étiquette", "sans", {}),
    ]
    for title, slug, tags in pages:
        make(
            project_team_user,
            ContentKind.PAGE,
            "fr",
            site.section,
            title,
            ContentState.PUBLISHED,
            slug=slug,
            body="Bien utiliser la messagerie.",
            **tags,
        )
    make(
        project_team_user, ContentKind.PAGE, "fr", site.section, "Messagerie privée",
        slug="privee", body="La messagerie en brouillon.", competences=["2.1"],
    )  # fmt: skip
    make(
        project_team_user, ContentKind.PAGE, "en", site.section_en, "Mail and calendar",
        ContentState.PUBLISHED, slug="mail", body="Using e-mail well.", competences=["2.1"],
    )  # fmt: skip


def test_the_filter_keeps_the_resources_of_the_competence(client, mail_pages):
    every = ["Messagerie d’équipe", "Messagerie et agenda", "Messagerie sans étiquette"]
    every += ["Messagerie sécurisée"]
    assert hits(client, q="messagerie") == every
    assert hits(client, q="messagerie", competence="") == every
    # Tagged with 2.1, or with a path covering it (EX-COLLABORATION: 2.1, 2.2, 2.3).
    assert hits(client, q="messagerie", competence="2.1") == [
        "Messagerie d’équipe",
        "Messagerie et agenda",
    ]
    assert hits(client, q="messagerie", competence="2.2") == ["Messagerie d’équipe"]
    assert hits(client, q="messagerie", competence="4.1") == ["Messagerie sécurisée"]
    assert hits(client, q="messagerie", competence="5.1") == []
    assert hits(client, lang="en", q="mail", competence="2.1") == ["Mail and calendar"]
    assert hits(client, lang="en", q="mail", competence="4.1") == []


def test_a_competence_alone_lists_its_resources(client, mail_pages):
    assert hits(client, competence="2.1") == ["Messagerie d’équipe", "Messagerie et agenda"]
    html = client.get("/fr/content/search?competence=2.1").get_data(as_text=True)
    assert '<option selected value="2.1">' in html
    assert 'href="/fr/competences/2.1"' in html
    assert hits(client, lang="en", competence="2.1") == ["Mail and calendar"]


@pytest.mark.parametrize("value", ["9.9", "2.1' OR 1=1 --", "<script>", "2.1\u202e", "1" * 500])
def test_an_invalid_competence_gets_a_message_and_no_result(client, mail_pages, value):
    response = client.get(
        "/en/content/search", query_string={"q": "messagerie", "competence": value}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Choose among the PIX competences listed." in html
    assert 'id="competence-messages"' in html and "fr-select--error" in html
    assert 'id="hits"' not in html


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_filter_needs_no_csrf_token(client, mail_pages):
    """A search is a link anyone may share: the form is read from the query string, no token."""
    assert hits(client, q="messagerie", competence="4.1") == ["Messagerie sécurisée"]


@pytest.mark.parametrize("blank", [" ", "\t", "  \n"])
def test_a_blank_competence_counts_as_none(client, mail_pages, blank):
    alone = client.get("/fr/content/search", query_string={"competence": blank})
    assert alone.status_code == 200
    assert 'id="hits"' not in alone.get_data(as_text=True)
    assert hits(client, q="messagerie", competence=blank) == hits(client, q="messagerie")
