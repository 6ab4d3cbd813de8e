"""Every model of the portal, imported in one place for Alembic and the shell."""

from app.audit import AuditEntry
from app.auth.models import Role, User
from app.codir.models import CodirEvent, CodirMessage, CodirRequest
from app.content.models import Attachment, ContentItem, Revision
from app.declarations.models import (
    Administrator,
    Ambassador,
    Campaign,
    Declaration,
    DeclarationEvent,
    DeclarationStatus,
    Reminder,
)
from app.directorates.models import (
    Call,
    CampaignKind,
    Cvrh,
    Directorate,
    DirectorateType,
    LearningPath,
)
from app.events.models import Attendance, EventSession, Invitation, Registration
from app.exports.models import Export
from app.followup.models import (
    Checkpoint,
    CheckpointReminder,
    CompetenceTarget,
    FollowupPlan,
    Participant,
    PlanEvent,
    ResultImport,
)
from app.mail.models import DeliveryAttempt, OutboxAttachment, OutboxMessage

__all__ = [
    "Administrator",
    "Ambassador",
    "Attachment",
    "Attendance",
    "AuditEntry",
    "Call",
    "Campaign",
    "CampaignKind",
    "Checkpoint",
    "CheckpointReminder",
    "CodirEvent",
    "CodirMessage",
    "CodirRequest",
    "CompetenceTarget",
    "ContentItem",
    "Cvrh",
    "Declaration",
    "DeclarationEvent",
    "DeclarationStatus",
    "DeliveryAttempt",
    "Directorate",
    "DirectorateType",
    "EventSession",
    "Export",
    "FollowupPlan",
    "Invitation",
    "LearningPath",
    "OutboxAttachment",
    "OutboxMessage",
    "Participant",
    "PlanEvent",
    "Registration",
    "Reminder",
    "ResultImport",
    "Revision",
    "Role",
    "User",
]
