"""`flask mail worker`, `deliver` and `bounces`: the outbox's delivery from the command line."""

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from app.mail import bounces, delivery

mail_cli = AppGroup("mail", help="Deliver the outbox through the mail server; read the bounces.")


def _mail_server_or_exit() -> bool:
    if current_app.config["MAIL_SERVER"]:
        return True
    click.echo(
        "MAIL_SERVER is not set: e-mails stay in the outbox (Administration → Outbox); "
        "nothing to deliver."
    )
    return False


@mail_cli.command("worker")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds between two looks at the outbox when idle (MAIL_WORKER_INTERVAL).",
)
def worker_command(interval: float | None):
    """Deliver the outbox until stopped (SIGTERM or Ctrl+C let the current message finish)."""
    if not _mail_server_or_exit():
        return
    interval = interval or current_app.config["MAIL_WORKER_INTERVAL"]
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"Mail worker {delivery.worker_name()} delivering every {interval:g} s.")
    delivery.run_worker(stop, interval)
    click.echo("Mail worker stopped.")


@mail_cli.command("deliver")
def deliver_command():
    """Deliver every message due now, then exit (for cron, or to flush by hand)."""
    if not _mail_server_or_exit():
        return
    click.echo(f"{delivery.deliver_due()} message(s) tried.")


@mail_cli.command("bounces")
@click.argument("path", type=click.Path(exists=True))
def bounces_command(path: str):
    """Mark as bounced the sent messages that delivery reports in PATH return (mbox or Maildir)."""
    report = bounces.record_bounces(path)
    click.echo(
        f"{report.notifications} delivery reports read: {report.bounced} messages marked "
        f"bounced, {report.already} already marked, {report.unmatched} failures matching no "
        f"sent message; {report.skipped} other e-mails skipped."
    )
