"""Helpers available in every template, and the formatting filters of dates and numbers.

Flask-Babel's filters look up the locale, the time zone and the formats in the request context
on every call, which a long list does hundreds of times. These take the locale the page is
rendered in from the template context (set once per rendering), the time zone once per app,
and hand the value straight to Babel: the same texts, without the lookups.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel import dates, numbers
from flask import Flask
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from jinja2 import pass_context
from jinja2.runtime import Context

from app.extensions import utcnow


def time_left(moment) -> str | None:
    """Return the time until an aware datetime in words ("in 3 days"), or None if past."""
    remaining = moment - utcnow()
    if remaining.total_seconds() <= 0:
        return None
    return format_timedelta(remaining, add_direction=True, threshold=1.1)


def _locale(context: Context):
    # Imported macros do not see the page's context: they look the locale up.
    return context.get("page_locale") or get_locale()


_GROUP_SYMBOLS: dict[str, str] = {}
# The time of day by language, where the locale's short format is not how people write it.
CLOCK_PATTERNS = {"fr": "H'\u00a0h\u00a0'mm"}


def decimal(value, locale) -> str:
    """Format a number as Babel's format_decimal does; a whole number without parsing the
    locale's pattern each time (a table writes hundreds: 35 µs each through Babel)."""
    if type(value) is not int:
        return numbers.format_decimal(value, locale=locale)
    key = str(locale)
    group = _GROUP_SYMBOLS.get(key)
    if group is None:
        group = _GROUP_SYMBOLS[key] = numbers.get_group_symbol(locale)
    text = f"{abs(value):,}".replace(",", group)
    return f"-{text}" if value < 0 else text


def init_app(app: Flask) -> None:
    """Register the template helpers and the formatting filters."""
    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])

    def local(moment: datetime) -> datetime:
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)

    @pass_context
    def dateformat(context: Context, value: date, format: str = "medium") -> str:
        if isinstance(value, datetime):
            value = local(value)
        return dates.format_date(value, format, locale=_locale(context))

    @pass_context
    def datetimeformat(context: Context, value: datetime, format: str = "medium") -> str:
        return dates.format_datetime(local(value), format, tzinfo=zone, locale=_locale(context))

    @pass_context
    def timeformat(context: Context, value: time | datetime, format: str = "medium") -> str:
        if isinstance(value, datetime):
            value = local(value)
        return dates.format_time(value, format, tzinfo=zone, locale=_locale(context))

    @pass_context
    def clockformat(context: Context, value: time | datetime) -> str:
        """The time of day as people write it: "14 h 00" in French, "2:00 PM" in English."""
        if isinstance(value, datetime):
            value = local(value)
        locale = _locale(context)
        pattern = CLOCK_PATTERNS.get(str(locale).split("_")[0], "short")
        return dates.format_time(value, pattern, tzinfo=zone, locale=locale)

    @pass_context
    def whenformat(context: Context, value: datetime, format: str = "full") -> str:
        """A day and its time of day, without seconds nor time zone: "mardi 16 mai 2023 à
        14 h 00" (`zone_name()` says the zone where it matters)."""
        moment = local(value)
        day = dates.format_date(moment.date(), format, locale=_locale(context))
        return _("%(date)s at %(time)s", date=day, time=clockformat(context, moment))

    @pass_context
    def zone_name(context: Context) -> str:
        """Return the portal's time zone by its city: "heure de Paris", "Paris time"."""
        city = dates.get_timezone_location(zone, locale=_locale(context), return_city=True)
        return _("%(city)s time", city=city)

    @pass_context
    def numberformat(context: Context, value) -> str:
        return decimal(value, _locale(context))

    @pass_context
    def percentformat(context: Context, value, format: str | None = None) -> str:
        return numbers.format_percent(value, format=format, locale=_locale(context))

    @app.context_processor
    def page_locale():
        return {"page_locale": get_locale()}

    app.jinja_env.filters.update(
        dateformat=dateformat,
        datetimeformat=datetimeformat,
        timeformat=timeformat,
        clock=clockformat,
        when=whenformat,
        numberformat=numberformat,
        number=numberformat,
        percentformat=percentformat,
    )
    app.jinja_env.globals["time_left"] = time_left
    app.jinja_env.globals["zone_name"] = zone_name
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
