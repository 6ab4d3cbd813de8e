"""The 16 PIX competences in 5 areas and the loose lookup of a competence by its name."""

import dataclasses

import pytest

from app.followup.reference import areas, competence, competences, find_competence, normalise

# The reference table (shared/reference/pix-orga-exports.md), written out by hand.
FRENCH_NAMES = {
    "1.1": "Mener une recherche et une veille d'information",
    "1.2": "Gérer des données",
    "1.3": "Traiter des données",
    "2.1": "Interagir",
    "2.2": "Partager et publier",
    "2.3": "Collaborer",
    "2.4": "S'insérer dans le monde numérique",
    "3.1": "Développer des documents textuels",
    "3.2": "Développer des documents multimedia",
    "3.3": "Adapter les documents à leur finalité",
    "3.4": "Programmer",
    "4.1": "Sécuriser l'environnement numérique",
    "4.2": "Protéger les données personnelles et la vie privée",
    "4.3": "Protéger la santé, le bien-être et l'environnement",
    "5.1": "Résoudre des problèmes techniques",
    "5.2": "Construire un environnement numérique",
}
AREAS = {
    1: "Information et données",
    2: "Communication et collaboration",
    3: "Création de contenu",
    4: "Protection et sécurité",
    5: "Environnement numérique",
}


def test_sixteen_competences_in_five_areas_in_code_order():
    assert {area.code: area.name_fr for area in areas()} == AREAS
    assert [area.code for area in areas()] == [1, 2, 3, 4, 5]
    assert {item.code: item.name_fr for item in competences()} == FRENCH_NAMES
    assert [item.code for item in competences()] == list(FRENCH_NAMES)
    for item in competences():
        assert item.code.split(".")[0] == str(item.area.code)
    assert [len([c for c in competences() if c.area is area]) for area in areas()] == [
        3,
        4,
        4,
        3,
        2,
    ]


def test_english_names_are_given_and_distinct():
    english = [item.name_en for item in competences()]
    assert all(english) and len(set(english)) == 16
    assert not set(english) & set(FRENCH_NAMES.values())
    assert competence("2.1").name_en == "Interacting"
    assert [area.name_en for area in areas()] == [
        "Information and data",
        "Communication and collaboration",
        "Content creation",
        "Protection and security",
        "Digital environment",
    ]


def test_records_are_immutable_and_loaded_once():
    assert competences() is competences()
    assert competence("4.2").area is areas()[3]
    with pytest.raises(dataclasses.FrozenInstanceError):
        competence("1.1").name_fr = "Autre chose"
    with pytest.raises(dataclasses.FrozenInstanceError):
        areas()[0].code = 9
    assert isinstance(competences(), tuple)


def test_an_unknown_code_is_a_key_error():
    with pytest.raises(KeyError):
        competence("6.1")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Interagir", "2.1"),
        ("S’insérer dans le monde numérique", "2.4"),
        ("S'insérer dans le monde numérique", "2.4"),
        ("  s'INSÉRER   dans le monde\u00a0numérique ", "2.4"),
        ("Developper des documents multimédia", "3.2"),
        ("Mener une recherche et une veille d‘information", "1.1"),
        ("PROTÉGER LA SANTÉ, LE BIEN-ÊTRE ET L’ENVIRONNEMENT", "4.3"),
        ("Protecting privacy and personal data", "4.2"),
        ("building one’s digital environment", "5.2"),
    ],
)
def test_a_competence_is_found_whatever_the_apostrophe_case_accents_and_spaces(name, code):
    found = find_competence(name)
    assert found is not None and found.code == code


@pytest.mark.parametrize("name", ["", "Interagi", "Interagir avec autrui", "2.1", "Programmer!"])
def test_a_name_that_is_not_a_competence_finds_nothing(name):
    assert find_competence(name) is None


def test_normalise_folds_what_headers_vary_in():
    assert normalise(" % de Maîtrise\tde l’ensemble ") == "% de maitrise de l'ensemble"
    assert normalise("ÉTÉ") == normalise("ete") == "ete"
