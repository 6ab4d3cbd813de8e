"""Optimistic locking of edited records: the version a page showed travels with its form.

Every record that an edit or a transition changes carries a `version` column declared as
SQLAlchemy's `version_id_col`: each UPDATE says `WHERE version = <the version read>`, so of
two concurrent writers the second fails (StaleDataError) instead of overwriting the first.
The form also carries the version its page showed, so an edit based on a page opened before
someone else's change is refused too, with the user's input kept.
"""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class StaleVersion(Exception):
    """The record changed since the page the user acted on was opened."""

    def __init__(self, record):
        super().__init__("stale version")
        self.record = record


def parse_version(value: str | int | None) -> int | None:
    """Return the version number a form sent, or None when it sent none (or nonsense)."""
    text = str(value if value is not None else "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


def check_version(record, version: int | None) -> None:
    """Raise StaleVersion if a saved record is at another version than the page showed."""
    if version is not None and record.id is not None and version != record.version:
        raise StaleVersion(record)


class VersionedForm(FlaskForm):
    """A form acting on a record as it was when the page was opened."""

    version = HiddenField()

    def version_number(self) -> int | None:
        """Return the version of the record the page showed, or None if not given."""
        return parse_version(self.version.data)
