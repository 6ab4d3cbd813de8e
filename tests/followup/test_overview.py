"""The skills follow-up of a call, for the project team and the CVRHs: figures worked out by
hand (tests/followup/aggregates.py), small groups hidden everywhere, access, query budget."""

import re

import pytest

from app.auth.models import Role
from app.followup.models import CampaignKind
from tests.conftest import make_user
from tests.followup import aggregates
from tests.queries import count_queries

URL = "/fr/followup/skills/PIX-2023/"
HIDDEN = "moins de 5"


def row_of(html: str, attribute: str, value: str) -> str:
    """Return the HTML of the table row carrying data-attribute="value" (the first one)."""
    found = re.search(rf'<tr {attribute}="{re.escape(value)}">(.*?)</tr>', html, re.S)
    assert found, f"no row {attribute}={value}"
    return found.group(1)


def cell(row: str, name: str) -> str:
    """Return the text of a row's cell data-cell="name", spaces normalised."""
    found = re.search(rf'data-cell="{name}">(.*?)</td>', row, re.S)
    assert found, f"no cell {name}"
    text = re.sub(r"<[^>]+>", " ", found.group(1))
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def number(html: str, key: str) -> str:
    """Return a key figure of the page."""
    found = re.search(rf'data-number="{key}">(.*?)</p>', html, re.S)
    assert found, f"no key figure {key}"
    return " ".join(found.group(1).replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture
def dataset(app):
    aggregates.load()


@pytest.fixture
def staff_page(client, login, project_team_user, dataset):
    login(project_team_user)

    def get(query: str = "") -> str:
        response = client.get(URL + query)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return get


def test_national_key_figures_match_the_hand_computed_set(staff_page):
    html = staff_page()
    # Participations: A 10 + B2 6 + C 20 (B1 has 3: left out); population 20 + 12 + 40.
    assert number(html, "participants") == "36"
    assert number(html, "participation") == "50 %"
    # Every target: A 6/8 and C 8/10 (B1 and B2 have fewer than 5 shared: left out).
    assert number(html, "reached") == "78 %"
    assert number(html, "left_out") == "2"
    assert number(html, "results") == "4"  # A, B1, B2, C
    assert number(html, "planned") == "5"


def test_follow_up_states_of_the_directorates(staff_page):
    html = staff_page()
    counts = {
        state: re.search(r"<td>(\d+)</td>", row_of(html, "data-state", state)).group(1)
        for state in ("results", "planned", "no_plan")
    }
    assert counts == {"results": "3", "planned": "1", "no_plan": "1"}


def test_directorate_rows_hide_small_figures(staff_page):
    html = staff_page()
    pdl = row_of(html, "data-directorate", "DREAL-PDL")
    assert cell(pdl, "participants") == "10"
    assert cell(pdl, "participation") == "50 %"
    assert cell(pdl, "reached") == "75 %"
    # DREAL-BRE: campaign 1 (3 people) is left out; campaign 2 has 6 participations but only
    # 2 shared, so no share of targets reached can be shown.
    bre = row_of(html, "data-directorate", "DREAL-BRE")
    assert cell(bre, "participants") == "6"
    assert cell(bre, "participation") == "50 %"
    assert cell(bre, "reached") == HIDDEN
    dir_o = row_of(html, "data-directorate", "DIR-O")
    assert cell(dir_o, "state") == "Plan défini, pas encore de résultats"
    assert cell(dir_o, "participants") == "—"


def test_no_hidden_figure_can_be_worked_out_by_subtraction(staff_page):
    """Every total is the sum of the shown parts: nothing is left to subtract."""
    html = staff_page()
    total = int(number(html, "participants"))
    shown = []
    for code in ("DREAL-PDL", "DREAL-BRE", "DREAL-ARA", "DIR-O", "DGEC"):
        value = cell(row_of(html, "data-directorate", code), "participants")
        shown.append(0 if value == "—" else int(value))
    assert sum(shown) == total
    for grouping in ("type", "region", "cvrh"):
        table = re.search(rf'id="table-{grouping}"(.*?)</table>', html, re.S).group(1)
        values = [
            cell(row, "participants")
            for row in re.findall(r"<tr data-group=[^>]*>(.*?)</tr>", table, re.S)
        ]
        assert sum(int(v) for v in values if v.isdigit()) == total, grouping
    # Bretagne holds DREAL-BRE (3 + 6) and DIR-O: only the 6 shown add up.
    region = re.search(r'id="table-region"(.*?)</table>', html, re.S).group(1)
    assert cell(row_of(region, "data-group", "Bretagne"), "participants") == "6"


def test_competence_grid(staff_page):
    html = staff_page()
    grid = re.search(r'id="table-competences"(.*?)</table>', html, re.S).group(1)
    interact = row_of(grid, "data-competence", "2.1")
    assert re.search(r"<td>4</td>", interact)  # targeted by A, B1, B2, C
    assert cell(interact, "reached") == "78 %"  # (6 + 8) / (8 + 10)
    # Levels of A and C (18 shared): the 9th and 10th are 2 and 3.
    assert cell(interact, "level") == "2,5"
    assert cell(interact, "band") == "—"
    secure = row_of(grid, "data-competence", "4.1")
    assert re.search(r"<td>2</td>", secure)  # C and D
    assert cell(secure, "reached") == "100 %"
    assert cell(secure, "level") == "1"
    assert 'href="/fr/competences/2.1"' in interact  # its learning paths and resources
    untouched = row_of(grid, "data-competence", "5.1")
    assert cell(untouched, "reached") == "—"


def test_competences_by_group(staff_page):
    html = staff_page("?by=cvrh")
    matrix = re.search(r'id="table-matrix"(.*?)</table>', html, re.S).group(1)
    row = row_of(matrix, "data-competence", "2.1")
    nantes = re.search(r'data-group="CVRH-NANTES">(.*?)</td>', row, re.S).group(1)
    assert "75 %" in nantes  # A only: B1 and B2 are left out
    assert "niveau médian 2" in nantes
    clermont = re.search(r'data-group="CVRH-CLERMONT">(.*?)</td>', row, re.S).group(1)
    assert "80 %" in clermont


def test_filters_and_links(staff_page):
    html = staff_page("?cvrh=CVRH-CLERMONT")
    assert number(html, "participants") == "20"
    assert 'data-directorate="DREAL-PDL"' not in html
    html = staff_page("?state=planned")
    assert 'data-directorate="DIR-O"' in html
    assert 'data-directorate="DREAL-PDL"' not in html
    assert number(html, "participants") == "—"
    # A group's row leads to the same page filtered by that group.
    assert "?cvrh=CVRH-NANTES#directorates" in staff_page().replace("&amp;", "&")


@pytest.mark.app_config(FOLLOWUP_MIN_GROUP=2)
def test_the_minimum_group_is_a_setting(staff_page):
    html = staff_page()
    assert number(html, "participants") == "39"  # B1's 3 participations now count
    bre = row_of(html, "data-directorate", "DREAL-BRE")
    assert cell(bre, "reached") == "60 %"  # (2 + 1) / (3 + 2)
    assert "\xab\xa0moins de 2\xa0\xbb" in html  # the explanation follows the setting
    assert ">moins de 2</td>" not in html


def test_cvrh_sees_its_directorates_with_the_largest_gaps_first(client, login, cvrh_user, dataset):
    login(cvrh_user)
    html = client.get(URL).get_data(as_text=True)
    assert number(html, "participants") == "16"  # A 10 + B2 6
    assert number(html, "reached") == "75 %"
    assert 'data-directorate="DREAL-ARA"' not in html
    assert 'data-directorate="DGEC"' not in html
    grid = re.search(r'id="table-competences"(.*?)</table>', html, re.S).group(1)
    order = re.findall(r'<tr data-competence="([0-9.]+)">', grid)
    assert order[0] == "2.1"  # the only competence with a gap shown (25 %)


def test_other_cvrh_sees_only_its_own(client, login, other_cvrh_user, dataset):
    login(other_cvrh_user)
    html = client.get(URL).get_data(as_text=True)
    assert 'data-directorate="DREAL-ARA"' in html
    assert 'data-directorate="DREAL-PDL"' not in html
    assert number(html, "participants") == "20"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("directorate", 403),
        ("other_directorate", 403),
        ("cvrh", 200),
        ("other_cvrh", 200),
        ("project_team", 200),
        ("admin", 200),
    ],
)
def test_access(client, login, personas, persona, status):
    if personas[persona]:
        login(personas[persona])
    assert client.get(URL).status_code == status
    assert client.get("/fr/followup/skills/").status_code == status


