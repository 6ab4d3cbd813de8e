"""Administration of the learning paths of Annex 2 (reference data, admin only)."""

from flask import request
from sqlalchemy import select

from app.admin import services
from app.admin.forms import LearningPathForm, area_names
from app.admin.routes import bp, edit_reference
from app.auth.access import role_required
from app.auth.models import Role
from app.directorates.models import CampaignKind, LearningPath
from app.extensions import db

FIELDS = (
    "code",
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "audience_fr",
    "audience_en",
    "competences",
    "position",
    "active",
)


@bp.route("/learning-paths/new", methods=["GET", "POST"], defaults={"code": None})
@bp.route("/learning-paths/<code>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_learning_path(code: str | None):
    """Create or edit a learning path; retire it rather than delete it."""
    path = (
        db.first_or_404(select(LearningPath).where(LearningPath.code == code))
        if code
        else LearningPath()
    )
    form = LearningPathForm(obj=path if code else None)
    if request.method == "GET" and code:
        form.campaign_kind.data = path.campaign_kind.value

    def values():
        return {
            **{name: getattr(form, name).data for name in FIELDS},
            "campaign_kind": CampaignKind(form.campaign_kind.data),
        }

    return edit_reference(
        path,
        form,
        services.save_learning_path,
        "admin/learning_path_form.html",
        values_from_form=values,
        areas=area_names(),
    )
