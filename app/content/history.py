"""Differences between two revisions of an item, field by field and line by line."""

import difflib
from dataclasses import dataclass

from app.content.models import EDITABLE, Revision


@dataclass
class FieldDiff:
    """How one field differs between two revisions: lines with a mark (+, - or space)."""

    name: str
    lines: list[tuple[str, str]]


def diff(old: Revision, new: Revision) -> list[FieldDiff]:
    """Return the fields that differ between two revisions, line by line."""
    result = []
    for name in EDITABLE:
        before, after = old.data.get(name), new.data.get(name)
        if before == after:
            continue
        a = "" if before is None else str(before)
        b = "" if after is None else str(after)
        lines = []
        for line in difflib.ndiff(a.splitlines() or [""], b.splitlines() or [""]):
            mark, text = line[:1], line[2:]
            if mark in "+- ":
                lines.append((mark, text))
        result.append(FieldDiff(name, lines))
    return result
