"""The content lists: the menu's bound, the management filters, past events, the diff's numbers."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.content.models import ContentKind, ContentState
from app.extensions import db
from tests.content.conftest import make


def menu(client, url: str = "/fr/") -> list[str]:
    html = client.get(url).get_data(as_text=True)
    nav = html[html.index('id="navigation"') : html.index("</nav>", html.index('id="navigation"'))]
    return re.findall(r'href="(/fr/content/[^"]*)"', nav)


def test_the_menu_shows_six_sections_then_the_site_map(client, login, site, project_team_user):
    # The site's "deployer" comes first; then eight more, in this order, the first one private.
    hidden = make(project_team_user, ContentKind.SECTION, "fr", None, "Cachée", slug="cachee")
    for number in range(3, 11):
        make(
            project_team_user,
            ContentKind.SECTION,
            "fr",
            None,
            f"Rubrique {number}",
            ContentState.PUBLISHED,
            slug=f"rubrique-{number}",
        )
    expected = ["/fr/content/deployer"] + [f"/fr/content/rubrique-{n}" for n in range(3, 8)]
    assert menu(client) == [*expected, "/fr/content/sitemap"]
    # Published, it takes its place in the menu at once: nothing is cached.
    login(project_team_user)
    assert client.post(f"/fr/content/item/{hidden.id}/publish").status_code == 302
    client.post("/fr/logout")
    assert menu(client)[:3] == ["/fr/content/deployer", "/fr/content/cachee", expected[1]]


def test_a_short_menu_has_no_site_map_link(client, site):
    assert menu(client) == ["/fr/content/deployer"]


def ids(html: str) -> set[int]:
    return {int(value) for value in re.findall(r'<tr data-item="(\d+)"', html)}


def test_management_filters(client, login, site, project_team_user):
    news = make(project_team_user, ContentKind.NEWS, "fr", None, "Nouvelle", slug="nouvelle")
    # A published page whose changes wait for review: pending through its working copy.
    site.published.working_copy = {"title": "Note revue"}
    site.published.working_state = ContentState.PENDING
    db.session.commit()
    login(project_team_user)

    def listed(query: str) -> set[int]:
        response = client.get(f"/fr/content/manage?{query}")
        assert response.status_code == 200
        return ids(response.get_data(as_text=True))

    everything = {
        site.section.id,
        site.section_en.id,
        site.published.id,
        site.published_en.id,
        site.private.id,
        site.pending.id,
        news.id,
    }
    assert listed("") == everything
    assert listed("kind=news") == {news.id}
    assert listed("state=pending") == {site.pending.id, site.published.id}
    assert listed("state=private&kind=page") == {site.private.id}
    assert listed("language=en") == {site.section_en.id, site.published_en.id}
    assert listed("kind=page&language=en&state=private") == set()
    # Values no list has filter nothing.
    assert listed("kind=zorglub&state=&language=de") == everything
    html = client.get("/fr/content/manage?kind=news").get_data(as_text=True)
    assert '<option value="news" selected>' in html


def test_an_author_manages_only_their_items(client, login, site, cvrh_user):
    own = make(cvrh_user, ContentKind.PAGE, "fr", site.section, "Fiche CVRH", slug="fiche-cvrh")
    login(cvrh_user)
    assert ids(client.get("/fr/content/manage").get_data(as_text=True)) == {own.id}


def test_past_events_are_a_filter_of_the_events_page(client, site, project_team_user):
    now = datetime.now(UTC)
    for slug, days in (("a-venir", 3), ("passe", -3)):
        make(
            project_team_user,
            ContentKind.EVENT,
            "fr",
            site.section,
            f"Webinaire {slug}",
            ContentState.PUBLISHED,
            slug=slug,
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=1),
        )
    coming = client.get("/fr/content/events/").get_data(as_text=True)
    past = client.get("/fr/content/events/?when=past").get_data(as_text=True)
    assert "Webinaire a-venir" in coming and "Webinaire passe" not in coming
    assert "Webinaire passe" in past and "Webinaire a-venir" not in past
    assert 'href="/fr/content/events/?when=past"' in coming
    assert 'href="/fr/content/deployer/passe"' in past


@pytest.mark.parametrize("value", ["99999999999", "٣", "-1", "2.0", ""])
def test_a_diff_of_revisions_that_cannot_exist_is_not_found(
    client, login, site, project_team_user, value
):
    login(project_team_user)
    url = f"/fr/content/item/{site.private.id}/diff?a=1&b={value}"
    assert client.get(url).status_code == 404
