"""Follow-up pages of a directorate's campaigns: plan, imports, figures, checkpoint list."""

import tempfile

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app import audit, database
from app.auth.access import role_required
from app.auth.models import Role
from app.bounds import id_arg, paginate
from app.directorates.models import portal_today
from app.exports.files import XLSX_TYPE
from app.exports.xlsx import write_xlsx
from app.extensions import db
from app.followup import figures, imports, policies, report, resources, services
from app.followup.forms import PlanForm, ResultImportForm
from app.followup.models import ResultImport
from app.followup.pixorga import MAX_BYTES, ResultFileError
from app.followup.reference import competences
from app.i18n import current_language, slugify

bp = Blueprint("followup", __name__, url_prefix="/<lang:lang>/followup")

FOLLOWERS = policies.FOLLOWERS
CAMPAIGN = "/<call_code>/<directorate_code>/<int:position>"
REFUSALS = {
    "plan": _l("Only the directorate's correspondents set the plan."),
    "purged": _l("The individual results of this campaign were purged: it can no longer change."),
    "kind": _l("The kind of campaign cannot change once results are imported."),
    "checkpoint": _l("A checkpoint with results cannot be removed: delete its results first."),
    "import": _l("You may not import results for this directorate."),
    "delete": _l("You may not delete these results."),
}


@bp.context_processor
def helpers():
    return {
        "status_labels": report.STATUS_LABELS,
        "competence_name": report.competence_name,
        "share": figures.share,
        "event_labels": report.EVENT_LABELS,
        "change_label": report.change_label,
        "show_change": report.show_change,
        "competence_codes": {item.code for item in competences()},
    }


def _context(call_code: str, directorate_code: str, position: int) -> services.Context:
    return services.get_context(current_user, call_code, directorate_code, position)


def _campaign_url(context: services.Context, **args) -> str:
    return url_for(
        "followup.campaign",
        call_code=context.call.code,
        directorate_code=context.directorate.code,
        position=context.position,
        **args,
    )


def _refusal(error: services.FollowupError) -> str:
    if isinstance(error, services.Conflict):
        return _("Someone else changed this follow-up meanwhile. Look at it again, then retry.")
    return str(REFUSALS.get(str(error), REFUSALS["import"]))


@bp.errorhandler(413)
def too_large(error):
    """Say the largest file the portal takes, rather than only that this one is too large."""
    back_url = request.path if request.endpoint == "followup.import_results" else None
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or MAX_BYTES) // (1024 * 1024)
    page = render_template("followup/too_large.html", limit=limit, back_url=back_url)
    return page, 413


@bp.route("/")
@role_required(*FOLLOWERS)
def index():
    """List the directorate's declared campaigns, each with its follow-up."""
    return render_template("followup/index.html", rows=services.campaigns_followed(current_user))


@bp.route(CAMPAIGN + "/")
@role_required(*FOLLOWERS)
def campaign(call_code: str, directorate_code: str, position: int):
    """Show a campaign's plan, the figures of a checkpoint and their evolution."""
    context = _context(call_code, directorate_code, position)
    plan = context.plan
    columns = report.columns(plan) if plan else []
    imported = [column for column in columns if column.result is not None]
    chosen = id_arg("checkpoint")
    shown = next((c for c in imported if c.checkpoint.id == chosen), None) if chosen else None
    if chosen and shown is None:
        abort(404)
    shown = shown or (imported[-1] if imported else None)
    latest = imported[-1] if imported else None
    evolution = report.evolution(plan) if len(imported) > 1 else []
    return render_template(
        "followup/campaign.html",
        context=context,
        plan=plan,
        columns=columns,
        shown=shown,
        measures=report.measures(shown.summary) if shown else [],
        evolution=evolution,
        chart=report.line_chart(plan, evolution) if evolution else None,
        history=services.history(plan) if plan else [],
        can_plan=policies.can_plan(current_user, context.directorate),
        can_import=policies.can_import(current_user, context.directorate),
        latest=latest,
        gaps=resources.gaps(current_user, current_language(), latest.summary) if latest else [],
    )


@bp.route(CAMPAIGN + "/plan", methods=["GET", "POST"])
@role_required(Role.DIRECTORATE)
def plan(call_code: str, directorate_code: str, position: int):
    """Set the aim, the population, the targets and the checkpoints of a campaign."""
    context = _context(call_code, directorate_code, position)
    if not policies.can_plan(current_user, context.directorate):
        abort(403)
    if context.plan is not None and context.plan.purged_at is not None:
        flash(REFUSALS["purged"], "warning")
        return redirect(_campaign_url(context))
    form = PlanForm()
    conflict = False
    if request.method == "GET":
        values = (
            services.plan_values(context.plan) if context.plan else services.default_plan(context)
        )
        form.fill(values)
        form.version.data = context.plan.version if context.plan else ""
    elif form.validate_on_submit() & form.check_rows():
        try:
            services.save_plan(current_user, context, form.values(), form.version_number())
        except services.Conflict:
            conflict = True
        except services.FollowupError as error:
            flash(_refusal(error), "error")
        else:
            flash(_("The follow-up plan is saved."), "success")
            return redirect(_campaign_url(context))
    page = render_template(
        "followup/plan.html",
        context=context,
        form=form,
        conflict=conflict,
        covered=services.covered_competences(context),
    )
    return page, 409 if conflict else 200


