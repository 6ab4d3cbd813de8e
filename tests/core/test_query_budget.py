"""Homes, declarations, console and skills follow-up send a fixed number of statements at any size.

The pages of the other areas are measured in their own folders (`test_query_budget.py`).
"""

import pytest

from tests.budget import check, measure

PAGES = [
    ("anonymous", "/fr/"),
    ("directorate", "/fr/"),
    ("cvrh", "/fr/"),
    ("project_team", "/fr/"),
    ("admin", "/fr/"),
    ("directorate", "/fr/home"),
    ("cvrh", "/fr/home"),
    ("project_team", "/fr/home"),
    ("admin", "/fr/home"),
    ("pixorga_admin", "/fr/home"),
    ("directorate", "/fr/declarations/"),
    ("directorate", "/fr/declarations/{call}/{directorate}"),
    ("directorate", "/fr/declarations/{call}/{directorate}/edit"),
    ("cvrh", "/fr/declarations/{call}/"),
    ("project_team", "/fr/declarations/{call}/"),
    ("project_team", "/fr/declarations/{call}/{directorate}"),
    ("project_team", "/fr/console/{call}/"),
    ("cvrh", "/fr/followup/skills/{call}/"),
]


@pytest.fixture(scope="module")
def measured(database_url):
    """Statements of every page, on the small and the large data set (built once)."""
    return measure(database_url, PAGES)


@pytest.mark.parametrize(("persona", "page"), PAGES)
def test_statements_do_not_grow_with_the_data(measured, persona, page):
    check(measured[persona, page])
