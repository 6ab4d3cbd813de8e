"""Forms sent once: each form a page shows carries a random key of its own.

What the form makes (a message, a note) is stored with a key bound to the form's key and to what
it sends (who, where, the text, the files), unique: the same form sent twice, by a double click
or by two requests at the same instant, makes one. The same page sent again with another text
(shown again by the browser's Back button, which keeps the form's key) makes its own, once.
"""

import hashlib
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


def bound(key: str | None, *sent) -> str | None:
    """Return the key to store: the form's key bound to what it sends (32 characters)."""
    if key is None:
        return None
    text = "\0".join([key, *(str(part) for part in sent)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def posted(model, key: str | None) -> bool:
    """Tell whether a row of `model` was made under this (bound) key already."""
    if key is None:
        return False
    return bool(db.session.scalar(select(exists().where(model.once_key == key))))
