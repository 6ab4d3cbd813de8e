"""The competence pages: the 16 competences by area, one page each with its paths and resources."""

import re

import pytest

from app.auth.models import Role
from app.content.models import ContentKind
from tests.conftest import make_user
from tests.content.conftest import make

ANYONE = ("anonymous", "directorate", "cvrh", "project_team", "admin", "pixorga_admin")


def resources(html: str) -> list[str]:
    """Return the titles of the resources listed on a page, in order."""
    section = html.split('id="resources"', 1)[1]
    return re.findall(
        r'data-resource="\d+">.*?<a class="fr-link" href="[^"]+">([^<]+)</a>', section, re.S
    )


@pytest.fixture
def everyone(personas):
    return personas | {
        "pixorga_admin": make_user(
            "pix.admin@example.org", Role.PIXORGA_ADMIN, directorate="DREAL-PDL"
        )
    }


@pytest.mark.parametrize("persona", ANYONE)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/fr/competences/", 200),
        ("/en/competences/", 200),
        ("/fr/competences/2.1", 200),
        ("/en/competences/5.2", 200),
        ("/fr/competences/9.9", 404),
        ("/fr/competences/2.1.1", 404),
        ("/fr/competences/mastery", 404),
        ("/fr/competences/%3Cscript%3E", 404),
    ],
)
def test_access(client, login, everyone, persona, url, expected):
    if everyone[persona] is not None:
        login(everyone[persona])
    assert client.get(url).status_code == expected


def test_the_list_has_the_16_competences_by_area(client):
    html = client.get("/fr/competences/").get_data(as_text=True)
    assert html.count("data-area=") == 5
    links = re.findall(r'href="/fr/competences/(\d\.\d)"', html)
    assert len(links) == 16 and links[0] == "1.1" and links[-1] == "5.2"
    assert "2. Communication et collaboration" in html
    assert '<a href="/fr/competences/4.1">4.1 Sécuriser l&#39;environnement numérique</a>' in html
    english = client.get("/en/competences/").get_data(as_text=True)
    assert '<a href="/en/competences/2.1">2.1 Interacting</a>' in english
    # The main menu leads there, from any page.
    assert 'href="/fr/competences/" data-testid="competences-link"' in client.get("/fr/").get_data(
        as_text=True
    )


def test_the_page_of_a_competence(client, tagged):
    html = client.get("/fr/competences/2.1").get_data(as_text=True)
    assert "<h1>2.1 Interagir</h1>" in html
    assert "2. Communication et collaboration" in html
    # The offered paths covering 2.1; not the retired one, nor those not covering it.
    assert 'data-path="EX-COLLABORATION"' in html and 'data-path="EX-PROFIL-COMPLET"' in html
    assert 'data-path="EX-ENCADREMENT"' not in html and 'data-path="EX-DONNEES"' not in html
    # Published and readable, tagged with 2.1 or a path covering it, by title.
    assert resources(html) == ["Atelier messagerie", "Note de cadrage", "Travail à distance"]
    assert 'href="/fr/content/deployer/note"' in html
    assert 'href="/fr/content/atelier-messagerie"' in html
    assert "data-hidden" not in html


def test_visitors_see_only_what_they_may_read(client, login, tagged, personas, cvrh_user):
    expected = ["Atelier messagerie", "Note de cadrage", "Travail à distance"]
    for persona in ("directorate", "cvrh", "other_cvrh"):
        login(personas[persona])
        assert resources(client.get("/fr/competences/2.1").get_data(as_text=True)) == expected
        client.post("/fr/logout")
    # The CVRH's own draft is not a resource either: resources are published.
    section = tagged.site.section
    make(cvrh_user, ContentKind.PAGE, "fr", section, "Ma fiche", slug="mine", competences=["2.1"])
    login(cvrh_user)
    assert resources(client.get("/fr/competences/2.1").get_data(as_text=True)) == expected


def test_reviewers_see_published_items_hidden_from_readers_marked_as_such(
    client, login, tagged, project_team_user
):
    login(project_team_user)
    html = client.get("/fr/competences/2.1").get_data(as_text=True)
    listed = resources(html)
    assert "Ancienne fiche" in listed and "Fiche cachée" in listed
    assert "Brouillon secret" not in listed and "En relecture" not in listed  # not published
    assert html.count("data-hidden") == 2
    assert re.search(rf'data-resource="{tagged.expired.id}">.*?data-hidden', html, re.S)


def test_each_language_lists_its_own_versions(client, tagged):
    english = client.get("/en/competences/2.1").get_data(as_text=True)
    assert resources(english) == ["Campaign note"]
    assert 'href="/en/content/deploying/note"' in english
    assert "Note de cadrage" not in english
    assert "Campaign note" not in client.get("/fr/competences/2.1").get_data(as_text=True)


def test_a_competence_without_resources_says_so(client, tagged):
    html = client.get("/fr/competences/3.4").get_data(as_text=True)
    assert resources(html) == [] and 'id="no-resource"' in html
    # Tagged with the path EX-DONNEES only, the spreadsheet page is a resource of 1.3.
    assert resources(client.get("/fr/competences/1.3").get_data(as_text=True)) == ["Tableurs"]
