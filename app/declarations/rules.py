"""What a declaration must satisfy to be submitted, on plain data (forms and imports alike).

Data is a dict: {"campaigns": [...], "ambassadors": [...], "administrators": [...],
"wants_codir": bool, "comments": str}; each row a dict of field values (None when empty);
a campaign's "paths" is the list of the ids of the learning paths it follows.
A problem is (path, message): path ("campaigns", 0, "licences") or ("campaigns",) for a list.
"""

import re
import unicodedata
from collections.abc import Collection
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

NAME_MAX = 100
NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$")

# What can be stored, for the web form and the import alike: rows per list, characters per
# text (the columns' sizes), and the range of the numbers (a draft may hold 0).
ROWS_MAX = 50
LENGTHS = {
    "label": 200,
    "perimeter_description": 2000,
    "target_population": 200,
    "learning_paths_note": 500,
    "last_name": NAME_MAX,
    "first_name": NAME_MAX,
    "email": 254,
    "phone": 30,
    "unit": 200,
    "function": 200,
    "comments": 5000,
}
NUMBER_MIN = 0
NUMBER_MAX = 1_000_000
NUMBER_FIELDS = ("headcount", "licences")

CAMPAIGN_FIELDS = (
    "label",
    "perimeter_kind",
    "perimeter_description",
    "target_population",
    "headcount",
    "licences",
    "starts_on",
    "ends_on",
    "paths",
    "learning_paths_note",
)
AMBASSADOR_FIELDS = ("last_name", "first_name", "email", "phone", "unit")
ADMINISTRATOR_FIELDS = ("last_name", "first_name", "email", "function", "hr_confirmed")
LIST_FIELDS = {
    "campaigns": CAMPAIGN_FIELDS,
    "ambassadors": AMBASSADOR_FIELDS,
    "administrators": ADMINISTRATOR_FIELDS,
}

MESSAGES = {
    "no_campaign": _l("Describe at least one campaign."),
    "no_ambassador": _l("Name at least one ambassador."),
    "no_administrator": _l("Name at least one PIX Orga administrator."),
    "required": _l("This field is required."),
    "label": _l("Give the campaign a label."),
    "perimeter_kind": _l("Choose how the perimeter is organised."),
    "perimeter_description": _l("Describe the perimeter of the campaign."),
    "target_population": _l("Say which population the campaign targets."),
    "headcount": _l("Enter the number of agents concerned, a whole number above 0."),
    "licences": _l("Enter the number of licences needed, a whole number above 0."),
    "licences_above_headcount": _l("There cannot be more licences than agents concerned."),
    "starts_on": _l("Enter the planned start date."),
    "ends_on": _l("Enter the planned end date."),
    "end_before_start": _l("The end date cannot be before the start date."),
    "last_name": _l("Enter the last name."),
    "first_name": _l("Enter the first name."),
    "name_format": _l("Use letters, spaces, apostrophes and hyphens only."),
    "name_length": _l("Use %(max)d characters at most.", max=NAME_MAX),
    "email": _l("Enter the e-mail address."),
    "email_format": _l("Enter a valid e-mail address, such as name@example.org."),
    "duplicate": _l("This person is already in the list."),
    "function": _l("Enter the function of the administrator."),
    "hr_confirmed": _l(
        "Confirm that this person belongs to the HR or training domain: results are confidential."
    ),
    "number_range": _l(
        "Enter a whole number from %(min)s to %(max)s.",
        min=LazyString(format_number, NUMBER_MIN),
        max=LazyString(format_number, NUMBER_MAX),
    ),
    "unknown_path": _l("Choose among the learning paths offered."),
    "rows_full": _l("This list already has the %(max)d rows allowed.", max=ROWS_MAX),
}

Problem = tuple[tuple, Any]


def clean_text(value: Any, multiline: bool = False) -> str:
    """Return a text trimmed, control characters removed, spaces collapsed (lines kept if asked)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    if multiline:
        return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()
    return " ".join(text.split())


def is_blank_row(row: dict) -> bool:
    """Say whether every field of a row is empty (such rows are dropped)."""
    return all(value in (None, "", False) or value == [] for value in row.values())


def email_is_valid(email: str) -> bool:
    """Check the syntax of an e-mail address (no DNS look-up)."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _check_name(row: dict, field: str, path: tuple, problems: list[Problem]) -> None:
    value = row.get(field) or ""
    if not value:
        problems.append(((*path, field), MESSAGES[field]))
    elif len(value) > NAME_MAX:
        problems.append(((*path, field), MESSAGES["name_length"]))
    elif not NAME_PATTERN.match(value):
        problems.append(((*path, field), MESSAGES["name_format"]))


