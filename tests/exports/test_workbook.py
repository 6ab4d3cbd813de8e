"""The consolidated workbook: sheets, headers, types, neutralisation, filters, marks, access."""

import io
import re
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from app.declarations import workbook as layout
from app.declarations.importer import ImportFailed, import_workbook
from app.declarations.models import DeclarationStatus
from app.directorates.models import Call, Directorate
from app.exports import sheets
from app.exports.xlsx import write_xlsx
from app.extensions import db, utcnow
from tests.conftest import PASSWORD
from tests.factories import declare

URL = "/{lang}/exports/PIX-2023/workbook.xlsx"


def download(client, lang="fr", query=""):
    with client.post(URL.format(lang=lang) + (f"?{query}" if query else "")) as response:
        data = response.data
    assert response.status_code == 200, response.status_code
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(data))


def rows_of(sheet, header=False):
    rows = list(sheet.iter_rows(values_only=True))
    return rows if header else rows[1:]


def by_code(sheet) -> dict[str, dict]:
    header, *rows = list(sheet.iter_rows(values_only=True))
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sheets_and_headers_in_the_user_language(client, login, known, project_team_user, lang):
    login(project_team_user)
    book = download(client, lang)
    expected = [sheet.title(lang) for sheet in sheets.SHEETS]
    assert book.sheetnames == expected
    for sheet, worksheet in zip(sheets.SHEETS, book.worksheets, strict=True):
        assert list(rows_of(worksheet, header=True)[0]) == sheets.headers(sheet, lang)
        assert worksheet.freeze_panes == "A2"
        last = get_column_letter(len(sheet.columns))
        assert worksheet.auto_filter.ref == f"A1:{last}{worksheet.max_row}"
    if lang == "en":
        assert book["Summary"]["A1"].value == "Directorate code"
        assert book["Campaigns"]["C1"].value == "Label"
    else:
        assert book["Synthèse"]["A1"].value == "Code direction"
        assert book["Demandes CODIR"]["D1"].value == "État"


def test_summary_has_every_directorate_answered_or_not(client, login, known, project_team_user):
    login(project_team_user)
    summary = by_code(download(client, "en")["Summary"])
    assert len(summary) == db.session.scalar(select(func.count()).select_from(Directorate))
    assert summary["DREAL-BRE"]["Declaration status"] == "Not started"
    assert summary["DREAL-BRE"]["Number of campaigns"] == 0
    pdl = summary["DREAL-PDL"]
    assert pdl["Declaration status"] == "Submitted"
    assert pdl["Directorate"].startswith("DREAL Pays de la Loire")
    assert pdl["CVRH"] == "CVRH de Nantes"
    assert pdl["Number of campaigns"] == 2
    assert pdl["Licences requested"] == 140
    assert pdl["Number of ambassadors"] == 2
    assert pdl["Number of administrators"] == 1
    assert pdl["CODIR presentation requested"] == "Yes"
    assert summary["DGPR"]["CODIR presentation request"] == "Scheduled"
    assert summary["DGPR"]["Declaration status"] == "Accepted"
    assert summary["DREAL-ARA"]["Declaration status"] == "Draft"


def test_dates_and_numbers_are_real_cells(client, login, known, project_team_user):
    login(project_team_user)
    book = download(client, "fr")
    summary = book["Synthèse"]
    header = [cell.value for cell in summary[1]]
    row = next(r for r in summary.iter_rows(min_row=2) if r[0].value == "DREAL-PDL")
    cells = dict(zip(header, row, strict=True))
    submitted = cells["Déposée le"]
    assert submitted.is_date
    # Stored in UTC (08:30), written in the portal's time zone (Paris, summer time).
    assert submitted.value == datetime(2026, 4, 20, 10, 30)
    assert submitted.number_format == "DD/MM/YYYY HH:MM"
    assert cells["Date limite"].is_date
    assert cells["Date limite"].number_format == "DD/MM/YYYY"
    assert cells["Licences demandées"].data_type == "n"
    assert cells["Licences demandées"].value == 140
    campaign = next(book["Campagnes"].iter_rows(min_row=2))
    assert campaign[8].is_date and campaign[8].value == datetime(2026, 9, 1)
    assert isinstance(campaign[7].value, int)
    assert isinstance(campaign[1].value, int)  # line number
    codir = next(book["Demandes CODIR"].iter_rows(min_row=2))
    assert codir[12].value == datetime(2026, 5, 4, 14, 0)


def test_english_dates_are_iso(client, login, known, project_team_user):
    login(project_team_user)
    campaign = next(download(client, "en")["Campaigns"].iter_rows(min_row=2))
    assert campaign[8].number_format == "YYYY-MM-DD"


