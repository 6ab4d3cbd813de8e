"""Full-text search: published items of the page's language only, with highlighted matches."""

from datetime import date, timedelta

from app.content.models import ContentKind, ContentState
from app.extensions import db
from tests.content.conftest import make


def results(client, language, query):
    html = client.get(f"/{language}/content/search", query_string={"q": query}).get_data(
        as_text=True
    )
    return html


def test_finds_published_pages_in_each_language(client, site, project_team_user):
    make(
        project_team_user,
        ContentKind.PAGE,
        "fr",
        site.section,
        "Sécurité numérique",
        ContentState.PUBLISHED,
        slug="securite",
        body="Les bons réflexes de cybersécurité.",
    )
    make(
        project_team_user,
        ContentKind.PAGE,
        "en",
        site.section_en,
        "Digital security",
        ContentState.PUBLISHED,
        slug="security",
        body="Good cybersecurity habits.",
    )
    french = results(client, "fr", "cybersécurité")
    assert 'href="/fr/content/deployer/securite"' in french
    assert "<mark>cybersécurité</mark>" in french
    assert "/en/content/" not in french.split('id="hits"')[1]
    english = results(client, "en", "cybersecurity")
    assert 'href="/en/content/deploying/security"' in english
    assert "<mark>" in english


def test_private_pending_and_expired_items_are_not_found(client, login, site, project_team_user):
    assert "Brouillon secret" not in results(client, "fr", "Brouillon")
    assert "En relecture" not in results(client, "fr", "relecture")
    note = 'href="/fr/content/deployer/note"'
    assert note in results(client, "fr", "cadrage")
    site.published.expires_on = date.today() - timedelta(days=1)
    db.session.commit()
    assert note not in results(client, "fr", "cadrage")
    login(project_team_user)
    # Reviewers search like readers: the search shows what is online.
    assert "Brouillon secret" not in results(client, "fr", "Brouillon")


def test_index_follows_the_workflow(client, login, site, project_team_user):
    login(project_team_user)
    client.post(f"/fr/content/item/{site.private.id}/publish", data={"comment": ""})
    assert 'href="/fr/content/deployer/secret"' in results(client, "fr", "secret")
    client.post(f"/fr/content/item/{site.private.id}/retract", data={"comment": ""})
    assert 'href="/fr/content/deployer/secret"' not in results(client, "fr", "secret")


def test_a_working_copy_is_not_searchable_until_published(client, login, site, project_team_user):
    login(project_team_user)
    note = site.published
    client.post(
        f"/fr/content/item/{note.id}/edit",
        data={
            "title": "Note de cadrage",
            "slug": "note",
            "body": "Nouveau mot: girafe",
            "save": "1",
        },
    )
    assert 'href="/fr/content/deployer/note"' not in results(client, "fr", "girafe")
    client.post(f"/fr/content/item/{note.id}/submit", data={"comment": ""})
    client.post(f"/fr/content/item/{note.id}/publish", data={"comment": ""})
    assert 'href="/fr/content/deployer/note"' in results(client, "fr", "girafe")


def test_markup_in_queries_and_results_is_escaped(client, site, project_team_user):
    make(
        project_team_user,
        ContentKind.PAGE,
        "fr",
        site.section,
        "Balises <b>",
        ContentState.PUBLISHED,
        slug="balises",
        body="Un texte avec <script>alert(1)</script>",
    )
    html = results(client, "fr", '<"balises"> *')
    assert 'href="/fr/content/deployer/balises"' in html
    assert "<script>alert(1)" not in html
    assert "<mark>Balises</mark> &lt;b&gt;" in html
    assert client.get("/fr/content/search?q=").status_code == 200
