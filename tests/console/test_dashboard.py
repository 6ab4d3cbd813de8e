"""The follow-up console: figures against a known data set, links to the lists, access."""

import re
from html import unescape

import pytest

URL = "/en/console/PIX-2023/"


def page(client, query=""):
    response = client.get(URL + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def numbers(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-number="(\w+)">([^<]+)<', html))


def figure_table(html: str, key: str) -> dict[str, tuple[str, ...]]:
    """Return the rows of a figure's data table: group → (link, value[, total])."""
    table = html.split(f'id="table-{key}"')[1].split("</table>")[0]
    rows = {}
    for group, body in re.findall(r'<tr data-group="([^"]*)">(.*?)</tr>', table, re.S):
        link = unescape(re.search(r'href="([^"]+)"', body).group(1))
        values = re.findall(r"<td[^>]*>([^<]*)</td>", body)
        rows[group] = (link, *values)
    return rows


def test_key_figures_match_the_data_set(client, login, known, project_team_user):
    login(project_team_user)
    assert numbers(page(client)) == {
        "directorates": "48",
        "answered": "2",
        "unanswered": "46",
        "late": "0",
        "campaigns": "6",
        "licences": "240",
        "ambassadors": "4",
        "administrators": "3",
    }


def test_status_figure_and_its_links(client, login, known, project_team_user):
    login(project_team_user)
    html = page(client)
    status = figure_table(html, "status")
    assert status["not_started"][1:] == ("45",)
    assert status["submitted"][1:] == ("1",)
    assert status["accepted"][1:] == ("1",)
    assert status["draft"][1:] == ("1",)
    assert status["corrections_requested"][1:] == ("0",)
    assert status["submitted"][0] == "/en/declarations/PIX-2023/?status=submitted"
    listed = client.get(status["submitted"][0]).get_data(as_text=True)
    assert re.findall(r'<tr data-directorate="([^"]+)"', listed) == ["DREAL-PDL"]
    # The bars are drawn to scale, with the value for each.
    assert 'data-value="45"' in html


def test_groups_count_answered_out_of_total(client, login, known, project_team_user):
    login(project_team_user)
    html = page(client)
    types = figure_table(html, "type")
    assert types["dreal"][1:3] == ("1", "12")
    assert types["central"][1:3] == ("1", "7")
    assert types["dreal"][0] == "/en/declarations/PIX-2023/?type=dreal"
    cvrh = figure_table(html, "cvrh")
    assert cvrh["CVRH-NANTES"][1] == "1"
    licences = figure_table(html, "licences")
    assert licences["dreal"][1] == "145"
    assert licences["central"][1] == "95"
    codir = figure_table(html, "codir")
    assert codir["scheduled"][1] == "1"
    assert codir["requested"][1] == "0"
    assert codir["scheduled"][0] == "/en/codir/?status=scheduled"


def test_filters_apply_to_figures_links_and_exports(client, login, known, project_team_user):
    login(project_team_user)
    html = page(client, "cvrh=CVRH-NANTES")
    assert numbers(html)["answered"] == "1"
    assert numbers(html)["licences"] == "140"
    status = figure_table(html, "status")
    assert status["submitted"][0] == "/en/declarations/PIX-2023/?cvrh=CVRH-NANTES&status=submitted"
    assert (
        figure_table(html, "codir")["scheduled"][0]
        == "/en/codir/?cvrh=CVRH-NANTES&status=scheduled"
    )
    assert 'action="/en/exports/PIX-2023/workbook.xlsx?cvrh=CVRH-NANTES"' in html
    answered = page(client, "status=answered")
    assert numbers(answered)["directorates"] == "2"


def test_the_previous_export_is_announced(client, login, known, project_team_user):
    login(project_team_user)
    assert "This is your first export of this call" in page(client)
    with client.post("/en/exports/PIX-2023/summary.csv"):
        pass
    assert "Your previous export of this call was on" in page(client)


def test_french_page(client, login, known, project_team_user):
    login(project_team_user)
    html = client.get("/fr/console/PIX-2023/").get_data(as_text=True)
    assert "Déclarations par état" in html
    assert "Classeur (XLSX)" in html


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
@pytest.mark.parametrize("url", ["/fr/console/", "/fr/console/PIX-2023/"])
def test_only_the_project_team_sees_the_console(client, login, personas, persona, expected, url):
    if personas[persona]:
        login(personas[persona])
    assert client.get(url).status_code == expected


def test_unknown_call(client, login, project_team_user):
    login(project_team_user)
    assert client.get("/en/console/NOPE/").status_code == 404


def test_staff_home_leads_to_the_console(client, login, known, project_team_user):
    login(project_team_user)
    home = client.get("/en/home").get_data(as_text=True)
    assert 'href="/en/console/PIX-2023/"' in home
