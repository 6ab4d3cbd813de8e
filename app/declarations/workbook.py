"""Layout of the declaration workbook: sheets and columns, with French and English headers.

The consolidated export writes this layout and the import reads it back; extra columns and
sheets are ignored, headers are matched in either language, whatever their case.
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Column:
    """A column: the field it holds and its header in each language."""

    field: str
    fr: str
    en: str


@dataclass(frozen=True)
class Sheet:
    """A sheet: its key, titles in each language and columns."""

    key: str
    fr: str
    en: str
    columns: tuple[Column, ...]

    def title(self, language: str) -> str:
        """Return the sheet's title in a language."""
        return self.fr if language == "fr" else self.en


CODE = Column("directorate", "Code direction", "Directorate code")
LINE = Column("line", "N°", "No.")
LAST_NAME = Column("last_name", "Nom", "Last name")
FIRST_NAME = Column("first_name", "Prénom", "First name")
EMAIL = Column("email", "Adresse électronique", "E-mail address")

PERIMETER_KIND = Column("perimeter_kind", "Organisation du périmètre", "Perimeter organised")
WANTS_CODIR = Column(
    "wants_codir", "Présentation en CODIR demandée", "CODIR presentation requested"
)
COMMENTS = Column("comments", "Commentaires", "Comments")

SUMMARY = Sheet("summary", "Synthèse", "Summary", (CODE, WANTS_CODIR, COMMENTS))
CAMPAIGNS = Sheet("campaigns", "Campagnes", "Campaigns", (
    CODE, LINE,
    Column("label", "Libellé", "Label"),
    PERIMETER_KIND,
    Column("perimeter_description", "Périmètre", "Perimeter"),
    Column("target_population", "Population cible", "Target population"),
    Column("headcount", "Agents concernés", "Agents concerned"),
    Column("licences", "Licences", "Licences"),
    Column("starts_on", "Début prévu", "Planned start"),
    Column("ends_on", "Fin prévue", "Planned end"),
    Column("paths", "Parcours (annexe 2)", "Learning paths (Annex 2)"),
    Column("learning_paths_note", "Autres besoins ou parcours", "Other learning needs or paths"),
))  # fmt: skip
# The paths of a campaign, in one cell: their codes or names, separated by this.
PATH_SEPARATOR = "; "
AMBASSADORS = Sheet("ambassadors", "Ambassadeurs", "Ambassadors", (
    CODE, LINE, LAST_NAME, FIRST_NAME, EMAIL,
    Column("phone", "Téléphone", "Telephone"),
    Column("unit", "Unité", "Unit"),
))  # fmt: skip
ADMINISTRATORS = Sheet("administrators", "Administrateurs PIX Orga", "PIX Orga administrators", (
    CODE, LINE, LAST_NAME, FIRST_NAME, EMAIL,
    Column("function", "Fonction", "Function"),
    Column("hr_confirmed", "Domaine RH ou formation confirmé", "HR or training domain confirmed"),
))  # fmt: skip

SHEETS = (SUMMARY, CAMPAIGNS, AMBASSADORS, ADMINISTRATORS)
REQUIRED_SHEETS = (CAMPAIGNS, AMBASSADORS, ADMINISTRATORS)

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Every character XML 1.0 cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE misses U+FFFE and
# U+FFFF, and a workbook holding one cannot be written at all.
_NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """Return text a spreadsheet will never run as a formula, without the characters it refuses.

    A text that starts with a formula character (after any apostrophes) gets one more leading
    apostrophe; `restore` removes it again on import, so the round trip loses nothing.
    """
    text = _NOT_IN_XML.sub("", text)
    if text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo `neutralise` on a text read back from a spreadsheet."""
    return text[1:] if _NEUTRALISED.match(text) else text


YES = {"oui", "yes", "true", "vrai", "1", "x"}
NO = {"non", "no", "false", "faux", "0", ""}

IMPORT_ERRORS = {
    "not_xlsx": _l("The file is not an Excel workbook (.xlsx) that can be read."),
    "missing_sheet": _l("Sheet missing: %(sheet)s."),
    "missing_column": _l("Column missing: %(column)s."),
    "unknown_directorate": _l("Unknown directorate code: %(code)s."),
    "no_code": _l("The directorate code is empty."),
    "already_declared": _l(
        "This directorate already has a declaration in the portal (%(status)s)."
    ),
    "not_a_number": _l("Not a whole number: %(value)s."),
    "not_a_date": _l("Not a date: %(value)s."),
    "not_yes_no": _l("Answer yes or no: %(value)s."),
    "unknown_perimeter": _l("Unknown perimeter organisation: %(value)s."),
    "unknown_path": _l("Unknown learning path: %(value)s (write its code or its name)."),
    "retired_path": _l("This learning path is no longer offered: %(value)s."),
    "empty": _l("The workbook holds no declaration."),
    "too_many_rows": _l(
        "The sheet %(sheet)s has more than %(max)s rows: nothing was imported. "
        "Split the workbook into several files."
    ),
}
