"""Build PIX Orga result exports in code, byte for byte as PIX Orga writes them (fictitious data).

UTF-8 with a byte order mark, `;`, text quoted with doubled quotes, numbers with a decimal
comma, `NA` for None, Oui/Non for booleans, a `'` before text starting with = + - @.
"""

from dataclasses import dataclass

import pytest

from app.followup.pixorga import ResultFileError, parse_results
from app.followup.reference import competences

FORMULA_TRIGGERS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Raw:
    """A cell written exactly as given (no quotes, no apostrophe): for hand-made bad files."""

    text: str


def cell(value: object, yes_no: tuple[str, str] = ("Oui", "Non")) -> str:
    """Return one cell as PIX Orga writes it."""
    if isinstance(value, Raw):
        return value.text
    if value is None:
        return "NA"
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        text = "'" + text
    return '"' + text.replace('"', '""') + '"'


def pix_csv(
    header: list[str],
    rows: list[list[object]],
    *,
    bom: bool = True,
    line_end: str = "\n",
    yes_no: tuple[str, str] = ("Oui", "Non"),
) -> bytes:
    """Return the bytes of an export with this header and these rows."""
    lines = [";".join(cell(text) for text in header)]
    lines += [";".join(cell(value, yes_no) for value in row) for row in rows]
    text = line_end.join(lines) + line_end
    return (("\ufeff" if bom else "") + text).encode()


def problems_of(data: bytes) -> list[tuple[int | None, str | None, str]]:
    """Return the problems that refuse a file, as (line, column, message)."""
    with pytest.raises(ResultFileError) as caught:
        parse_results(data)
    return [(item.line, item.column, item.message) for item in caught.value.problems]


def assessment_fr() -> tuple[list[str], list[list[object]]]:
    """Return an assessment export with the newer French headers: stages, a badge, 2 competences."""
    header = [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Parcours",
        "Nom du Participant",
        "Prénom du Participant",
        "Groupe",
        "Matricule",
        "% de progression",
        "Date et heure de début (Europe/Paris)",
        "Partage (O/N)",
        "Date et heure du partage (Europe/Paris)",
        "Palier obtenu (/4)",
        "Cybersécurité obtenu (O/N)",
        "% maitrise de l'ensemble des acquis du profil",
        "% de maitrise des acquis de la compétence Interagir",
        "Nombre d'acquis du profil cible dans la compétence Interagir",
        "Acquis maitrisés dans la compétence Interagir",
        "% de maitrise des acquis de la compétence Sécuriser l’environnement numérique",
        "Nombre d'acquis du profil cible dans la compétence Sécuriser l’environnement numérique",
        "Acquis maitrisés dans la compétence Sécuriser l’environnement numérique",
        "% de maitrise des acquis du domaine Communication et collaboration",
        "Nombre d'acquis du profil cible du domaine Communication et collaboration",
        "Acquis maitrisés du domaine Communication et collaboration",
        "% de maitrise des acquis du domaine Protection et sécurité",
        "Nombre d'acquis du profil cible du domaine Protection et sécurité",
        "Acquis maitrisés du domaine Protection et sécurité",
        "@motdepasse3",
    ]
    campaign = [
        "DREAL Pays de la Loire",
        48213,
        "DRPDL24AB",
        'Autodiagnostic "Numérique" 2024',
        "Parcours agents – socle",
    ]
    rows = [
        _row(
            campaign,
            ["Martin", "Chloé", "Secrétariat général", "-A1207", 1, "12/03/2024 09:30", True],
            ["14/03/2024 17:05", 3, True, 0.67, 0.75, 8, 6, 0.5, 6, 3, 0.75, 8, 6, 0.5, 6, 3, "OK"],
        ),
        _row(
            campaign,
            ["Lefèvre-Dubois", "Jean-Noël", 'Service "Eau; biodiversité"', "B3381", 0.4],
            ["02/04/2024 14:00", False, None, None, None, None],
            [None] * 12,
            [None],
        ),
        _row(
            campaign,
            ["Martin", "Chloé", "Secrétariat général", "-A1207", 1, "05/09/2024 08:00", True],
            ["05/09/2024 09:12", 4, False, 0.92, 1, 8, 8, 0.833, 6, 5, 1, 8, 8, 0.833, 6, 5, "KO"],
        ),
    ]
    return header, rows


