"""The CODIR request workflow as one table: (state, transition) → (new state, side)."""

import enum

from app.codir.models import OPEN_STATUSES
from app.codir.models import CodirStatus as S


class Side(enum.StrEnum):
    """Who acts on a request."""

    DIRECTORATE = "directorate"
    CVRH = "cvrh"


class Transition(enum.StrEnum):
    """What can happen to a request."""

    SCHEDULE = "schedule"
    RESCHEDULE = "reschedule"
    HOLD = "hold"
    DECLINE = "decline"
    CANCEL = "cancel"


WORKFLOW: dict[tuple[S, Transition], tuple[S, Side]] = {
    (S.REQUESTED, Transition.SCHEDULE): (S.SCHEDULED, Side.CVRH),
    (S.SCHEDULED, Transition.RESCHEDULE): (S.SCHEDULED, Side.CVRH),
    (S.SCHEDULED, Transition.HOLD): (S.HELD, Side.CVRH),
    (S.REQUESTED, Transition.DECLINE): (S.DECLINED, Side.CVRH),
    (S.REQUESTED, Transition.CANCEL): (S.CANCELLED, Side.DIRECTORATE),
    (S.SCHEDULED, Transition.CANCEL): (S.CANCELLED, Side.DIRECTORATE),
}

# States in which the project team may send the request to another CVRH.
REASSIGNABLE = frozenset({S.REQUESTED, S.SCHEDULED})
# States in which the request is under way: the thread is open to new messages, and the
# directorate may not open another request meanwhile.
OPEN = OPEN_STATUSES


def next_state(state: S, transition: Transition) -> tuple[S, Side] | None:
    """Return the state a transition leads to and the side that makes it, or None."""
    return WORKFLOW.get((state, transition))


def transitions_from(state: S, side: Side) -> list[Transition]:
    """Return the transitions a side may make from a state."""
    return [t for (s, t), (_, who) in WORKFLOW.items() if s == state and who == side]
