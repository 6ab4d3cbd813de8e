"""Write tables to an XLSX workbook in openpyxl's write-only mode: rows in, file out.

Rows are written as they come, so memory stays flat; dates and numbers stay real cells, and any
text is neutralised so that a spreadsheet never runs it as a formula.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from app.declarations.workbook import neutralise
from app.exports.sheets import Table

DATE_FORMATS = {"fr": "DD/MM/YYYY", "en": "YYYY-MM-DD"}
DATETIME_FORMATS = {"fr": "DD/MM/YYYY HH:MM", "en": "YYYY-MM-DD HH:MM"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E3E3FD")
MARK_FILL = PatternFill("solid", fgColor="FEECC2")


def write_xlsx(target: str | IO[bytes], tables: Iterable[Table], language: str) -> None:
    """Write each table to its own sheet: bold frozen header, filters, widths, typed cells."""
    book = Workbook(write_only=True)
    date_format, datetime_format = DATE_FORMATS[language], DATETIME_FORMATS[language]
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(table.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([_header(sheet, text) for text in table.headers])

        def cell(value, number_format, fill=None, sheet=sheet):
            written = (
                _text_cell(sheet, value) if type(value) is str else WriteOnlyCell(sheet, value)
            )
            written.number_format = number_format
            if fill is not None:
                written.fill = fill
            return written

        count = 0
        for row in table.rows:
            values = []
            for value in row:
                kind = type(value)
                if kind is str:
                    value = neutralise(value) if value else None
                    if value and value.startswith("#"):
                        value = _text_cell(sheet, value)
                elif kind is datetime:
                    value = cell(value, datetime_format)
                elif kind is date:
                    value = cell(value, date_format)
                values.append(value)
            if table.marked is not None and values[table.marked]:
                values[table.marked] = cell(values[table.marked], "General", MARK_FILL)
            sheet.append(values)
            count += 1
        last = get_column_letter(len(table.headers))
        sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    if not book.worksheets:
        book.create_sheet()
    book.save(target)


def _text_cell(sheet, text: str) -> WriteOnlyCell:
    """Return a cell holding text as text.

    openpyxl turns a text that reads as an error name (`#REF!`, `#N/A`...) into an error
    cell, which spreadsheet software then treats as a formula's result.
    """
    written = WriteOnlyCell(sheet, value=text)
    written.data_type = "s"
    return written


def _header(sheet, text: str) -> WriteOnlyCell:
    cell = _text_cell(sheet, neutralise(text))
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    return cell
