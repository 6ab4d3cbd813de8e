"""Intranet resources for the competences a campaign has not brought everyone to target yet.

A competence is below target at a checkpoint when the plan sets it a target and not every
shared participation reached it (`reached < shared` in the checkpoint's summary). The page
reads the latest checkpoint with results; the resources are those of the content area
(`app/content/resources.py`), for every such competence in one go.
"""

from dataclasses import dataclass
from typing import Any

from app.auth.models import User
from app.content import resources
from app.content.models import ContentItem
from app.followup.reference import competences


@dataclass
class Gap:
    """A competence below target at a checkpoint, and the resources to progress in it."""

    code: str
    target: int
    reached: int
    shared: int
    resources: list[ContentItem]


def below_target(summary: dict[str, Any]) -> list[str]:
    """Return the competences with a target that not every shared participation reached."""
    figures = summary.get("competences", {})
    shared = summary.get("shared") or 0
    return [
        item.code
        for item in competences()
        if item.code in figures
        and figures[item.code].get("target") is not None
        and (figures[item.code].get("reached") or 0) < shared
    ]


def gaps(user: User, language: str, summary: dict[str, Any]) -> list[Gap]:
    """Return the competences below target with their resources (a fixed number of queries)."""
    codes = below_target(summary)
    found = resources.by_competence(user, language, codes)
    return [
        Gap(
            code,
            summary["competences"][code]["target"],
            summary["competences"][code]["reached"] or 0,
            summary["shared"],
            found[code],
        )
        for code in codes
    ]
