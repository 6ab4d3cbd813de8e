"""Unread messages: counted per user on the homes and the declaration lists, reset by reading."""

import re

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.declarations.thread_models import ThreadRead
from app.extensions import db
from tests.conftest import log_in, make_user
from tests.declarations.thread_support import page_url, post_message

PDL = page_url()


def _as(app, user):
    client = app.test_client()
    log_in(client, user)
    return client


def _badges(page: str) -> list[str]:
    """Return the texts of the unread badges of a page."""
    return re.findall(r'data-testid="unread">([^<]+)<', page)


def _tile(page: str, code: str = "PIX-2023") -> str:
    start = page.index(f'data-testid="unread-{code}"')
    return re.search(r"<a [^>]+>([^<]+)</a>", page[start:]).group(1)


@pytest.fixture
def exchange(app, call, directorate_user, project_team_user):
    """Two questions of DREAL Pays de la Loire, then one answer of the project team."""
    directorate = _as(app, directorate_user)
    team = _as(app, project_team_user)
    assert post_message(directorate, "Première question").status_code == 302
    assert post_message(directorate, "Deuxième question").status_code == 302
    assert post_message(team, "La réponse").status_code == 302
    return directorate, team


def test_the_directorate_sees_the_answers_it_has_not_read_until_it_reads_them(exchange):
    directorate, _team = exchange
    home = directorate.get("/fr/home").get_data(as_text=True)
    assert _badges(home) == ["1 message non lu"]  # its own questions are not unread
    assert "Lire les messages" in home
    listed = directorate.get("/fr/declarations/").get_data(as_text=True)
    assert _badges(listed) == ["1 message non lu"]

    page = directorate.get(PDL).get_data(as_text=True)
    assert page.count('data-testid="new-message"') == 1

    assert _badges(directorate.get("/fr/home").get_data(as_text=True)) == []
    assert _badges(directorate.get("/fr/declarations/").get_data(as_text=True)) == []
    again = directorate.get(PDL).get_data(as_text=True)
    assert 'data-testid="new-message"' not in again


def test_each_team_member_has_their_own_count(app, exchange, project_team_user):
    _directorate, team = exchange
    colleague = _as(app, make_user("lea.morel@example.org", Role.PROJECT_TEAM))
    # The one who answered has read the questions; the colleague has not, and the answer,
    # from the project team's own side, is never unread for it.
    assert _tile(team.get("/fr/home").get_data(as_text=True)) == ("0 message non lu des directions")
    home = colleague.get("/fr/home").get_data(as_text=True)
    assert _tile(home) == "2 messages non lus des directions"
    assert 'href="/fr/declarations/PIX-2023/?unread=1"' in home
    listed = colleague.get("/fr/declarations/PIX-2023/?unread=1").get_data(as_text=True)
    assert re.findall(r'<tr data-directorate="([^"]+)"', listed) == ["DREAL-PDL"]
    assert _badges(listed) == ["2 messages non lus"]
    everyone = colleague.get("/fr/declarations/PIX-2023/").get_data(as_text=True)
    assert len(re.findall(r"<tr data-directorate=", everyone)) > 1

    colleague.get(PDL)

    assert _tile(colleague.get("/fr/home").get_data(as_text=True)) == (
        "0 message non lu des directions"
    )
    assert _badges(colleague.get("/fr/declarations/PIX-2023/").get_data(as_text=True)) == []


def test_a_new_message_after_reading_counts_again(app, exchange, project_team_user):
    directorate, team = exchange
    directorate.get(PDL)
    post_message(team, "Un complément")
    assert _badges(directorate.get("/fr/home").get_data(as_text=True)) == ["1 message non lu"]
    marker = db.session.scalar(
        select(ThreadRead.last_message_id).where(ThreadRead.user_id == project_team_user.id)
    )
    assert marker == 4  # posting marks the poster's conversation read up to their message


def test_the_cvrh_counts_every_message_of_its_directorates_and_no_other(
    app, exchange, cvrh_user, other_cvrh_user
):
    own = _as(app, cvrh_user)
    listed = own.get("/fr/declarations/PIX-2023/").get_data(as_text=True)
    assert _badges(listed) == ["3 messages non lus"]
    home = own.get("/fr/home").get_data(as_text=True)
    assert _tile(home) == "3 messages non lus dans les échanges de vos directions"
    assert 'href="/fr/declarations/PIX-2023/?unread=1"' in home
    own.get(PDL)
    assert _badges(own.get("/fr/declarations/PIX-2023/").get_data(as_text=True)) == []
    assert 'data-testid="unread-PIX-2023"' not in own.get("/fr/home").get_data(as_text=True)
    other = _as(app, other_cvrh_user)
    assert _badges(other.get("/fr/declarations/PIX-2023/").get_data(as_text=True)) == []
    assert 'data-testid="unread-PIX-2023"' not in other.get("/fr/home").get_data(as_text=True)


def test_the_other_directorate_counts_nothing_of_this_one(app, exchange, other_directorate_user):
    other = _as(app, other_directorate_user)
    assert _badges(other.get("/fr/home").get_data(as_text=True)) == []
    assert _badges(other.get("/fr/declarations/").get_data(as_text=True)) == []


def test_the_counts_speak_english_too(app, exchange, directorate_user):
    directorate, _team = exchange
    home = directorate.get("/en/home").get_data(as_text=True)
    assert _badges(home) == ["1 unread message"]
