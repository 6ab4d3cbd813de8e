"""Turn the data rows of a PIX Orga export into participations, collecting every problem."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from app.declarations.rules import clean_text
from app.followup import cells
from app.followup.columns import ASSESSMENT, Layout
from app.followup.models import FollowupPlan, Participant
from app.followup.reference import MAX_LEVEL, PIX_PER_LEVEL, competence, competences
from app.followup.results import Participation, Problem, ResultFile, fingerprint
from app.i18n import localized

MAX_PROBLEMS = 200
MAX_PIX = MAX_LEVEL * PIX_PER_LEVEL
CAMPAIGN_FIELDS = (
    "organisation_name",
    "campaign_id",
    "campaign_code",
    "campaign_name",
    "target_profile_name",
)
SHOWN_CHARACTERS = 40
# The texts the portal stores, at most as long as their columns: a longer one is a problem of
# the file, not a database error.
TEXT_MAX = {
    "campaign_id": FollowupPlan.__table__.c.pixorga_id.type.length,
    "campaign_code": FollowupPlan.__table__.c.pixorga_code.type.length,
    "campaign_name": FollowupPlan.__table__.c.pixorga_name.type.length,
    "last_name": Participant.__table__.c.last_name.type.length,
    "first_name": Participant.__table__.c.first_name.type.length,
}


class Problems:
    """The problems of a file: the first MAX_PROBLEMS kept, the others counted."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.dropped = 0

    def add(self, problem: Problem) -> None:
        """Record a problem."""
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(problem)
        else:
            self.dropped += 1

    def summary(self) -> list[Problem]:
        """Return the problems kept, and a last one saying how many were left out."""
        if not self.dropped:
            return self.items
        message = ngettext(
            "And %(num)s more problem, not listed here.",
            "And %(num)s more problems, not listed here.",
            self.dropped,
        )
        return [*self.items, Problem(None, None, message)]


@dataclass(frozen=True)
class _Column:
    """A result column: where it is, how to read it and which attribute of a row it fills."""

    index: int
    header: str
    read: Callable[[str], Any]
    kind: str
    attribute: str
    code: str = ""
    maximum: int = 0
    required: bool = False


