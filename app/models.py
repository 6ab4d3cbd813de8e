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
    Receipt,
    Reminder,
)
from app.declarations.thread_models import (
    DeclarationMessage,
    DeclarationNote,
    MessageFile,
    ThreadRead,
)
from app.directorates.models import (
    Call,
    CampaignKind,
    Cvrh,
    Directorate,
    DirectorateContact,
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
from app.licences.models import LicenceGrant, LicencePool, LicencePoolEvent
from app.mail.models import DeliveryAttempt, OutboxAttachment, OutboxMessage
from app.reach.models import ContactInvitation

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
    "ContactInvitation",
    "ContentItem",
    "Cvrh",
    "Declaration",
    "DeclarationEvent",
    "DeclarationMessage",
    "DeclarationNote",
    "DeclarationStatus",
    "DeliveryAttempt",
    "Directorate",
    "DirectorateContact",
    "DirectorateType",
    "EventSession",
    "Export",
    "FollowupPlan",
    "Invitation",
    "LearningPath",
    "LicenceGrant",
    "LicencePool",
    "LicencePoolEvent",
    "MessageFile",
    "OutboxAttachment",
    "OutboxMessage",
    "Participant",
    "PlanEvent",
    "Receipt",
    "Registration",
    "Reminder",
    "ResultImport",
    "Revision",
    "Role",
    "ThreadRead",
    "User",
]
