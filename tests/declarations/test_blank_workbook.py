"""The blank Annex 1 workbook: its layout, its lists, and a round trip through the import."""

import io
from datetime import datetime

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from app.declarations import workbook as layout
from app.declarations.models import Declaration, DeclarationStatus, PerimeterKind
from app.directorates.models import Directorate, LearningPath
from app.extensions import db
from tests.conftest import log_in, outbox
from tests.declarations.conftest import EDIT_URL, complete_form

URL = "/{lang}/declarations/PIX-2023/blank-workbook.xlsx"


def download(client, lang: str = "fr"):
    """Return the blank workbook the logged-in user downloads, opened."""
    response = client.get(URL.format(lang=lang))
    assert response.status_code == 200, response.status_code
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.data)), response


def validation(sheet, column: str):
    """Return the data validation of a column of a sheet (header text in the sheet's language)."""
    headers = [cell.value for cell in sheet[1]]
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[headers.index(column)]
    found = [v for v in sheet.data_validations.dataValidation if f"{letter}2" in v.sqref]
    assert len(found) == 1, (sheet.title, column)
    return found[0]


def choices(book, rule) -> list[str]:
    """Return the values a list validation offers, read from the range it points to."""
    assert rule.type == "list"
    sheet_name, _, cells = rule.formula1.partition("!")
    sheet = book[sheet_name.strip("'")]
    return [c.value for row in sheet[cells.replace("$", "")] for c in row]


def append(sheet, values: dict):
    """Write a row as a person would: each value under its header."""
    headers = [cell.value for cell in sheet[1]]
    row = [None] * len(headers)
    for header, value in values.items():
        row[headers.index(header)] = value
    sheet.append(row)


def test_who_may_download_it(client, call, personas):
    expected = {
        "anonymous": 302,
        "directorate": 200,
        "other_directorate": 200,
        "cvrh": 403,
        "other_cvrh": 403,
        "project_team": 200,
        "admin": 200,
    }
    for persona, status in expected.items():
        client.post("/fr/logout")
        if personas[persona] is not None:
            log_in(client, personas[persona])
        assert client.get(URL.format(lang="fr")).status_code == status, persona
    assert client.get("/fr/declarations/NOPE/blank-workbook.xlsx").status_code == 404


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_layout_in_the_users_language(client, login, call, project_team_user, lang):
    login(project_team_user)
    book, response = download(client, lang)
    expected = "Annexe-1-PIX-2023.xlsx" if lang == "fr" else "Annex-1-PIX-2023.xlsx"
    assert expected in response.headers["Content-Disposition"]
    readme = "Lisez-moi" if lang == "fr" else "Read me"
    assert book.sheetnames[0] == readme
    assert book.active.title == readme
    for sheet_layout in layout.SHEETS:
        sheet = book[sheet_layout.title(lang)]
        assert [c.value for c in sheet[1]] == [getattr(c, lang) for c in sheet_layout.columns]
        assert sheet.freeze_panes == "A2"
        assert all(sheet.column_dimensions[c].width >= 6 for c in "ABC")
        assert sheet["A1"].font.bold
    lists = book.worksheets[-1]
    assert lists.sheet_state == "hidden"
    campaigns = book[layout.CAMPAIGNS.title(lang)]
    assert campaigns.column_dimensions["C"].width == 30
    labels = choices(book, validation(campaigns, getattr(layout.PERIMETER_KIND, lang)))
    with force_locale(lang):
        assert labels == [kind.label for kind in PerimeterKind]
    assert ("Par site géographique" if lang == "fr" else "By geographic site") in labels
    yes_no = ["oui", "non"] if lang == "fr" else ["yes", "no"]
    administrators = book[layout.ADMINISTRATORS.title(lang)]
    hr = "Domaine RH ou formation confirmé" if lang == "fr" else "HR or training domain confirmed"
    assert choices(book, validation(administrators, hr)) == yes_no
    codir = "Présentation en CODIR demandée" if lang == "fr" else "CODIR presentation requested"
    assert choices(book, validation(book[layout.SUMMARY.title(lang)], codir)) == yes_no
    codes = choices(book, validation(campaigns, getattr(layout.CODE, lang)))
    assert "DREAL-PDL" in codes and "DGPR" in codes
    assert validation(campaigns, getattr(layout.CAMPAIGNS.columns[6], lang)).type == "whole"
    assert validation(campaigns, getattr(layout.CAMPAIGNS.columns[8], lang)).type == "date"


