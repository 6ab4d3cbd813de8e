"""The console and the consolidated export show requested, granted, gap and the pool left."""

import io
import re

import pytest
from openpyxl import load_workbook

from tests.exports.test_csv_and_cli import get, read_csv
from tests.licences.conftest import grant, set_pool

CONSOLE_URL = "/{lang}/console/PIX-2023/"
WORKBOOK_URL = "/{lang}/exports/PIX-2023/workbook.xlsx"


@pytest.fixture
def granted_call(client, login, known, project_team_user):
    """A pool of 300; DREAL-PDL granted 100 of its 140, DGPR its 95; DREAL-ARA's draft (5)."""
    login(project_team_user)
    set_pool(client, 300)
    grant(client, "DREAL-PDL", 100, "Première vague")
    grant(client, "DGPR", 95)


def _lines(html: str) -> dict[str, tuple[str, str, str]]:
    """Return the console's licence table: group → (requested, granted, gap)."""
    table = html.split('id="table-licences-granted"')[1].split("</table>")[0]
    lines = {}
    for key, body in re.findall(r'<tr data-licences="([^"]+)">(.*?)</tr>', table, re.S):
        cells = dict(re.findall(r'<td data-cell="(\w+)">([^<]*)</td>', body))
        lines[key] = (cells["requested"], cells["granted"], cells["gap"])
    return lines


def _pool(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-pool="(\w+)">([^<]+)<', html))


def test_the_console_shows_requested_granted_gap_and_pool_left(client, granted_call):
    html = client.get(CONSOLE_URL.format(lang="en")).get_data(as_text=True)
    lines = _lines(html)
    assert lines["dreal"] == ("145", "100", "-45")
    assert lines["central"] == ("95", "95", "0")
    assert lines["dir"] == ("0", "0", "0")  # every type of the directorates shown
    assert lines["total"] == ("240", "195", "-45")
    assert list(lines)[-1] == "total"
    assert _pool(html) == {"pool": "300", "granted": "195", "left": "105"}
    assert 'href="/en/licences/PIX-2023/"' in html


def test_the_console_filters_narrow_the_table_not_the_pool(client, granted_call):
    html = client.get(CONSOLE_URL.format(lang="en") + "?type=central").get_data(as_text=True)
    assert _lines(html) == {"central": ("95", "95", "0"), "total": ("95", "95", "0")}
    assert _pool(html) == {"pool": "300", "granted": "195", "left": "105"}


def test_the_console_without_a_pool(client, login, known, project_team_user):
    login(project_team_user)
    html = client.get(CONSOLE_URL.format(lang="fr")).get_data(as_text=True)
    assert _pool(html) == {"pool": "non fixée", "granted": "0", "left": "non fixée"}
    assert _lines(html)["total"] == ("240", "0", "-240")


def test_the_pool_page_lists_requested_granted_and_gap(client, granted_call):
    html = client.get("/en/licences/PIX-2023/").get_data(as_text=True)
    rows = {}
    for code, body in re.findall(r'<tr data-directorate="([^"]+)">(.*?)</tr>', html, re.S):
        rows[code] = tuple(re.findall(r'<td data-cell="\w+">([^<]*)</td>', body))
    # Submitted or accepted declarations only: DREAL-ARA's draft is not listed.
    assert rows == {"DREAL-PDL": ("140", "100", "-40"), "DGPR": ("95", "95", "0")}


def _workbook(client, lang):
    with client.post(WORKBOOK_URL.format(lang=lang)) as response:
        assert response.status_code == 200
        return load_workbook(io.BytesIO(response.data))


def _by_code(sheet) -> dict[str, dict]:
    header, *rows = sheet.iter_rows(values_only=True)
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


@pytest.mark.parametrize(
    ("lang", "summary", "granted", "gap", "requested"),
    [
        ("en", "Summary", "Licences granted", "Gap (granted − requested)", "Licences requested"),
        ("fr", "Synthèse", "Licences accordées", "Écart (accordées − demandées)",
         "Licences demandées"),
    ],
)  # fmt: skip
def test_the_workbook_summary_has_granted_and_gap_per_directorate(
    client, granted_call, lang, summary, granted, gap, requested
):
    rows = _by_code(_workbook(client, lang)[summary])
    assert (rows["DREAL-PDL"][requested], rows["DREAL-PDL"][granted], rows["DREAL-PDL"][gap]) == (
        140,
        100,
        -40,
    )
    assert (rows["DGPR"][granted], rows["DGPR"][gap]) == (95, 0)
    # Not granted yet: empty cells, not zero.
    assert (rows["DREAL-ARA"][granted], rows["DREAL-ARA"][gap]) == (None, None)
    assert (rows["DREAL-BRE"][granted], rows["DREAL-BRE"][gap]) == (None, None)


def test_the_workbook_licences_sheet_has_the_pool_and_what_is_left(client, granted_call):
    book = _workbook(client, "en")
    assert book.sheetnames[:2] == ["Summary", "Licences"]
    header, *rows = book["Licences"].iter_rows(values_only=True)
    assert header == ("Figure", "Licences")
    assert dict(rows) == {
        "Pool of the call": 300,
        "Granted in the call, every directorate": 195,
        "Left to grant in the call": 105,
        "Requested by the directorates listed": 240,
        "Granted to the directorates listed": 195,
        "Gap (granted − requested) of the directorates listed": -45,
    }
    french = dict(list(_workbook(client, "fr")["Licences"].iter_rows(values_only=True))[1:])
    assert french["Dotation de l’appel"] == 300
    assert french["Reste à accorder dans l’appel"] == 105


def test_a_filtered_workbook_keeps_the_call_pool(client, granted_call):
    with client.post(WORKBOOK_URL.format(lang="en") + "?type=central") as response:
        book = load_workbook(io.BytesIO(response.data))
    figures = dict(list(book["Licences"].iter_rows(values_only=True))[1:])
    assert figures["Left to grant in the call"] == 105
    assert figures["Requested by the directorates listed"] == 95
    assert figures["Gap (granted − requested) of the directorates listed"] == 0


def test_the_csv_files_have_the_same_figures(client, granted_call):
    status, _headers, data = get(client, "/fr/exports/PIX-2023/summary.csv")
    assert status == 200
    header, *rows = read_csv(data)
    pdl = dict(zip(header, next(r for r in rows if r[0] == "DREAL-PDL"), strict=True))
    assert (pdl["Licences accordées"], pdl["Écart (accordées − demandées)"]) == ("100", "-40")
    status, _headers, data = get(client, "/en/exports/PIX-2023/licences.csv")
    assert status == 200
    header, *rows = read_csv(data)
    assert header == ["Figure", "Licences"]
    assert dict(rows)["Left to grant in the call"] == "105"
