"""The import refuses what cannot be stored and files that would exhaust the server."""

import io
import tracemalloc
import zlib

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.declarations import importer
from app.declarations.models import Ambassador, Declaration
from app.extensions import db
from tests.archives import (
    MB,
    members_of,
    post_file,
    write_xlsx,
    write_zip,
    zeros_member,
    zip_bomb,
)
from tests.declarations.test_import import END, START, make_workbook

AMBASSADORS = ["Code direction", "N°", "Nom", "Prénom", "Adresse électronique"]


def _count(model=Declaration) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _upload(client, content: bytes, lang="en"):
    response = post_file(client, f"/{lang}/declarations/PIX-2023/import", "workbook", content)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _campaign(headcount, licences=1, label="Risques"):
    return ["DGPR", 1, label, "unit", "Tous", "Tous", headcount, licences, START, END]


@pytest.mark.parametrize("number", [99999999999999999999, 2**63, -(2**63) - 1, 1e20, 1_000_001,
                                    "99999999999999999999", "-1"])  # fmt: skip
def test_numbers_out_of_range_are_refused_with_their_row(client, login, call, project_team_user,
                                                         number):  # fmt: skip
    login(project_team_user)
    page = _upload(client, make_workbook(campaigns=[_campaign(10, 5), _campaign(number)]))
    assert "Nothing imported" in page
    assert "<td>Campagnes</td><td>3</td><td>Enter a whole number from 0 to 1,000,000.</td>" in page
    assert _count() == 0


@pytest.mark.parametrize("number", ["١٢", "１２", "1²"])
def test_digits_of_other_scripts_are_refused(client, login, call, project_team_user, number):
    login(project_team_user)
    page = _upload(client, make_workbook(campaigns=[_campaign(number)]))
    assert f"Not a whole number: {number}." in page
    assert _count() == 0


def _letters(number: int) -> str:
    return "Lou" + "".join(chr(ord("a") + int(digit)) for digit in str(number))


def test_more_rows_than_the_form_allows_are_refused(client, login, call, project_team_user):
    login(project_team_user)
    people = [["DGPR", n, "Durand", _letters(n), f"lou{n}@example.org"] for n in range(1, 52)]
    page = _upload(client, make_workbook(ambassadors=people))
    assert "DGPR: This list has 51 rows: 50 at most are allowed." in page
    assert _count() == 0
    content = make_workbook(ambassadors=people[:50])
    response = post_file(client, "/en/declarations/PIX-2023/import", "workbook", content)
    assert response.status_code == 302
    assert _count(Ambassador) == 50


def test_text_longer_than_its_column_is_refused(client, login, call, project_team_user):
    login(project_team_user)
    content = make_workbook(campaigns=[_campaign(10, label="L" * 201)],
                            summary=[["DGPR", "oui", "é" * 5001]])  # fmt: skip
    page = _upload(client, content)
    assert "<td>Campagnes</td><td>2</td><td>Use 200 characters at most.</td>" in page
    assert "<td>Synthèse</td><td>2</td><td>Use 5000 characters at most.</td>" in page
    assert _count() == 0


def test_a_date_too_far_for_a_date_is_refused(client, login, call, project_team_user):
    login(project_team_user)
    book = load_workbook(io.BytesIO(make_workbook(campaigns=[_campaign(10)])))
    book["Campagnes"]["I2"] = 1e20
    book["Campagnes"]["I2"].number_format = "DD/MM/YYYY"
    stream = io.BytesIO()
    book.save(stream)
    with pytest.warns(UserWarning, match="outside the limits for dates"):
        page = _upload(client, stream.getvalue())
    assert "Not a date: #VALUE!." in page
    assert _count() == 0


def _hundred_thousand_rows() -> bytes:
    header = ["Code direction", "N°", "Libellé", "Organisation du périmètre", "Périmètre",
              "Population cible", "Agents concernés", "Licences", "Début prévu",
              "Fin prévue"]  # fmt: skip
    people = (["DGPR", n, "Durand", "Lou", f"lou{n}@example.org"] for n in range(1, 100_001))
    return write_xlsx({
        "Campagnes": [header, ["DGPR", 1, "Risques", "unit", "Tous", "Tous", 10, 5,
                               "2026-09-01", "2026-10-01"]],
        "Ambassadeurs": [AMBASSADORS, *people],
        "Administrateurs PIX Orga": [[*AMBASSADORS, "Fonction", "Domaine RH ou formation confirmé"],
                                     ["DGPR", 1, "Roy", "Max", "max@example.org", "RH", "oui"]],
    })  # fmt: skip


