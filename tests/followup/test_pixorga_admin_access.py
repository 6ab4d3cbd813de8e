"""An invited PIX Orga administrator reaches its directorate's follow-up and nothing else."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.auth.access import Access
from app.auth.models import Role
from app.extensions import db
from app.followup.models import FollowupPlan
from tests.conftest import log_in, make_user
from tests.followup.plans import BASE, LAUNCH, declare_campaign, plan_form, profiles_export

# What the role may open besides public pages: its home, its own account, the follow-up.
ALLOWED = {
    "core.home",
    "auth.account",
    "auth.logout",
    "followup.index",
    "followup.campaign",
    "followup.checkpoint",
    "followup.import_results",
    "followup.delete_import",
    "followup.download",
}
ALLOWED_GET_PAGES = {"core.home", "auth.account", "followup.index"}


@pytest.fixture
def pixorga_admin(app):
    """An invited PIX Orga administrator of DREAL Pays de la Loire."""
    return make_user("helene.dupont@example.org", Role.PIXORGA_ADMIN, directorate="DREAL-PDL")


@pytest.fixture
def declared(app):
    """A campaign declared by DREAL-PDL and one by DREAL-ARA."""
    return declare_campaign(), declare_campaign("DREAL-ARA")


def _access(app, endpoint: str) -> Access:
    return app.view_functions[endpoint].access


def _reachable(app, endpoint: str) -> bool:
    """Say whether the access rule of a view lets the role through (before any policy)."""
    access = _access(app, endpoint)
    if access.public:
        return True
    if access.roles is None:
        return access.any_account
    return Role.PIXORGA_ADMIN in access.roles


def _path(rule) -> str:
    return rule.rule.replace("<lang:lang>", "fr")


def test_the_access_rules_let_the_role_reach_only_the_allowed_views(app):
    reachable = {
        endpoint
        for endpoint in app.view_functions
        if endpoint != "static" and not _access(app, endpoint).public and _reachable(app, endpoint)
    }
    assert reachable == ALLOWED


def test_every_page_without_arguments(app, client, pixorga_admin, declared):
    """Walk the URL map: every GET page the role may not use answers 403."""
    log_in(client, pixorga_admin)
    seen = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods or rule.arguments - {"lang"}:
            continue
        response = client.get(_path(rule))
        seen.add(rule.endpoint)
        if rule.endpoint in ALLOWED_GET_PAGES:
            assert response.status_code == 200, rule.rule
        elif _access(app, rule.endpoint).public:
            assert response.status_code in (200, 302), rule.rule
        else:
            assert response.status_code == 403, rule.rule
    assert {"declarations.index", "directorates.index", "codir.index", "console.index"} <= seen
    assert {"content.manage", "admin.users", "core.home", "followup.index"} <= seen


def test_every_form_without_arguments(app, client, pixorga_admin):
    """Walk the URL map: every POST the role may not use answers 403 and changes nothing."""
    log_in(client, pixorga_admin)
    posted = set()
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.arguments - {"lang"}:
            continue
        if _access(app, rule.endpoint).public or rule.endpoint in ALLOWED:
            continue
        assert client.post(_path(rule), data={}).status_code == 403, rule.rule
        posted.add(rule.endpoint)
    assert {"codir.new", "admin.invite_user"} <= posted


# Pages and forms with arguments. 404: another directorate's record is not revealed.
ROWS = [
    ("GET", f"{BASE}/", 200),
    ("GET", "/fr/followup/PIX-2023/DREAL-ARA/1/", 404),
    ("GET", "/fr/followup/PIX-2023/DREAL-ARA/1/checkpoints/1/", 404),
    ("POST", "/fr/followup/PIX-2023/DREAL-ARA/1/checkpoints/1/list.xlsx", 404),
    ("GET", f"{BASE}/plan", 403),
    ("POST", f"{BASE}/plan", 403),
    ("GET", "/fr/declarations/PIX-2023/", 403),
    ("GET", "/fr/declarations/PIX-2023/DREAL-PDL", 403),
    ("GET", "/fr/declarations/PIX-2023/DREAL-PDL/print", 403),
    ("GET", "/fr/declarations/PIX-2023/DREAL-PDL/edit", 403),
    ("POST", "/fr/declarations/PIX-2023/DREAL-PDL/edit", 403),
    ("POST", "/fr/declarations/PIX-2023/DREAL-PDL/accept", 403),
    ("POST", "/fr/declarations/PIX-2023/DREAL-PDL/administrators/1/invite", 403),
    ("GET", "/fr/declarations/PIX-2023/import", 403),
    ("GET", "/fr/directorates/DREAL-PDL", 403),
    ("GET", "/fr/codir/1", 403),
    ("GET", "/fr/codir/1/invitation.ics", 403),
    ("POST", "/fr/codir/1/messages", 403),
    ("GET", "/fr/console/PIX-2023/", 403),
    ("POST", "/fr/exports/PIX-2023/workbook.xlsx", 403),
    ("POST", "/fr/exports/PIX-2023/csv.zip", 403),
    ("POST", "/fr/exports/PIX-2023/declarations.csv", 403),
    ("GET", "/fr/admin/users/1", 403),
    ("POST", "/fr/admin/users/1/active", 403),
    ("GET", "/fr/admin/directorates/DREAL-PDL", 403),
    ("GET", "/fr/content/new/page", 403),
    ("GET", "/fr/content/item/1/edit", 403),
    ("GET", "/fr/content/item/1/history", 403),
]


@pytest.mark.parametrize(("method", "url", "expected"), ROWS)
def test_pages_with_arguments(client, pixorga_admin, declared, method, url, expected):
    log_in(client, pixorga_admin)
    assert client.open(url, method=method).status_code == expected


def test_the_menu_shows_only_what_the_role_may_open(app, client, pixorga_admin):
    log_in(client, pixorga_admin)
    page = client.get("/fr/home").get_data(as_text=True)
    adapter = app.url_map.bind("portal.test")
    endpoints = set()
    for href in re.findall(r'href="(/[^"#?]*)', page):
        if href.startswith("/static/"):
            continue
        endpoint, _args = adapter.match(href, method="GET")
        endpoints.add(endpoint)
        assert endpoint in ALLOWED or _access(app, endpoint).public, href
    assert {"core.home", "followup.index", "auth.account"} <= endpoints
    assert 'data-testid="followup-link"' in page
    for refused in ("/fr/declarations/", "/fr/codir/", "/fr/directorates/", "/fr/admin/users"):
        assert f'href="{refused}"' not in page


def test_directorate_correspondents_get_the_follow_up_link(client, login, personas):
    login(personas["directorate"])
    page = client.get("/en/home").get_data(as_text=True)
    assert '<a class="fr-nav__link" href="/en/followup/"' in page
    assert "Campaign follow-up" in page
    assert 'href="/en/declarations/"' in page
    client.post("/en/logout")
    login(personas["cvrh"])
    assert 'href="/en/followup/"' not in client.get("/en/home").get_data(as_text=True)


def test_the_home_page_explains_the_account(client, pixorga_admin, directorate_user):
    log_in(client, pixorga_admin, lang="en")
    page = client.get("/en/home").get_data(as_text=True)
    assert "Pays de la Loire" in page
    assert "Import the PIX Orga result exports" in page
    assert 'id="followup-button"' in page and 'href="/en/followup/"' in page
    assert directorate_user.email in page  # whom to ask
    french = client.get("/fr/home")
    assert french.status_code == 200
    assert 'href="/fr/followup/"' in french.get_data(as_text=True)


def test_the_role_imports_results_and_reads_the_list(
    client, login, directorate_user, pixorga_admin, declared
):
    """The correspondent sets the plan; the invited administrator does the rest."""
    login(directorate_user)
    assert client.post(f"{BASE}/plan", data=plan_form()).status_code == 302
    client.post("/fr/logout")
    launch = db.session.scalar(select(FollowupPlan)).checkpoints[0]

    log_in(client, pixorga_admin)
    assert client.get(f"{BASE}/checkpoints/{launch.id}/import").status_code == 200
    response = client.post(
        f"{BASE}/checkpoints/{launch.id}/import",
        data={"results": (io.BytesIO(profiles_export(LAUNCH)), "Resultats.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"{BASE}/checkpoints/{launch.id}/").get_data(as_text=True)
    assert "Bernard" in page and "Dubois" in page
    response = client.post(f"{BASE}/checkpoints/{launch.id}/list.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    response.close()
    assert [row[0] for row in rows[1:]] == ["Bernard", "Dubois", "Thomas"]


def test_the_account_pages_work_for_the_role(client, pixorga_admin):
    log_in(client, pixorga_admin)
    response = client.post(
        "/fr/account",
        data={
            "profile-full_name": "Hélène Dupont",
            "profile-language": "en",
            "profile-submit": "1",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert pixorga_admin.language == "en"
    assert client.post("/fr/logout").status_code == 302
    assert client.get("/fr/home").status_code == 302  # logged out: to the login page
