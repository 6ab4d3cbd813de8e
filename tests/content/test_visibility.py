"""Who reads what: private and pending items are invisible to readers everywhere."""

from datetime import date, timedelta

import pytest

from app.content.models import ContentKind, ContentState
from app.extensions import db
from tests.content.conftest import make

NOTE, SECRET, PENDING = (
    "/fr/content/deployer/note",
    "/fr/content/deployer/secret",
    "/fr/content/deployer/relecture",
)


@pytest.mark.parametrize("persona", ["anonymous", "directorate", "other_cvrh"])
def test_readers_see_only_published_items(client, login, personas, site, persona):
    if personas[persona]:
        login(personas[persona])
    assert client.get(NOTE).status_code == 200
    assert client.get(SECRET).status_code == 404
    assert client.get(PENDING).status_code == 404
    for url in ("/fr/content/", "/fr/content/deployer", "/fr/"):
        html = client.get(url).get_data(as_text=True)
        assert "Brouillon secret" not in html
        assert "En relecture" not in html
    sitemap = client.get("/fr/content/sitemap").get_data(as_text=True)
    assert "Note de cadrage" in sitemap
    section = client.get("/fr/content/deployer").get_data(as_text=True)
    assert "Note de cadrage" in section


def test_the_menu_shows_published_sections(client, site):
    html = client.get("/fr/").get_data(as_text=True)
    assert 'href="/fr/content/deployer"' in html
    assert 'href="/en/content/deploying"' in client.get("/en/").get_data(as_text=True)


def test_reviewers_see_everything_with_its_state(client, login, site, project_team_user):
    login(project_team_user)
    html = client.get(SECRET).get_data(as_text=True)
    assert 'data-state="private"' in html
    assert client.get(PENDING).status_code == 200
    assert "Brouillon secret" in client.get("/fr/content/deployer").get_data(as_text=True)


def test_an_author_sees_own_draft_and_no_one_else(client, login, site, cvrh_user, other_cvrh_user):
    make(cvrh_user, ContentKind.PAGE, "fr", site.section, "Fiche CVRH", slug="fiche-cvrh")
    login(cvrh_user)
    assert client.get("/fr/content/deployer/fiche-cvrh").status_code == 200
    assert client.get(SECRET).status_code == 404
    client.post("/fr/logout")
    login(other_cvrh_user)
    assert client.get("/fr/content/deployer/fiche-cvrh").status_code == 404


@pytest.mark.parametrize(
    ("effective", "expires"),
    [(date.today() + timedelta(days=2), None), (None, date.today() - timedelta(days=1))],
)
def test_outside_its_dates_an_item_is_gone_for_readers(
    client, login, site, project_team_user, effective, expires
):
    site.published.effective_on = effective
    site.published.expires_on = expires
    db.session.commit()
    assert client.get(NOTE).status_code == 404
    assert "Note de cadrage" not in client.get("/fr/content/sitemap").get_data(as_text=True)
    assert "Note de cadrage" not in client.get("/fr/content/deployer").get_data(as_text=True)
    login(project_team_user)
    response = client.get(NOTE)
    assert response.status_code == 200
    assert "data-outside-dates" in response.get_data(as_text=True)


def test_news_and_events_lists_and_home(client, site, project_team_user):
    news = make(
        project_team_user,
        ContentKind.NEWS,
        "fr",
        None,
        "Lancement",
        ContentState.PUBLISHED,
        slug="lancement",
    )
    news.published_at = news.created_at
    make(project_team_user, ContentKind.NEWS, "fr", None, "Annonce privée", slug="privee")
    db.session.commit()
    home = client.get("/fr/").get_data(as_text=True)
    assert "Lancement" in home and "Annonce privée" not in home
    listing = client.get("/fr/content/news/").get_data(as_text=True)
    assert "Lancement" in listing and "Annonce privée" not in listing


def test_language_selector_leads_to_the_translation(client, site):
    html = client.get(NOTE).get_data(as_text=True)
    assert 'href="/en/content/deploying/note"' in html
    english = client.get("/en/content/deploying/note").get_data(as_text=True)
    assert 'href="/fr/content/deployer/note"' in english


def test_a_missing_translation_says_so_and_offers_french(client, site, project_team_user):
    page = make(
        project_team_user,
        ContentKind.PAGE,
        "fr",
        site.section,
        "Seulement en français",
        ContentState.PUBLISHED,
        slug="francais",
    )
    html = client.get("/fr/content/deployer/francais").get_data(as_text=True)
    missing = f"/en/content/missing/{page.id}"
    assert f'href="{missing}"' in html
    response = client.get(missing)
    assert response.status_code == 200  # a page of its own, reached by the language switch
    text = response.get_data(as_text=True)
    assert "not translated yet" in text
    assert 'href="/fr/content/deployer/francais"' in text


def test_missing_page_of_a_private_item_is_404(client, site):
    assert client.get(f"/en/content/missing/{site.private.id}").status_code == 404


def test_unknown_path_is_404(client, site):
    assert client.get("/fr/content/deployer/nope").status_code == 404
    assert client.get("/fr/content/nope/note").status_code == 404
