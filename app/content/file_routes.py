"""Content pages: attaching a file to an item, removing it, downloading it."""

from flask import abort, flash, redirect, send_file
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import login_required, public
from app.content import files, policies, services, visibility
from app.content.forms import AttachmentForm, ReviewForm
from app.content.routes import bp, render_view, url_of


@bp.route("/item/<int:item_id>/attachments", methods=["POST"])
@login_required
def attach(item_id: int):
    """Attach a PDF or office document to an item (to its working copy if it is published)."""
    item = services.get_item(current_user, item_id)
    if not policies.can_edit(current_user, item):
        abort(403)
    form = AttachmentForm()
    status = 400
    if form.validate_on_submit():
        upload = form.file.data
        try:
            files.attach(current_user, item, upload.stream, upload.filename or "")
        except files.FileRefused as error:
            form.file.errors.append(error.message)
        except services.Conflict as error:
            item, status = error.item, 409
            form.file.errors.append(
                _("Someone else changed this item in the meantime: attach the file again.")
            )
        else:
            upload.close()
            if item.working_copy is not None:
                flash(
                    _(
                        "File attached to the working copy: it is put online when the changes "
                        "are published."
                    ),
                    "success",
                )
            else:
                flash(_("File attached."), "success")
            return redirect(url_of(item))
    if form.file.data:
        form.file.data.close()
    return render_view(item, form, status=status)


@bp.route("/item/<int:item_id>/files/<int:attachment_id>/remove", methods=["POST"])
@login_required
def remove_attachment(item_id: int, attachment_id: int):
    """Remove a file (from the working copy of a published item); it stays in the history."""
    attachment = visibility.get_attachment(current_user, item_id, attachment_id)
    item = attachment.item
    if not ReviewForm().validate_on_submit():
        abort(400)
    try:
        files.remove(current_user, item, attachment)
    except services.NotAllowed:
        abort(403)
    except services.Conflict:
        flash(_("Someone else changed this item in the meantime: nothing was done."), "error")
        return redirect(url_of(item))
    if item.working_copy is not None:
        flash(
            _(
                "File removed from the working copy: it stays online until the changes "
                "are published."
            ),
            "success",
        )
    else:
        flash(_("File removed; it stays in the history."), "success")
    return redirect(url_of(item))


@bp.route("/item/<int:item_id>/files/<int:attachment_id>/<name>")
@public
def download(item_id: int, attachment_id: int, name: str):
    """Download an attached file, if the visitor may see it and its item."""
    attachment = visibility.get_attachment(current_user, item_id, attachment_id)
    path = files.path_of(attachment)
    if not path.exists():
        abort(404)
    return send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.file_name,
        max_age=0,
    )
