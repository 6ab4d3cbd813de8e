"""A blank Annex 1 workbook, for a directorate that answers by e-mail, in the import's layout.

The sheets and headers are those of `workbook.py` in the reader's language, so the import reads
the filled workbook back as it is. A read-me sheet comes first; a hidden sheet holds the lists
the cells offer (directorate codes, kinds of perimeter), since a list written in the validation
itself cannot hold the commas of the kinds' labels. Texts from the database are neutralised as
in the exports, so that none runs as a formula.
"""

from datetime import date
from typing import IO

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from app.auth.models import Role, User
from app.declarations import workbook as layout
from app.declarations.models import PERIMETER_LABELS, PerimeterKind
from app.directorates.models import Call, Directorate, LearningPath
from app.directorates.policies import directorates_visible_to
from app.extensions import db
from app.i18n import localized

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows offered with the lists and checks below the header (a workbook may hold many directorates).
LAST_ROW = 2001
YES_NO = {"fr": ("oui", "non"), "en": ("yes", "no")}
DATE_FORMATS = {"fr": "DD/MM/YYYY", "en": "YYYY-MM-DD"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E3E3FD")
WRAP = Alignment(wrap_text=True, vertical="top")

WIDTHS = {
    "directorate": 18, "line": 6, "label": 30, "perimeter_kind": 34,
    "perimeter_description": 40, "target_population": 28, "headcount": 14, "licences": 12,
    "starts_on": 14, "ends_on": 14, "paths": 36, "learning_paths_note": 36, "last_name": 22,
    "first_name": 20, "email": 34, "phone": 18, "unit": 28, "function": 30, "hr_confirmed": 22,
    "wants_codir": 22, "comments": 60,
}  # fmt: skip

SHEET_HELP = {
    "summary": _l("One row for the directorate: the CODIR wish and comments."),
    "campaigns": _l("One row per planned campaign (at least one)."),
    "ambassadors": _l("One row per PIX ambassador (at least one)."),
    "administrators": _l(
        "One row per PIX Orga administrator (at least one), from the HR or training domain."
    ),
}
FIELD_HELP = {
    "directorate": _l("The directorate's code, on every row: choose it from the list."),
    "line": _l("Optional: the order of the rows (1, 2, 3…)."),
    "label": _l("A short name for the campaign."),
    "perimeter_kind": _l("How the perimeter is organised: choose from the list (see below)."),
    "perimeter_description": _l("The units, populations or sites the campaign covers."),
    "target_population": _l("The agents the campaign is for (for example: managers)."),
    "headcount": _l("The number of agents concerned (a whole number)."),
    "licences": _l("The number of PIX licences needed, not above the agents concerned."),
    "starts_on": _l("The planned start date."),
    "ends_on": _l("The planned end date, not before the start."),
    "paths": _l(
        "Optional: codes or names of Annex 2 learning paths, separated by semicolons "
        "(see the list of paths in this workbook)."
    ),
    "learning_paths_note": _l("Optional: other learning needs, or paths outside Annex 2."),
    "last_name": _l("Last name."),
    "first_name": _l("First name."),
    "email": _l("Professional e-mail address."),
    "phone": _l("Optional: telephone number."),
    "unit": _l("Optional: the ambassador's unit."),
    "function": _l("The administrator's function."),
    "hr_confirmed": _l(
        "Yes if the administrator belongs to the HR or training domain: required, for the "
        "confidentiality of the results."
    ),
    "wants_codir": _l(
        "Yes if the directorate would like its CVRH to present PIX at its management "
        "committee (CODIR)."
    ),
    "comments": _l("Optional: anything the project team should know."),
}
PERIMETER_HELP = {
    PerimeterKind.UNIT: _l(
        "The campaign covers the agents of one or more units, departments or services: name "
        "them in the perimeter column."
    ),
    PerimeterKind.POPULATION: _l(
        "The campaign covers a population across units, such as every manager or every new "
        "agent: describe it."
    ),
    PerimeterKind.SITE: _l(
        "The campaign covers the agents of one or more geographic sites: name the sites."
    ),
    PerimeterKind.OTHER: _l("Any other organisation: describe it in the perimeter column."),
}


def _header(sheet, values: list[str], widths: list[int]) -> None:
    sheet.append(values)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _check(sheet, column: int, rule: DataValidation, error: str) -> None:
    rule.error, rule.errorTitle, rule.showErrorMessage = error, _("Value refused"), True
    letter = get_column_letter(column)
    rule.add(f"{letter}2:{letter}{LAST_ROW}")
    sheet.add_data_validation(rule)


def _lists_sheet(book, codes: list[str], language: str):
    """Add the hidden sheet of the lists; return it and the range of each list by name."""
    sheet = book.create_sheet(_("Lists"))
    sheet.sheet_state = "hidden"
    labels = [str(PERIMETER_LABELS[kind]) for kind in PerimeterKind]
    columns = {"codes": codes or [""], "perimeters": labels, "yes_no": list(YES_NO[language])}
    headers = [getattr(layout.CODE, language), getattr(layout.PERIMETER_KIND, language),
               " / ".join(YES_NO[language])]  # fmt: skip
    ranges = {}
    for index, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=headers[index - 1])
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=layout.neutralise(value))
        end = len(values) + 1
        ranges[name] = f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${end}"
    return sheet, ranges


