"""Learning paths of Annex 2 chosen for the campaigns of a declaration."""

import re

import pytest
from sqlalchemy import select

from app.declarations.models import Campaign, Declaration, DeclarationEvent, DeclarationStatus
from app.extensions import db
from tests.conftest import PASSWORD
from tests.declarations.conftest import EDIT_URL, VIEW_URL, complete_form
from tests.factories import declare, learning_path
from tests.queries import count_queries

PATHS_ERROR = "Choose among the learning paths offered."


def _declaration() -> Declaration | None:
    db.session.expire_all()
    return db.session.scalar(select(Declaration))


def _ids(*codes: str) -> list[str]:
    return [str(learning_path(code).id) for code in codes]


def _box(row: int, code: str, checked: bool) -> str:
    """Return the HTML of a path's checkbox on a campaign row, ticked or not."""
    path_id = learning_path(code).id
    name = f"campaigns-{row}-paths"
    tick = " checked" if checked else ""
    return f'name="{name}" id="{name}-{path_id}" value="{path_id}"{tick}>'


def _version(client) -> str:
    page = client.get(EDIT_URL.format(lang="en")).get_data(as_text=True)
    return re.search(r'id="version" name="version" type="hidden" value="([^"]*)"', page).group(1)


def _retire(code: str) -> None:
    learning_path(code).active = False
    db.session.commit()


