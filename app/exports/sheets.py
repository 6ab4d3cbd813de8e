"""Sheets of the consolidated export: the declaration workbook's layout, plus follow-up columns.

The summary keeps the import's columns (code, CODIR wish, comments), so that the exported
workbook imports back; the other columns are ignored by the import.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.declarations import workbook
from app.declarations.workbook import CODE, LINE, Column, Sheet
from app.i18n import slugify

SUMMARY = Sheet("summary", "Synthèse", "Summary", (
    CODE,
    Column("name", "Direction", "Directorate"),
    Column("type", "Type de direction", "Directorate type"),
    Column("region", "Région", "Region"),
    Column("cvrh", "CVRH", "CVRH"),
    Column("status", "État de la déclaration", "Declaration status"),
    Column("deadline", "Date limite", "Deadline"),
    Column("submitted_at", "Déposée le", "Submitted on"),
    Column("updated_at", "Dernière modification", "Last changed"),
    Column("campaigns", "Nombre de campagnes", "Number of campaigns"),
    Column("licences", "Licences demandées", "Licences requested"),
    Column("ambassadors", "Nombre d'ambassadeurs", "Number of ambassadors"),
    Column("administrators", "Nombre d'administrateurs", "Number of administrators"),
    workbook.WANTS_CODIR,
    Column("codir_status", "Demande de présentation CODIR", "CODIR presentation request"),
    workbook.COMMENTS,
    Column("changed", "Depuis votre export précédent", "Since your previous export"),
))  # fmt: skip

CODIR = Sheet("codir", "Demandes CODIR", "CODIR requests", (
    CODE, LINE,
    Column("cvrh", "CVRH", "CVRH"),
    Column("status", "État", "Status"),
    Column("created_at", "Demandée le", "Requested on"),
    Column("option_1", "Date souhaitée 1", "Preferred date 1"),
    Column("option_2", "Date souhaitée 2", "Preferred date 2"),
    Column("option_3", "Date souhaitée 3", "Preferred date 3"),
    Column("format", "Format", "Format"),
    Column("audience", "Public", "Audience"),
    Column("place", "Lieu ou lien souhaité", "Place or link wished"),
    Column("topics", "Sujets", "Topics"),
    Column("scheduled_at", "Programmée le", "Scheduled for"),
    Column("duration_minutes", "Durée (minutes)", "Duration (minutes)"),
    Column("scheduled_place", "Lieu ou lien", "Place or link"),
    Column("speaker", "Intervenant", "Speaker"),
    Column("outcome", "Compte rendu", "Outcome"),
    Column("reason", "Motif", "Reason"),
))  # fmt: skip

SHEETS = (SUMMARY, workbook.CAMPAIGNS, workbook.AMBASSADORS, workbook.ADMINISTRATORS, CODIR)

# Typical width of each column's content, in characters; the header's length wins if longer.
WIDTHS = {
    "directorate": 12, "line": 5, "name": 45, "type": 28, "region": 22, "cvrh": 24,
    "status": 22, "deadline": 12, "submitted_at": 17, "updated_at": 17, "comments": 50,
    "label": 30, "perimeter_kind": 28, "perimeter_description": 40, "target_population": 30,
    "starts_on": 12, "ends_on": 12, "paths": 45, "learning_paths_note": 40, "last_name": 20,
    "first_name": 18,
    "email": 32, "phone": 16, "unit": 30, "function": 30, "created_at": 17, "option_1": 12,
    "option_2": 12, "option_3": 12, "format": 18, "audience": 30, "place": 30, "topics": 40,
    "scheduled_at": 17, "scheduled_place": 30, "speaker": 24, "outcome": 40, "reason": 40,
}  # fmt: skip


def width(column: Column, language: str) -> float:
    """Return a sensible width for a column: its typical content or its header, capped."""
    header = column.fr if language == "fr" else column.en
    return min(max(WIDTHS.get(column.field, 10), len(header)) + 2, 60)


def headers(sheet: Sheet, language: str) -> list[str]:
    """Return the headers of a sheet in a language."""
    return [column.fr if language == "fr" else column.en for column in sheet.columns]


@dataclass
class Table:
    """A sheet ready to write: title, headers and widths in a language, rows read as written."""

    key: str
    title: str
    headers: list[str]
    widths: list[float]
    rows: Iterable[Sequence[Any]]
    marked: int | None = None  # index of a column whose non-empty cells are highlighted

    @property
    def slug(self) -> str:
        """Return the title as a file name part: ascii, lower case, words joined by hyphens."""
        return slugify(self.title)


def table(sheet: Sheet, language: str, rows: Iterable[Sequence[Any]], marked=None) -> Table:
    """Return a sheet of the layout as a table in a language."""
    return Table(
        key=sheet.key,
        title=sheet.title(language),
        headers=headers(sheet, language),
        widths=[width(column, language) for column in sheet.columns],
        rows=rows,
        marked=marked,
    )