def test_the_read_me_says_what_to_fill_and_where_to_send_it(
    client, login, call, directorate_user, app
):
    login(directorate_user)
    book, response = download(client, "fr")
    assert "Annexe-1-PIX-2023-DREAL-PDL.xlsx" in response.headers["Content-Disposition"]
    text = "\n".join(
        str(value)
        for row in book["Lisez-moi"].iter_rows(values_only=True)
        for value in row
        if value
    )
    assert call.title_fr in text
    assert app.config["PORTAL_CONTACT_EMAIL"] in text
    assert "DREAL-PDL" in text and "DREAL Pays de la Loire" in text
    deadline = f"{call.deadline.day} "
    assert f"Date limite de déclaration\u00a0: {deadline}" in text
    for kind in ("Par unité, département ou service", "Par population cible",
                 "Par site géographique", "Autre"):  # fmt: skip
        assert kind in text
    assert "«\u00a0Parcours annexe 2\u00a0»" in text
    # A correspondent's lists hold its own code only, already on the summary row.
    campaigns = book["Campagnes"]
    assert choices(book, validation(campaigns, "Code direction")) == ["DREAL-PDL"]
    assert book["Synthèse"]["A2"].value == "DREAL-PDL"
    paths = [row[0] for row in book["Parcours annexe 2"].iter_rows(min_row=2, values_only=True)]
    active = db.session.scalars(select(LearningPath.code).where(LearningPath.active.is_(True)))
    assert set(paths) == set(active)


def _fill(book, lang: str, path_code: str) -> bytes:
    """Fill the blank workbook as a correspondent would, with the lists' labels."""
    fr = lang == "fr"
    campaigns = book["Campagnes" if fr else "Campaigns"]
    perimeter = "Organisation du périmètre" if fr else "Perimeter organised"
    code_header = "Code direction" if fr else "Directorate code"
    code = "DREAL-PDL"
    assert code in choices(book, validation(campaigns, code_header))
    kinds = choices(book, validation(campaigns, perimeter))
    yes, _no = choices(book, validation(book["Synthèse" if fr else "Summary"],
                                        "Présentation en CODIR demandée" if fr
                                        else "CODIR presentation requested"))  # fmt: skip
    summary = book["Synthèse" if fr else "Summary"]
    summary["B2"] = yes
    summary["C2"] = "Réponse « par courriel » – l’équipe"
    headers = [c.value for c in campaigns[1]]
    append(
        campaigns,
        dict(
            zip(
                headers,
                [
                    code,
                    1,
                    "Agents du siège",
                    kinds[0],
                    "Secrétariat général",
                    "Assistants",
                    50,
                    40,
                    datetime(2026, 9, 1),
                    datetime(2026, 12, 15),
                    path_code,
                    "Bureautique",
                ],
                strict=True,
            )
        ),
    )
    append(campaigns, dict(zip(headers[:10], [
        code, 2, "Encadrement", kinds[1], "Tous les cadres", "Managers", 20, 20,
        datetime(2026, 10, 1), datetime(2026, 11, 30),
    ], strict=True)))  # fmt: skip
    ambassadors = book["Ambassadeurs" if fr else "Ambassadors"]
    headers = [c.value for c in ambassadors[1]]
    append(
        ambassadors,
        dict(
            zip(headers[:5], [code, 1, "Lefèvre", "Éric", "eric.lefevre@example.org"], strict=True)
        ),
    )
    administrators = book["Administrateurs PIX Orga" if fr else "PIX Orga administrators"]
    headers = [c.value for c in administrators[1]]
    append(administrators, dict(zip(headers, [
        code, 1, "Dupont", "Hélène", "helene.dupont@example.org", "Responsable formation", yes,
    ], strict=True)))  # fmt: skip
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _check_imported(path: LearningPath):
    db.session.expire_all()
    declaration = db.session.scalar(select(Declaration))
    assert declaration.directorate.code == "DREAL-PDL"
    assert declaration.status is DeclarationStatus.SUBMITTED
    assert declaration.wants_codir is True
    assert declaration.comments == "Réponse « par courriel » – l’équipe"
    first, second = declaration.campaigns
    assert (first.label, first.perimeter_kind, first.headcount, first.licences) == (
        "Agents du siège",
        PerimeterKind.UNIT,
        50,
        40,
    )
    assert first.starts_on.isoformat() == "2026-09-01"
    assert [p.code for p in first.paths] == [path.code]
    assert first.learning_paths_note == "Bureautique"
    assert second.perimeter_kind is PerimeterKind.POPULATION
    assert [a.email for a in declaration.ambassadors] == ["eric.lefevre@example.org"]
    [administrator] = declaration.administrators
    assert administrator.hr_confirmed is True


