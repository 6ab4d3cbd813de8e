"""Figures of a checkpoint: pure functions from participations and targets to plain data.

The summary of an import is computed once (at import, and again when the targets change) and
stored as JSON, so pages read one row per checkpoint and never a row per participant. It is
also what remains of an import once its individual rows are purged.

Definitions, shown to users on the follow-up page:
- a participant is a row of the export (one participation; a person who joined twice counts
  twice, as in PIX Orga);
- started: for an assessment, a participant who answered at least one question (progression
  above 0 %, or results shared); for a profiles collection, everyone who joined;
- shared: results shared (assessment) or profile sent (profiles collection);
- results are read on shared participations only, as PIX Orga does.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median
from typing import Any, Protocol

from app.followup.reference import MAX_LEVEL

ASSESSMENT = "assessment"
PROFILES_COLLECTION = "profiles_collection"
MASTERY_BUCKETS = 10  # 0-9 %, 10-19 %, ..., 90-100 %


class Row(Protocol):
    """What the figures read of a participation (the Participant model has it)."""

    shared: bool
    progression: float | None
    mastery: float | None
    stage: int | None
    results: dict[str, float]


@dataclass(frozen=True)
class Targets:
    """The targets of a plan: per competence, and for assessments the whole profile."""

    kind: str
    competences: dict[str, int] = field(default_factory=dict)
    mastery: int | None = None
    stage: int | None = None

    @property
    def count(self) -> int:
        """Return how many targets there are."""
        return len(self.competences) + (self.mastery is not None) + (self.stage is not None)


def is_started(row: Row, kind: str) -> bool:
    """Say whether the participant has started (see the module's definitions)."""
    if kind == PROFILES_COLLECTION:
        return True
    return row.shared or (row.progression or 0) > 0


def reaches(value: float | None, target: int, kind: str) -> bool:
    """Say whether a competence result reaches its target (a level, or a percentage)."""
    if value is None:
        return False
    if kind == PROFILES_COLLECTION:
        return value >= target
    return round(value * 100, 6) >= target


def missed_targets(row: Row, targets: Targets) -> list[str]:
    """Return the targets a shared participation misses: competence codes, "mastery", "stage"."""
    missed = [
        code
        for code, target in sorted(targets.competences.items())
        if not reaches(row.results.get(code), target, targets.kind)
    ]
    if targets.mastery is not None and not reaches(row.mastery, targets.mastery, ASSESSMENT):
        missed.append("mastery")
    if targets.stage is not None and (row.stage is None or row.stage < targets.stage):
        missed.append("stage")
    return missed


NOT_STARTED = "not_started"
NOT_SHARED = "not_shared"
BELOW_TARGET = "below_target"
REACHED = "reached"
SHARED = "shared"  # shared, in a plan without targets


def status_of(row: Row, targets: Targets) -> tuple[str, list[str]]:
    """Return where a participation stands, and the targets it misses once shared."""
    if not row.shared:
        return (NOT_SHARED if is_started(row, targets.kind) else NOT_STARTED), []
    if not targets.count:
        return SHARED, []
    missed = missed_targets(row, targets)
    return (BELOW_TARGET if missed else REACHED), missed


def _spread(values: list[float], kind: str, size: int | None = None) -> list[int]:
    """Return the distribution: count per level 0–8, per stage, or per ten percent."""
    if kind == "level":
        counts = [0] * (MAX_LEVEL + 1)
        for value in values:
            counts[min(max(int(value), 0), MAX_LEVEL)] += 1
        return counts
    if kind == "stage":
        counts = [0] * ((size or max(values, default=0)) + 1)
        for value in values:
            counts[min(max(int(value), 0), len(counts) - 1)] += 1
        return counts
    counts = [0] * MASTERY_BUCKETS
    for value in values:
        counts[min(int(value * 100 + 1e-9) // 10, MASTERY_BUCKETS - 1)] += 1
    return counts


def _measure(values: list[float], spread: str, target: int | None, reached: int | None, size=None):
    middle = median(values) if values else None
    if middle is not None and spread == "percent":
        middle = round(middle * 100, 1)
    return {
        "count": len(values),
        "median": middle,
        "distribution": _spread(values, spread, size),
        "target": target,
        "reached": reached,
    }


def summarise(
    rows: Iterable[Row], targets: Targets, stage_count: int | None = None
) -> dict[str, Any]:
    """Return the figures of one import: counts, and per competence the results and targets."""
    rows = list(rows)
    kind = targets.kind
    shared = [row for row in rows if row.shared]
    codes = sorted({code for row in shared for code in row.results} | set(targets.competences))
    spread = "level" if kind == PROFILES_COLLECTION else "percent"
    competences = {}
    for code in codes:
        values = [row.results[code] for row in shared if code in row.results]
        target = targets.competences.get(code)
        reached = None
        if target is not None:
            reached = sum(reaches(row.results.get(code), target, kind) for row in shared)
        competences[code] = _measure(values, spread, target, reached)
    summary: dict[str, Any] = {
        "kind": kind,
        "participants": len(rows),
        "started": sum(is_started(row, kind) for row in rows),
        "shared": len(shared),
        "competences": competences,
        "targets": targets.count,
        "reached_all": (
            sum(not missed_targets(row, targets) for row in shared) if targets.count else None
        ),
        "overall": None,
        "stage": None,
    }
    if kind == ASSESSMENT:
        values = [row.mastery for row in shared if row.mastery is not None]
        reached = None
        if targets.mastery is not None:
            reached = sum(reaches(row.mastery, targets.mastery, kind) for row in shared)
        summary["overall"] = _measure(values, "percent", targets.mastery, reached)
        stages = [row.stage for row in shared if row.stage is not None]
        if stages or targets.stage is not None:
            reached = None
            if targets.stage is not None:
                reached = sum((row.stage or 0) >= targets.stage for row in shared)
            summary["stage"] = _measure(stages, "stage", targets.stage, reached, stage_count)
    return summary


def share(part: int | None, whole: int | None) -> float | None:
    """Return part / whole, or None when either is unknown or the whole is zero."""
    if part is None or not whole:
        return None
    return part / whole


def evolution(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return, for each summary after the first, the change of its key shares since the last."""
    changes = []
    previous = None
    for summary in summaries:
        shares = key_shares(summary)
        if previous is None:
            changes.append({key: None for key in shares})
        else:
            changes.append(
                {
                    key: None if value is None or previous.get(key) is None
                    else value - previous[key]
                    for key, value in shares.items()
                }
            )  # fmt: skip
        previous = shares
    return changes


def key_shares(summary: dict[str, Any]) -> dict[str, float | None]:
    """Return the shares that evolution compares: shared, every target reached, per target."""
    shares = {
        "shared": share(summary["shared"], summary["participants"]),
        "reached_all": share(summary["reached_all"], summary["shared"]),
    }
    for code, measure in summary["competences"].items():
        if measure["target"] is not None:
            shares[code] = share(measure["reached"], summary["shared"])
    for key in ("overall", "stage"):
        measure = summary.get(key)
        if measure and measure["target"] is not None:
            shares[key] = share(measure["reached"], summary["shared"])
    return shares
