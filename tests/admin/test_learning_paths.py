"""Learning paths of Annex 2, edited by the administrator like the other reference data."""

import re

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.directorates.models import CampaignKind, LearningPath
from app.extensions import db
from tests.conftest import PASSWORD
from tests.factories import learning_path

NEW_URL = "/en/admin/learning-paths/new"
EDIT_URL = "/en/admin/learning-paths/EX-SECURITE"


def _form(**overrides) -> dict:
    data = {
        "code": "PARCOURS-IA",
        "name_fr": "Intelligence artificielle générative au travail",
        "name_en": "Generative AI at work",
        "description_fr": "Usages et limites des assistants d'écriture.",
        "description_en": "Uses and limits of writing assistants.",
        "audience_fr": "Tous les agents",
        "audience_en": "All agents",
        "campaign_kind": "profiles_collection",
        "competences": ["4.2", "1.1", "3.1"],
        "position": "7",
        "active": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(LearningPath))


@pytest.mark.parametrize(
    ("persona", "method", "url", "expected"),
    [
        ("admin", "GET", "/fr/admin/reference", 200),
        ("admin", "GET", "/fr/admin/learning-paths/new", 200),
        ("admin", "GET", "/fr/admin/learning-paths/EX-SECURITE", 200),
        ("admin", "GET", "/fr/admin/learning-paths/NOPE", 404),
        ("project_team", "GET", "/fr/admin/learning-paths/new", 403),
        ("project_team", "GET", "/fr/admin/learning-paths/EX-SECURITE", 403),
        ("project_team", "POST", "/fr/admin/learning-paths/EX-SECURITE", 403),
        ("directorate", "GET", "/fr/admin/learning-paths/EX-SECURITE", 403),
        ("directorate", "POST", "/fr/admin/learning-paths/new", 403),
        ("cvrh", "GET", "/fr/admin/learning-paths/EX-SECURITE", 403),
        ("cvrh", "POST", "/fr/admin/learning-paths/EX-SECURITE", 403),
        ("anonymous", "GET", "/fr/admin/learning-paths/EX-SECURITE", 302),
        ("anonymous", "POST", "/fr/admin/learning-paths/new", 302),
    ],
)
def test_only_the_administrator_edits_learning_paths(
    client, login, personas, persona, method, url, expected
):
    if personas[persona] is not None:
        login(personas[persona])
    before = _count()
    response = client.open(url, method=method, data=_form() if method == "POST" else None)
    assert response.status_code == expected
    if expected == 302:
        assert "/fr/login?next=" in response.headers["Location"]
    assert _count() == before


def test_the_reference_page_lists_the_example_paths(client, login, admin_user):
    login(admin_user)
    page = client.get("/en/admin/reference").get_data(as_text=True)
    assert 'id="learning-paths"' in page
    assert "Example – Everyday digital security" in page
    assert "<td>Profiles collection</td>" in page
    assert "<td>4.1, 4.2</td>" in page
    assert page.index("EX-SECURITE") < page.index("EX-PROFIL-COMPLET")  # by position


def test_the_form_groups_the_competences_by_area(client, login, admin_user):
    login(admin_user)
    page = client.get(EDIT_URL).get_data(as_text=True)
    assert page.count('type="checkbox" name="competences"') == 16
    legend = '<legend class="fr-fieldset__legend--regular fr-fieldset__legend"'
    assert f'{legend} id="competences-group-4">4. Protection and security</legend>' in page
    assert 'id="competences-4-1" value="4.1" checked>' in page
    assert 'id="competences-1-1" value="1.1">' in page
    assert '<option selected value="assessment">Assessment (target profile)</option>' in page


def test_the_administrator_adds_a_path_and_it_is_recorded(client, login, admin_user):
    login(admin_user)
    response = client.post(NEW_URL, data=_form(code="parcours-ia"))
    assert response.status_code == 200
    assert "Use capital letters, digits and hyphens only" in response.get_data(as_text=True)

    response = client.post(NEW_URL, data=_form())
    assert response.status_code == 302
    path = learning_path("PARCOURS-IA")
    assert path.campaign_kind is CampaignKind.PROFILES_COLLECTION
    assert path.competences == ["1.1", "3.1", "4.2"]  # in the framework's order
    assert path.active and path.position == 7
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "learning_path.created")
    )
    assert entry.actor_id == admin_user.id
    assert entry.details["changes"]["competences"] == [None, ["1.1", "3.1", "4.2"]]