def test_formulas_are_neutralised_and_control_characters_removed(
    client, login, known, project_team_user
):
    login(project_team_user)
    book = download(client, "fr")
    labels = {(r[0].value, r[1].value): r[2] for r in book["Campagnes"].iter_rows(min_row=2)}
    assert labels["DREAL-PDL", 2].value == '\'=HYPERLINK("http://evil.example")'
    assert labels["DREAL-PDL", 2].data_type == "s"
    every_cell = [
        cell for worksheet in book.worksheets for row in worksheet.iter_rows() for cell in row
    ]
    assert not [cell.coordinate for cell in every_cell if cell.data_type == "f"]
    summary = by_code(book["Synthèse"])
    assert summary["DREAL-PDL"]["Commentaires"] == "'+33 1 23 45 67 89 ; @SUM(A1) ; bell gone"
    assert summary["DGPR"]["Commentaires"] == "'\tTab first"
    ambassadors = rows_of(book["Ambassadeurs"])
    assert ("DREAL-ARA", 1, "'-Martin") in [row[:3] for row in ambassadors]


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "'=1", "''@x", "plain", "O'Connor", ""]
)
def test_neutralise_round_trips(text):
    neutral = layout.neutralise(text)
    assert not neutral.startswith(layout.FORMULA_TRIGGERS)
    assert layout.restore(neutral) == text


def test_widths_are_set_from_the_layout(client, login, known, project_team_user):
    login(project_team_user)
    summary = download(client, "fr")["Synthèse"]
    assert summary.column_dimensions["B"].width == 47  # directorate name
    assert summary.column_dimensions["A"].width == len("Code direction") + 2
    assert summary["A1"].font.b


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("status=submitted", {"DREAL-PDL"}),
        ("status=draft", {"DREAL-ARA"}),
        ("cvrh=CVRH-NANTES&status=submitted", {"DREAL-PDL"}),
        ("type=central", {"DGPR"}),
    ],
)
def test_console_filters_apply_to_every_sheet(client, login, known, project_team_user, query,
                                               codes):  # fmt: skip
    login(project_team_user)
    book = download(client, "en", query)
    summary = by_code(book["Summary"])
    if query.startswith("type="):
        assert codes <= set(summary)
        assert all(row["Directorate type"] == summary["DGPR"]["Directorate type"]
                   for row in summary.values())  # fmt: skip
    else:
        assert set(summary) == codes
    for title in ("Campaigns", "Ambassadors", "PIX Orga administrators", "CODIR requests"):
        assert {row[0] for row in rows_of(book[title])} <= set(summary)
    assert {row[0] for row in rows_of(book["Campaigns"])} == codes


def test_not_started_filter_keeps_only_silent_directorates(client, login, known,
                                                            project_team_user):  # fmt: skip
    login(project_team_user)
    book = download(client, "en", "status=not_started")
    summary = by_code(book["Summary"])
    assert not {"DREAL-PDL", "DREAL-ARA", "DGPR"} & set(summary)
    assert rows_of(book["Campaigns"]) == []


def test_summary_marks_what_changed_since_the_previous_export(
    client, login, known, project_team_user
):
    login(project_team_user)
    first = by_code(download(client, "en")["Summary"])
    assert {row["Since your previous export"] for row in first.values()} == {None}
    ara = known.declarations["DREAL-ARA"]
    ara.comments = "Changed after the export"
    ara.updated_at = utcnow()
    declare(known.call, "DIRM-NAMO", DeclarationStatus.DRAFT, [("Mer", 3)], [("M", "m@ex.org")])
    db.session.commit()
    book = download(client, "en")
    second = by_code(book["Summary"])
    assert second["DREAL-ARA"]["Since your previous export"] == "Changed"
    assert second["DIRM-NAMO"]["Since your previous export"] == "New"
    assert second["DREAL-PDL"]["Since your previous export"] is None
    marked = next(r for r in book["Summary"].iter_rows(min_row=2) if r[0].value == "DREAL-ARA")
    assert marked[-1].fill.fgColor.rgb.endswith("FEECC2")
    third = by_code(download(client, "en")["Summary"])
    assert {row["Since your previous export"] for row in third.values()} == {None}


def test_previous_export_is_per_user(client, login, known, project_team_user, admin_user):
    login(project_team_user)
    download(client, "en")
    client.post("/en/logout")
    known.declarations["DGPR"].updated_at = utcnow()
    db.session.commit()
    login(admin_user)
    first_of_admin = by_code(download(client, "en")["Summary"])
    assert first_of_admin["DGPR"]["Since your previous export"] is None


