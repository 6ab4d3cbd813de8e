"""The language switch of a new-item form leads to the same form in the other language."""

import re
from html import unescape

import pytest

from app.content.models import ContentKind, ContentState
from tests.content.conftest import make

KINDS = [kind.value for kind in ContentKind]


def _switch(client, url: str, to: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    found = re.search(rf'<link rel="alternate" hreflang="{to}" href="([^"]+)"', html)
    return unescape(found.group(1))


@pytest.mark.parametrize("kind", KINDS)
def test_a_form_in_a_section_switches_to_the_form_in_its_translation(
    client, login, site, project_team_user, kind
):
    login(project_team_user)
    english = _switch(client, f"/fr/content/new/{kind}?parent={site.section.id}", "en")
    assert english == f"/en/content/new/{kind}?parent={site.section_en.id}"
    assert client.get(english).status_code == 200
    french = _switch(client, english, "fr")
    assert french == f"/fr/content/new/{kind}?parent={site.section.id}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_section_without_translation_switches_to_the_page_saying_so(
    client, login, site, project_team_user, kind
):
    login(project_team_user)
    only_french = make(
        project_team_user, ContentKind.SECTION, "fr", None, "Rubrique", ContentState.PUBLISHED
    )
    english = _switch(client, f"/fr/content/new/{kind}?parent={only_french.id}", "en")
    assert english == f"/en/content/missing/{only_french.id}"
    response = client.get(english)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "This page is not translated yet" in html
    assert 'href="/fr/content/rubrique"' in html


def test_a_form_without_section_switches_to_the_same_form(client, login, site, project_team_user):
    login(project_team_user)
    assert _switch(client, "/fr/content/new/page", "en") == "/en/content/new/page"
    assert client.get("/en/content/new/page").status_code == 200


def test_a_translation_form_switches_to_the_item_translated(client, login, site, project_team_user):
    login(project_team_user)
    url = f"/en/content/new/page?translation_of={site.private.id}"
    assert _switch(client, url, "fr") == "/fr/content/deployer/secret"
    assert client.get("/fr/content/deployer/secret").status_code == 200


def test_a_cvrh_author_is_led_to_the_form_too(client, login, site, cvrh_user):
    login(cvrh_user)
    english = _switch(client, f"/fr/content/new/page?parent={site.section.id}", "en")
    assert client.get(english).status_code == 200
