"""Language in the URL, browser redirect, switcher, <html lang> and locale formats."""

import re

import pytest


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        (None, "/fr/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("fr-FR,fr;q=0.9,en;q=0.5", "/fr/"),
        ("de-DE", "/fr/"),
    ],
)
def test_root_redirects_by_browser_language(client, accept, target):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_unknown_language_prefix_is_not_found(client):
    assert client.get("/de/").status_code == 404
    assert client.get("/de/login").status_code == 404


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_lang_follows_the_url(client, lang):
    body = client.get(f"/{lang}/login").get_data(as_text=True)
    assert f'<html lang="{lang}"' in body


def test_pages_are_in_the_url_language(client):
    assert "Se connecter" in client.get("/fr/login").get_data(as_text=True)
    assert "Log in" in client.get("/en/login").get_data(as_text=True)


def test_language_switcher_leads_to_the_same_page(client, login, cvrh_user):
    login(cvrh_user)
    body = client.get("/fr/directorates/DREAL-PDL").get_data(as_text=True)
    assert 'hreflang="en" lang="en" href="/en/directorates/DREAL-PDL"' in body
    body = client.get("/en/directorates/DREAL-PDL").get_data(as_text=True)
    assert 'hreflang="fr" lang="fr" href="/fr/directorates/DREAL-PDL"' in body
    assert 'aria-current="true">EN - English' in body


def test_switcher_keeps_the_query_string(client, login, admin_user):
    login(admin_user)
    body = client.get("/fr/admin/users?role=cvrh&q=emma").get_data(as_text=True)
    link = re.search(r'hreflang="en" lang="en" href="([^"]+)"', body).group(1)
    assert link.startswith("/en/admin/users?")
    assert "role=cvrh" in link
    assert "q=emma" in link


@pytest.mark.parametrize("query", ["endpoint=core.index", "_scheme=javascript", "_external=1",
                                   "lang=zz", "code=DGPR", "values=1"])  # fmt: skip
def test_switcher_keeps_any_query_string_as_text(client, login, cvrh_user, query):
    login(cvrh_user)
    response = client.get(f"/fr/directorates/DREAL-PDL?{query}&q=%C3%A9")
    assert response.status_code == 200
    link = re.search(r'hreflang="en" lang="en" href="([^"]+)"', response.get_data(as_text=True))
    assert link.group(1) == f"/en/directorates/DREAL-PDL?{query}&amp;q=%C3%A9"


def test_switcher_works_without_javascript(client):
    body = client.get("/fr/").get_data(as_text=True)
    noscript = re.search(r"<noscript>(.*?)</noscript>", body, re.S).group(1)
    assert 'href="/en/"' in noscript


def test_dates_follow_the_locale(client, login, directorate_user):
    login(directorate_user)
    assert "28 avril 2023" in client.get("/fr/home").get_data(as_text=True)
    assert "April 28, 2023" in client.get("/en/home").get_data(as_text=True)


def test_error_pages_are_in_the_visitor_language(client):
    assert "Page not found" in client.get("/en/nothing-here").get_data(as_text=True)
    assert "Page non trouvée" in client.get("/fr/nothing-here").get_data(as_text=True)


def test_localized_names_fall_back_to_french(client, login, directorate_user):
    login(directorate_user)
    assert "DREAL Pays de la Loire" in client.get("/fr/home").get_data(as_text=True)
    assert "regional directorate for environment" in client.get("/en/home").get_data(as_text=True)
