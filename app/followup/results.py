"""What reading a PIX Orga export gives: plain records, or the problems that refuse the file."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from app.followup.reference import normalise

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_folded = lru_cache(maxsize=256)(normalise)


@dataclass(frozen=True)
class Problem:
    """One reason to refuse a file: its line (1 = header), its column header and a message."""

    line: int | None
    column: str | None
    message: str


class ResultFileError(ValueError):
    """A PIX Orga export that cannot be imported, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(problem.message for problem in problems))
        self.problems = problems


@dataclass
class Participation:
    """One row of the export: a person's participation in the campaign.

    Dates are aware UTC datetimes (PIX writes Paris time; a date alone means midnight in
    Paris). Shares run from 0 to 1. Per-competence dicts are keyed by competence code and
    leave out the `NA` values. Assessment rows fill progression, mastery, stage and
    competence_mastery; profiles collection rows fill levels, pix, total_pix and certifiable.
    """

    line: int
    last_name: str
    first_name: str
    extras: dict[str, str]
    started_at: datetime | None
    shared: bool
    shared_at: datetime | None
    progression: float | None = None
    mastery: float | None = None
    stage: int | None = None
    stage_count: int | None = None
    competence_mastery: dict[str, float] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    pix: dict[str, int] = field(default_factory=dict)
    total_pix: int | None = None
    certifiable: bool | None = None


@dataclass
class ResultFile:
    """A whole export: the campaign it comes from and its participations.

    The campaign's texts are None only in a file without participations (they are read from
    the rows); the campaign code is also None in older files, which have no Code column.
    `competences` lists the codes of the competences the file has results for, in reference
    order; `other_competences`, the names of competence columns that are not one of the 16.
    """

    kind: str
    campaign_id: str | None
    campaign_code: str | None
    campaign_name: str | None
    organisation_name: str | None
    target_profile_name: str | None
    competences: list[str]
    stage_count: int | None
    extra_columns: list[str]
    other_competences: list[str]
    fingerprint: str
    participations: list[Participation]


def fingerprint(kind: str, campaign_id: str | None, participations: list[Participation]) -> str:
    """Return the SHA-256 that two exports of the same results share.

    Two files are the same when they hold the same kind of campaign, the same campaign ID and
    the same participations with the same values, whatever their file name, row order, column
    order, header language or version, quoting, line ends, byte order mark and way of writing
    numbers (0,67 or 67 %). Campaign and organisation names are left out: renaming a campaign
    in PIX Orga does not change its results. Line numbers are left out; repeated rows count.
    """
    rows = sorted(_ENCODER.encode(_canonical(item)) for item in participations)
    return hashlib.sha256(_ENCODER.encode([kind, campaign_id, rows]).encode()).hexdigest()


def _canonical(item: Participation) -> list:
    def moment(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    def share(value: float | None) -> float | None:
        return None if value is None else round(value, 6)

    return [
        item.last_name,
        item.first_name,
        sorted((_folded(key), value) for key, value in item.extras.items()),
        moment(item.started_at),
        item.shared,
        moment(item.shared_at),
        share(item.progression),
        share(item.mastery),
        item.stage,
        item.stage_count,
        sorted((code, share(value)) for code, value in item.competence_mastery.items()),
        sorted(item.levels.items()),
        sorted(item.pix.items()),
        item.total_pix,
        item.certifiable,
    ]
