"""Forms sent once: each form a page shows carries a random key of its own.

The key is stored, unique, with what the form made (a message, a note): the same form sent
twice, by a double click or by two requests at the same instant, makes one.
"""

import re
import secrets

from sqlalchemy import exists, select
from wtforms import HiddenField

from app.extensions import db

_KEY = re.compile(r"[A-Za-z0-9_-]{16,32}")


class AlreadyPosted(Exception):
    """The form was sent before (a double click): what it made is there already."""


def _new_key() -> str:
    return secrets.token_urlsafe(16)


class SentOnce:
    """A form mixin: a hidden random key, new on every page shown."""

    once = HiddenField(default=_new_key)

    def once_key(self) -> str | None:
        """Return the form's key; None if missing or not one of ours (nothing deduplicated)."""
        value = self.once.data
        return value if isinstance(value, str) and _KEY.fullmatch(value) else None


def posted(model, key: str | None) -> bool:
    """Tell whether a row of `model` was made by the form of this key already."""
    return key is not None and bool(
        db.session.scalar(select(exists().where(model.once_key == key)))
    )
