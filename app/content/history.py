"""Differences between two revisions of an item, field by field and line by line."""

import difflib
from dataclasses import dataclass
from typing import Any

from app.content.models import EDITABLE, TAGS, Revision


@dataclass
class FieldDiff:
    """How one field differs between two revisions: lines with a mark (+, - or space)."""

    name: str
    lines: list[tuple[str, str]]


def _lines(name: str, value: Any, tag_names: dict[str, dict]) -> list[str]:
    """Return a field's value as lines; a list of tags as one name per line."""
    if name in TAGS:
        names = tag_names.get(name, {})
        return [str(names.get(tag, tag)) for tag in value or ()]
    return ("" if value is None else str(value)).splitlines() or [""]


def _value(revision: Revision, name: str) -> Any:
    """Return a field of a revision; tags saved before there were any are none."""
    value = revision.data.get(name)
    return list(value or ()) if name in TAGS else value


def tags_in(*revisions: Revision) -> dict[str, set]:
    """Return every tag the revisions hold, by field (to name them)."""
    return {name: {tag for r in revisions for tag in _value(r, name)} for name in TAGS}


def diff(old: Revision, new: Revision, tag_names: dict[str, dict] | None = None) -> list[FieldDiff]:
    """Return the fields that differ between two revisions, line by line.

    `tag_names` gives the name of each tag, by field: {"competences": {"2.1": "2.1 Interagir"}}.
    """
    result = []
    for name in EDITABLE:
        before, after = _value(old, name), _value(new, name)
        if before == after:
            continue
        a, b = _lines(name, before, tag_names or {}), _lines(name, after, tag_names or {})
        lines = []
        for line in difflib.ndiff(a, b):
            mark, text = line[:1], line[2:]
            if mark in "+- ":
                lines.append((mark, text))
        result.append(FieldDiff(name, lines))
    return result
