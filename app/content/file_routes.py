"""Content pages: attaching a file to an item, downloading it."""

from flask import abort, flash, redirect, send_file
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import login_required, public
from app.content import files, policies, services
from app.content.forms import AttachmentForm
from app.content.routes import bp, render_view, url_of


@bp.route("/item/<int:item_id>/attachments", methods=["POST"])
@login_required
def attach(item_id: int):
    """Attach a PDF or office document to an item."""
    item = services.get_item(current_user, item_id)
    if not policies.can_edit(current_user, item):
        abort(403)
    form = AttachmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            files.attach(current_user, item, upload.stream, upload.filename or "")
        except files.FileRefused as error:
            form.file.errors.append(error.message)
        else:
            upload.close()
            flash(_("File attached."), "success")
            return redirect(url_of(item))
    if form.file.data:
        form.file.data.close()
    return render_view(item, form, status=400)


@bp.route("/item/<int:item_id>/files/<int:attachment_id>/<name>")
@public
def download(item_id: int, attachment_id: int, name: str):
    """Download an attached file, if the visitor may read its item."""
    item = services.get_item(current_user, item_id)
    attachment = next((a for a in item.attachments if a.id == attachment_id), None)
    if attachment is None or not files.path_of(attachment).exists():
        abort(404)
    return send_file(
        files.path_of(attachment),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.file_name,
        max_age=0,
    )
