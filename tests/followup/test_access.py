"""Who reaches which follow-up page: individual rows stay within the directorate.

Each persona runs the whole table of routes in order (reads first, then the writes, the
deletion last), on a campaign with a plan and the launch imported; a refused persona must
leave everything as it was.
"""

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import Role
from app.declarations.models import DeclarationStatus
from app.extensions import db
from app.followup import imports, services
from app.followup.models import FollowupPlan, Participant, ResultImport
from tests.conftest import log_in, make_user
from tests.followup.plans import (
    BASE,
    CALL,
    DIRECTORATE,
    FINAL,
    LAUNCH,
    add_plan,
    declare_campaign,
    plan_form,
    profiles_export,
    upload,
)

# (route, method) in the order each persona tries them.
ROUTES = [
    ("index", "GET"),
    ("campaign", "GET"),
    ("plan", "GET"),
    ("import", "GET"),
    ("list", "GET"),
    ("list.xlsx", "POST"),
    ("list.xlsx", "GET"),
    ("import", "POST"),
    ("plan", "POST"),
    ("delete", "POST"),
]
REFUSED = [403] * 6 + [405] + [403] * 3
EXPECTED = {
    "directorate": [200, 200, 200, 200, 200, 200, 405, 302, 302, 302],
    "other_directorate": [200, 404, 404, 404, 404, 404, 405, 404, 404, 404],
    "cvrh": REFUSED,
    "other_cvrh": REFUSED,
    "project_team": REFUSED,  # aggregates only, elsewhere: never individual rows
    "admin": REFUSED,
    "anonymous": [302] * 6 + [405] + [302] * 3,
    # An invited PIX Orga administrator follows and imports, but does not set the plan.
    "pixorga_admin": [200, 200, 403, 200, 200, 200, 405, 302, 403, 302],
    "other_pixorga_admin": [200, 404, 403, 404, 404, 404, 405, 404, 403, 404],
}
ACCESS_TABLE = [
    (persona, method, route, status)
    for persona, statuses in EXPECTED.items()
    for (route, method), status in zip(ROUTES, statuses, strict=True)
]


def _pixorga_admin(email: str, directorate: str):
    return make_user(email, Role.PIXORGA_ADMIN, directorate=directorate)


@pytest.fixture
def followed(app, directorate_user):
    """A plan without targets, two checkpoints, 4 people imported at the launch."""
    plan = add_plan(declare_campaign())
    declare_campaign("DREAL-ARA")  # the other directorate follows a campaign of its own
    context = services.get_context(directorate_user, CALL, DIRECTORATE, 1)
    imports.import_results(None, context, plan.checkpoints[0], profiles_export(LAUNCH), "a.csv")
    return plan


def _state():
    db.session.expire_all()
    plan = db.session.scalar(select(FollowupPlan).where(FollowupPlan.position == 1))
    followup_audit = select(func.count()).where(AuditEntry.action.like("followup.%"))
    return {
        "imports": db.session.scalar(select(func.count(ResultImport.id))),
        "participants": db.session.scalar(select(func.count(Participant.id))),
        "version": plan.version,
        "audit": db.session.scalar(followup_audit),
    }


def _request(client, plan, route, method):
    launch, final = plan.checkpoints
    urls = {
        "index": "/fr/followup/",
        "campaign": f"{BASE}/",
        "plan": f"{BASE}/plan",
        "import": f"{BASE}/checkpoints/{final.id}/import",
        "list": f"{BASE}/checkpoints/{launch.id}/",
        "list.xlsx": f"{BASE}/checkpoints/{launch.id}/list.xlsx",
        "delete": f"{BASE}/imports/{launch.result.id}/delete",
    }
    if (route, method) == ("import", "POST"):
        return upload(client, final.id, profiles_export(FINAL))
    if (route, method) == ("plan", "POST"):
        data = plan_form(targets={"2.1": 4}, version=str(plan.version))
        for index, checkpoint in enumerate(plan.checkpoints):
            data[f"checkpoints-{index}-id"] = str(checkpoint.id)
        return client.post(urls[route], data=data)
    return client.open(urls[route], method=method)


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_access_table(client, login, personas, followed, persona):
    personas = personas | {
        "pixorga_admin": _pixorga_admin("admin.pix@example.org", "DREAL-PDL"),
        "other_pixorga_admin": _pixorga_admin("admin.pix.ara@example.org", "DREAL-ARA"),
    }
    user = personas[persona]
    if user is not None:
        login(user)
    before = _state()
    found = []
    for route, method in ROUTES:
        db.session.expire_all()
        response = _request(client, followed, route, method)
        found.append((persona, method, route, response.status_code))
        if response.status_code == 302 and user is None:
            assert "/fr/login?next=" in response.headers["Location"], route
        if response.status_code in (403, 404):
            page = response.get_data(as_text=True)
            assert "Lancement" not in page and "<td>Bernard</td>" not in page, route
        response.close()
    assert found == [row for row in ACCESS_TABLE if row[0] == persona]
    if persona not in ("directorate", "pixorga_admin"):
        assert _state() == before  # nothing imported, changed, deleted, nor downloaded


def test_the_index_lists_only_the_users_own_directorate(app, client, login, personas):
    add_plan(declare_campaign())
    login(personas["directorate"])
    page = client.get("/fr/followup/").get_data(as_text=True)
    assert f"/followup/{CALL}/{DIRECTORATE}/1/" in page
    other = app.test_client()
    log_in(other, personas["other_directorate"])
    page = other.get("/fr/followup/").get_data(as_text=True)
    assert f"/followup/{CALL}/{DIRECTORATE}/" not in page