@pytest.mark.parametrize(
    "path", ["workbook.xlsx", "csv.zip", "summary.csv", "campaigns.csv", "codir.csv"]
)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("directorate", 403),
        ("other_directorate", 403),
        ("cvrh", 403),
        ("other_cvrh", 403),
        ("project_team", 200),
        ("admin", 200),
    ],
)
def test_only_the_project_team_exports(client, login, known, personas, persona, expected, path):
    if personas[persona]:
        login(personas[persona])
    with client.post(f"/fr/exports/PIX-2023/{path}") as response:
        assert response.status_code == expected
        if expected == 302:
            assert "/login" in response.headers["Location"]


def test_unknown_call_or_sheet_is_404(client, login, known, project_team_user):
    login(project_team_user)
    assert client.post("/fr/exports/PIX-1999/workbook.xlsx").status_code == 404
    assert client.post("/fr/exports/PIX-2023/secrets.csv").status_code == 404


def test_each_download_is_audited(client, login, known, project_team_user):
    from app.audit import AuditEntry

    login(project_team_user)
    download(client, "en", "status=submitted")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.actor_id == project_team_user.id
    assert entry.details == {"format": "xlsx", "filters": {"status": "submitted"}}


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
@pytest.mark.parametrize("path", ["workbook.xlsx", "csv.zip", "summary.csv"])
def test_a_forged_request_cannot_move_the_previous_export_marker(
    client, known, project_team_user, path
):
    """A link or a form on another site (no CSRF token) downloads nothing and marks nothing."""
    from app.exports.models import Export

    login_page = client.get("/en/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post(
        "/en/login",
        data={"email": project_team_user.email, "password": PASSWORD, "csrf_token": token},
    )
    url = f"/en/exports/PIX-2023/{path}"

    assert client.get(url).status_code == 405  # a top-level GET from a link
    assert client.post(url).status_code == 400  # a cross-site form has no token
    assert db.session.scalar(select(func.count()).select_from(Export)) == 0

    console = client.get("/en/console/PIX-2023/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', console).group(1)
    with client.post(url, data={"csrf_token": token}) as response:
        assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Export)) == 1


ERROR_NAMES = ["#REF!", "#N/A", "#NAME?", "#DIV/0!", "#NULL!", "#NUM!", "#VALUE!",
               "#GETTING_DATA"]  # fmt: skip


def test_error_names_are_written_and_read_back_as_text(client, login, known, project_team_user):
    login(project_team_user)
    declaration = known.declarations["DGPR"]
    for campaign, name in zip(declaration.campaigns, ERROR_NAMES, strict=False):
        campaign.label = name
    declaration.comments = "#REF!"
    db.session.commit()
    with client.post(URL.format(lang="fr") + "?status=accepted") as response:  # DGPR only
        data = response.data
    book = load_workbook(io.BytesIO(data))
    labels = [row for row in book["Campagnes"].iter_rows(min_row=2) if row[0].value == "DGPR"]
    assert [row[2].value for row in labels] == ERROR_NAMES[:3]
    assert {row[2].data_type for row in labels} == {"s"}
    assert by_code(book["Synthèse"])["DGPR"]["Commentaires"] == "#REF!"
    every_cell = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in every_cell if cell.data_type == "e"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = {name: archive.read(name).decode() for name in archive.namelist()
               if name.startswith("xl/worksheets/sheet")}  # fmt: skip
    assert xml and not [name for name, text in xml.items() if 't="e"' in text]
    campaigns = next(text for text in xml.values() if "#NAME?" in text)
    cell = re.search(r'<c r="C\d+"[^>]*><is><t>#NAME\?</t></is></c>', campaigns).group(0)
    assert 't="inlineStr"' in cell
    # The import reads them back as the same text.
    copy = Call(code="PIX-COPY", title_fr="Copie", title_en="Copy", opens_on=known.call.opens_on,
                deadline=known.call.deadline, is_open=True)  # fmt: skip
    db.session.add(copy)
    db.session.commit()
    try:
        done = import_workbook(io.BytesIO(data), copy, None)
    except ImportFailed as error:
        raise AssertionError(error.problems) from None
    imported = {d.directorate.code: d for d in done}
    assert [c.label for c in imported["DGPR"].campaigns] == ERROR_NAMES[:3]
    assert imported["DGPR"].comments == "#REF!"


def test_every_error_name_is_written_as_text():
    stream = io.BytesIO()
    table = sheets.Table("t", "Test", ["Texte"], [10], [[name] for name in ERROR_NAMES])
    write_xlsx(stream, [table], "fr")
    book = load_workbook(io.BytesIO(stream.getvalue()))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ERROR_NAMES
    assert {cell.data_type for cell in cells} == {"s"}