def test_chosen_paths_are_saved_shown_and_recorded(client, login, call, directorate_user):
    login(directorate_user)
    form = complete_form(
        **{
            # Ticked in another order than the list's: they are kept in the list's order.
            "campaigns-0-paths": _ids("EX-DONNEES", "EX-SECURITE"),
            "campaigns-0-learning_paths_note": "Messagerie pour les nouveaux arrivants",
        }
    )
    response = client.post(EDIT_URL.format(lang="en"), data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    declaration = _declaration()
    first, second = declaration.campaigns
    assert [path.code for path in first.paths] == ["EX-SECURITE", "EX-DONNEES"]
    assert first.learning_paths_note == "Messagerie pour les nouveaux arrivants"
    assert second.paths == []

    page = client.get(VIEW_URL.format(lang="en")).get_data(as_text=True)
    assert "Example – Everyday digital security" in page
    assert "Assessment (target profile)" in page
    assert "Messagerie pour les nouveaux arrivants" in page
    assert (
        "Campaign 1 – Learning paths of Annex 2 (optional): — → "
        "Example – Everyday digital security; Example – Data and spreadsheets"
    ) in page
    french = client.get(VIEW_URL.format(lang="fr")).get_data(as_text=True)
    assert "Exemple – Sécurité numérique au quotidien" in french

    edit = client.get(EDIT_URL.format(lang="en")).get_data(as_text=True)
    assert _box(0, "EX-SECURITE", checked=True) in edit
    assert _box(0, "EX-BUREAUTIQUE", checked=False) in edit
    assert _box(1, "EX-SECURITE", checked=False) in edit

    form = complete_form(version=_version(client), **{"campaigns-0-paths": _ids("EX-SECURITE")})
    assert client.post(EDIT_URL.format(lang="en"), data=form).status_code == 302
    assert [path.code for path in _declaration().campaigns[0].paths] == ["EX-SECURITE"]
    event = db.session.scalars(select(DeclarationEvent).order_by(DeclarationEvent.id)).all()[-1]
    assert set(event.changes) == {"campaigns.1.paths", "campaigns.1.learning_paths_note"}
    page = client.get(VIEW_URL.format(lang="en")).get_data(as_text=True)
    assert (
        "Campaign 1 – Learning paths of Annex 2 (optional): Example – Everyday digital security; "
        "Example – Data and spreadsheets → Example – Everyday digital security"
    ) in page


def test_saving_the_same_choice_again_records_no_change(client, login, call, directorate_user):
    login(directorate_user)
    form = complete_form(**{"campaigns-1-paths": _ids("EX-ENCADREMENT")})
    assert client.post(EDIT_URL.format(lang="en"), data=form).status_code == 302
    again = complete_form(version=_version(client), **{"campaigns-1-paths": _ids("EX-ENCADREMENT")})
    assert client.post(EDIT_URL.format(lang="en"), data=again).status_code == 302
    events = db.session.scalars(select(DeclarationEvent)).all()
    assert len(events) == 1


@pytest.mark.parametrize(
    "value", ["999999", "abc", "-1", "0", "2147483648", "١", " ", "1.0", "retired"]
)
def test_a_hostile_path_id_is_refused_on_the_field(client, login, call, directorate_user, value):
    if value == "retired":
        _retire("EX-PROFIL-COMPLET")
        value = str(learning_path("EX-PROFIL-COMPLET").id)
    login(directorate_user)
    form = complete_form(
        submit_declaration="1", **{"campaigns-1-paths": [*_ids("EX-DONNEES"), value]}
    )
    response = client.post(EDIT_URL.format(lang="en"), data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="fr-fieldset fr-fieldset--error" id="campaigns-1-paths"' in page
    assert f"Campaign 2 – Learning paths of Annex 2 (optional): {PATHS_ERROR}" in page
    assert _box(1, "EX-DONNEES", checked=True) in page  # the valid choice is kept
    assert _declaration() is None


def test_a_retired_path_stays_where_chosen_and_is_offered_nowhere_else(
    client, login, call, directorate_user, other_directorate_user
):
    login(directorate_user)
    form = complete_form(**{"campaigns-0-paths": _ids("EX-SECURITE", "EX-DONNEES")})
    assert client.post(EDIT_URL.format(lang="en"), data=form).status_code == 302
    _retire("EX-SECURITE")

    edit = client.get(EDIT_URL.format(lang="en")).get_data(as_text=True)
    assert _box(0, "EX-SECURITE", checked=True) in edit
    assert f'id="campaigns-1-paths-{learning_path("EX-SECURITE").id}"' not in edit
    assert _box(1, "EX-DONNEES", checked=False) in edit
    assert "No longer offered" in edit
    view = client.get(VIEW_URL.format(lang="en")).get_data(as_text=True)
    assert "Example – Everyday digital security" in view
    assert "No longer offered" in view

    # Saved again as it is, the retired path stays; ticked on another row, it is accepted
    # (the declaration has it), but the form never offers it there.
    form = complete_form(
        version=_version(client), **{"campaigns-0-paths": _ids("EX-SECURITE", "EX-DONNEES")}
    )
    assert client.post(EDIT_URL.format(lang="en"), data=form).status_code == 302
    assert [p.code for p in _declaration().campaigns[0].paths] == ["EX-SECURITE", "EX-DONNEES"]

    # Another directorate cannot choose it.
    client.post("/en/logout")
    login(other_directorate_user)
    other_url = "/en/declarations/PIX-2023/DREAL-ARA/edit"
    page = client.get(other_url).get_data(as_text=True)
    assert f'id="campaigns-0-paths-{learning_path("EX-SECURITE").id}"' not in page
    assert f'id="campaigns-0-paths-{learning_path("EX-DONNEES").id}"' in page
    response = client.post(
        other_url, data=complete_form(**{"campaigns-0-paths": _ids("EX-SECURITE")})
    )
    assert PATHS_ERROR in response.get_data(as_text=True)
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(Declaration).where(Declaration.directorate_id != _declaration().directorate_id)
        )
        is None
    )


def test_choices_follow_rows_added_and_removed_without_javascript(
    client, login, call, directorate_user
):
    login(directorate_user)
    url = EDIT_URL.format(lang="en")
    form = complete_form(
        row_action="add:campaigns",
        **{"campaigns-0-paths": _ids("EX-SECURITE"), "campaigns-1-paths": _ids("EX-DONNEES")},
    )
    page = client.post(url, data=form).get_data(as_text=True)
    assert _box(0, "EX-SECURITE", checked=True) in page
    assert _box(1, "EX-DONNEES", checked=True) in page
    assert _box(2, "EX-DONNEES", checked=False) in page  # the new row offers the paths

    form = complete_form(
        row_action="remove:campaigns:0",
        **{"campaigns-0-paths": _ids("EX-SECURITE"), "campaigns-1-paths": _ids("EX-DONNEES")},
    )
    page = client.post(url, data=form).get_data(as_text=True)
    assert _box(0, "EX-DONNEES", checked=True) in page
    assert _box(0, "EX-SECURITE", checked=False) in page
    assert 'name="campaigns-1-label"' not in page
    assert _declaration() is None


