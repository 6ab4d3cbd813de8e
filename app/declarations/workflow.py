"""The declaration workflow as one table: (state, transition) → (new state, who may)."""

import enum

from app.declarations.models import DeclarationStatus as S


class Side(enum.StrEnum):
    """Who performs a transition."""

    DIRECTORATE = "directorate"
    PROJECT_TEAM = "project_team"


class Transition(enum.StrEnum):
    """What can happen to a declaration."""

    SUBMIT = "submit"
    ACCEPT = "accept"
    REQUEST_CORRECTIONS = "request_corrections"
    REOPEN = "reopen"


WORKFLOW: dict[tuple[S, Transition], tuple[S, Side]] = {
    (S.DRAFT, Transition.SUBMIT): (S.SUBMITTED, Side.DIRECTORATE),
    (S.CORRECTIONS_REQUESTED, Transition.SUBMIT): (S.SUBMITTED, Side.DIRECTORATE),
    (S.SUBMITTED, Transition.ACCEPT): (S.ACCEPTED, Side.PROJECT_TEAM),
    (S.SUBMITTED, Transition.REQUEST_CORRECTIONS): (S.CORRECTIONS_REQUESTED, Side.PROJECT_TEAM),
    (S.ACCEPTED, Transition.REOPEN): (S.DRAFT, Side.PROJECT_TEAM),
}

# States in which the directorate may change the content (before its deadline).
EDITABLE = frozenset({S.DRAFT, S.CORRECTIONS_REQUESTED})

# A comment is required for these transitions (it is e-mailed to the directorate).
COMMENT_REQUIRED = frozenset({Transition.REQUEST_CORRECTIONS})


def next_state(state: S, transition: Transition) -> tuple[S, Side] | None:
    """Return the state a transition leads to and who may make it, or None if not allowed."""
    return WORKFLOW.get((state, transition))


def transitions_from(state: S, side: Side) -> list[Transition]:
    """Return the transitions a side may make from a state."""
    return [t for (s, t), (_, who) in WORKFLOW.items() if s == state and who == side]
