"""Learning paths in the consolidated export: names in the user's language, the note, no query
per campaign or per path."""

import io

import pytest
from openpyxl import load_workbook

from app.declarations.models import Campaign
from app.extensions import db
from tests.exports.test_csv_and_cli import get, read_csv
from tests.factories import learning_path
from tests.queries import count_queries

URL = "/{lang}/exports/PIX-2023/workbook.xlsx"


def _campaigns(client, lang: str) -> dict[tuple[str, int], dict]:
    with client.post(URL.format(lang=lang)) as response:
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.data))
    header, *rows = book["Campagnes" if lang == "fr" else "Campaigns"].iter_rows(values_only=True)
    return {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in rows}


@pytest.mark.parametrize(
    ("lang", "paths", "note", "expected"),
    [
        (
            "fr",
            "Parcours (annexe 2)",
            "Autres besoins ou parcours",
            "Exemple – Sécurité numérique au quotidien; Exemple – Données et tableurs",
        ),
        (
            "en",
            "Learning paths (Annex 2)",
            "Other learning needs or paths",
            "Example – Everyday digital security; Example – Data and spreadsheets",
        ),
    ],
)
def test_the_campaigns_sheet_names_the_paths_in_the_user_language(
    client, login, known, project_team_user, lang, paths, note, expected
):
    login(project_team_user)
    campaigns = _campaigns(client, lang)
    assert campaigns[("DREAL-PDL", 1)][paths] == expected
    assert campaigns[("DREAL-PDL", 1)][note] == "Accompagnement à la messagerie"
    assert campaigns[("DREAL-PDL", 2)][paths] is None  # an empty cell
    assert campaigns[("DGPR", 2)][paths].endswith("(encadrement)" if lang == "fr" else "(managers)")


def test_the_campaigns_csv_names_the_paths(client, login, known, project_team_user):
    login(project_team_user)
    status, _headers, data = get(client, "/en/exports/PIX-2023/campaigns.csv")
    assert status == 200
    header, *rows = read_csv(data)
    first = dict(zip(header, rows[[r[:2] for r in rows].index(["DREAL-PDL", "1"])], strict=True))
    assert first["Learning paths (Annex 2)"] == (
        "Example – Everyday digital security; Example – Data and spreadsheets"
    )
    assert first["Other learning needs or paths"] == "Accompagnement à la messagerie"


def test_the_export_sends_no_query_per_campaign_or_path(client, login, known, project_team_user):
    login(project_team_user)
    counts = []
    for _round in range(2):
        _campaigns(client, "en")  # warm up anything cached per process
        db.session.close()  # requests share the test's session: start from an empty one
        with count_queries() as statements:
            campaigns = _campaigns(client, "en")
        counts.append(len(statements))
        # Twenty more campaigns following every path, for the second round.
        declaration = db.session.merge(known.declarations["DGPR"])
        every = [learning_path(code) for code in ("EX-SECURITE", "EX-BUREAUTIQUE", "EX-DONNEES")]
        for number in range(20):
            declaration.campaigns.append(
                Campaign(position=10 + number, label=f"Vague {number}", paths=list(every))
            )
        db.session.commit()
    assert len(campaigns) == 6 + 20
    assert counts[0] == counts[1]
