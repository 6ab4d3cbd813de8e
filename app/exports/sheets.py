"""Sheets of the consolidated export: the declaration workbook's layout, plus follow-up columns.

The summary keeps the import's columns (code, CODIR wish, comments), so that the exported
workbook imports back; the other columns are ignored by the import.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.declarations import workbook
from app.declarations.workbook import CODE, LINE, Column, Sheet
from app.events import exports as webinars
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
    Column("granted", "Licences accordées", "Licences granted"),
    Column("gap", "Écart (accordées − demandées)", "Gap (granted − requested)"),
    Column("ambassadors", "Nombre d'ambassadeurs", "Number of ambassadors"),
    Column("administrators", "Nombre d'administrateurs", "Number of administrators"),
    workbook.WANTS_CODIR,
    Column("codir_status", "Demande de présentation CODIR", "CODIR presentation request"),
    workbook.COMMENTS,
    Column("changed", "Depuis votre export précédent", "Since your previous export"),
))  # fmt: skip

# The call's pool beside what the directorates listed requested and were granted.
LICENCES = Sheet("licences", "Licences", "Licences", (
    Column("figure", "Chiffre", "Figure"),
    Column("licences", "Licences", "Licences"),
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

# Follow-up aggregates (app/followup/overview.py): never a person's row, and a figure resting
# on fewer participations than the minimum group reads "fewer than N" (left out of totals).
FOLLOWUP_CAMPAIGNS = Sheet("followup_campaigns", "Suivi par campagne", "Follow-up by campaign", (
    CODE,
    Column("line", "N° campagne", "Campaign no."),
    Column("label", "Campagne", "Campaign"),
    Column("state", "Suivi", "Follow-up"),
    Column("aim", "Objectif", "Aim"),
    Column("kind", "Type de campagne PIX Orga", "Kind of PIX Orga campaign"),
    Column("headcount", "Population déclarée", "Population declared"),
    Column("targets", "Nombre de cibles", "Number of targets"),
    Column("checkpoint", "Dernier point d'étape avec résultats", "Latest checkpoint with results"),
    Column("checkpoint_on", "Date du point d'étape", "Date of the checkpoint"),
    Column("participants", "Participations", "Participations"),
    Column("participation", "Participation (%)", "Participation (%)"),
    Column("shared", "Participations partagées", "Shared participations"),
    Column("reached", "Toutes cibles atteintes", "Reaching every target"),
    Column("reached_share", "Toutes cibles atteintes (% des partagées)",
           "Reaching every target (% of shared)"),
))  # fmt: skip

FOLLOWUP_COMPETENCES = Sheet(
    "followup_competences", "Suivi par compétence", "Follow-up by competence", (
        Column("grouping", "Regroupement", "Grouping"),
        Column("group", "Groupe", "Group"),
        Column("competence", "Compétence", "Competence"),
        Column("targeted", "Campagnes qui la ciblent", "Campaigns targeting it"),
        Column("counted", "Campagnes comptées", "Campaigns counted"),
        Column("shared", "Participations partagées comptées", "Shared participations counted"),
        Column("reached", "Cible atteinte", "Reaching the target"),
        Column("reached_share", "Cible atteinte (%)", "Reaching the target (%)"),
        Column("median_level", "Niveau médian (profils)", "Median level (profiles)"),
        Column("median_band", "Maîtrise médiane (évaluations)", "Median mastery (assessments)"),
        Column("left_out", "Campagnes écartées", "Campaigns left out"),
    ),
)  # fmt: skip

SHEETS = (
    SUMMARY,
    LICENCES,
    workbook.CAMPAIGNS,
    workbook.AMBASSADORS,
    workbook.ADMINISTRATORS,
    CODIR,
    FOLLOWUP_CAMPAIGNS,
    FOLLOWUP_COMPETENCES,
    webinars.TRAINING,
)

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
    "state": 26, "aim": 30, "kind": 26, "checkpoint": 24, "checkpoint_on": 12, "grouping": 20,
    "group": 30, "competence": 45, "median_band": 14, "figure": 60, "granted": 12, "gap": 12,
    "role": 22, "training": 28, "trained": 8, "session_at": 17, "event": 40,
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
