"""Import of a workbook of declarations: all or nothing, problems with sheet and row."""

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.declarations.models import Declaration, DeclarationStatus
from app.directorates.models import LearningPath
from app.extensions import db


def make_workbook(path=None, *, language="fr", campaigns=None, ambassadors=None,
                  administrators=None, summary=None) -> bytes:  # fmt: skip
    """Build a workbook in the documented layout and return its bytes."""
    fr = language == "fr"
    book = Workbook()
    book.remove(book.active)
    sheets = [
        ("Synthèse" if fr else "Summary",
         ["Code direction", "Présentation en CODIR demandée", "Commentaires"] if fr
         else ["Directorate code", "CODIR presentation requested", "Comments"],
         summary if summary is not None else [["DGPR", "oui", "Reçu par courriel"]]),
        ("Campagnes" if fr else "Campaigns",
         ["Code direction", "N°", "Libellé", "Organisation du périmètre", "Périmètre",
          "Population cible", "Agents concernés", "Licences", "Début prévu", "Fin prévue"] if fr
         else ["Directorate code", "No.", "Label", "Perimeter organised", "Perimeter",
               "Target population", "Agents concerned", "Licences", "Planned start", "Planned end"],
         campaigns if campaigns is not None else [
             ["DGPR", 1, "Risques", "Par population cible", "Ingénieurs", "Ingénieurs", 80, 60,
              date(2026, 9, 1), date(2026, 12, 1)],
             ["DGPR", 2, "Support", "unit", "Secrétariat", "Assistants", 20, 20.0,
              "2026-09-15", "01/12/2026"],
         ]),
        ("Ambassadeurs" if fr else "Ambassadors",
         ["Code direction", "N°", "Nom", "Prénom", "Adresse électronique"] if fr
         else ["Directorate code", "No.", "Last name", "First name", "E-mail address"],
         ambassadors if ambassadors is not None else [
             ["DGPR", 1, "O'Connor", "Zoé", "zoe.oconnor@example.org"]]),
        ("Administrateurs PIX Orga" if fr else "PIX Orga administrators",
         ["Code direction", "N°", "Nom", "Prénom", "Adresse électronique", "Fonction",
          "Domaine RH ou formation confirmé"] if fr
         else ["Directorate code", "No.", "Last name", "First name", "E-mail address", "Function",
               "HR or training domain confirmed"],
         administrators if administrators is not None else [
             ["DGPR", 1, "Lévêque", "Jean-Noël", "jn.leveque@example.org", "Chargé de formation",
              "oui"]]),
    ]  # fmt: skip
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


START, END = date(2026, 9, 1), date(2026, 10, 1)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Declaration))


