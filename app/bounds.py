"""Numbers that come from requests and files, read and bounded before they reach the database.

Only ASCII digits count: `int()` also reads other scripts' digits (`١٢` is 12) and refuses
some characters that `str.isdigit` accepts (`²`), so the text is checked first.
"""

import re

from flask import Flask, abort, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select
from werkzeug.routing import IntegerConverter

from app.extensions import db

# Largest value of an INTEGER column (and of the ids) in PostgreSQL.
DB_INT_MAX = 2**31 - 1
# Pages past this one are never listed: the offset would be absurd long before.
PAGE_MAX = 100_000

_INTEGER = re.compile(r"([+-]?)([0-9]+)")
# Spaces people type to group digits: space, no-break space, narrow no-break space, thin space.
_GROUPING = str.maketrans("", "", " \u00a0\u202f\u2009")
# Any number written with more digits than this is out of every range of the portal;
# converting megabytes of digits would only waste time.
_DIGITS_MAX = 18


def parse_integer(text: str) -> int:
    """Return the whole number written in ASCII digits (spaces between groups allowed).

    Raise ValueError for anything else. A number of more than 18 digits comes back as
    ±10**18, out of every range, instead of being converted.
    """
    match = _INTEGER.fullmatch(text.strip().translate(_GROUPING))
    if match is None:
        raise ValueError(text)
    sign, digits = match.groups()
    digits = digits.lstrip("0") or "0"
    value = 10**_DIGITS_MAX if len(digits) > _DIGITS_MAX else int(digits)
    return -value if sign == "-" else value


def has_other_digits(text: str) -> bool:
    """Say whether the text holds digits of another script than ASCII (`١٢`, `²`)."""
    return any(char.isdigit() and not char.isascii() for char in text)


def parse_id(text: str | None) -> int | None:
    """Return the record id written in the text, or None if it cannot be one."""
    if text is None or not re.fullmatch(r"[0-9]{1,10}", text):
        return None
    value = int(text)
    return value if 1 <= value <= DB_INT_MAX else None


def id_arg(name: str) -> int | None:
    """Return the id given in the query string under `name`, None if absent, else 404."""
    text = request.args.get(name, "")
    if text == "":
        return None
    value = parse_id(text)
    if value is None:
        abort(404)
    return value


def page_arg() -> int:
    """Return the page number of the query string (1 if absent); 404 if it cannot be a page."""
    text = request.args.get("page", "")
    if text == "":
        return 1
    if not re.fullmatch(r"[0-9]{1,6}", text) or not 1 <= int(text) <= PAGE_MAX:
        abort(404)
    return int(text)


def refuse_nul_characters() -> None:
    """Answer 400 to a request whose address, query string or form holds a NUL character.

    No page takes one, and PostgreSQL cannot store it in a text column nor compare a text
    with it: anywhere it reached a query, the answer would be a server error.
    """
    if "\x00" in request.path:
        abort(400)
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)
    for key, upload in request.files.items(multi=True):
        if "\x00" in key or "\x00" in (upload.filename or ""):
            abort(400)


class IdConverter(IntegerConverter):
    """`<int:...>` in addresses: ASCII digits up to DB_INT_MAX, anything else is not found.

    Werkzeug's own reads any script's digits (`\\d`) and any size, which reached the
    database as an id it cannot hold (a server error instead of a 404).
    """

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def init_app(app: Flask) -> None:
    """Bound the ids of every address and refuse NUL characters, before any route is added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_characters)


def paginate(query: Select, per_page: int) -> Pagination:
    """Return the page of the query asked for in the query string; 404 past the last page."""
    return db.paginate(query, page=page_arg(), per_page=per_page, max_per_page=per_page)


class ListPagination(Pagination):
    """A page of a list already in memory (rows computed from grouped queries)."""

    def _query_items(self) -> list:
        items = self._query_args["items"]
        return items[self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["items"])


def paginate_list(items: list, per_page: int) -> Pagination:
    """Return the page of the list asked for in the query string; 404 past the last page."""
    return ListPagination(page=page_arg(), per_page=per_page, max_per_page=per_page, items=items)
