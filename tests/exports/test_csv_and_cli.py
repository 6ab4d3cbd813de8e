"""CSV files (web and command line), the command line's workbook and the round trip."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.declarations import importer, workbook
from app.declarations.models import Declaration, DeclarationStatus
from app.declarations.services import snapshot
from app.directorates.models import Call
from app.exports import sheets
from app.extensions import db


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def get(client, url):
    with client.post(url) as response:
        return response.status_code, response.headers, response.data


def test_one_sheet_streams_as_csv(client, login, known, project_team_user):
    login(project_team_user)
    status, headers, data = get(client, "/fr/exports/PIX-2023/campaigns.csv")
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"] == 'attachment; filename="PIX-2023-campagnes.csv"'
    header, *rows = read_csv(data)
    assert header == sheets.headers(workbook.CAMPAIGNS, "fr")
    assert len(rows) == 6
    pdl = {row[1]: row for row in rows if row[0] == "DREAL-PDL"}
    assert pdl["2"][2] == '\'=HYPERLINK("http://evil.example")'
    assert pdl["1"][8] == "01/09/2026"
    assert pdl["1"][7] == "100"


def test_summary_csv_in_english(client, login, known, project_team_user):
    login(project_team_user)
    status, _, data = get(client, "/en/exports/PIX-2023/summary.csv?status=submitted")
    assert status == 200
    header, *rows = read_csv(data)
    assert header[:2] == ["Directorate code", "Directorate"]
    assert [row[0] for row in rows] == ["DREAL-PDL"]
    row = dict(zip(header, rows[0], strict=True))
    assert row["Submitted on"] == "2026-04-20 10:30"
    assert row["Comments"] == "'+33 1 23 45 67 89 ; @SUM(A1) ; bell gone"


def test_archive_holds_every_sheet(client, login, known, project_team_user):
    login(project_team_user)
    status, headers, data = get(client, "/fr/exports/PIX-2023/csv.zip")
    assert status == 200
    assert headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == [
            "PIX-2023-synthese.csv",
            "PIX-2023-licences.csv",
            "PIX-2023-campagnes.csv",
            "PIX-2023-ambassadeurs.csv",
            "PIX-2023-administrateurs-pix-orga.csv",
            "PIX-2023-demandes-codir.csv",
            "PIX-2023-suivi-par-campagne.csv",
            "PIX-2023-suivi-par-competence.csv",
            "PIX-2023-formation-webinaires.csv",
        ]
        ambassadors = read_csv(archive.read("PIX-2023-ambassadeurs.csv"))
        codir = read_csv(archive.read("PIX-2023-demandes-codir.csv"))
    assert len(ambassadors) == 1 + 4
    assert ambassadors[-2][:4] == ["DREAL-PDL", "1", "N'Diaye", "Zoé"]
    assert (codir[1][0], codir[1][1], codir[1][3]) == ("DGPR", "1", "Programmée")
    assert codir[1][12] == "04/05/2026 14:00"


def test_cli_writes_the_same_workbook(runner, known, tmp_path):
    out = tmp_path / "export" / "pix.xlsx"
    result = runner.invoke(args=["export", "--call", "PIX-2023", "--format", "xlsx",
                                 "--out", str(out), "--language", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == [sheet.en for sheet in sheets.SHEETS]
    assert book["Summary"].max_row == 1 + 48
    assert book["Campaigns"].max_row == 1 + 6


def test_cli_filters_and_writes_csv_files(runner, known, tmp_path):
    result = runner.invoke(args=["export", "--call", "PIX-2023", "--format", "csv",
                                 "--out", str(tmp_path), "--status", "accepted"])  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = read_csv((tmp_path / "PIX-2023-synthese.csv").read_bytes())
    assert [row[0] for row in summary[1:]] == ["DGPR"]
    campaigns = read_csv((tmp_path / "PIX-2023-campagnes.csv").read_bytes())
    assert {row[0] for row in campaigns[1:]} == {"DGPR"}
    archive = tmp_path / "all.zip"
    result = runner.invoke(args=["export", "--call", "PIX-2023", "--format", "csv",
                                 "--out", str(archive)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(zipfile.ZipFile(archive).namelist()) == len(sheets.SHEETS)


def test_cli_refuses_an_unknown_call(runner, known, tmp_path):
    result = runner.invoke(args=["export", "--call", "NOPE", "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code != 0
    assert "unknown call NOPE" in result.output
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_exported_workbook_imports_back_without_loss(runner, known, tmp_path, language):
    draft = known.declarations["DREAL-ARA"]
    draft.status = DeclarationStatus.SUBMITTED  # the import takes complete declarations only
    draft.ambassadors[0].last_name = "Martin"  # "-Martin" is not a name the import accepts
    draft.ambassadors[0].unit = "-Unité d'appui"
    db.session.commit()
    out = tmp_path / "pix.xlsx"
    result = runner.invoke(
        args=["export", "--call", "PIX-2023", "--out", str(out), "--language", language]
    )
    assert result.exit_code == 0, result.output
    before = {code: snapshot(d) for code, d in known.declarations.items()}
    copy = Call(code="PIX-COPY", title_fr="Copie", title_en="Copy", opens_on=known.call.opens_on,
                deadline=known.call.deadline, is_open=True)  # fmt: skip
    db.session.add(copy)
    db.session.commit()
    with out.open("rb") as stream:
        try:
            imported = importer.import_workbook(stream, copy, None)
        except importer.ImportFailed as error:
            raise AssertionError(error.problems) from None
    assert sorted(d.directorate.code for d in imported) == sorted(before)
    after = {
        d.directorate.code: snapshot(d)
        for d in db.session.scalars(select(Declaration).where(Declaration.call_id == copy.id))
    }
    expected = dict(before)
    # What the portal keeps is cleaned text: the control character is gone, as on export.
    expected["DREAL-PDL"]["comments"] = expected["DREAL-PDL"]["comments"].replace("\x07", "")
    expected["DGPR"]["comments"] = "Tab first"
    assert after == expected
    assert after["DREAL-PDL"]["ambassadors"][0]["last_name"] == "N'Diaye"
    assert after["DREAL-PDL"]["campaigns"][1]["label"] == '=HYPERLINK("http://evil.example")'
    assert after["DREAL-ARA"]["ambassadors"][0]["unit"] == "-Unité d'appui"
