"""Forms sent once: each form a page shows carries a random key of its own.

The key is stored, unique, with what the form made (a message, a note): the same form sent
twice, by a double click or by two requests at the same instant, makes one. A form sent again
with another text under the same key (a page shown again by the Back button) still makes its
own: only a true repeat is dropped.
"""

import re
import secrets

from sqlalchemy import select
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


def sent_before(model, key: str | None, **same) -> bool | None:
    """Say what the form of this key made before.

    None: nothing (or no key). True: a row of `model` with the values `same` (the form sent
    twice: nothing more to make). False: a row with other values: the page came back (the
    browser's Back button keeps the form's key) and was filled anew, so what it sends is new
    and must be made, without the key.
    """
    if key is None:
        return None
    row = db.session.scalar(select(model).where(model.once_key == key))
    if row is None:
        return None
    return all(getattr(row, name) == value for name, value in same.items())