def test_a_draft_that_cannot_be_stored_keeps_the_choices(client, login, call, directorate_user):
    login(directorate_user)
    form = complete_form(
        **{
            "campaigns-0-paths": _ids("EX-COLLABORATION"),
            "campaigns-0-learning_paths_note": "x" * 501,
        }
    )
    response = client.post(EDIT_URL.format(lang="en"), data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Use 500 characters at most." in page
    assert _box(0, "EX-COLLABORATION", checked=True) in page
    assert _declaration() is None


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_declaration_form_needs_its_csrf_token(client, call, directorate_user):
    login_page = client.get("/en/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post(
        "/en/login",
        data={"email": directorate_user.email, "password": PASSWORD, "csrf_token": token},
    )
    form = complete_form(**{"campaigns-0-paths": _ids("EX-SECURITE")})
    assert client.post(EDIT_URL.format(lang="en"), data=form).status_code == 400
    assert _declaration() is None

    edit = client.get(EDIT_URL.format(lang="en")).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', edit).group(1)
    response = client.post(EDIT_URL.format(lang="en"), data={**form, "csrf_token": token})
    assert response.status_code == 302
    assert [p.code for p in _declaration().campaigns[0].paths] == ["EX-SECURITE"]


def _declaration_with(call, code: str, campaigns: int, status=DeclarationStatus.SUBMITTED):
    """Add a declaration whose campaigns each follow three learning paths."""
    declaration = declare(
        call,
        code,
        status,
        [(f"Campagne {n}", 10) for n in range(campaigns)],
        [("Martin", f"ambassadeur.{code.lower()}@example.org")],
    )
    chosen = [learning_path(c) for c in ("EX-SECURITE", "EX-DONNEES", "EX-ENCADREMENT")]
    for campaign in declaration.campaigns:
        campaign.paths = list(chosen)
    db.session.commit()
    return declaration


@pytest.mark.parametrize("page", ["", "/print"])
def test_the_declaration_page_sends_no_query_per_campaign_or_path(
    client, login, call, project_team_user, page
):
    _declaration_with(call, "DREAL-PDL", campaigns=1)
    _declaration_with(call, "DGPR", campaigns=12)
    login(project_team_user)
    counts = {}
    for code in ("DREAL-PDL", "DGPR"):
        url = f"/en/declarations/PIX-2023/{code}{page}"
        client.get(url)  # warm up anything cached per process
        db.session.close()  # requests share the test's session: start from an empty one
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("Example – Data and spreadsheets") >= (
            1 if code == "DREAL-PDL" else 12
        )
        counts[code] = len(statements)
    assert counts["DGPR"] == counts["DREAL-PDL"]


def test_the_edit_page_sends_no_query_per_campaign_or_path(client, login, call, directorate_user):
    declaration = _declaration_with(call, "DREAL-PDL", 1, DeclarationStatus.DRAFT)
    login(directorate_user)
    url = EDIT_URL.format(lang="en")
    counts = []
    for campaigns in (1, 12):
        while len(declaration.campaigns) < campaigns:
            copy = declaration.campaigns[0]
            declaration.campaigns.append(
                Campaign(position=len(declaration.campaigns) + 1, label="Copie", paths=copy.paths)
            )
        db.session.commit()
        client.get(url)
        db.session.close()  # requests share the test's session: start from an empty one
        with count_queries() as statements:
            page = client.get(url).get_data(as_text=True)
        declaration = db.session.merge(declaration)
        assert page.count(" checked>") == 3 * campaigns
        counts.append(len(statements))
    assert counts[0] == counts[1]
