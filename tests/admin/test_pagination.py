"""Pages of the admin lists and ids in their addresses: bounded, 404 when they cannot exist."""

import re
from html import unescape

import pytest

from app.audit import AuditEntry
from app.auth.models import Role, User
from app.extensions import db
from app.mail import OutboxMessage

LISTS = ["/en/admin/users", "/en/admin/audit", "/en/admin/outbox"]


@pytest.fixture
def many(app, admin_user):
    """60 users, audit entries and outbox messages: two pages of each list."""
    for number in range(60):
        db.session.add(User(email=f"person{number}@example.org", role=Role.PROJECT_TEAM,
                            full_name=f"Person {number}"))  # fmt: skip
        db.session.add(AuditEntry(action="test.entry", details={}))
        db.session.add(OutboxMessage(sender="portal@example.org", subject="Hello", body="Hi",
                                     recipients="p@example.org", language="en"))  # fmt: skip
    db.session.commit()


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("page", ["99999999999999999999", str(2**63), "100001", "0", "-1",
                                  "abc", "١", "²", "1.5", " 1"])  # fmt: skip
def test_a_page_that_cannot_exist_is_not_found(client, login, admin_user, many, url, page):
    login(admin_user)
    assert client.get(url, query_string={"page": page}).status_code == 404


@pytest.mark.parametrize("url", LISTS)
def test_pages_inside_the_list_are_shown_and_past_its_end_not_found(client, login, admin_user,
                                                                    many, url):  # fmt: skip
    login(admin_user)
    assert client.get(url).status_code == 200
    assert client.get(url, query_string={"page": "1"}).status_code == 200
    page = client.get(url, query_string={"page": "2"}).get_data(as_text=True)
    assert 'aria-current="page"' in page
    assert re.search(r'data-testid="page-range">51–6\d of 6\d<', page)
    assert client.get(url, query_string={"page": "3"}).status_code == 404


@pytest.mark.parametrize("extra", [{"lang": "zz"}, {"_scheme": "javascript"},
                                   {"_external": "1"}, {"endpoint": "core.index"},
                                   {"_anchor": "x"}, {"values": "1"}])  # fmt: skip
def test_page_links_keep_the_query_string_whatever_it_holds(client, login, admin_user, many,
                                                             extra):  # fmt: skip
    login(admin_user)
    response = client.get("/en/admin/users", query_string={"role": "project_team", **extra})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    found = re.findall(r'fr-pagination__link[^"]*" href="([^"]*)"', page)
    links = [unescape(link) for link in found]
    assert links
    key, value = next(iter(extra.items()))
    assert all(link.startswith("/en/admin/users?") for link in links)
    assert all(f"{key}={value}" in link and "role=project_team" in link for link in links)
    assert client.get(links[-1]).status_code == 200


@pytest.mark.parametrize("url", ["/en/admin/users/99999999999999999999",
                                 f"/en/admin/users/{2**31}",
                                 "/en/admin/outbox/99999999999999999999",
                                 f"/en/admin/outbox/{2**63}"])  # fmt: skip
def test_ids_too_large_for_the_database_are_not_found(client, login, admin_user, url):
    login(admin_user)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("action", ["active", "invitation"])
def test_posts_to_an_id_too_large_are_not_found(client, login, admin_user, action):
    login(admin_user)
    assert client.post(f"/en/admin/users/{2**64}/{action}").status_code == 404


def test_a_search_of_any_length_is_answered(client, login, admin_user, many):
    login(admin_user)
    response = client.get("/en/admin/users", query_string={"q": "person1" + "x" * 100_000})
    assert response.status_code == 200
    response = client.get("/en/admin/users", query_string={"q": "person1" + "x" * 300})
    assert response.status_code == 200
    assert "person1@example.org" not in response.get_data(as_text=True)