def test_a_declaration_in_draft_has_no_follow_up(client, login, directorate_user):
    declare_campaign(status=DeclarationStatus.DRAFT)
    login(directorate_user)
    for url in (f"{BASE}/", f"{BASE}/plan"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{BASE}/plan", data=plan_form()).status_code == 404
    assert db.session.scalar(select(func.count(FollowupPlan.id))) == 0
    assert f"{BASE}/" not in client.get("/fr/followup/").get_data(as_text=True)


@pytest.fixture
def imported(client, login, directorate_user, followed):
    login(directorate_user)
    return followed


def test_a_position_beyond_the_campaigns_is_not_found(client, imported):
    for url in (
        f"/fr/followup/{CALL}/{DIRECTORATE}/2/",
        f"/fr/followup/{CALL}/{DIRECTORATE}/2/plan",
        f"/fr/followup/{CALL}/{DIRECTORATE}/0/",
    ):
        assert client.get(url).status_code == 404, url


def test_an_import_of_another_directorate_cannot_be_deleted(
    client, login, directorate_user, other_directorate_user, followed
):
    from app.declarations.models import Declaration
    from app.directorates.models import Directorate

    theirs = db.session.scalar(
        select(Declaration).join(Directorate).where(Directorate.code == "DREAL-ARA")
    )
    plan = add_plan(theirs)
    context = services.get_context(other_directorate_user, CALL, "DREAL-ARA", 1)
    imports.import_results(None, context, plan.checkpoints[0], profiles_export(FINAL), "b.csv")
    their_import = plan.checkpoints[0].result.id
    login(directorate_user)
    before = _state()
    for base in (BASE, f"/fr/followup/{CALL}/DREAL-ARA/1"):
        response = client.post(f"{base}/imports/{their_import}/delete")
        assert response.status_code == 404, base
    for base in (BASE, f"/fr/followup/{CALL}/DREAL-ARA/1"):
        list_url = f"{base}/checkpoints/{plan.checkpoints[0].id}/"
        assert client.get(list_url).status_code == 404
        assert client.post(list_url + "list.xlsx").status_code == 404
    assert _state() == before
    assert db.session.get(ResultImport, their_import) is not None


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/{CALL}/{DIRECTORATE}/{HUGE}/"),
        ("GET", f"/{CALL}/{DIRECTORATE}/{HUGE}/plan"),
        ("GET", f"/{CALL}/{DIRECTORATE}/1/checkpoints/{HUGE}/import"),
        ("POST", f"/{CALL}/{DIRECTORATE}/1/checkpoints/{HUGE}/import"),
        ("GET", f"/{CALL}/{DIRECTORATE}/1/checkpoints/{HUGE}/"),
        ("POST", f"/{CALL}/{DIRECTORATE}/1/checkpoints/{HUGE}/list.xlsx"),
        ("POST", f"/{CALL}/{DIRECTORATE}/1/imports/{HUGE}/delete"),
        ("POST", f"/{CALL}/{DIRECTORATE}/1/imports/2147483648/delete"),
        ("GET", f"/{CALL}/{DIRECTORATE}/1/?checkpoint={HUGE}"),
        ("GET", f"/{CALL}/{DIRECTORATE}/abc/"),
        ("GET", f"/{CALL}/{DIRECTORATE}/-1/"),
        ("GET", f"/{CALL}/{DIRECTORATE}/1.0/"),
        ("GET", f"/{CALL}/{DIRECTORATE}/١/"),
        ("GET", f"/{CALL}/NOPE/1/"),
        ("GET", f"/NOPE/{DIRECTORATE}/1/"),
        ("GET", f"/{CALL}/{DIRECTORATE}/1/?checkpoint=abc"),
        ("GET", f"/{CALL}/{DIRECTORATE}/1/?checkpoint=-1"),
        ("GET", f"/{CALL}/{DIRECTORATE}/1/checkpoints/abc/"),
    ],
)
def test_addresses_that_cannot_be_are_not_found(client, imported, method, path):
    before = _state()
    response = client.open(f"/fr/followup{path}", method=method)
    assert response.status_code == 404
    assert _state() == before


def test_an_unknown_status_is_not_found_and_never_echoed(client, imported):
    launch = imported.checkpoints[0]
    script = "<script>alert(1)</script>"
    response = client.get(f"{BASE}/checkpoints/{launch.id}/", query_string={"status": script})
    assert response.status_code == 404
    assert script not in response.get_data(as_text=True)
    response = client.get(f"{BASE}/", query_string={"status": script, "checkpoint": script})
    assert response.status_code == 404
    assert script not in response.get_data(as_text=True)


def test_a_known_status_filters_the_list(client, imported):
    launch = imported.checkpoints[0]
    page = client.get(f"{BASE}/checkpoints/{launch.id}/?status=not_shared").get_data(as_text=True)
    assert "<td>Dubois</td>" in page and "<td>Bernard</td>" not in page
    # Without targets, everyone who shared is "shared": nobody to accompany but Dubois.
    page = client.get(f"{BASE}/checkpoints/{launch.id}/?status=shared").get_data(as_text=True)
    assert "<td>Bernard</td>" in page and "<td>Dubois</td>" not in page


@pytest.mark.parametrize(("page", "expected"), [("1", 200), ("0", 404), ("2", 404), ("999", 404)])
def test_pages_of_the_list_beyond_the_last_are_not_found(client, imported, page, expected):
    launch = imported.checkpoints[0]
    response = client.get(f"{BASE}/checkpoints/{launch.id}/?page={page}")
    assert response.status_code == expected
