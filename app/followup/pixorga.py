"""Read a PIX Orga result export (assessment or profiles collection) into plain dataclasses.

The file is read as PIX Orga writes it: UTF-8 (with or without its byte order mark), `;`,
quoted fields, decimal commas, `NA` for missing values, `'` before values starting with
= + - @, Oui/Non, O/N, Yes/No, Y/N, Paris dates. Columns are found by their header text
(see `columns`). Reading is all or nothing: `ResultFileError` lists every problem found.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from flask_babel import gettext as _

from app.followup.columns import ASSESSMENT, PROFILES_COLLECTION, read_header
from app.followup.results import (
    Participation,
    Problem,
    ResultFile,
    ResultFileError,
    fingerprint,
)
from app.followup.rows import Problems, RowReader

__all__ = [
    "ASSESSMENT",
    "MAX_BYTES",
    "MAX_PARTICIPATIONS",
    "PROFILES_COLLECTION",
    "Participation",
    "Problem",
    "ResultFile",
    "ResultFileError",
    "fingerprint",
    "parse_results",
]

MAX_PARTICIPATIONS = 20_000
# A full 16-competence assessment export takes about 410 bytes a participation: 20,000 of them
# fit in 10 MB.
MAX_BYTES = 10 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


class _Fatal(Exception):
    """A problem after which the rest of the file is not read."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def parse_results(data: bytes | BinaryIO) -> ResultFile:
    """Read a PIX Orga result export; raise ResultFileError listing every problem.

    `data` is the file's bytes or a binary stream (such as an upload's), read in chunks:
    reading stops as soon as MAX_BYTES or MAX_PARTICIPATIONS is passed.
    """
    if isinstance(data, bytes | bytearray) and len(data) > MAX_BYTES:
        raise ResultFileError([_too_large()])
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    rows = csv.reader(_lines(stream), delimiter=";", quotechar='"')
    problems = Problems()
    try:
        header = next((row for row in rows if row), None)
        if header is None:
            raise _Fatal(Problem(None, None, _("The file is empty.")))
        _check_separator(header)
        layout, header_problems = read_header(header)
        if layout is None:
            raise ResultFileError(header_problems)
        reader = RowReader(layout, problems)
        line, count = rows.line_num + 1, 0
        for row in rows:
            if row:
                count += 1
                if count > MAX_PARTICIPATIONS:
                    raise _Fatal(_too_many())
                reader.read(row, line)
            line = rows.line_num + 1
    except _Fatal as error:
        raise ResultFileError([error.problem]) from None
    except csv.Error:
        message = _(
            "Line %(line)s cannot be read: a quotation mark is not closed, or a value is far "
            "too long.",
            line=rows.line_num,
        )
        problems.add(Problem(rows.line_num, None, message))
    if problems.items:
        raise ResultFileError(problems.summary())
    return reader.result()


def _lines(stream: BinaryIO) -> Iterator[str]:
    """Yield the lines of a UTF-8 byte stream, stopping once MAX_BYTES have been read."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending: list[str] = []
    size = lines = 0
    while True:
        chunk = stream.read(CHUNK_BYTES)
        size += len(chunk)
        if size > MAX_BYTES:
            raise _Fatal(_too_large())
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            line = lines + 1 + chunk[: max(error.start, 0)].count(b"\n")
            raise _Fatal(_not_utf8(line)) from None
        parts = text.split("\n")
        if len(parts) > 1:
            yield "".join([*pending, parts[0]]) + "\n"
            for part in parts[1:-1]:
                yield part + "\n"
            lines += len(parts) - 1
            pending = []
        pending.append(parts[-1])
        if not chunk:
            break
    if any(pending):
        yield "".join(pending)


def _check_separator(header: list[str]) -> None:
    if len(header) > 1:
        return
    if "\t" in header[0]:
        message = _(
            "The columns of this file are separated by tabs, not by semicolons as in PIX Orga "
            "exports. Download the export again from PIX Orga and import it without opening it "
            "in a spreadsheet."
        )
    elif "," in header[0]:
        message = _(
            "The columns of this file are separated by commas, not by semicolons as in PIX Orga "
            "exports. Download the export again from PIX Orga and import it without opening it "
            "in a spreadsheet."
        )
    else:
        return
    raise _Fatal(Problem(1, None, message))


def _too_many() -> Problem:
    message = _(
        "The file has more than %(limit)s participations, the most that can be imported at once.",
        limit=MAX_PARTICIPATIONS,
    )
    return Problem(None, None, message)


def _too_large() -> Problem:
    message = _(
        "The file is larger than %(limit)s MB, the most that can be imported at once.",
        limit=MAX_BYTES // (1024 * 1024),
    )
    return Problem(None, None, message)


def _not_utf8(line: int) -> Problem:
    message = _(
        "The file is not encoded in UTF-8, as PIX Orga writes it (line %(line)s cannot be "
        "read). Download the export again from PIX Orga, or save it as “CSV UTF-8”.",
        line=line,
    )
    return Problem(line, None, message)
