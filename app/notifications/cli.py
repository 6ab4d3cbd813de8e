"""`flask notifications digest`: the daily digest of the project team's waiting work."""

import click

from app.notifications import digest

notifications = click.Group("notifications", help="E-mails about the project team's work.")


@notifications.command("digest")
def digest_command():
    """E-mail each user who chose the daily digest what happened since their last one."""
    report = digest.send_digests()
    click.echo(
        f"{report.sent} digests sent, {report.quiet} users with nothing new, "
        f"{report.already_sent} already sent by another run."
    )
