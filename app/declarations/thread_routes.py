"""Declaration pages: the conversation with the project team, its files, the private notes."""

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import STAFF, login_required, role_required
from app.auth.models import Role
from app.content import files
from app.declarations import posting, services, thread
from app.declarations.routes import _render_view, bp
from app.declarations.thread_forms import MessageForm, NoteForm
from app.declarations.thread_models import FILES_MAX
from app.once import AlreadyPosted
from app.spooling import accepts_files


def _thread_url(call, directorate) -> str:
    return (
        url_for("declarations.view", call_code=call.code, directorate_code=directorate.code)
        + "#thread"
    )


def _sent(call, directorate):
    flash(_("Your message is sent."), "success")
    return redirect(_thread_url(call, directorate))


@bp.route("/<call_code>/<directorate_code>/messages", methods=["POST"])
@role_required(Role.DIRECTORATE, *STAFF)
@accepts_files(FILES_MAX)
def post_message(call_code: str, directorate_code: str):
    """Write to the other side of the conversation, with files if needed."""
    call, directorate, declaration = services.get_context(current_user, call_code, directorate_code)
    form = MessageForm(prefix="message")
    if form.validate_on_submit():
        uploads = [posting.Upload(f.stream, f.filename or "") for f in form.uploads()]
        try:
            posting.post_message(
                current_user, call, directorate, form.body.data, uploads, form.once_key()
            )
        except posting.NotAllowed:
            abort(403)
        except posting.FileRefused as error:
            form.files.errors.append(error.message)
        except AlreadyPosted:
            # Sent by the first click: the page the browser shows says so all the same.
            return _sent(call, directorate)
        else:
            return _sent(call, directorate)
    return _render_view(call, directorate, declaration, status=400, thread_forms={"message": form})


@bp.route("/<call_code>/<directorate_code>/notes", methods=["POST"])
@role_required(*STAFF)
def add_note(call_code: str, directorate_code: str):
    """Add a private note of the project team on the declaration."""
    call, directorate, declaration = services.get_context(current_user, call_code, directorate_code)
    form = NoteForm(prefix="note")
    if form.validate_on_submit():
        try:
            posting.add_note(current_user, call, directorate, form.body.data, form.once_key())
        except posting.NotAllowed:
            abort(403)
        except AlreadyPosted:
            pass  # saved by the first click: the page the browser shows says so all the same
        flash(_("Your note is saved; only the project team sees it."), "success")
        return redirect(
            url_for("declarations.view", call_code=call.code, directorate_code=directorate.code)
            + "#notes"
        )
    return _render_view(call, directorate, declaration, status=400, thread_forms={"note": form})


@bp.route("/<call_code>/<directorate_code>/messages/<int:message_id>/files/<int:file_id>/<name>")
@login_required
def message_file(call_code: str, directorate_code: str, message_id: int, file_id: int, name: str):
    """Download a file of a message, if the user may read the conversation."""
    call, directorate, _declaration = services.get_context(
        current_user, call_code, directorate_code
    )
    found = thread.get_file(current_user, call, directorate, message_id, file_id)
    if found is None:
        abort(404)
    path = files.storage() / found.storage_key
    if not path.exists():
        abort(404)
    return send_file(
        path,
        mimetype=found.content_type,
        as_attachment=True,
        download_name=found.file_name,
        max_age=0,
    )