def _check_people(rows: list[dict], kind: str, problems: list[Problem]) -> None:
    seen: set = set()
    for index, row in enumerate(rows):
        path = (kind, index)
        _check_name(row, "last_name", path, problems)
        _check_name(row, "first_name", path, problems)
        email = row.get("email") or ""
        if not email:
            problems.append(((*path, "email"), MESSAGES["email"]))
        elif not email_is_valid(email):
            problems.append(((*path, "email"), MESSAGES["email_format"]))
        names = (
            clean_text(row.get("last_name")).casefold(),
            clean_text(row.get("first_name")).casefold(),
        )
        keys = {("email", email.casefold())} if email else set()
        if all(names):
            keys.add(("name", names))
        if keys & seen:
            problems.append(((*path, "email" if email else "last_name"), MESSAGES["duplicate"]))
        seen |= keys
        if kind == "administrators":
            if not row.get("function"):
                problems.append(((*path, "function"), MESSAGES["function"]))
            if not row.get("hr_confirmed"):
                problems.append(((*path, "hr_confirmed"), MESSAGES["hr_confirmed"]))


def _positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _check_campaigns(rows: list[dict], problems: list[Problem]) -> None:
    for index, row in enumerate(rows):
        path = ("campaigns", index)
        for field in ("label", "perimeter_kind", "perimeter_description", "target_population"):
            if not row.get(field):
                problems.append(((*path, field), MESSAGES[field]))
        for field in ("headcount", "licences"):
            if not _positive(row.get(field)):
                problems.append(((*path, field), MESSAGES[field]))
        headcount, licences = row.get("headcount"), row.get("licences")
        if _positive(headcount) and _positive(licences) and licences > headcount:
            problems.append(((*path, "licences"), MESSAGES["licences_above_headcount"]))
        for field in ("starts_on", "ends_on"):
            if row.get(field) is None:
                problems.append(((*path, field), MESSAGES[field]))
        if row.get("starts_on") and row.get("ends_on") and row["ends_on"] < row["starts_on"]:
            problems.append(((*path, "ends_on"), MESSAGES["end_before_start"]))


def check_submission(data: dict) -> list[Problem]:
    """Return every problem that prevents submitting the declaration (empty list: it may go)."""
    problems: list[Problem] = []
    for kind, message in (
        ("campaigns", "no_campaign"),
        ("ambassadors", "no_ambassador"),
        ("administrators", "no_administrator"),
    ):
        if not data.get(kind):
            problems.append(((kind,), MESSAGES[message]))
    _check_campaigns(data.get("campaigns", []), problems)
    _check_people(data.get("ambassadors", []), "ambassadors", problems)
    _check_people(data.get("administrators", []), "administrators", problems)
    return problems


def _too_long(value: Any, field: str) -> bool:
    return isinstance(value, str) and len(value) > LENGTHS[field]


def _in_range(value: Any) -> bool:
    return not isinstance(value, int) or NUMBER_MIN <= value <= NUMBER_MAX


def check_limits(
    data: dict, row_counts: dict[str, int] | None = None, path_ids: Collection[int] = ()
) -> list[Problem]:
    """Return every value that cannot be stored: too many rows, too long, out of range.

    Drafts and submissions alike must pass; `row_counts` gives the number of rows received
    when more were received than `data` holds; `path_ids` are the learning paths that may be
    chosen (the offered ones, and the retired ones the declaration already has).
    """
    problems: list[Problem] = []
    for kind, fields in LIST_FIELDS.items():
        rows = data.get(kind, [])
        count = (row_counts or {}).get(kind, len(rows))
        if count > ROWS_MAX:
            message = _l("This list has %(count)d rows: %(max)d at most are allowed.",
                         count=count, max=ROWS_MAX)  # fmt: skip
            problems.append(((kind,), message))
        for index, row in enumerate(rows):
            for field in fields:
                value = row.get(field)
                if field in LENGTHS and _too_long(value, field):
                    message = _l("Use %(max)d characters at most.", max=LENGTHS[field])
                    problems.append(((kind, index, field), message))
                elif field in NUMBER_FIELDS and not _in_range(value):
                    problems.append(((kind, index, field), MESSAGES["number_range"]))
                elif field == "paths" and any(i not in path_ids for i in value or ()):
                    problems.append(((kind, index, field), MESSAGES["unknown_path"]))
    if _too_long(data.get("comments"), "comments"):
        message = _l("Use %(max)d characters at most.", max=LENGTHS["comments"])
        problems.append((("comments",), message))
    return problems
