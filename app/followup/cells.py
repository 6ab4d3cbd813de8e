"""Read the cells of a PIX Orga export: decimal commas, NA, yes/no, dates in Paris time.

Each reader takes the cell as written in the file and returns its value, None when it is
missing (empty or `NA`), or raises BadValue. The usual case (a bare number) is tried first:
a file may hold 20,000 rows of 40 result cells.
"""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

NOT_AVAILABLE = "NA"
FORMULA_TRIGGERS = ("=", "+", "-", "@")
PARIS = ZoneInfo("Europe/Paris")
YES = frozenset({"oui", "o", "yes", "y"})
NO = frozenset({"non", "n", "no"})
_DECIMAL = re.compile(r"\d+(?:[.,]\d+)?", re.ASCII)
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?) ?%", re.ASCII)
# DD/MM/YYYY [HH:MM[:SS]] as PIX writes them, or YYYY-MM-DD [HH:MM] in older files.
_FRENCH_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?", re.ASCII
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?", re.ASCII)


class BadValue(ValueError):
    """A cell whose text cannot be read as the value its column holds."""


def clean(raw: str) -> str:
    """Return a cell without surrounding spaces nor the apostrophe PIX writes before = + - @."""
    text = raw.strip()
    if text[:1] == "'" and text[1:2] and text[1:2] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def formula_trigger(text: str) -> str | None:
    """Return the character a spreadsheet would run as a formula if the text starts with one."""
    return text[0] if text.startswith(FORMULA_TRIGGERS) else None


def is_missing(text: str) -> bool:
    """Say whether a cleaned cell holds no value (empty or NA)."""
    return text in ("", NOT_AVAILABLE)


def read_share(raw: str) -> float | None:
    """Return a share from 0 to 1, written 0,67 or 67 %; None when missing."""
    text = clean(raw).replace("\u00a0", " ").replace("\u202f", " ")
    if is_missing(text):
        return None
    if _DECIMAL.fullmatch(text):
        value = float(text.replace(",", "."))
    elif percent := _PERCENT.fullmatch(text):
        value = float(percent.group(1).replace(",", ".")) / 100
    else:
        raise BadValue(text)
    if value > 1:
        raise BadValue(text)
    return value


def read_whole(raw: str, maximum: int) -> int | None:
    """Return a whole number from 0 to maximum; None when missing."""
    if raw.isdigit() and raw.isascii() and (value := int(raw)) <= maximum:
        return value
    text = clean(raw)
    if is_missing(text):
        return None
    if not (text.isdigit() and text.isascii()) or int(text) > maximum:
        raise BadValue(text)
    return int(text)


def read_yes_no(raw: str) -> bool | None:
    """Return True for Oui/O/Yes/Y, False for Non/N/No, None when missing."""
    text = clean(raw)
    if is_missing(text):
        return None
    folded = text.casefold()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise BadValue(text)


def read_datetime(raw: str) -> datetime | None:
    """Return a Paris date (and time) as an aware UTC datetime; a date alone is at midnight."""
    text = clean(raw)
    if is_missing(text):
        return None
    if match := _FRENCH_DATE.fullmatch(text):
        day, month, year, hour, minute, second = match.groups()
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day, hour, minute, second = match.groups()
    else:
        raise BadValue(text)
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        raise BadValue(text) from None
    return moment.replace(tzinfo=PARIS).astimezone(UTC)
