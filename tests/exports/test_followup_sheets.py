"""The follow-up sheets of the consolidated export: aggregates of the hand-computed set
(tests/followup/aggregates.py), small groups hidden, both languages, CSV and the CLI."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.declarations.models import Campaign
from app.extensions import db
from app.followup.models import CampaignKind
from tests.followup import aggregates

URL = "/{lang}/exports/PIX-2023/{path}"


@pytest.fixture
def dataset(app, login, project_team_user):
    aggregates.load()
    login(project_team_user)


def workbook(client, lang: str = "fr", query: str = ""):
    with client.post(URL.format(lang=lang, path="workbook.xlsx") + query) as response:
        assert response.status_code == 200
        return load_workbook(io.BytesIO(response.data))


def records(sheet) -> list[dict]:
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def campaign(rows: list[dict], code: str, number: int) -> dict:
    [found] = [
        row for row in rows if row["Code direction"] == code and row["N° campagne"] == number
    ]
    return found


def test_campaign_sheet_hides_small_groups(client, dataset):
    rows = records(workbook(client)["Suivi par campagne"])
    assert [(row["Code direction"], row["N° campagne"]) for row in rows] == [
        ("DREAL-ARA", 1), ("DREAL-BRE", 1), ("DREAL-BRE", 2), ("DREAL-PDL", 1),
        ("DIR-O", 1), ("DGEC", 1),
    ]  # fmt: skip
    pdl = campaign(rows, "DREAL-PDL", 1)
    assert pdl["Suivi"] == "Résultats importés"
    assert pdl["Participations"] == 10
    assert pdl["Participation (%)"] == 50
    assert pdl["Participations partagées"] == 8
    assert pdl["Toutes cibles atteintes"] == 6
    assert pdl["Toutes cibles atteintes (% des partagées)"] == 75
    assert pdl["Population déclarée"] == 20
    assert pdl["Nombre de cibles"] == 1
    assert pdl["Dernier point d'étape avec résultats"] == "Bilan"
    # Three people: nothing about them is written, not even a share.
    small = campaign(rows, "DREAL-BRE", 1)
    for header in (
        "Participations",
        "Participation (%)",
        "Participations partagées",
        "Toutes cibles atteintes",
        "Toutes cibles atteintes (% des partagées)",
    ):
        assert small[header] == "moins de 5", header  # fmt: skip
    # Six participations but two shared: the targets reached are hidden.
    shared_few = campaign(rows, "DREAL-BRE", 2)
    assert shared_few["Participations"] == 6
    assert shared_few["Participations partagées"] == 2
    assert shared_few["Toutes cibles atteintes"] == "moins de 5"
    planned = campaign(rows, "DIR-O", 1)
    assert planned["Suivi"] == "Plan défini, pas encore de résultats"
    assert planned["Participations"] is None
    assert campaign(rows, "DGEC", 1)["Suivi"] == "Pas de plan de suivi"


def test_competence_sheet_totals_and_groups(client, dataset):
    rows = records(workbook(client)["Suivi par compétence"])
    assert len(rows) % 16 == 0
    total = {row["Compétence"][:3]: row for row in rows if row["Regroupement"] == "Total"}
    assert {row["Groupe"] for row in total.values()} == {"Toutes les directions retenues"}
    interact = total["2.1"]
    assert interact["Campagnes qui la ciblent"] == 4
    assert interact["Campagnes comptées"] == 2
    assert interact["Participations partagées comptées"] == 18
    assert interact["Cible atteinte"] == 14
    assert interact["Cible atteinte (%)"] == 77.8
    assert interact["Niveau médian (profils)"] == 2.5
    assert interact["Campagnes écartées"] == 2
    nantes = [
        row
        for row in rows
        if row["Groupe"] == "CVRH de Nantes" and row["Compétence"].startswith("2.1")
    ]
    assert [
        (row["Cible atteinte"], row["Participations partagées comptées"]) for row in nantes
    ] == [(6, 8)]
    # Every group's figures add up to the total: nothing hidden can be subtracted out.
    for grouping in ("Type de direction", "Région", "CVRH"):
        shared = sum(
            row["Participations partagées comptées"] or 0
            for row in rows
            if row["Regroupement"] == grouping and row["Compétence"].startswith("2.1")
        )
        assert shared == 18, grouping


def test_sheets_in_english(client, dataset):
    book = workbook(client, "en")
    rows = records(book["Follow-up by campaign"])
    small = next(row for row in rows if row["Directorate code"] == "DREAL-BRE")
    assert small["Participations"] == "fewer than 5"
    assert small["Follow-up"] == "Results imported"
    competences = records(book["Follow-up by competence"])
    assert competences[0]["Group"] == "All directorates shown"


def test_filters_apply_to_the_follow_up_sheets(client, dataset):
    rows = records(workbook(client, query="?cvrh=CVRH-CLERMONT")["Suivi par campagne"])
    assert {row["Code direction"] for row in rows} == {"DREAL-ARA"}


def test_campaign_labels_are_neutralised(client, dataset):
    label = db.session.scalar(select(Campaign).where(Campaign.label == "Campagne DREAL-PDL 1"))
    label.label = '=HYPERLINK("http://example.org")'
    db.session.commit()
    rows = records(workbook(client)["Suivi par campagne"])
    assert campaign(rows, "DREAL-PDL", 1)["Campagne"] == '\'=HYPERLINK("http://example.org")'


def test_csv_sheet_with_french_decimals(client, dataset):
    response = client.post(URL.format(lang="fr", path="followup_competences.csv"))
    assert response.status_code == 200
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    interact = next(row for row in rows if row[0] == "Total" and row[2].startswith("2.1"))
    assert interact[7] == "77,8"
    assert interact[8] == "2,5"


def test_cli_writes_the_follow_up_sheets(runner, dataset, tmp_path):
    out = tmp_path / "all.zip"
    result = runner.invoke(args=["export", "--call", "PIX-2023", "--format", "csv",
                                 "--out", str(out), "--language", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        text = archive.read("PIX-2023-follow-up-by-campaign.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    bre = [row for row in rows if row[0] == "DREAL-BRE"]
    assert bre[0][10] == "fewer than 5"
    assert bre[1][10] == "6"


@pytest.mark.parametrize("persona", ["anonymous", "directorate", "cvrh"])
def test_follow_up_sheets_are_for_the_project_team_only(client, login, personas, persona):
    aggregates.load()
    if personas[persona]:
        login(personas[persona])
    response = client.post(URL.format(lang="fr", path="followup_campaigns.csv"))
    assert response.status_code in (302, 403)


def test_assessment_bands_in_the_competence_sheet(client, dataset):
    aggregates.add_campaign(
        "DREAL-OCC",
        1,
        10,
        {"2.1": 60},
        [aggregates.Row(True, {"2.1": value}) for value in (0.3, 0.62, 0.64, 0.65, 0.7)],
        kind=CampaignKind.ASSESSMENT,
    )
    rows = records(workbook(client)["Suivi par compétence"])
    total = next(
        row for row in rows if row["Regroupement"] == "Total" and row["Compétence"][:3] == "2.1"
    )
    assert total["Maîtrise médiane (évaluations)"] == "60–69 %"
