"""Write a table as CSV for French spreadsheet software: rows in, text out.

UTF-8 with a byte order mark (so that accents survive a double click), `;` as separator, dates
and decimal numbers as the language writes them, and the same neutralisation of formulas as
the workbook.
"""

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime

from app.declarations.workbook import neutralise
from app.exports.sheets import Table

BOM = "\ufeff"
DATE_FORMATS = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}
DATETIME_FORMATS = {"fr": "%d/%m/%Y %H:%M", "en": "%Y-%m-%d %H:%M"}
LINES_PER_CHUNK = 500


def csv_chunks(table: Table, language: str) -> Iterator[str]:
    """Yield the CSV text of a table in chunks of lines, the byte order mark first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    date_format, datetime_format = DATE_FORMATS[language], DATETIME_FORMATS[language]
    buffer.write(BOM)
    writer.writerow([neutralise(text) for text in table.headers])
    for count, row in enumerate(table.rows, start=1):
        values = []
        for value in row:
            kind = type(value)
            if kind is str:
                value = neutralise(value)
            elif kind is datetime:
                value = value.strftime(datetime_format)
            elif kind is date:
                value = value.strftime(date_format)
            elif kind is float and language == "fr":
                value = str(value).replace(".", ",")
            values.append(value)
        writer.writerow(values)
        if count % LINES_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
