"""Input the declaration form must refuse with a message on its field, never a server error."""

import pytest
from sqlalchemy import func, select

from app.declarations.models import Ambassador, Campaign, Declaration
from app.extensions import db
from tests.declarations.conftest import EDIT_URL, complete_form

URL = EDIT_URL.format(lang="en")
RANGE = "Enter a whole number from 0 to 1,000,000."


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _ambassadors(count: int) -> dict:
    data = {}
    for index in range(count):
        data[f"ambassadors-{index}-last_name"] = "Durand"
        data[f"ambassadors-{index}-first_name"] = "Lou"
        data[f"ambassadors-{index}-email"] = f"lou.durand{index}@example.org"
    return data


@pytest.mark.parametrize("number", ["99999999999999999999", str(2**63), str(-(2**63) - 1),
                                    "1000001", "-1", "2" * 5000])  # fmt: skip
@pytest.mark.parametrize("button", ["save", "submit_declaration"])
@pytest.mark.parametrize("field", ["headcount", "licences"])
def test_numbers_out_of_range_are_refused_on_their_field(client, login, call, directorate_user,
                                                         number, button, field):  # fmt: skip
    login(directorate_user)
    response = client.post(URL, data=complete_form(**{f"campaigns-0-{field}": number, button: "1"}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert RANGE in page
    assert f'href="#campaigns-0-{field}"' in page  # in the summary, linked to its field
    assert _count(Declaration) == 0


def test_the_largest_number_is_kept(client, login, call, directorate_user):
    login(directorate_user)
    data = complete_form(**{"campaigns-0-headcount": "1 000 000", "campaigns-0-licences": "0"})
    assert client.post(URL, data=data).status_code == 302
    assert db.session.scalar(select(Campaign.headcount).where(Campaign.position == 1)) == 1_000_000


@pytest.mark.parametrize("number", ["١٢", "１２", "12²", "٣"])
def test_digits_of_other_scripts_are_refused(client, login, call, directorate_user, number):
    login(directorate_user)
    response = client.post(URL, data=complete_form(**{"campaigns-0-licences": number}))
    assert response.status_code == 200
    assert "Type the number with the digits 0 to 9." in response.get_data(as_text=True)
    assert _count(Declaration) == 0


@pytest.mark.parametrize("kind", ["   ", "\u00a0", "\t"])
def test_a_perimeter_kind_of_spaces_is_an_empty_choice(client, login, call, directorate_user,
                                                       kind):  # fmt: skip
    login(directorate_user)
    data = complete_form(**{"campaigns-0-perimeter_kind": kind})
    assert client.post(URL, data=data).status_code == 302
    assert db.session.scalar(select(Campaign.perimeter_kind).where(Campaign.position == 1)) is None
    response = client.post(URL, data=complete_form(**{"campaigns-0-perimeter_kind": "moon"}))
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_row_numbers_other_than_ascii_digits_are_ignored(client, login, call, directorate_user):
    login(directorate_user)
    data = complete_form(**{"ambassadors-²-email": "x@example.org", "ambassadors-١-email": "y"})
    assert client.post(URL, data=data).status_code == 302
    emails = db.session.scalars(select(Ambassador.email).order_by(Ambassador.position)).all()
    assert emails == ["anne-sophie.ndiaye@example.org", "eric.lefevre@example.org"]


@pytest.mark.parametrize("action", ["remove:ambassadors:²", "remove:ambassadors:١",
                                    "remove:ambassadors:99999999999999999999",
                                    "remove:ambassadors:-1", "remove:ambassadors:"])  # fmt: skip
def test_a_remove_button_with_a_strange_row_removes_nothing(client, login, call, directorate_user,
                                                            action):  # fmt: skip
    login(directorate_user)
    response = client.post(URL, data=complete_form(row_action=action))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="Anne-Sophie"' in page
    assert 'value="Éric"' in page
    assert _count(Declaration) == 0


def test_adding_a_row_to_a_full_list_says_so(client, login, call, directorate_user):
    login(directorate_user)
    data = complete_form(**_ambassadors(50), row_action="add:ambassadors")
    response = client.post(URL, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This list already has the 50 rows allowed." in page
    assert 'name="ambassadors-49-email"' in page
    assert 'name="ambassadors-50-email"' not in page
    assert _count(Declaration) == 0


@pytest.mark.parametrize("button", ["save", "submit_declaration"])
def test_more_rows_than_allowed_saves_nothing_and_says_so(client, login, call, directorate_user,
                                                          button):  # fmt: skip
    login(directorate_user)
    response = client.post(URL, data=complete_form(**_ambassadors(60), **{button: "1"}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This list has 60 rows: 50 at most are allowed." in page
    assert 'href="#ambassadors-list"' in page
    assert _count(Declaration) == 0
    assert _count(Ambassador) == 0


def test_fifty_rows_are_saved(client, login, call, directorate_user):
    login(directorate_user)
    assert client.post(URL, data=complete_form(**_ambassadors(50))).status_code == 302
    assert _count(Ambassador) == 50


def test_text_longer_than_its_column_is_refused(client, login, call, directorate_user):
    login(directorate_user)
    data = complete_form(**{"ambassadors-0-phone": "0" * 31, "comments": "é" * 5001})
    response = client.post(URL, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("Use 30 characters at most.") == 2  # on the field and in the summary
    assert "Use 5000 characters at most." in page
    assert 'maxlength="30"' in page
    assert _count(Declaration) == 0


@pytest.mark.parametrize("version", ["abc", "١", "99999999999999999999", "-1"])
def test_a_garbled_version_is_a_conflict(client, login, call, directorate_user, version):
    login(directorate_user)
    assert client.post(URL, data=complete_form()).status_code == 302
    response = client.post(URL, data=complete_form(version=version, comments="Autre"))
    assert response.status_code == 409
    assert db.session.scalar(select(Declaration.comments)) == "Déploiement en deux vagues."
