"""When sessions take place, said as people read it, and when their registrations close.

"16 mai 2023, 14 h – 16 h" in French, "16 May 2023, 2:00 – 4:00 pm" in English: the day once,
then the two times of day; the English pattern is Babel's British interval (the portal's English
texts are British). Times are stored in UTC and shown in the portal's time zone.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import dates
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.directorates.models import end_of_day
from app.i18n import current_language

# The locale whose day and time formats the English texts follow.
ENGLISH = "en_GB"
# Babel's thin spaces read as plain spaces; its narrow no-break space as a no-break space
# (older mail readers and calendar applications show the narrow one as a box).
SPACES = str.maketrans({"\u2009": " ", "\u202f": "\u00a0"})


def zone() -> ZoneInfo:
    """Return the portal's time zone."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local(moment: datetime) -> datetime:
    """Return an aware UTC time in the portal's time zone."""
    return moment.astimezone(zone())


def _french_clock(moment: datetime) -> str:
    if moment.minute:
        return f"{moment.hour}\u00a0h\u00a0{moment.minute:02d}"
    return f"{moment.hour}\u00a0h"


def day_text(day: date, language: str) -> str:
    """Return a day as people write it: "16 mai 2023", "16 May 2023"."""
    return dates.format_date(day, "long", locale=ENGLISH if language == "en" else language)


def clock_text(moment: datetime, language: str) -> str:
    """Return the time of day of a UTC time: "14 h", "14 h 30", "2:00 pm"."""
    moment = local(moment)
    if language == "fr":
        return _french_clock(moment)
    return dates.format_time(moment.replace(tzinfo=None), "h:mm a", locale=ENGLISH).translate(
        SPACES
    )


def span(start: datetime, end: datetime, language: str | None = None) -> str:
    """Return the day and times of a session: "16 mai 2023, 14 h – 16 h"."""
    language = language or current_language()
    start, end = local(start), local(end)
    if start.date() != end.date():
        first = _(
            "%(day)s, %(time)s",
            day=day_text(start.date(), language),
            time=clock_text(start, language),
        )
        last = _(
            "%(day)s, %(time)s", day=day_text(end.date(), language), time=clock_text(end, language)
        )
        return f"{first} – {last}"
    if language == "fr":
        times = f"{_french_clock(start)} – {_french_clock(end)}"
    else:
        times = dates.format_interval(
            start.replace(tzinfo=None), end.replace(tzinfo=None), "hm", locale=ENGLISH
        ).translate(SPACES)
    return _("%(day)s, %(time)s", day=day_text(start.date(), language), time=times)


def span_in(start: datetime, end: datetime, language: str) -> str:
    """Return `span` with its words in a given language (an e-mail, a calendar file)."""
    with force_locale(language):
        return span(start, end, language)


def closes_at(session) -> datetime:
    """Return when registrations to a session close: the end of its closing day, or its start."""
    if session.registration_closes_on is None:
        return session.starts_at
    return min(end_of_day(session.registration_closes_on), session.starts_at)
