"""Reading PIX Orga result exports: both kinds, old and new headers, French and English."""

from datetime import UTC, datetime

from app.followup.pixorga import (
    ASSESSMENT,
    PROFILES_COLLECTION,
    parse_results,
)
from tests.followup.pixorga_files import (
    Raw,
    assessment_en_old,
    assessment_fr,
    pix_csv,
    problems_of,
    profiles_en,
    profiles_fr_old,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_assessment_with_newer_french_headers():
    result = parse_results(pix_csv(*assessment_fr()))
    assert result.kind == ASSESSMENT
    assert result.organisation_name == "DREAL Pays de la Loire"
    assert (result.campaign_id, result.campaign_code) == ("48213", "DRPDL24AB")
    assert result.campaign_name == 'Autodiagnostic "Numérique" 2024'
    assert result.target_profile_name == "Parcours agents – socle"
    assert result.competences == ["2.1", "4.1"]
    assert result.stage_count == 4
    # Unknown columns after the first result column (a badge, a skill) are not extras.
    assert result.extra_columns == ["Groupe", "Matricule"]
    assert result.other_competences == []
    first, second, third = result.participations
    assert (first.line, first.last_name, first.first_name) == (2, "Martin", "Chloé")
    assert first.extras == {"Groupe": "Secrétariat général", "Matricule": "-A1207"}
    assert first.started_at == utc(2024, 3, 12, 8, 30)  # 09:30 in Paris, winter time
    assert (first.shared, first.shared_at) == (True, utc(2024, 3, 14, 16, 5))
    assert (first.progression, first.mastery) == (1.0, 0.67)
    assert (first.stage, first.stage_count) == (3, 4)
    assert first.competence_mastery == {"2.1": 0.75, "4.1": 0.5}
    assert (first.levels, first.pix, first.total_pix, first.certifiable) == ({}, {}, None, None)

    assert (second.line, second.last_name, second.first_name) == (3, "Lefèvre-Dubois", "Jean-Noël")
    assert second.extras == {"Groupe": 'Service "Eau; biodiversité"', "Matricule": "B3381"}
    assert second.started_at == utc(2024, 4, 2, 12, 0)  # 14:00 in Paris, summer time
    assert (second.shared, second.shared_at, second.progression) == (False, None, 0.4)
    assert (second.mastery, second.stage, second.stage_count) == (None, None, 4)
    assert second.competence_mastery == {}

    # The same person again: a second participation is a second row.
    assert (third.line, third.last_name, third.first_name) == (4, "Martin", "Chloé")
    assert third.started_at == utc(2024, 9, 5, 6, 0)
    assert (third.shared_at, third.stage, third.mastery) == (utc(2024, 9, 5, 7, 12), 4, 0.92)
    assert third.competence_mastery == {"2.1": 1.0, "4.1": 0.833}


def test_assessment_with_older_english_headers():
    result = parse_results(pix_csv(*assessment_en_old(), yes_no=("Yes", "No")))
    assert result.kind == ASSESSMENT
    assert result.organisation_name == "DDT de la Sarthe"
    assert (result.campaign_id, result.campaign_code) == ("31007", None)
    assert result.campaign_name == "Digital skills 2023"
    assert result.target_profile_name == "Agents – information"
    # A French name with a typographic apostrophe and the portal's English name both match.
    assert result.competences == ["1.1", "1.2"]
    assert (result.stage_count, result.extra_columns) == (None, ["Student number"])
    assert result.other_competences == []  # "... in the competence area X" is an area column
    first, second = result.participations
    assert (first.last_name, first.first_name) == ("O'Connor", "Siobhán")
    assert first.extras == {"Student number": "=1+1"}  # written '=1+1 by PIX Orga
    assert first.started_at == utc(2023, 11, 5, 23, 0)  # a date alone: midnight in Paris
    assert (first.shared, first.shared_at) == (True, utc(2023, 11, 7, 23, 0))
    assert (first.progression, first.mastery, first.stage) == (1.0, 0.5, None)
    assert first.competence_mastery == {"1.1": 0.6, "1.2": 0.4}
    assert (second.line, second.last_name, second.extras) == (
        3,
        "Bernard",
        {"Student number": "E-2231"},
    )
    assert (second.shared, second.shared_at, second.progression) == (False, None, 0.25)
    assert (second.mastery, second.competence_mastery) == (None, {})


def test_profiles_collection_with_older_french_headers():
    result = parse_results(pix_csv(*profiles_fr_old(), yes_no=("O", "N")))
    assert result.kind == PROFILES_COLLECTION
    assert result.organisation_name == "DIRM Nord Atlantique-Manche Ouest"
    assert (result.campaign_id, result.campaign_code) == ("27450", None)
    assert (result.campaign_name, result.target_profile_name) == ("Profils PIX 2022", None)
    assert len(result.competences) == 16
    assert result.extra_columns == []
    moreau, petit, garcia = result.participations
    assert (moreau.last_name, moreau.first_name, moreau.extras) == ("Moreau", "Inès", {})
    assert (moreau.started_at, moreau.shared) == (None, True)
    assert moreau.shared_at == utc(2022, 5, 16, 22, 0)
    assert (moreau.total_pix, moreau.certifiable) == (195, True)
    assert moreau.levels == {
        "1.1": 2, "1.2": 1, "1.3": 1, "2.1": 3, "2.2": 2, "2.3": 1, "2.4": 1, "3.1": 2,
        "3.2": 1, "3.3": 1, "3.4": 0, "4.1": 2, "4.2": 1, "4.3": 1, "5.1": 1, "5.2": 0,
    }  # fmt: skip
    assert moreau.pix == {
        "1.1": 19, "1.2": 11, "1.3": 9, "2.1": 26, "2.2": 17, "2.3": 8, "2.4": 12, "3.1": 20,
        "3.2": 10, "3.3": 9, "3.4": 4, "4.1": 16, "4.2": 13, "4.3": 8, "5.1": 11, "5.2": 2,
    }  # fmt: skip
    assert (moreau.progression, moreau.mastery, moreau.competence_mastery) == (None, None, {})
    assert (petit.shared, petit.shared_at, petit.total_pix, petit.certifiable) == (
        False,
        None,
        None,
        None,
    )
    assert (petit.levels, petit.pix) == ({}, {})
    assert garcia.shared_at == utc(2022, 5, 31, 22, 0)  # 2022-06-01, the older ISO form
    assert (garcia.total_pix, garcia.certifiable) == (31, False)
    assert garcia.levels == {code: 1 if code == "2.1" else 0 for code in result.competences}
    assert sum(garcia.pix.values()) == 31


def test_profiles_collection_in_english_with_extra_columns_around_the_names():
    result = parse_results(pix_csv(*profiles_en(), yes_no=("Yes", "No"), bom=False))
    assert result.kind == PROFILES_COLLECTION
    assert (result.campaign_id, result.campaign_code) == ("50112", "NAMO24PROF")
    assert (result.organisation_name, result.campaign_name) == ("DIRM NAMO", "Profiles 2024")
    assert result.competences == ["2.1", "4.2", "5.1"]
    assert result.extra_columns == ["Department", "Cost centre", "External id"]
    durand, roux = result.participations
    assert durand.extras == {
        "Department": "Maritime affairs",
        "Cost centre": "CC-114",
        "External id": "@emile.durand",
    }
    assert (durand.last_name, durand.first_name) == ("Durand", "Émile")
    assert durand.shared_at == utc(2024, 10, 25, 14, 45)  # summer time until 27 October
    assert (durand.total_pix, durand.certifiable) == (52, True)
    assert durand.levels == {"2.1": 2, "4.2": 3, "5.1": 0}
    assert durand.pix == {"2.1": 20, "4.2": 27, "5.1": 5}
    assert roux.extras["External id"] == ""
    assert roux.shared_at == utc(2024, 10, 27, 9, 0)  # winter time again
    assert (roux.total_pix, roux.certifiable) == (15, False)
    assert (roux.levels, roux.pix) == ({"2.1": 0, "4.2": 1}, {"2.1": 7, "4.2": 8})


def test_header_only_file_has_no_participations():
    header, _rows = profiles_fr_old()
    result = parse_results(pix_csv(header, []))
    assert (result.kind, result.participations) == (PROFILES_COLLECTION, [])
    assert (result.campaign_id, result.campaign_name, result.organisation_name) == (None,) * 3


def test_blank_lines_and_windows_line_ends_keep_line_numbers():
    header, data = assessment_fr()
    text = pix_csv(header, data, line_end="\r\n").replace(b"\r\n", b"\r\n\r\n", 2)
    lines = [item.line for item in parse_results(text).participations]
    assert lines == [3, 5, 6]


def test_a_value_with_a_line_break_counts_from_its_first_line():
    header, data = assessment_fr()
    data[0][7] = "Secrétariat\ngénéral"
    result = parse_results(pix_csv(header, data))
    assert result.participations[0].extras["Groupe"] == "Secrétariat général"
    assert [item.line for item in result.participations] == [2, 4, 5]


def test_one_apostrophe_is_removed_before_a_formula_character_only():
    header, data = assessment_fr()
    data[0][5:9] = [Raw("'+Martin"), Raw("'t Hooft"), Raw("''=A1"), Raw("'-A1207")]
    first = parse_results(pix_csv(header, data)).participations[0]
    assert (first.last_name, first.first_name) == ("+Martin", "'t Hooft")
    assert first.extras == {"Groupe": "''=A1", "Matricule": "-A1207"}


def test_texts_lose_control_characters_before_the_formula_check():
    header, data = assessment_fr()
    data[0][5:8] = ["Mar\x00tin", " Chloé\u200b  Anne ", Raw('"\x07=1+1"')]
    problems = problems_of(pix_csv(header, data))
    assert [(line, column) for line, column, _message in problems] == [(2, "Groupe")]
    data[0][7] = "Secrétariat général"
    first = parse_results(pix_csv(header, data)).participations[0]
    assert (first.last_name, first.first_name) == ("Martin", "Chloé Anne")


def test_same_results_give_the_same_fingerprint():
    header, data = assessment_fr()
    reference = parse_results(pix_csv(header, data)).fingerprint
    # Re-exported: rows in another order, columns in another order, older header names,
    # shares written as percentages, no byte order mark, Windows line ends.
    order = [1, 0, *range(2, len(header))]
    moved_header = [header[index] for index in order]
    moved_header[moved_header.index("Date et heure de début (Europe/Paris)")] = "Date de début"
    moved_rows = [[row[index] for index in order] for row in reversed(data)]
    moved_rows[0][15] = Raw('"92 %"')
    again = pix_csv(moved_header, moved_rows, bom=False, line_end="\r\n")
    assert parse_results(again).fingerprint == reference
    assert parse_results(pix_csv(header, data)).fingerprint == reference

    data[1][9] = 0.41
    assert parse_results(pix_csv(header, data)).fingerprint != reference
    header, data = assessment_fr()
    for row in data:
        row[1] = 48214
    assert parse_results(pix_csv(header, data)).fingerprint != reference


def test_a_participation_listed_twice_changes_the_fingerprint():
    header, data = assessment_fr()
    once = parse_results(pix_csv(header, data)).fingerprint
    assert parse_results(pix_csv(header, [*data, data[0]])).fingerprint != once


def test_competence_columns_of_other_frameworks_are_ignored_and_named():
    header, data = profiles_en()
    header += ["Level reached in the competence Enseigner avec le numérique"]
    for row in data:
        row.append(2)
    result = parse_results(pix_csv(header, data))
    assert result.competences == ["2.1", "4.2", "5.1"]
    assert result.other_competences == ["Enseigner avec le numérique"]
