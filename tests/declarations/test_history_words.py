"""The history of a declaration says its values in words and in the page's language."""

import re
from datetime import date
from html import unescape

from tests.conftest import log_in
from tests.declarations.conftest import EDIT_URL, VIEW_URL, complete_form


def _history(client, lang: str) -> str:
    html = client.get(VIEW_URL.format(lang=lang)).get_data(as_text=True)
    history = html[html.index('id="history"') :]
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", history)))
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_choices_dates_numbers_and_states_are_said_in_words(
    app, client, login, call, directorate_user, project_team_user
):
    login(directorate_user)
    client.post(EDIT_URL.format(lang="fr"), data=complete_form())
    page = client.get(EDIT_URL.format(lang="fr")).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="([^"]*)"', page).group(1)
    changed = complete_form(
        version=version,
        submit_declaration="1",
        **{
            "campaigns-0-perimeter_kind": "site",
            "campaigns-0-ends_on": "2027-11-24",
            "campaigns-0-headcount": "1250",
            "campaigns-0-licences": "1200",
        },
    )
    assert client.post(EDIT_URL.format(lang="fr"), data=changed).status_code == 302
    team = app.test_client()
    log_in(team, project_team_user)
    extend = VIEW_URL.format(lang="fr") + "/extend"
    assert team.post(extend, data={"until": "2099-03-05"}).status_code == 302

    english = _history(client, "en")
    assert "By unit, department or service → By geographic site" in english
    assert "December 15, 2026 → November 24, 2027" in english
    assert "120 → 1,250" in english
    assert "Status: Draft → Submitted" in english
    assert "Extended deadline: — → March 5, 2099" in english
    assert "unit →" not in english and "2027-11-24" not in english

    french = _history(client, "fr")
    assert "Par unité, département ou service → Par site géographique" in french
    assert "15 décembre 2026 → 24 novembre 2027" in french
    assert "120 → 1 250" in french
    assert "Brouillon → Soumise" in french
    assert "5 mars 2099" in french
    assert str(date(2027, 11, 24)) not in french