def _data_sheet(book, sheet_layout: layout.Sheet, language: str, ranges: dict[str, str]):
    sheet = book.create_sheet(sheet_layout.title(language))
    columns = sheet_layout.columns
    _header(sheet, [getattr(c, language) for c in columns], [WIDTHS[c.field] for c in columns])
    yes, no = YES_NO[language]
    for index, column in enumerate(columns, start=1):
        name = column.field
        if name == "directorate":
            rule = DataValidation(type="list", formula1=ranges["codes"], allow_blank=True)
            _check(sheet, index, rule, _("Choose a directorate code from the list."))
        elif name == "perimeter_kind":
            rule = DataValidation(type="list", formula1=ranges["perimeters"], allow_blank=True)
            _check(sheet, index, rule, _("Choose how the perimeter is organised from the list."))
        elif name in ("wants_codir", "hr_confirmed"):
            rule = DataValidation(type="list", formula1=ranges["yes_no"], allow_blank=True)
            _check(sheet, index, rule, _("Answer %(yes)s or %(no)s.", yes=yes, no=no))
        elif name in ("headcount", "licences", "line"):
            rule = DataValidation(type="whole", operator="between", formula1="0",
                                  formula2="1000000", allow_blank=True)  # fmt: skip
            _check(sheet, index, rule, _("Write a whole number."))
        elif name in ("starts_on", "ends_on"):
            rule = DataValidation(type="date", operator="between", allow_blank=True,
                                  formula1=str(int(to_excel(date(2000, 1, 1)))),
                                  formula2=str(int(to_excel(date(2099, 12, 31)))))  # fmt: skip
            _check(sheet, index, rule, _("Write a date."))
            sheet.column_dimensions[get_column_letter(index)].number_format = DATE_FORMATS[language]
    return sheet


def _paths_sheet(book, paths: list[LearningPath]) -> str:
    sheet = book.create_sheet(_("Annex 2 paths"))
    _header(sheet, [_("Code"), _("Name"), _("Audience")], [16, 60, 50])
    for path in paths:
        texts = (path.code, localized(path, "name"), localized(path, "audience"))
        sheet.append([layout.neutralise(text) for text in texts])
    return sheet.title