def _upload(client, content: bytes, lang="en", filename="declarations.xlsx"):
    return client.post(
        f"/{lang}/declarations/PIX-2023/import",
        data={"workbook": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_good_workbook_is_imported(client, login, call, project_team_user):
    login(project_team_user)
    response = _upload(client, make_workbook())
    assert response.status_code == 302, response.get_data(as_text=True)
    declaration = db.session.scalar(select(Declaration))
    assert declaration.directorate.code == "DGPR"
    assert declaration.status is DeclarationStatus.SUBMITTED
    assert [c.licences for c in declaration.campaigns] == [60, 20]
    assert declaration.campaigns[1].starts_on == date(2026, 9, 15)
    assert declaration.campaigns[1].ends_on == date(2026, 12, 1)
    assert declaration.campaigns[0].perimeter_kind.value == "population"
    assert declaration.ambassadors[0].last_name == "O'Connor"
    assert declaration.administrators[0].hr_confirmed is True
    assert declaration.wants_codir is True
    assert declaration.comments == "Reçu par courriel"
    assert [e.action for e in declaration.events] == ["imported"]
    assert declaration.events[0].actor_id == project_team_user.id


def test_english_headers_are_accepted(client, login, call, project_team_user):
    login(project_team_user)
    content = make_workbook(language="en", summary=[["DGPR", "no", ""]],
                            administrators=[["DGPR", 1, "Smith", "Ann", "ann@example.org", "HR",
                                             "yes"]])  # fmt: skip
    assert _upload(client, content).status_code == 302
    assert db.session.scalar(select(Declaration)).wants_codir is False


def test_bad_workbook_imports_nothing_and_lists_each_problem(client, login, call,
                                                             project_team_user):  # fmt: skip
    login(project_team_user)
    content = make_workbook(
        campaigns=[
            ["DGPR", 1, "Risques", "unit", "Tous", "Tous", 10, 12, START, END],
            ["DGEC", 1, "Énergie", "unit", "Tous", "Tous", "beaucoup", 5, START, END],
            ["NOPE", 1, "X", "unit", "Y", "Z", 1, 1, START, END],
        ],
        ambassadors=[["DGPR", 1, "O'Connor", "Zoé", "zoe@"],
                     ["DGEC", 1, "Dupont", "Léa", "lea@example.org"],
                     ["NOPE", 1, "A", "B", "c@example.org"]],
        administrators=[["DGPR", 1, "Lévêque", "Jean-Noël", "jn@example.org", "RH", "peut-être"],
                        ["DGEC", 1, "Roy", "Max", "max@example.org", "RH", "oui"],
                        ["NOPE", 1, "A", "B", "c@example.org", "RH", "oui"]],
    )  # fmt: skip
    page = _upload(client, content).get_data(as_text=True)
    assert _count() == 0
    assert "Nothing imported" in page
    assert "There cannot be more licences than agents concerned." in page
    assert "Not a whole number: beaucoup." in page
    assert "Unknown directorate code: NOPE." in page
    assert "Enter a valid e-mail address" in page
    assert "Answer yes or no: peut-être." in page
    assert "<td>Campagnes</td><td>2</td>" in page
    assert "<td>Ambassadeurs</td><td>2</td>" in page


def test_not_a_workbook(client, login, call, project_team_user):
    login(project_team_user)
    page = _upload(client, b"%PDF-1.7 not a workbook").get_data(as_text=True)
    assert "The file is not an Excel workbook (.xlsx) that can be read." in page
    page = _upload(client, b"whatever", filename="notes.txt").get_data(as_text=True)
    assert "Choose an Excel workbook (.xlsx)." in page
    assert _count() == 0


def test_missing_sheet_and_column(client, login, call, project_team_user):
    from openpyxl import load_workbook

    login(project_team_user)
    book = load_workbook(io.BytesIO(make_workbook()))
    del book["Ambassadeurs"]
    book["Campagnes"]["H1"] = "Autre chose"
    stream = io.BytesIO()
    book.save(stream)
    page = _upload(client, stream.getvalue()).get_data(as_text=True)
    assert "Sheet missing: Ambassadeurs." in page
    assert "Column missing: Licences." in page
    assert _count() == 0


def test_a_directorate_that_already_submitted_is_refused(client, login, call, project_team_user):
    login(project_team_user)
    _upload(client, make_workbook())
    page = _upload(client, make_workbook()).get_data(as_text=True)
    assert "already has a declaration in the portal (Submitted)" in page
    assert _count() == 1


@pytest.mark.parametrize("persona", ["directorate", "cvrh"])
def test_only_the_project_team_imports(client, login, personas, call, persona):
    login(personas[persona])
    assert _upload(client, make_workbook()).status_code == 403
    assert _count() == 0


def test_cli_import(runner, call, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(make_workbook())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(make_workbook(ambassadors=[["DGPR", 1, "X1", "Y", "y@example.org"]]))
    refused = runner.invoke(args=["declarations", "import", str(bad), "--call", "PIX-2023"])
    assert refused.exit_code != 0
    assert "Ambassadeurs, row 2: Utilisez uniquement des lettres" in refused.output
    assert _count() == 0
    result = runner.invoke(args=["declarations", "import", str(good), "--call", "PIX-2023"])
    assert result.exit_code == 0, result.output
    assert "1 declarations imported: DGPR" in result.output
    assert _count() == 1


def _with_paths(content: bytes, cells: list[tuple[str, str]]) -> bytes:
    """Add the learning paths' columns to the campaigns of a workbook, one cell pair a row."""
    book = load_workbook(io.BytesIO(content))
    sheet = book["Campagnes"]
    sheet["K1"], sheet["L1"] = "Parcours (annexe 2)", "Autres besoins ou parcours"
    for row, (paths, note) in enumerate(cells, start=2):
        sheet[f"K{row}"], sheet[f"L{row}"] = paths, note
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_learning_paths_are_read_by_code_or_name(client, login, call, project_team_user):
    login(project_team_user)
    content = _with_paths(
        make_workbook(),
        [
            ("ex-donnees ; Example – Everyday digital security", "Messagerie"),
            ("EXEMPLE – DOCUMENTS ET COURRIERS ADMINISTRATIFS\nEX-DONNEES;", ""),
        ],
    )
    response = _upload(client, content)
    assert response.status_code == 302, response.get_data(as_text=True)
    first, second = db.session.scalar(select(Declaration)).campaigns
    assert [path.code for path in first.paths] == ["EX-SECURITE", "EX-DONNEES"]
    assert first.learning_paths_note == "Messagerie"
    assert [path.code for path in second.paths] == ["EX-BUREAUTIQUE", "EX-DONNEES"]


def test_unknown_or_retired_learning_paths_are_refused_with_their_line(
    client, login, call, project_team_user
):
    retired = db.session.scalar(select(LearningPath).where(LearningPath.code == "EX-DONNEES"))
    retired.active = False
    db.session.commit()
    login(project_team_user)
    content = _with_paths(
        make_workbook(),
        [("EX-SECURITE; Parcours inventé", ""), ("Example – Data and spreadsheets", "")],
    )
    page = _upload(client, content).get_data(as_text=True)
    assert _count() == 0
    assert (
        "<td>Campagnes</td><td>2</td><td>Unknown learning path: Parcours inventé "
        "(write its code or its name).</td>"
    ) in page
    assert (
        "<td>Campagnes</td><td>3</td><td>This learning path is no longer offered: "
        "Example – Data and spreadsheets.</td>"
    ) in page