class RowReader:
    """Read the rows of one file after its header, one at a time."""

    def __init__(self, layout: Layout, problems: Problems) -> None:
        self.layout = layout
        self.problems = problems
        self.participations: list[Participation] = []
        self.columns = _result_columns(layout)
        self.campaign_columns = [
            (name, layout.fields[name]) for name in CAMPAIGN_FIELDS if name in layout.fields
        ]
        self.stage_count = layout.stage[1] if layout.stage else None
        self.campaign: dict[str, str | None] = dict.fromkeys(CAMPAIGN_FIELDS)
        self.first_row: list[str] | None = None
        self.first_line = 0

    def read(self, row: list[str], line: int) -> None:
        """Read one data row; keep its participation, or record why the line is refused."""
        layout, found = self.layout, []
        if len(row) != len(layout.headers):
            message = _(
                "Line %(line)s has %(count)s values, but the header has %(expected)s columns.",
                line=line,
                count=len(row),
                expected=len(layout.headers),
            )
            self.problems.add(Problem(line, None, message))
            return
        self._check_campaign(row, line, found)
        item = Participation(
            line=line,
            last_name=self._name(row, "last_name", line, found),
            first_name=self._name(row, "first_name", line, found),
            extras={
                header: self._text(row, index, line, found) or "" for header, index in layout.extras
            },
            started_at=None,
            shared=False,
            shared_at=None,
            stage_count=self.stage_count,
        )
        for column in self.columns:
            raw = row[column.index]
            try:
                # PIX writes NA for every result of a participation not shared yet.
                value = None if raw == cells.NOT_AVAILABLE else column.read(raw)
            except cells.BadValue as error:
                found.append(_bad_value(column, line, str(error)))
                continue
            if value is None:
                if column.required:
                    found.append(_bad_value(column, line, cells.clean(raw)))
            elif column.code:
                getattr(item, column.attribute)[column.code] = value
            else:
                setattr(item, column.attribute, value)
        for problem in found:
            self.problems.add(problem)
        if not found:
            self.participations.append(item)

    def result(self) -> ResultFile:
        """Return the file read, once every row is read without a problem."""
        campaign = self.campaign
        covered = {code for _measure, code in self.layout.competences}
        kind = self.layout.kind
        return ResultFile(
            kind=kind,
            campaign_id=campaign["campaign_id"],
            campaign_code=campaign["campaign_code"],
            campaign_name=campaign["campaign_name"],
            organisation_name=campaign["organisation_name"],
            target_profile_name=campaign["target_profile_name"],
            competences=[item.code for item in competences() if item.code in covered],
            stage_count=self.stage_count,
            extra_columns=[header for header, _index in self.layout.extras],
            other_competences=list(self.layout.other_competences),
            fingerprint=fingerprint(kind, campaign["campaign_id"], self.participations),
            participations=self.participations,
        )

    def _check_campaign(self, row: list[str], line: int, found: list[Problem]) -> None:
        """Check that a row names the campaign of the first row (the texts are taken from it)."""
        if self.first_row is None:
            self.first_row, self.first_line = row, line
            for name, index in self.campaign_columns:
                self.campaign[name] = self._text(row, index, line, found, TEXT_MAX.get(name))
            return
        for _name, index in self.campaign_columns:
            if row[index] == self.first_row[index]:
                continue
            column = self.layout.headers[index].strip()
            message = _(
                "Line %(line)s: “%(column)s” is “%(value)s”, but “%(first)s” on line "
                "%(first_line)s: a file must hold the results of a single campaign.",
                line=line,
                column=column,
                value=_shown(cells.clean(row[index])),
                first=_shown(cells.clean(self.first_row[index])),
                first_line=self.first_line,
            )
            found.append(Problem(line, column, message))

    def _text(
        self,
        row: list[str],
        index: int,
        line: int,
        found: list[Problem],
        maximum: int | None = None,
    ) -> str | None:
        """Return a text cell on one line, None for NA or for a value refused as a formula."""
        text = self._plain(row, index, line, found, maximum)
        return None if text is None else _value_or_none(text)

    def _name(self, row: list[str], field: str, line: int, found: list[Problem]) -> str:
        """Return a participant's name, which may not be empty (but may be "NA")."""
        index = self.layout.fields[field]
        name = self._plain(row, index, line, found, TEXT_MAX[field])
        if name == "":
            column = self.layout.headers[index].strip()
            message = _("Line %(line)s: “%(column)s” is empty.", line=line, column=column)
            found.append(Problem(line, column, message))
        return name or ""

    def _plain(
        self, row: list[str], index: int, line: int, found: list[Problem], maximum: int | None
    ) -> str | None:
        """Return a text cell on one line, or None after refusing one that may be a formula or
        is longer than the portal stores."""
        text = clean_text(row[index])
        if maximum is not None and len(cells.clean(text)) > maximum:
            column = self.layout.headers[index].strip()
            message = _(
                "Line %(line)s: “%(column)s” is too long (%(length)s characters): %(max)s at most.",
                line=line,
                column=column,
                length=len(cells.clean(text)),
                max=maximum,
            )
            found.append(Problem(line, column, message))
            return None
        trigger = cells.formula_trigger(text)
        if trigger:
            column = self.layout.headers[index].strip()
            message = _(
                "Line %(line)s: “%(column)s” starts with “%(character)s” without the apostrophe "
                "PIX Orga writes before such values: it may be a formula, so the line is refused.",
                line=line,
                column=column,
                character=trigger,
            )
            found.append(Problem(line, column, message))
            return None
        return cells.clean(text)