def test_a_workbook_of_100000_rows_is_refused_without_a_row_saved(client, login, call,
                                                                   project_team_user):  # fmt: skip
    login(project_team_user)
    page = _upload(client, _hundred_thousand_rows())
    assert ("The sheet Ambassadeurs has more than 10,000 rows: nothing was imported. "
            "Split the workbook into several files.") in page  # fmt: skip
    assert 'id="workbook-messages"' in page
    assert _count() == 0
    assert _count(Ambassador) == 0


def test_a_zip_bomb_is_refused_before_it_is_read(client, login, call, project_team_user):
    login(project_team_user)
    bomb = zip_bomb(1024, around=make_workbook())
    assert len(bomb) < 1.2 * MB  # 1 GB once decompressed
    page = _upload(client, bomb)
    assert "Once decompressed, the file would be larger than 50 MB." in page
    assert _count() == 0


def test_an_entry_compressed_too_much_is_refused(client, login, call, project_team_user):
    login(project_team_user)
    members = [m for m in members_of(make_workbook()) if m[0] != "xl/sharedStrings.xml"]
    page = _upload(client, write_zip([*members, zeros_member("xl/sharedStrings.xml", 20)]))
    assert "The file is compressed so much that it could hide a much larger content" in page
    assert _count() == 0


def test_an_archive_that_lies_about_its_sizes_is_refused(client, login, call, project_team_user):
    login(project_team_user)
    page = _upload(client, _lying_workbook())
    assert "The file is not an Excel workbook (.xlsx) that can be read." in page
    assert _count() == 0


def test_an_archive_of_too_many_entries_is_refused(client, login, call, project_team_user):
    login(project_team_user)
    extra = [(f"customXml/item{n}.xml", zlib.compress(b"")[2:-4], 0, 0) for n in range(600)]
    page = _upload(client, write_zip([*members_of(make_workbook()), *extra]))
    assert "The file is made of too many parts (500 at most)." in page
    assert _count() == 0


def test_entity_expansion_in_a_sheet_is_refused(client, login, call, project_team_user):
    login(project_team_user)
    laughs = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE lolz [' + "".join(laughs) + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    content = write_xlsx({"Campagnes": [["x"]], "Ambassadeurs": [["x"]],
                          "Administrateurs PIX Orga": [["x"]]})  # fmt: skip
    members = [m for m in members_of(content) if m[0] != "xl/worksheets/sheet2.xml"]
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = compressor.compress(sheet) + compressor.flush()
    bomb = ("xl/worksheets/sheet2.xml", data, zlib.crc32(sheet), len(sheet))
    page = _upload(client, write_zip([*members, bomb]))
    assert "The file is not an Excel workbook (.xlsx) that can be read." in page
    assert _count() == 0


def _lying_workbook() -> bytes:
    members = [m for m in members_of(make_workbook()) if m[0] != "xl/worksheets/sheet1.xml"]
    return write_zip([*members, zeros_member("xl/worksheets/sheet1.xml", 30, announced=1000)])


@pytest.mark.parametrize("build", [lambda: zip_bomb(1024, around=make_workbook()),
                                   _lying_workbook])  # fmt: skip
def test_refusing_a_file_that_would_exhaust_the_server_takes_little_memory(call, build):
    content = build()
    tracemalloc.start()
    try:
        with pytest.raises(importer.FileRefused):
            importer.import_workbook(io.BytesIO(content), call, None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * MB, f"{peak / MB:.0f} MB"


def test_the_command_line_refuses_a_zip_bomb(runner, call, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(zip_bomb(1024, around=make_workbook()))
    result = runner.invoke(args=["declarations", "import", str(path), "--call", "PIX-2023"])
    assert result.exit_code != 0
    assert "Une fois décompressé" in result.output or "larger than 50 MB" in result.output
    assert _count() == 0
