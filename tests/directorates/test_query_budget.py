"""Directorate pages send a fixed number of statements, whatever the number of directorates."""

import pytest

import tests.budget as budget

PAGES = [
    ("directorate", "/fr/directorates/"),
    ("directorate", "/fr/directorates/{directorate}"),
    ("cvrh", "/fr/directorates/"),
    ("cvrh", "/fr/directorates/{directorate}"),
    ("project_team", "/fr/directorates/"),
    ("project_team", "/fr/directorates/?q=direction&type=dreal"),
    ("project_team", "/fr/directorates/{directorate}"),
    ("admin", "/fr/directorates/"),
    ("admin", "/fr/directorates/{directorate}"),
]


@pytest.fixture(scope="module")
def measured(database_url):
    """Count the statements of every page once, on the small then the large data set."""
    return budget.measure(database_url, PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[f"{who}:{url}" for who, url in PAGES])
def test_the_page_keeps_to_the_budget(measured, page):
    budget.check(measured[page])