def test_retiring_a_path_is_an_audited_edit(client, login, admin_user):
    login(admin_user)
    path = learning_path("EX-SECURITE")
    form = _form(
        version=str(path.version),
        code="EX-SECURITE",
        name_fr=path.name_fr,
        name_en=path.name_en,
        campaign_kind="assessment",
        competences=["4.1", "4.2", "4.3"],
        active=None,
    )
    assert client.post(EDIT_URL, data=form).status_code == 302
    db.session.expire_all()
    assert learning_path("EX-SECURITE").active is False
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "learning_path.updated")
    )
    assert entry.details["changes"]["active"] == [True, False]
    assert entry.details["changes"]["competences"] == [["4.1", "4.2"], ["4.1", "4.2", "4.3"]]
    page = client.get("/en/admin/reference").get_data(as_text=True)
    assert "<td>Retired</td>" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"competences": ["1.1", "9.9"]},
            "competences",
            "Choose among the PIX competences listed.",
        ),
        ({"competences": None}, "competences", "Choose at least one competence."),
        ({"campaign_kind": "survey"}, "campaign_kind", "Not a valid choice."),
        ({"name_en": "Security; privacy"}, "name_en", "Do not use “;”"),
        ({"position": "-1"}, "position", "Enter a whole number from 0 to 9999."),
        ({"position": "x"}, "position", "Enter a whole number, such as 25."),
        ({"position": "\u0661\u0662"}, "position", "Type the number with the digits 0 to 9."),
        ({"position": " "}, "position", "Enter a whole number, such as 10."),
        ({"code": "EX-DONNEES"}, "code", "Another record already uses this code."),
        ({"description_en": "x" * 501}, "description_en", "longer than 500 characters"),
    ],
)
def test_a_wrong_value_is_refused_on_its_field(
    client, login, admin_user, overrides, field, message
):
    login(admin_user)
    response = client.post(NEW_URL, data=_form(**overrides))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    messages = re.search(rf'id="{field}-messages"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert message in messages
    assert learning_path("PARCOURS-IA") is None


def test_a_stale_form_is_refused_with_the_input_kept(client, login, admin_user):
    login(admin_user)
    path = learning_path("EX-SECURITE")
    version = str(path.version)
    base = _form(code="EX-SECURITE", campaign_kind="assessment", competences=["4.1"])
    assert client.post(EDIT_URL, data={**base, "version": version}).status_code == 302

    stale = client.post(EDIT_URL, data={**base, "version": version, "name_en": "Second edit"})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Someone else changed this record meanwhile" in page
    assert 'value="Second edit"' in page
    db.session.expire_all()
    assert learning_path("EX-SECURITE").name_en == "Generative AI at work"
    latest = str(learning_path("EX-SECURITE").version)
    assert f'value="{latest}"' in page
    again = client.post(EDIT_URL, data={**base, "version": latest, "name_en": "Second edit"})
    assert again.status_code == 302


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_learning_path_form_needs_its_csrf_token(client, admin_user):
    login_page = client.get("/en/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/en/login", data={"email": admin_user.email, "password": PASSWORD,
                                   "csrf_token": token})  # fmt: skip
    assert client.post(NEW_URL, data=_form()).status_code == 400
    assert learning_path("PARCOURS-IA") is None
    page = client.get(NEW_URL).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(NEW_URL, data={**_form(), "csrf_token": token}).status_code == 302
    assert learning_path("PARCOURS-IA") is not None


def test_the_model_refuses_an_unknown_competence(app):
    with pytest.raises(ValueError, match=r"6\.1"):
        LearningPath(code="X", competences=["1.1", "6.1"])
    assert LearningPath(code="Y", competences=["5.2", "1.1", "5.2"]).competences == ["1.1", "5.2"]
