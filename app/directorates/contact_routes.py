"""A directorate's contact mailboxes, edited by the project team and the admin."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import STAFF, role_required
from app.directorates import contacts, services
from app.directorates.forms import ContactForm
from app.directorates.models import DirectorateContact
from app.directorates.routes import bp
from app.extensions import db
from app.versioning import StaleVersion


@bp.route("/<code>/contacts")
@role_required(*STAFF)
def contact_list(code: str):
    """List a directorate's contact mailboxes, the active ones first."""
    directorate = services.get_directorate(current_user, code)
    return render_template(
        "directorates/contacts.html",
        directorate=directorate,
        contacts=contacts.directorate_contacts(directorate),
    )


@bp.route("/<code>/contacts/new", methods=["GET", "POST"], defaults={"contact_id": None})
@bp.route("/<code>/contacts/<int:contact_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_contact(code: str, contact_id: int | None):
    """Add a contact mailbox to a directorate, or change or deactivate one."""
    directorate = services.get_directorate(current_user, code)
    contact = DirectorateContact()
    if contact_id is not None:
        contact = contacts.get_contact(directorate, contact_id) or abort(404)
    form = ContactForm(obj=contact if contact_id else None)
    if request.method == "GET" and contact_id is None:
        form.language.data = "fr"
    context = {"directorate": directorate, "contact": contact, "form": form}
    if form.validate_on_submit():
        try:
            contacts.save_contact(
                contact,
                directorate,
                form.version_number(),
                **{field: getattr(form, field).data for field in contacts.FIELDS},
            )
        except contacts.DuplicateContact:
            db.session.rollback()
            form.email.errors.append(_("This directorate already has this mailbox."))
        except StaleVersion as error:
            # Input kept; saving again now knowingly replaces the other version.
            form.version.data = error.record.version
            page = render_template("directorates/contact_form.html", conflict=True, **context)
            return page, 409
        else:
            flash(_("The contact %(email)s is saved.", email=contact.email), "success")
            return redirect(url_for("directorates.contact_list", code=directorate.code))
    return render_template("directorates/contact_form.html", **context)