def _result_columns(layout: Layout) -> list[_Column]:
    """Return the result columns of a layout with the reader of each."""
    assessment = layout.kind == ASSESSMENT
    shared, shared_at = ("shared", "shared_at") if assessment else ("sent", "sent_at")
    most_pix = MAX_PIX * len(competences())
    named: list[tuple[str, Callable[[str], Any], str, str, int, bool]] = [
        ("started_at", cells.read_datetime, "date", "started_at", 0, False),
        (shared, cells.read_yes_no, "yes_no", "shared", 0, True),
        (shared_at, cells.read_datetime, "date", "shared_at", 0, False),
    ]
    if assessment:
        named += [
            ("progression", cells.read_share, "share", "progression", 0, False),
            ("mastery", cells.read_share, "share", "mastery", 0, False),
        ]
    else:
        named += [
            (
                "total_pix",
                partial(cells.read_whole, maximum=most_pix),
                "whole",
                "total_pix",
                most_pix,
                False,
            ),
            ("certifiable", cells.read_yes_no, "yes_no", "certifiable", 0, False),
        ]
    columns = [
        _Column(index, layout.headers[index].strip(), read, kind, attribute, "", maximum, required)
        for name, read, kind, attribute, maximum, required in named
        if (index := layout.fields.get(name)) is not None
    ]
    if assessment and layout.stage:
        index, count = layout.stage
        read = partial(cells.read_whole, maximum=count)
        columns.append(
            _Column(index, layout.headers[index].strip(), read, "whole", "stage", "", count)
        )
    measures = {
        "mastery": (cells.read_share, "competence_share", "competence_mastery", 0),
        "level": (partial(cells.read_whole, maximum=MAX_LEVEL), "level", "levels", MAX_LEVEL),
        "pix": (partial(cells.read_whole, maximum=MAX_PIX), "pix", "pix", MAX_PIX),
    }
    for (measure, code), index in layout.competences.items():
        read, kind, attribute, maximum = measures[measure]
        header = layout.headers[index].strip()
        columns.append(_Column(index, header, read, kind, attribute, code, maximum))
    return columns


def _value_or_none(text: str) -> str | None:
    return None if cells.is_missing(text) else text


def _shown(value: str) -> str:
    """Return a cell's text short enough for a message."""
    if len(value) <= SHOWN_CHARACTERS:
        return value
    return value[: SHOWN_CHARACTERS - 1] + "…"


def _bad_value(column: _Column, line: int, value: str) -> Problem:
    """Return the problem of a cell that cannot be read as the value its column holds."""
    value = _shown(value)
    name = localized(competence(column.code), "name") if column.code else ""
    examples = {"share": "0,67", "percent": "67 %"}
    if column.kind == "level":
        message = _(
            "Line %(line)s: the level for “%(competence)s” is “%(value)s”, expected a whole "
            "number from 0 to %(max)s.",
            line=line,
            competence=name,
            value=value,
            max=column.maximum,
        )
    elif column.kind == "pix":
        message = _(
            "Line %(line)s: the pix score for “%(competence)s” is “%(value)s”, expected a whole "
            "number from 0 to %(max)s.",
            line=line,
            competence=name,
            value=value,
            max=column.maximum,
        )
    elif column.kind == "competence_share":
        message = _(
            "Line %(line)s: the mastery of “%(competence)s” is “%(value)s”, expected a share "
            "from 0 to 1 (such as %(share)s) or a percentage (such as %(percent)s).",
            line=line,
            competence=name,
            value=value,
            **examples,
        )
    elif column.kind == "share":
        message = _(
            "Line %(line)s: “%(column)s” is “%(value)s”, expected a share from 0 to 1 (such as "
            "%(share)s) or a percentage (such as %(percent)s).",
            line=line,
            column=column.header,
            value=value,
            **examples,
        )
    elif column.kind == "yes_no":
        message = _(
            "Line %(line)s: “%(column)s” is “%(value)s”, expected Oui or Non (Yes or No).",
            line=line,
            column=column.header,
            value=value,
        )
    elif column.kind == "date":
        message = _(
            "Line %(line)s: “%(column)s” is “%(value)s”, which is not a date (expected "
            "DD/MM/YYYY, DD/MM/YYYY HH:MM or YYYY-MM-DD).",
            line=line,
            column=column.header,
            value=value,
        )
    else:
        message = _(
            "Line %(line)s: “%(column)s” is “%(value)s”, expected a whole number from 0 to "
            "%(max)s.",
            line=line,
            column=column.header,
            value=value,
            max=column.maximum,
        )
    return Problem(line, column.header, message)
