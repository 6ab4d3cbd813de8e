"""Webinar and meeting times read as people write them, in the page's language."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from app.content.models import ContentKind, ContentState
from tests.content.conftest import make

PARIS = ZoneInfo("Europe/Paris")


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def webinar(site, project_team_user):
    """A published webinar next summer, 14:00 to 15:30 in Paris."""
    year = datetime.now(PARIS).year + 1
    starts = datetime(year, 7, 7, 14, 0, tzinfo=PARIS)
    french = make(
        project_team_user,
        ContentKind.EVENT,
        "fr",
        site.section,
        "Webinaire PIX",
        ContentState.PUBLISHED,
        slug="webinaire",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
    )
    make(
        project_team_user,
        ContentKind.EVENT,
        "en",
        site.section_en,
        "PIX webinar",
        ContentState.PUBLISHED,
        translation_of=french,
        slug="webinar",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
    )
    return starts


def test_an_event_page_gives_the_time_of_day_and_the_zone(client, webinar):
    year = webinar.year
    french = _text(client, "/fr/content/deployer/webinaire")
    assert f"7 juillet {year} à 14 h 00 – 15 h 30 (heure de Paris)" in french
    english = _text(client, "/en/content/deploying/webinar")
    assert f"July 7, {year} at 2:00 PM – 3:30 PM (Paris time)" in english
    for text in (french, english):
        assert "14:00:00" not in text and "2:00:00" not in text
        assert "heure d’été" not in text and "Summer Time" not in text and "+0200" not in text


def test_lists_of_events_give_the_time_without_seconds(client, webinar):
    year = webinar.year
    assert f"7 juillet {year} à 14 h 00" in _text(client, "/fr/content/events/")
    assert f"July 7, {year} at 2:00 PM" in _text(client, "/en/content/events/")
    home = _text(client, "/fr/")
    assert f"7 juillet {year} à 14 h 00" in home and "UTC+2" not in home and "+0200" not in home
