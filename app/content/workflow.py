"""The content workflow (Plone's simple publication workflow) as one table.

An item moves between private, pending and published. Once an item is published, edits go to
a working copy that follows the same table while the published version stays online; publishing
the copy replaces the online version. Files added or removed on a published item belong to its
working copy in the same way (second table).
"""

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.content.models import AttachmentState, ContentState
from app.i18n import Labels


class Transition(enum.StrEnum):
    """What an editor or a reviewer may do to an item or to its working copy."""

    SUBMIT = "submit"
    PUBLISH = "publish"
    REJECT = "reject"
    RETRACT = "retract"

    @property
    def label(self) -> str:
        """Return the translated name of the transition."""
        return TRANSITION_LABELS.text(self)


TRANSITION_LABELS = Labels(
    {
        Transition.SUBMIT: _l("Submit for review"),
        Transition.PUBLISH: _l("Publish"),
        Transition.REJECT: _l("Send back to the author"),
        Transition.RETRACT: _l("Retract"),
    }
)


class Who(enum.StrEnum):
    """Who may fire a transition: an author of the item, or a reviewer (the project team)."""

    AUTHOR = "author"
    REVIEWER = "reviewer"


@dataclass(frozen=True)
class Move:
    """Where a transition leads, who may fire it and whether a comment is required."""

    to: ContentState
    who: Who
    needs_comment: bool = False


PRIVATE, PENDING, PUBLISHED = ContentState.PRIVATE, ContentState.PENDING, ContentState.PUBLISHED

TABLE: dict[tuple[ContentState, Transition], Move] = {
    (PRIVATE, Transition.SUBMIT): Move(PENDING, Who.AUTHOR),
    (PRIVATE, Transition.PUBLISH): Move(PUBLISHED, Who.REVIEWER),
    (PENDING, Transition.PUBLISH): Move(PUBLISHED, Who.REVIEWER),
    (PENDING, Transition.REJECT): Move(PRIVATE, Who.REVIEWER, needs_comment=True),
    (PENDING, Transition.RETRACT): Move(PRIVATE, Who.AUTHOR),
    (PUBLISHED, Transition.RETRACT): Move(PRIVATE, Who.REVIEWER),
}


def moves_from(state: ContentState) -> dict[Transition, Move]:
    """Return the transitions possible from a state."""
    return {t: move for (s, t), move in TABLE.items() if s is state}


ADDED, WITHDRAWN = AttachmentState.ADDED, AttachmentState.WITHDRAWN
CURRENT, REMOVED = AttachmentState.CURRENT, AttachmentState.REMOVED

# What becomes of the files of a working copy when the copy is published (or folded into the
# item's draft by a retract), and when it is dropped. Files in other states do not move.
COPY_PUBLISHED = {ADDED: CURRENT, WITHDRAWN: REMOVED}
COPY_DROPPED = {ADDED: REMOVED, WITHDRAWN: CURRENT}

# Removing a file: from a published item, the removal waits in the working copy; from a draft,
# or when the file was only ever in the working copy, it is removed at once (kept for history).
REMOVAL = {
    (True, CURRENT): WITHDRAWN,
    (True, ADDED): REMOVED,
    (False, CURRENT): REMOVED,
}
