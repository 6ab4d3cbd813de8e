"""The follow-up sheets of the consolidated export: aggregates only, small groups hidden.

The figures are those of the skills follow-up page (app/followup/overview.py), under the same
rule: a figure resting on fewer participations than the minimum group reads "fewer than N",
and its campaign is left out of every group's figures.
"""

from collections.abc import Iterator
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from app.directorates.models import Call
from app.exports import sheets
from app.followup import overview
from app.followup.reference import competence

Row = list[Any]


def tables(call: Call, rows, everyone: bool, language: str) -> list[sheets.Table]:
    """Return the two follow-up sheets of the call for these overview rows."""
    followup = overview.build(call, rows, everyone=everyone)
    with force_locale(language):
        words = {
            "hidden": _("fewer than %(count)s", count=overview.min_group()),
            "states": {key: str(label) for key, label in overview.STATE_LABELS.items()},
            "groupings": {key: str(label) for key, label in overview.GROUPING_LABELS.items()},
            "all": _("All directorates shown"),
            "total": _("Total"),
        }
        campaigns = list(_campaign_rows(followup, words))
        competences = list(_competence_rows(followup, words, language))
    return [
        sheets.table(sheets.FOLLOWUP_CAMPAIGNS, language, campaigns),
        sheets.table(sheets.FOLLOWUP_COMPETENCES, language, competences),
    ]


def _cell(value, words: dict[str, Any], percent: bool = False, band: bool = False):
    """Return a figure as a spreadsheet cell: a number, a band, "fewer than N" or empty."""
    if value is overview.HIDDEN:
        return words["hidden"]
    if value is None:
        return None
    if band:
        return overview.band_label(value)
    return round(value * 100, 1) if percent else value


def _campaign_rows(followup: overview.Followup, words: dict[str, Any]) -> Iterator[Row]:
    for row in followup.rows:
        for campaign in row.campaigns:
            participants = overview.shown(campaign.participants, campaign.participants)
            base = campaign.participants
            shared = campaign.shared
            reached = overview.shown(campaign.reached, shared)
            yield [
                row.directorate.code,
                campaign.position,
                campaign.label,
                words["states"][campaign.state],
                campaign.aim.label if campaign.aim else None,
                campaign.kind.label if campaign.kind else None,
                campaign.headcount,
                campaign.target_count if campaign.plan_id else None,
                campaign.checkpoint,
                campaign.checkpoint_on,
                _cell(participants, words),
                _cell(_share(participants, campaign.headcount), words, percent=True),
                _cell(overview.shown(shared, base), words),
                _cell(reached, words),
                _cell(_share(reached, shared), words, percent=True),
            ]


def _share(value, whole):
    if value is overview.HIDDEN:
        return value
    if value is None or not whole:
        return None
    return value / whole


def _competence_rows(
    followup: overview.Followup, words: dict[str, Any], language: str
) -> Iterator[Row]:
    groups = [(words["total"], words["all"], followup.competences)]
    for grouping, items in followup.groups.items():
        groups += [(words["groupings"][grouping], g.label, g.competences) for g in items]
    for grouping, label, grid in groups:
        for item in grid.values():
            found = competence(item.code)
            yield [
                grouping,
                label,
                f"{found.code} {found.name_en if language == 'en' else found.name_fr}",
                item.targeted,
                item.counted,
                item.shared if item.counted else None,
                item.reached if item.counted else None,
                _cell(item.reached_share(), words, percent=True),
                _cell(item.median_level(), words),
                _cell(item.median_band(), words, band=True),
                item.left_out,
            ]
