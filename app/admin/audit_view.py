"""The audit log as people read it: actions, records and changed values in words.

Entries keep their codes and raw details (the log is the record); this module only says them
in the page's language: a label per action and per detail, enum values by their labels, dates
in the locale's format, a change as "before → after".
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.admin.forms import CallForm, CvrhForm, DirectorateForm, LearningPathForm
from app.audit import AuditEntry
from app.auth.models import Role
from app.codir.models import ACTION_LABELS as CODIR_ACTIONS
from app.codir.models import CodirFormat, CodirStatus
from app.declarations.history import ACTION_LABELS as DECLARATION_ACTIONS
from app.declarations.models import DeclarationStatus
from app.directorates.forms import ContactForm
from app.directorates.models import CampaignKind, DirectorateType
from app.events.models import Audience, RegistrationStatus
from app.followup import report
from app.followup.models import Aim

ACTION_LABELS = {
    "user.created": _l("Account created, invitation sent"),
    "user.updated": _l("Account changed"),
    "user.deactivated": _l("Account deactivated"),
    "user.reactivated": _l("Account reactivated"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset_requested": _l("Password reset asked for"),
    "user.password_reset_no_account": _l("Password reset asked for an unknown address"),
    "directorate.created": _l("Directorate created"),
    "directorate.updated": _l("Directorate changed"),
    "cvrh.created": _l("CVRH created"),
    "cvrh.updated": _l("CVRH changed"),
    "call.created": _l("Call for declarations created"),
    "call.updated": _l("Call for declarations changed"),
    "learning_path.created": _l("Learning path created"),
    "learning_path.updated": _l("Learning path changed"),
    "export": _l("Export downloaded"),
    "outbox.resend": _l("E-mail sent again"),
    "outbox.discard": _l("E-mail discarded"),
    "content_created": _l("Content created"),
    "content_submit": _l("Content submitted for review"),
    "content_publish": _l("Content published"),
    "content_reject": _l("Content sent back to its author"),
    "content_retract": _l("Content taken offline"),
    "content_discard": _l("Working copy discarded"),
    "content_attachment_added": _l("File attached"),
    "content_attachment_removed": _l("File removed"),
    "declaration.administrator_invited": _l("PIX Orga administrator invited"),
    "declaration.note": _l("Private note of the project team added"),
    "declarations.reminded": _l("Reminders sent to the directorates"),
    "followup.created": _l("Follow-up plan created"),
    "followup.saved": _l("Follow-up plan changed"),
    "followup.imported": _l("Results imported"),
    "followup.import_deleted": _l("Results deleted"),
    "followup.purged": _l("Individual results purged"),
    "followup.purge_run": _l("Purge of individual results run"),
    "followup.list_downloaded": _l("List of people to accompany downloaded"),
    "followup.reminded": _l("Checkpoint reminders sent"),
    "notifications.digest": _l("Daily digests sent"),
    "licences.pool_set": _l("Pool of licences of a call set"),
    "contact.created": _l("Contact mailbox added"),
    "contact.updated": _l("Contact mailbox changed"),
    "contact.deactivated": _l("Contact mailbox deactivated"),
    "contact.reactivated": _l("Contact mailbox reactivated"),
    "call.opened": _l("Call opened, claim links e-mailed to the contacts"),
    "reach.claimed": _l("Account claimed with a contact's link"),
    "outbox.bounced": _l("E-mail bounced"),
    "events.session_created": _l("Webinar session added"),
    "events.session_updated": _l("Webinar session changed"),
    "events.session_deleted": _l("Webinar session deleted"),
    "events.session_cancelled": _l("Webinar registration cancelled: session deleted"),
    "events.invited": _l("Webinar invitations sent"),
    "events.invitation_sent_again": _l("Webinar invitation sent again"),
    "events.link_renewed": _l("New webinar link sent on request"),
    "events.registered": _l("Registered at a webinar session"),
    "events.moved": _l("Moved to another webinar session"),
    "events.promoted": _l("Seat given from the waiting list"),
    "events.cancelled": _l("Webinar registration cancelled"),
    "events.withdrawn": _l("Webinar registration cancelled: no longer named"),
    "events.reminded": _l("Webinar reminders sent"),
    "events.attendance_saved": _l("Webinar attendance recorded"),
    "events.attendance_imported": _l("Webinar attendance list imported"),
}
ACTION_LABELS |= {f"codir.{action}": label for action, label in CODIR_ACTIONS.items()}
ACTION_LABELS |= {f"declaration.{action}": label for action, label in DECLARATION_ACTIONS.items()}

RECORD_LABELS = {
    "User": _l("Account"),
    "Directorate": _l("Directorate"),
    "Cvrh": _l("CVRH"),
    "Call": _l("Call for declarations"),
    "LearningPath": _l("Learning path"),
    "Declaration": _l("Declaration"),
    "DeclarationMessage": _l("Message on a declaration"),
    "DeclarationNote": _l("Private note on a declaration"),
    "CodirRequest": _l("CODIR request"),
    "ContentItem": _l("Content item"),
    "OutboxMessage": _l("E-mail"),
    "FollowupPlan": _l("Follow-up plan"),
    "ResultImport": _l("Result import"),
    "DirectorateContact": _l("Contact mailbox"),
    "ContactInvitation": _l("Claim link"),
    "EventSession": _l("Webinar session"),
    "Invitation": _l("Webinar invitation"),
    "Registration": _l("Webinar registration"),
}

DETAIL_LABELS = {
    "status": _l("Status"),
    "reason": _l("Reason"),
    "comment": _l("Comment"),
    "email": _l("E-mail address"),
    "role": _l("Role"),
    "directorate": _l("Directorate"),
    "cvrh": _l("CVRH"),
    "format": _l("Format"),
    "filters": _l("Filters"),
    "scheduled_at": _l("Date of the presentation"),
    "duration_minutes": _l("Duration in minutes"),
    "scheduled_place": _l("Place"),
    "speaker": _l("Speaker"),
    "outcome": _l("Outcome"),
    "file": _l("File"),
    "copy": _l("On the working copy"),
    "administrator": _l("Administrator"),
    "checkpoint": _l("Checkpoint"),
    "participants": _l("Participants"),
    "campaign": _l("PIX Orga campaign"),
    "imports": _l("Imports"),
    "ended_on": _l("Campaign ended on"),
    "older_than_days": _l("Older than (days)"),
    "days_before": _l("Days before the checkpoint"),
    "sent": _l("E-mails sent"),
    "emails": _l("E-mails"),
    "already_reminded": _l("Already reminded"),
    "without_account": _l("Without an account"),
    "quiet": _l("Nothing new to tell"),
    "already_sent": _l("Already sent by another run"),
    "call": _l("Call for declarations"),
    "files": _l("Files"),
    "pool": _l("Pool of licences"),
    "granted_licences": _l("Licences granted"),
    "through_contacts": _l("Through contact mailboxes"),
    "opened": _l("Opened now"),
    "had_their_link": _l("Contacts that had their link already"),
    "recipient": _l("Recipient"),
    "session": _l("Session"),
    "event": _l("Event"),
    "already_invited": _l("Already invited"),
    "withdrawn": _l("Invitations withdrawn"),
    "told": _l("People told"),
    "left": _l("Session left"),
    "was": _l("Was"),
    "present": _l("Present"),
    "unticked": _l("No longer ticked"),
    "already": _l("Already marked present"),
    "unknown": _l("Addresses of nobody invited"),
    "duplicates": _l("Addresses listed more than once"),
    "day": _l("Day"),
    "starts_at": _l("Start"),
    "ends_at": _l("End"),
    "link": _l("Video conference link"),
    "place": _l("Place"),
    "capacity": _l("Seats"),
    "audience": _l("Audience"),
    "registration_closes_on": _l("Registrations close on"),
}

# The forms whose fields an admin change names, by the kind of record (app/admin/services.py).
FORMS = {
    "directorate": DirectorateForm,
    "cvrh": CvrhForm,
    "call": CallForm,
    "learning_path": LearningPathForm,
    "contact": ContactForm,
}
OUTCOME_LABELS = {
    "invited": _l("invited"),
    "invited_again": _l("invited again"),
    "has_access": _l("already has access"),
    "already_invited": _l("already invited"),
}
FORMAT_LABELS = {"xlsx": "XLSX", "csv": "CSV"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass
class Detail:
    """One detail of an entry: its label and its value in words."""

    label: str
    value: str


@dataclass
class ReadableEntry:
    """An audit entry in words."""

    action: str
    record: str
    details: list[Detail]


def _enum_label(key: str, value: str, area: str) -> str | None:
    enums: dict[str, Any] = {
        "role": Role,
        "type": DirectorateType,
        "campaign_kind": CampaignKind,
        "aim": Aim,
        "kind": CampaignKind,
    }
    if key == "status":
        enums["status"] = {"codir": CodirStatus, "events": RegistrationStatus}.get(
            area, DeclarationStatus
        )
    if area == "events":
        enums["audience"] = Audience
    if key == "format" and area == "codir":
        enums["format"] = CodirFormat
    kind = enums.get(key)
    if kind is None:
        return None
    try:
        return kind(value).label
    except ValueError:
        return None


def show(value: Any, key: str = "", area: str = "") -> str:
    """Return a detail's value in words: labels for codes, dates in the locale, lists joined."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, int | float):
        return format_decimal(value)
    if isinstance(value, list):
        return "; ".join(show(item, key, area) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {show(v, k, area)}" for k, v in value.items())
    text = str(value)
    label = _enum_label(key, text, area)
    if label is not None:
        return label
    if key == "outcome" and text in OUTCOME_LABELS:
        return str(OUTCOME_LABELS[text])
    if key == "format" and text in FORMAT_LABELS:
        return FORMAT_LABELS[text]
    if ISO_DATE.match(text):
        return format_date(date.fromisoformat(text), "long")
    if ISO_MOMENT.match(text):
        try:
            return format_datetime(datetime.fromisoformat(text), "short")
        except ValueError:
            return text
    return text


def _change(before: Any, after: Any, key: str, area: str) -> str:
    return f"{show(before, key, area)} → {show(after, key, area)}"


def _is_change(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and not isinstance(value[0], dict | list)


def _field_label(key: str, area: str) -> str:
    form = FORMS.get(area)
    unbound = getattr(form, key, None) if form is not None else None
    if unbound is not None and getattr(unbound, "args", None):
        return str(unbound.args[0])
    if area == "followup":
        return report.change_label(key)
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ").capitalize()


def _details(entry: AuditEntry) -> list[Detail]:
    area = entry.action.split(".")[0] if "." in entry.action else ""
    details = entry.details or {}
    rows = []
    for key, value in details.items():
        if key == "changes" and isinstance(value, dict):
            for field, change in value.items():
                if _is_change(change):
                    text = _change(change[0], change[1], field, area)
                else:
                    text = show(change, field, area)
                rows.append(Detail(_field_label(field, area), text))
        elif key == "before" and isinstance(details.get("after"), dict):
            after = details["after"]
            for field in dict.fromkeys([*value, *after]):
                if value.get(field) != after.get(field):
                    text = _change(value.get(field), after.get(field), field, area)
                    rows.append(Detail(_field_label(field, area), text))
        elif key == "after" and isinstance(details.get("before"), dict):
            continue
        elif _is_change(value):
            rows.append(Detail(_field_label(key, area), _change(value[0], value[1], key, area)))
        else:
            rows.append(Detail(_field_label(key, area), show(value, key, area)))
    return rows


def describe(entry: AuditEntry) -> ReadableEntry:
    """Return an audit entry in words, in the page's language."""
    label = ACTION_LABELS.get(entry.action)
    record = ""
    if entry.object_type:
        kind = RECORD_LABELS.get(entry.object_type, entry.object_type)
        record = (
            _("%(kind)s no. %(id)s", kind=kind, id=entry.object_id)
            if entry.object_id
            else str(kind)
        )
    return ReadableEntry(str(label) if label is not None else entry.action, record, _details(entry))
