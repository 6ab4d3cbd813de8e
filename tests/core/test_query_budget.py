"""Homes, declarations, console and skills follow-up send a fixed number of statements at any size.

The homes and the declaration lists count each user's unread messages, and the declaration
page reads its conversation: the data set grows the conversations too (`tests/scale.py`).

The pages of the other areas are measured in their own folders (`test_query_budget.py`).
"""

import pytest

from tests.budget import BUDGET, CONSOLE_BUDGET, DECLARATION_PAGE_BUDGET, check, measure

DECLARATION_PAGE = "/fr/declarations/{call}/{directorate}"
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
    ("directorate", DECLARATION_PAGE),
    ("cvrh", DECLARATION_PAGE),
    ("admin", DECLARATION_PAGE),
    ("directorate", "/fr/declarations/{call}/{directorate}/edit"),
    ("cvrh", "/fr/declarations/{call}/"),
    ("project_team", "/fr/declarations/{call}/"),
    ("project_team", DECLARATION_PAGE),
    ("project_team", "/fr/console/{call}/"),
    ("cvrh", "/fr/followup/skills/{call}/"),
]


@pytest.fixture(scope="module")
def measured(database_url):
    """Statements of every page, on the small and the large data set (built once)."""
    return measure(database_url, PAGES)


@pytest.mark.parametrize(("persona", "page"), PAGES)
def test_statements_do_not_grow_with_the_data(measured, persona, page):
    budgets = {DECLARATION_PAGE: DECLARATION_PAGE_BUDGET, "/fr/console/{call}/": CONSOLE_BUDGET}
    check(measured[persona, page], budgets.get(page, BUDGET))