def _readme(sheet, lines: list[tuple[str, str | None]]) -> None:
    """Write the read-me: (text, style) rows, or (label, text) pairs for the tables."""
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90
    for first, second in lines:
        texts = [first] if second in (None, "title", "heading") else [first, second]
        sheet.append([layout.neutralise(text) for text in texts])
        row = sheet.max_row
        if second == "title":
            sheet.cell(row=row, column=1).font = Font(bold=True, size=14)
        elif second == "heading":
            sheet.cell(row=row, column=1).font = Font(bold=True, size=12)
        elif second is not None:
            sheet.cell(row=row, column=1).font = Font(bold=True)
            sheet.cell(row=row, column=1).alignment = WRAP
            sheet.cell(row=row, column=2).alignment = WRAP
        else:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
            sheet.cell(row=row, column=1).alignment = WRAP
            # A merged cell does not grow with its text: give long lines room.
            sheet.row_dimensions[row].height = 15 * (1 + len(first) // 110)


def _quoted(title: str, language: str) -> str:
    return f"«\u00a0{title}\u00a0»" if language == "fr" else f"“{title}”"


def _readme_lines(call: Call, language: str, own: Directorate | None, paths_title: str):
    config = current_app.config
    deadline = format_date(call.deadline, "long")
    titles = ", ".join(_quoted(sheet.title(language), language) for sheet in layout.SHEETS)
    yes, no = YES_NO[language]
    lines: list[tuple[str, str | None]] = [
        (_("PIX deployment – Annex 1 declaration"), "title"),
        (_("Call for declarations: %(title)s (%(code)s)", title=localized(call, "title"),
           code=call.code), None),
        (_("Deadline for declarations: %(date)s", date=deadline), None),
    ]  # fmt: skip
    if own is not None:
        lines.append((_("Directorate: %(name)s – code %(code)s, to write on every row.",
                        name=localized(own, "name"), code=own.code), None))  # fmt: skip
    lines += [
        ("", None),
        (_("How to answer"), "heading"),
        (_("1. Fill in the sheets %(sheets)s: one row per campaign or person, each row starting "
           "with the directorate's code.", sheets=titles), None),
        (_("2. Keep the names of the sheets and the headers of the first row as they are; "
           "columns you add are ignored."), None),
        (_("3. Send the completed workbook by e-mail to %(email)s by %(date)s at the latest.",
           email=config["PORTAL_CONTACT_EMAIL"], date=deadline), None),
        (_("4. The project team imports it into the portal: the declaration is then submitted, "
           "and the project team reviews it as any other."), None),
        (_("With an account on the portal, the declaration can be filled in online instead: "
           "%(address)s", address=config["PORTAL_BASE_URL"]), None),
        ("", None),
        (_("What each column holds"), "heading"),
    ]  # fmt: skip
    for sheet in layout.SHEETS:
        lines.append((sheet.title(language), str(SHEET_HELP[sheet.key])))
        for column in sheet.columns:
            lines.append((f"   {getattr(column, language)}", str(FIELD_HELP[column.field])))
    lines += [
        ("", None),
        (_("How the perimeter is organised"), "heading"),
        *[(kind.label, str(PERIMETER_HELP[kind])) for kind in PerimeterKind],
        ("", None),
        (_("Yes or no columns: choose %(yes)s or %(no)s from the list.", yes=yes, no=no), None),
        (_("Dates: type them as usual (for example %(example)s).",
           example=format_date(date(2026, 9, 1), "short")), None),
        (_("Learning paths: their codes and names are in the sheet %(sheet)s.",
           sheet=_quoted(paths_title, language)), None),
    ]  # fmt: skip
    return lines


def write_blank_workbook(
    target: str | IO[bytes],
    call: Call,
    language: str,
    codes: list[str],
    paths: list[LearningPath],
    own: Directorate | None = None,
) -> None:
    """Write a blank Annex 1 workbook in a language: read-me, the import's sheets, the lists."""
    with force_locale(language):
        book = Workbook()
        readme = book.active
        readme.title = _("Read me")
        lists, ranges = _lists_sheet(book, codes, language)
        for sheet_layout in layout.SHEETS:
            sheet = _data_sheet(book, sheet_layout, language, ranges)
            if own is not None and sheet_layout.key == "summary":
                sheet.cell(row=2, column=1, value=own.code)
        paths_title = _paths_sheet(book, paths)
        _readme(readme, _readme_lines(call, language, own, paths_title))
        book.move_sheet(lists, offset=len(book.sheetnames) - 1 - book.index(lists))
        book.save(target)


def blank_workbook(user: User, call: Call, language: str, target: IO[bytes]) -> str:
    """Write the blank workbook a user may download for a call; return its file name.

    A directorate's correspondent gets its own code in the lists; the project team every code.
    """
    visible = directorates_visible_to(user).order_by(Directorate.code)
    directorates = list(db.session.scalars(visible))
    own = directorates[0] if user.role is Role.DIRECTORATE and directorates else None
    query = select(LearningPath).where(LearningPath.active.is_(True))
    paths = list(db.session.scalars(query.order_by(LearningPath.position, LearningPath.id)))
    write_blank_workbook(target, call, language, [d.code for d in directorates], paths, own)
    with force_locale(language):
        name = _("Annex-1-%(call)s", call=call.code)
    return f"{name}-{own.code}.xlsx" if own is not None else f"{name}.xlsx"