def assessment_en_old() -> tuple[list[str], list[list[object]]]:
    """Return an assessment export with the older English headers (no code, ISO dates)."""
    header = [
        "Organisation’s name",
        "Campaign ID",
        "Campaign's name",
        "Target profile’s name",
        "Participant's last name",
        "Participant's first name",
        "Student number",
        "% of progression",
        "Started on",
        "Shared (Y/N)",
        "Shared on",
        "Digital safety (Y/N)",
        "% of items successfully completed in the target profile",
        "% of items successfully completed in the competence "
        "Mener une recherche et une veille d’information",
        "Number of items of the target profile in the competence "
        "Mener une recherche et une veille d’information",
        "Items of the target profile successfully completed in the competence "
        "Mener une recherche et une veille d’information",
        "% of items successfully completed in the competence Managing data",
        "Number of items of the target profile in the competence Managing data",
        "Items of the target profile successfully completed in the competence Managing data",
        "% of items successfully completed in the competence area Information et données",
        "Number of items of the target profile in the competence area Information et données",
        "Items of the target profile successfully completed in the competence area "
        "Information et données",
    ]
    campaign = ["DDT de la Sarthe", 31007, "Digital skills 2023", "Agents – information"]
    rows = [
        _row(
            campaign,
            ["O'Connor", "Siobhán", "=1+1", 1, "2023-11-06", True, "2023-11-08", True, 0.5],
            [0.6, 5, 3, 0.4, 5, 2, 0.5, 10, 5],
        ),
        _row(
            campaign,
            ["Bernard", "Luc", "E-2231", 0.25, "2023-11-20", False, None, None, None],
            [None] * 9,
        ),
    ]
    return header, rows


def profiles_fr_old() -> tuple[list[str], list[list[object]]]:
    """Return a profiles collection export with the older French headers, all 16 competences."""
    header = [
        "Nom de l'organisation",
        "ID Campagne",
        "Nom de la campagne",
        "Nom du Participant",
        "Prénom du Participant",
        "Envoi (O/N)",
        "Date de l'envoi",
        "Nombre de pix total",
        "Certifiable (O/N)",
        "Nombre de compétences certifiables",
    ]
    for item in competences():
        header += [
            f"Niveau pour la compétence {item.name_fr}",
            f"Nombre de pix pour la compétence {item.name_fr}",
        ]
    campaign = ["DIRM Nord Atlantique-Manche Ouest", 27450, "Profils PIX 2022"]
    moreau_levels = [2, 1, 1, 3, 2, 1, 1, 2, 1, 1, 0, 2, 1, 1, 1, 0]
    moreau_pix = [19, 11, 9, 26, 17, 8, 12, 20, 10, 9, 4, 16, 13, 8, 11, 2]
    garcia_levels = [0, 0, 0, 1] + [0] * 12
    garcia_pix = [3, 5, 2, 9] + [1] * 12
    rows = [
        _row(
            campaign,
            ["Moreau", "Inès", True, "17/05/2022", 195, True, 14],
            _pairs(moreau_levels, moreau_pix),
        ),
        _row(campaign, ["Petit", "Hugo", False, None, None, None, None], [None] * 32),
        _row(
            campaign,
            ["Garcia", "Léa", True, "2022-06-01", 31, False, 1],
            _pairs(garcia_levels, garcia_pix),
        ),
    ]
    return header, rows


def profiles_en() -> tuple[list[str], list[list[object]]]:
    """Return a profiles collection export in English, extra columns before and after the names."""
    header = [
        "Department",
        "Organisation's name",
        "Campaign ID",
        "Code",
        "Campaign's name",
        "Cost centre",
        "Participant's last name",
        "Participant's first name",
        "External id",
        "Sent (Y/N)",
        "Sent on",
        "Total pix score",
        "Eligible for certification (Y/N)",
        "Number of competences eligible for certification",
        "Pix score for the competence Interagir",
        "Level reached in the competence Interagir",
        "Level reached in the competence Protecting privacy and personal data",
        "Pix score for the competence Protecting privacy and personal data",
        "Level reached in the competence Résoudre des problèmes techniques",
        "Pix score for the competence Résoudre des problèmes techniques",
    ]
    rows = [
        _row(
            ["Maritime affairs", "DIRM NAMO", 50112, "NAMO24PROF", "Profiles 2024", "CC-114"],
            ["Durand", "Émile", "@emile.durand", True, "25/10/2024 16:45", 52, Raw("Y"), 2],
            [20, 2, 3, 27, 0, 5],
        ),
        _row(
            ["Maritime affairs", "DIRM NAMO", 50112, "NAMO24PROF", "Profiles 2024", "CC-115"],
            ["Roux", "Awa", "", True, "27/10/2024 10:00", 15, Raw("N"), 0, 7, 0, 1, 8, None, None],
        ),
    ]
    return header, rows


def _row(*parts: list[object]) -> list[object]:
    """Return one row made of several lists of cells."""
    return [value for part in parts for value in part]


def _pairs(levels: list[int], pix: list[int]) -> list[object]:
    """Return the level and pix cells of the 16 competences, in header order."""
    cells: list[object] = []
    for level, score in zip(levels, pix, strict=True):
        cells += [level, score]
    return cells
