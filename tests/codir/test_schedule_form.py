"""The schedule and reschedule forms start from what the request already holds; the
presentation's time reads as people write it."""

import re
from datetime import date, datetime, timedelta
from html import unescape

from app.codir.models import CodirRequest
from app.directorates.models import portal_today
from app.extensions import db
from tests.codir.conftest import request_form, schedule_form
from tests.conftest import log_in


def _value(html: str, name: str) -> str | None:
    """Return the value of the input of that name, None if it has none."""
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert tag, f"no input {name}"
    found = re.search(r'value="([^"]*)"', tag.group(0))
    return unescape(found.group(1)) if found else None


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _wishes(html: str) -> str:
    found = re.search(r'data-testid="directorate-wishes">(.*?)</aside>', html, re.S)
    assert found, "the directorate's wishes are not beside the form"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def test_scheduling_starts_from_the_first_preferred_date_and_the_link(
    client, login, directorate_user, cvrh_user
):
    first, second = portal_today() + timedelta(days=12), portal_today() + timedelta(days=19)
    own = client.application.test_client()
    log_in(own, directorate_user)
    own.post(
        "/fr/codir/new",
        data=request_form(
            option_1=first.isoformat(),
            option_2=second.isoformat(),
            format="video",
            place="https://visio.example.org/codir-pdl",
        ),
    )
    request = db.session.query(CodirRequest).one()
    login(cvrh_user)
    html = client.get(f"/fr/codir/{request.id}").get_data(as_text=True)
    assert _value(html, "schedule-day") == first.isoformat()
    assert _value(html, "schedule-place") == "https://visio.example.org/codir-pdl"
    assert _value(html, "schedule-duration") == "60"
    assert not _value(html, "schedule-time")  # the request has no time to offer
    wishes = _wishes(html)
    assert "Dates souhaitées" in wishes
    assert str(first.day) in wishes and str(second.day) in wishes
    assert "Visioconférence" in wishes and "https://visio.example.org/codir-pdl" in wishes
    english = _wishes(client.get(f"/en/codir/{request.id}").get_data(as_text=True))
    assert "Video conference" in english


def test_a_preferred_date_already_past_is_skipped(client, login, codir_request, cvrh_user):
    codir_request.option_1 = date.today() - timedelta(days=2)
    codir_request.option_2 = portal_today() + timedelta(days=30)
    db.session.commit()
    login(cvrh_user)
    html = client.get(f"/en/codir/{codir_request.id}").get_data(as_text=True)
    assert _value(html, "schedule-day") == codir_request.option_2.isoformat()


def test_rescheduling_starts_from_the_meeting_as_it_is(client, login, codir_request, cvrh_user):
    login(cvrh_user)
    data = schedule_form(
        days=40,
        **{
            "schedule-time": "09:15",
            "schedule-duration": "45",
            "schedule-place": "https://visio.example.org/abc",
            "schedule-speaker": "Emma Laurent",
        },
    )
    assert client.post(f"/en/codir/{codir_request.id}/schedule", data=data).status_code == 302
    html = client.get(f"/en/codir/{codir_request.id}").get_data(as_text=True)
    assert "Reschedule the presentation" in html
    assert _value(html, "schedule-day") == data["schedule-day"]
    assert _value(html, "schedule-time") == "09:15"
    assert _value(html, "schedule-duration") == "45"
    assert _value(html, "schedule-place") == "https://visio.example.org/abc"
    assert _value(html, "schedule-speaker") == "Emma Laurent"


def test_a_refused_reschedule_keeps_what_was_typed(client, login, codir_request, cvrh_user):
    login(cvrh_user)
    client.post(f"/en/codir/{codir_request.id}/schedule", data=schedule_form())
    db.session.expire_all()
    version = db.session.get(CodirRequest, codir_request.id).version
    typed = schedule_form(
        days=50,
        **{"schedule-duration": "5", "schedule-place": "Salle B", "schedule-version": version},
    )
    response = client.post(f"/en/codir/{codir_request.id}/reschedule", data=typed)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _value(html, "schedule-duration") == "5"
    assert _value(html, "schedule-place") == "Salle B"


def test_a_codir_presentation_gives_the_time_of_day_and_the_zone(
    client, login, codir_request, cvrh_user
):
    login(cvrh_user)
    data = schedule_form(**{"schedule-time": "09:30", "schedule-duration": "45"})
    client.post(f"/fr/codir/{codir_request.id}/schedule", data=data)
    day = datetime.fromisoformat(data["schedule-day"])
    french = _text(client, f"/fr/codir/{codir_request.id}")
    assert f"{day.day} " in french and "à 9 h 30 (heure de Paris) – 45 minutes" in french
    english = _text(client, f"/en/codir/{codir_request.id}")
    assert "at 9:30 AM (Paris time) – 45 minutes" in english
    listed = _text(client, "/fr/codir/")
    assert "à 9 h 30" in listed
