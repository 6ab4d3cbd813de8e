"""The editable fields of an item as data: to and from JSON, applied to the item, as edited.

Revisions and working copies hold the fields of `EDITABLE` as JSON; the tags among them are
lists in a stable order (competences in reference order, path ids increasing), so that two
versions compare equal exactly when they say the same.
"""

from datetime import date, datetime
from typing import Any

from app.content.models import EDITABLE, ContentItem
from app.directorates.models import competence_codes

# What a field holds when a form or an old revision does not say (fields of other kinds).
DEFAULTS = {
    "summary": "",
    "body": "",
    "date_to_be_confirmed": False,
    "audience": "",
    "online": True,
    "location": "",
    "link": "",
    "registration": "",
    "competences": (),
    "learning_paths": (),
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def tags_of(fields: dict[str, Any]) -> dict[str, list]:
    """Return the tags of fields as lists in a stable order (none when not given)."""
    return {
        "competences": competence_codes(fields.get("competences")),
        "learning_paths": sorted({int(path_id) for path_id in fields.get("learning_paths") or ()}),
    }


def serialise(fields: dict[str, Any]) -> dict[str, Any]:
    """Return editable fields as JSON data (tags as lists, empty when not given)."""
    data = {name: _plain(fields.get(name)) for name in EDITABLE}
    data.update(tags_of(fields))
    return data


def deserialise(data: dict[str, Any]) -> dict[str, Any]:
    """Return editable fields from JSON data (no tags in data saved before there were any)."""
    fields = dict(data)
    fields.update(tags_of(data))
    for name in ("effective_on", "expires_on"):
        fields[name] = date.fromisoformat(data[name]) if data.get(name) else None
    for name in ("starts_at", "ends_at"):
        fields[name] = datetime.fromisoformat(data[name]) if data.get(name) else None
    return fields


def apply_fields(item: ContentItem, fields: dict[str, Any]) -> None:
    """Set the editable fields of an item (its tags included), defaults where none is given."""
    for name in EDITABLE:
        value = fields.get(name)
        setattr(item, name, DEFAULTS.get(name) if value is None else value)


def editing_fields(item: ContentItem) -> dict[str, Any]:
    """Return what the editor starts from: the working copy if any, else the item's fields."""
    if item.working_copy is not None:
        return deserialise(item.working_copy)
    return item.fields()


def shared_tags(item: ContentItem) -> dict[str, list]:
    """Return the tags of an item as being edited: its working copy's, if it has one."""
    return tags_of(editing_fields(item))