def test_round_trip_in_french_through_the_import_page(
    client, login, call, directorate_user, project_team_user
):
    path = db.session.scalar(select(LearningPath).where(LearningPath.active.is_(True)))
    login(directorate_user)
    book, _response = download(client, "fr")
    filled = _fill(book, "fr", path.code)
    client.post("/fr/logout")
    login(project_team_user)
    response = client.post(
        "/en/declarations/PIX-2023/import",
        data={"workbook": (io.BytesIO(filled), "annexe-1-dreal-pdl.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    _check_imported(path)


def test_round_trip_in_english_through_the_command_line(
    client, login, call, project_team_user, runner, tmp_path
):
    path = db.session.scalar(select(LearningPath).where(LearningPath.active.is_(True)))
    login(project_team_user)
    book, _response = download(client, "en")
    # The project team's workbook offers every code (and fills none): the directorate's is
    # picked from the list.
    codes = choices(book, validation(book["Campaigns"], "Directorate code"))
    assert codes == sorted(db.session.scalars(select(Directorate.code)))
    assert book["Summary"]["A2"].value is None
    book["Summary"]["A2"] = "DREAL-PDL"
    target = tmp_path / "annex-1.xlsx"
    target.write_bytes(_fill(book, "en", path.name_en))
    result = runner.invoke(args=["declarations", "import", str(target), "--call", "PIX-2023"])
    assert result.exit_code == 0, result.output
    assert "1 declarations imported: DREAL-PDL" in result.output
    _check_imported(path)


def test_the_declaration_page_offers_it_until_the_directorate_submits(
    client, login, call, directorate_user
):
    login(directorate_user)
    page = "/fr/declarations/PIX-2023/DREAL-PDL"
    body = client.get(page).get_data(as_text=True)
    assert URL.format(lang="fr") in body
    assert "projet-pix@example.org" in body
    client.post(EDIT_URL.format(lang="fr"), data=complete_form(submit_declaration="1"))
    assert URL.format(lang="fr") not in client.get(page).get_data(as_text=True)


def test_the_project_team_finds_it_beside_the_import(client, login, call, project_team_user):
    login(project_team_user)
    assert URL.format(lang="fr") in client.get("/fr/declarations/PIX-2023/").get_data(as_text=True)
    body = client.get("/fr/declarations/PIX-2023/import").get_data(as_text=True)
    assert URL.format(lang="fr") in body


def test_a_path_name_with_a_character_xml_cannot_hold(client, login, call, directorate_user):
    # U+FFFE passed openpyxl's own check, then writing the workbook failed: a server error.
    path = db.session.scalar(select(LearningPath).where(LearningPath.active.is_(True)).limit(1))
    path.name_fr = "Données\ufffe et \uffffsécurité\x07"
    db.session.commit()
    login(directorate_user)
    book, _response = download(client)
    names = [row[1].value for row in book[book.sheetnames[-2]].iter_rows(min_row=2)]
    assert "Données et sécurité" in names


def test_the_reminder_links_to_it(client, login, call, directorate_user, project_team_user):
    login(project_team_user)
    client.post("/fr/declarations/PIX-2023/remind")
    [message] = [m for m in outbox() if m.recipients == directorate_user.email]
    assert "http://portal.test/fr/declarations/PIX-2023/blank-workbook.xlsx" in message.body
