"""The calendars anyone may subscribe to: the sessions of published events only, per language,
and each event's own file."""

from datetime import timedelta

from icalendar import Calendar

from app.content.models import ContentItem, ContentKind, ContentState
from app.directorates.models import portal_today
from app.extensions import db
from tests.events.conftest import add_session, make_event


def _events(response):
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data).walk("VEVENT")


def _in_private_section() -> ContentItem:
    section = ContentItem(
        kind=ContentKind.SECTION,
        language="fr",
        state=ContentState.PRIVATE,
        title="Brouillons",
        slug="brouillons",
    )
    db.session.add(section)
    db.session.flush()
    section.group_id = section.id
    event = make_event(title_fr="Webinaire caché", title_en="Hidden webinar", slug="cache")
    for item in event.items.values():
        item.parent_id = section.id if item.language == "fr" else None
    db.session.commit()
    return event


def test_the_feed_lists_the_sessions_of_published_events_only(client, event):
    first, second = add_session(event, days=3), add_session(event, days=9)
    draft = make_event(
        title_fr="Brouillon", title_en="Draft", slug="brouillon", state=ContentState.PRIVATE
    )
    add_session(draft, days=4)
    hidden = _in_private_section()
    add_session(hidden, days=5)
    expired = make_event(title_fr="Ancien", title_en="Old", slug="ancien")
    for item in expired.items.values():
        item.expires_on = portal_today() - timedelta(days=1)
    db.session.commit()
    add_session(expired, days=6)

    listing = client.get("/fr/content/events/").get_data(as_text=True)
    assert 'href="/fr/events.ics"' in listing
    french = _events(client.get("/fr/events.ics"))
    assert [str(e["SUMMARY"]) for e in french] == ["Webinaire des ambassadeurs"] * 2
    assert [str(e["UID"]) for e in french] == [
        f"webinar-session-{first.id}@portal.test",
        f"webinar-session-{second.id}@portal.test",
    ]
    assert french[0].decoded("DTSTART") == first.starts_at
    assert "http://portal.test/fr/content/webinaire-ambassadeurs" in str(french[0]["DESCRIPTION"])
    # Each language follows its own items: the English version of the event of the private
    # French section stands at the top, published.
    english = _events(client.get("/en/events.ics"))
    titles = [str(e["SUMMARY"]) for e in english]
    assert titles == ["Ambassadors' webinar", "Hidden webinar", "Ambassadors' webinar"]


def test_a_change_of_time_raises_the_session_sequence(client, login, project_team_user, event):
    session = add_session(event, days=3)
    login(project_team_user)
    day = (portal_today() + timedelta(days=4)).isoformat()
    client.post(
        f"/fr/events/sessions/{session.id}/edit",
        data={
            "day": day,
            "starts": "10:00",
            "ends": "12:00",
            "audience": "ambassadors",
            "capacity": "2",
            "link": session.link,
            "version": session.version,
        },
    )
    client.post("/fr/logout")
    [entry] = _events(client.get("/fr/events.ics"))
    assert entry["SEQUENCE"] == 1


def test_each_event_offers_its_calendar(client, login, project_team_user, event):
    session = add_session(event, days=3)
    french = event.items["fr"]
    page = client.get("/fr/content/webinaire-ambassadeurs").get_data(as_text=True)
    assert f'href="/fr/events/{french.id}/calendar.ics"' in page
    [entry] = _events(client.get(f"/fr/events/{french.id}/calendar.ics"))
    assert str(entry["UID"]) == f"webinar-session-{session.id}@portal.test"

    draft = make_event(
        title_fr="Brouillon", title_en="Draft", slug="brouillon", state=ContentState.PRIVATE
    )
    add_session(draft, days=4)
    private_id = draft.items["fr"].id
    assert client.get(f"/fr/events/{private_id}/calendar.ics").status_code == 404
    login(project_team_user)
    assert client.get(f"/fr/events/{private_id}/calendar.ics").status_code == 200
    # Not an event, or an event without sessions: nothing to download.
    page = ContentItem(
        kind=ContentKind.PAGE,
        language="fr",
        state=ContentState.PUBLISHED,
        title="Une page",
        slug="une-page",
    )
    db.session.add(page)
    db.session.commit()
    assert client.get(f"/fr/events/{page.id}/calendar.ics").status_code == 404
    empty = make_event(title_fr="Sans session", title_en="No session", slug="vide")
    assert client.get(f"/fr/events/{empty.items['fr'].id}/calendar.ics").status_code == 404


def test_the_public_calendars_never_give_the_video_link(client, event):
    online = add_session(event, days=3, link="https://visio.example.org/salle?pwd=secret")
    in_person = add_session(event, days=4, link="")
    in_person.place = "Tour Séquoia, salle 2"
    db.session.commit()
    for url in ("/fr/events.ics", f"/fr/events/{event.items['fr'].id}/calendar.ics"):
        response = client.get(url)
        assert b"visio.example.org" not in response.data and b"secret" not in response.data
        entries = {str(e["UID"]): e for e in _events(response)}
        first = entries[f"webinar-session-{online.id}@portal.test"]
        assert str(first["LOCATION"]) == "En ligne" and "URL" not in first
        assert str(entries[f"webinar-session-{in_person.id}@portal.test"]["LOCATION"]) == (
            "Tour Séquoia, salle 2"
        )
    english = _events(client.get(f"/en/events/{event.items['en'].id}/calendar.ics"))
    assert [str(e["LOCATION"]) for e in english] == ["Online", "Tour Séquoia, salle 2"]
