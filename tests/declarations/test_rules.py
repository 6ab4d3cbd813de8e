"""Submission rules on plain data."""

from datetime import date

import pytest
from flask_babel import force_locale

from app.declarations.rules import NAME_PATTERN, check_limits, check_submission, is_blank_row


def _complete() -> dict:
    return {
        "campaigns": [
            {
                "label": "A",
                "perimeter_kind": "unit",
                "perimeter_description": "B",
                "target_population": "C",
                "headcount": 10,
                "licences": 10,
                "starts_on": date(2026, 1, 1),
                "ends_on": date(2026, 2, 1),
                "paths": [],
                "learning_paths_note": "",
            }
        ],
        "ambassadors": [
            {
                "last_name": "Martin",
                "first_name": "Léa",
                "email": "lea@example.org",
                "phone": "",
                "unit": "",
            }
        ],
        "administrators": [
            {
                "last_name": "Durand",
                "first_name": "Paul",
                "email": "p@example.org",
                "function": "RH",
                "hr_confirmed": True,
            }
        ],
    }


def _paths(data) -> set:
    return {path for path, _ in check_submission(data)}


def test_complete_declaration_has_no_problem(app):
    assert check_submission(_complete()) == []


@pytest.mark.parametrize("kind", ["campaigns", "ambassadors", "administrators"])
def test_each_list_needs_one_row(app, kind):
    data = _complete()
    data[kind] = []
    assert _paths(data) == {(kind,)}


@pytest.mark.parametrize(
    ("field", "value"),
    [("headcount", 0), ("headcount", -3), ("licences", None), ("licences", 0), ("label", "")],
)
def test_campaign_values(app, field, value):
    data = _complete()
    data["campaigns"][0][field] = value
    assert _paths(data) == {("campaigns", 0, field)}


def test_licences_cannot_exceed_headcount(app):
    data = _complete()
    data["campaigns"][0]["licences"] = 11
    [(path, message)] = check_submission(data)
    assert path == ("campaigns", 0, "licences")
    with force_locale("en"):
        assert str(message) == "There cannot be more licences than agents concerned."
    with force_locale("fr"):
        assert (
            str(message)
            == "Le nombre de licences ne peut pas dépasser le nombre d’agents concernés."
        )


def test_end_not_before_start(app):
    data = _complete()
    data["campaigns"][0]["ends_on"] = date(2025, 12, 31)
    assert _paths(data) == {("campaigns", 0, "ends_on")}


@pytest.mark.parametrize(
    "name",
    ["N'Diaye", "Anne-Sophie", "Lefèvre", "de La Fontaine", "D’Artagnan", "Ørsted", "Łukasz"],
)
def test_names_accept_unicode_letters_apostrophes_and_hyphens(name):
    assert NAME_PATTERN.match(name)


@pytest.mark.parametrize("name", ["R2D2", "Jean_Paul", "<script>", "--", "Martin!", "O''Neil"])
def test_names_refuse_other_characters(app, name):
    data = _complete()
    data["ambassadors"][0]["last_name"] = name
    assert _paths(data) == {("ambassadors", 0, "last_name")}


def test_name_length_is_capped(app):
    data = _complete()
    data["ambassadors"][0]["first_name"] = "A" * 101
    [(_path, message)] = check_submission(data)
    with force_locale("en"):
        assert str(message) == "Use 100 characters at most."


def test_same_person_twice_in_a_list(app):
    data = _complete()
    twin = dict(data["ambassadors"][0], email="LEA@example.org")
    data["ambassadors"].append(twin)
    assert _paths(data) == {("ambassadors", 1, "email")}


def test_same_person_in_two_lists_is_fine(app):
    data = _complete()
    data["administrators"][0].update(last_name="Martin", first_name="Léa", email="lea@example.org")
    assert check_submission(data) == []


def test_administrator_must_be_confirmed_hr(app):
    data = _complete()
    data["administrators"][0]["hr_confirmed"] = False
    assert _paths(data) == {("administrators", 0, "hr_confirmed")}


@pytest.mark.parametrize("email", ["lea", "lea@", "lea@@example.org", "lea example@example.org"])
def test_email_syntax(app, email):
    data = _complete()
    data["ambassadors"][0]["email"] = email
    assert _paths(data) == {("ambassadors", 0, "email")}


def test_only_the_choosable_learning_paths_may_be_stored():
    data = _complete()
    data["campaigns"][0]["paths"] = [3, 7]
    assert check_limits(data, path_ids={3, 7, 9}) == []
    [(path, message)] = check_limits(data, path_ids={3})
    assert path == ("campaigns", 0, "paths")
    assert str(message) == "Choose among the learning paths offered."
    assert check_limits(data) != []  # nothing may be chosen unless said


def test_a_row_with_only_an_empty_choice_of_paths_is_blank():
    assert is_blank_row({"label": "", "paths": [], "headcount": None})
    assert not is_blank_row({"label": "", "paths": [1]})