def _checkpoint(context: services.Context, checkpoint_id: int):
    checkpoint = imports.get_checkpoint(context, checkpoint_id)
    if checkpoint is None:
        abort(404)
    return checkpoint


@bp.route(CAMPAIGN + "/checkpoints/<int:checkpoint_id>/import", methods=["GET", "POST"])
@role_required(*FOLLOWERS)
def import_results(call_code: str, directorate_code: str, position: int, checkpoint_id: int):
    """Import a PIX Orga result export at a checkpoint: all of it, or nothing."""
    context = _context(call_code, directorate_code, position)
    checkpoint = _checkpoint(context, checkpoint_id)
    form = ResultImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.results.data
        try:
            result = imports.import_results(
                current_user, context, checkpoint, upload.stream, upload.filename or ""
            )
        except (ResultFileError, imports.Refused) as error:
            problems = error.problems
            form.results.errors.append(_("The file is refused: nothing was imported."))
        except services.FollowupError as error:
            form.results.errors.append(_refusal(error))
        else:
            flash(
                ngettext(
                    "%(num)d participation imported.",
                    "%(num)d participations imported.",
                    result.participant_count,
                ),
                "success",
            )
            return redirect(_campaign_url(context, checkpoint=checkpoint.id))
    return render_template(
        "followup/import.html",
        context=context,
        checkpoint=checkpoint,
        form=form,
        problems=problems,
        max_megabytes=min(MAX_BYTES, current_app.config["MAX_CONTENT_LENGTH"] or MAX_BYTES)
        // (1024 * 1024),
    )


@bp.route(CAMPAIGN + "/imports/<int:import_id>/delete", methods=["POST"])
@role_required(*FOLLOWERS)
def delete_import(call_code: str, directorate_code: str, position: int, import_id: int):
    """Delete the results imported at a checkpoint."""
    context = _context(call_code, directorate_code, position)
    result = db.session.get(ResultImport, import_id)
    if result is None or context.plan is None or result.plan_id != context.plan.id:
        abort(404)
    try:
        imports.delete_import(current_user, context, result)
    except services.FollowupError as error:
        flash(_refusal(error), "error")
    else:
        flash(_("The results are deleted."), "success")
    return redirect(_campaign_url(context))


def _imported(context: services.Context, checkpoint_id: int) -> ResultImport:
    checkpoint = _checkpoint(context, checkpoint_id)
    if checkpoint.result is None or checkpoint.result.purged_at is not None:
        abort(404)
    return checkpoint.result


@bp.route(CAMPAIGN + "/checkpoints/<int:checkpoint_id>/")
@role_required(*FOLLOWERS)
def checkpoint(call_code: str, directorate_code: str, position: int, checkpoint_id: int):
    """List the people to accompany at a checkpoint, by situation."""
    context = _context(call_code, directorate_code, position)
    result = _imported(context, checkpoint_id)
    status = request.args.get("status", "")
    if status and status not in report.STATUS_LABELS:
        abort(404)
    return render_template(
        "followup/checkpoint.html",
        context=context,
        result=result,
        checkpoint=result.checkpoint,
        status=status,
        counts=report.status_counts(result),
        extras=report.extra_columns(result),
        page=paginate(report.participants(result, status or None), report.LIST_PAGE_SIZE),
        missed_names=report.missed_names,
    )


@bp.route(CAMPAIGN + "/checkpoints/<int:checkpoint_id>/list.xlsx", methods=["POST"])
@role_required(*FOLLOWERS)
def download(call_code: str, directorate_code: str, position: int, checkpoint_id: int):
    """Download the list of people to accompany at a checkpoint as a workbook."""
    context = _context(call_code, directorate_code, position)
    result = _imported(context, checkpoint_id)
    # Everything but the rows is read before the commit expires the objects: reading them
    # again afterwards would run as many statements as the identity map had let go of.
    checkpoint_name = result.checkpoint.name
    name = slugify(f"{context.directorate.code} {context.label} {checkpoint_name}")
    extras = report.extra_columns(result)
    audit.record(
        "followup.list_downloaded",
        result,
        directorate=context.directorate.code,
        checkpoint=checkpoint_name,
    )
    db.session.commit()
    database.reads_only_from_now()
    language = current_language()
    stream = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (closed by the response)
    table = report.checkpoint_table(result, extras, language)
    write_xlsx(stream, [table], language)
    stream.seek(0)
    return send_file(
        stream,
        mimetype=XLSX_TYPE,
        as_attachment=True,
        download_name=f"{name[:80]}-{portal_today().isoformat()}.xlsx",
    )


from app.followup import overview_routes  # noqa: E402, F401
