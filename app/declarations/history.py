"""A declaration's history in words: the changed fields, their values, the actions."""

from datetime import date

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l

from app.declarations.forms import ROW_FORMS, row_title
from app.declarations.models import DeclarationStatus, PerimeterKind
from app.directorates.models import LearningPath
from app.i18n import localized

TOP_LABELS = {
    "wants_codir": _l("CODIR presentation requested"),
    "comments": _l("Comments"),
    "status": _l("Status"),
    "extended_until": _l("Extended deadline"),
    "granted_licences": _l("Licences granted"),
}


def change_label(path: str) -> str:
    """Return a readable name for a changed field ("Campaign 2 – Licences needed")."""
    parts = path.split(".")
    if len(parts) == 3 and parts[0] in ROW_FORMS:
        kind, number, field = parts
        unbound = getattr(ROW_FORMS[kind], field, None)
        label = unbound.args[0] if unbound is not None and unbound.args else field
        return f"{row_title(kind, number)} – {label}"
    return str(TOP_LABELS.get(path, path))


ACTION_LABELS = {
    "saved": _l("Saved"),
    "submit": _l("Submitted"),
    "accept": _l("Accepted"),
    "request_corrections": _l("Corrections requested"),
    "reopen": _l("Reopened"),
    "extended": _l("Deadline extended"),
    "imported": _l("Imported from a workbook"),
    "message": _l("Message in the conversation"),
    "licences_granted": _l("Licences granted"),
}


# Fields of the history whose values are dates (ISO text) or codes of a choice.
DATE_FIELDS = frozenset({"starts_on", "ends_on", "extended_until"})
NUMBER_FIELDS = frozenset({"headcount", "licences", "granted_licences"})


def show_value(value, paths: dict[int, LearningPath] | None = None, path: str = "") -> str:
    """Return a value of the history in words, in the page's language: learning paths (a list
    of ids) by name, choices by their label, dates and numbers in the locale's format.

    `path` is the changed field ("campaigns.2.starts_on"), which says what the value is.
    """
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        known = paths or {}
        chosen = sorted((known[i] for i in value if i in known), key=lambda p: (p.position, p.id))
        names = [localized(p, "name") for p in chosen] + [f"#{i}" for i in value if i not in known]
        return "; ".join(names)
    if value is True:
        return str(_l("yes"))
    if value is False:
        return str(_l("no"))
    field = path.rsplit(".", 1)[-1]
    try:
        if field == "perimeter_kind":
            return PerimeterKind(value).label
        if field == "status":
            return DeclarationStatus(value).label
        if field in DATE_FIELDS and isinstance(value, str):
            return format_date(date.fromisoformat(value), "long")
    except ValueError:
        return str(value)
    if field in NUMBER_FIELDS and isinstance(value, int):
        return format_decimal(value)
    return str(value)
