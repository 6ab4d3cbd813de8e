"""Helpers available in every template."""

from flask import Flask
from flask_babel import format_decimal, format_timedelta

from app.extensions import utcnow


def time_left(moment) -> str | None:
    """Return the time until an aware datetime in words ("in 3 days"), or None if past."""
    remaining = moment - utcnow()
    if remaining.total_seconds() <= 0:
        return None
    return format_timedelta(remaining, add_direction=True, threshold=1.1)


def init_app(app: Flask) -> None:
    """Register the template helpers."""
    app.jinja_env.globals["time_left"] = time_left
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