def test_pixorga_administrators_do_not_reach_the_aggregates(client, login, app):
    user = make_user("nadia.fabre@example.org", Role.PIXORGA_ADMIN, directorate="DREAL-PDL")
    login(user)
    assert client.get(URL).status_code == 403


def test_unknown_call_and_hostile_parameters(staff_page, client):
    assert client.get("/fr/followup/skills/NOPE/").status_code == 404
    html = staff_page("?state=%3Cscript%3E&by=nope&sort=x&region=%27%22")
    assert "<script>" not in html
    assert client.get(URL + "?page=999").status_code == 404
    assert client.get(URL + "?page=abc").status_code == 404


def test_the_page_is_in_english_too(client, login, project_team_user, dataset):
    login(project_team_user)
    html = client.get("/en/followup/skills/PIX-2023/").get_data(as_text=True)
    bre = row_of(html, "data-directorate", "DREAL-BRE")
    assert cell(bre, "reached") == "fewer than 5"


def test_query_count_does_not_grow_with_directorates(client, login, project_team_user, dataset):
    login(project_team_user)
    client.get(URL)
    with count_queries() as before:
        assert client.get(URL).status_code == 200
    for code in ("DREAL-NA", "DREAL-OCC", "DIRM-NAMO"):
        aggregates.add_campaign(
            code, 1, 12, {"1.1": 2, "2.1": 2}, [aggregates.shared(c1_1=2, c2_1=3)] * 6
        )
        aggregates.add_campaign(code, 2, 8, {"3.1": 1})
    with count_queries() as after:
        assert client.get(URL).status_code == 200
    selects = [
        [q for q in found if q.lstrip().upper().startswith("SELECT")] for found in (before, after)
    ]
    assert len(selects[1]) == len(selects[0])
    assert "DREAL-NA" in client.get(URL + "?type=dreal").get_data(as_text=True)


def test_assessments_show_their_median_mastery_band(staff_page):
    # Mastery on 2.1 of five shared participations: the middle one is 64 %.
    aggregates.add_campaign(
        "DREAL-OCC",
        1,
        10,
        {"2.1": 60},
        [aggregates.Row(True, {"2.1": value}) for value in (0.3, 0.62, 0.64, 0.65, 0.7)],
        kind=CampaignKind.ASSESSMENT,
    )
    html = staff_page()
    grid = re.search(r'id="table-competences"(.*?)</table>', html, re.S).group(1)
    assert cell(row_of(grid, "data-competence", "2.1"), "band") == "60–69 %"
    matrix = re.search(r'id="table-matrix"(.*?)</table>', html, re.S).group(1)
    assert "maîtrise médiane 60–69 %" in " ".join(
        row_of(matrix, "data-competence", "2.1").replace("\xa0", " ").split()
    )
