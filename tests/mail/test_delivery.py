"""Delivery of the outbox: after the commit, outside requests, retried, never twice."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app import mail
from app.extensions import db, utcnow
from app.mail import DeliveryAttempt, MessageStatus, OutboxMessage, delivery
from tests.conftest import outbox
from tests.mail.conftest import free_port


def queue(user, count: int = 1, language: str = "en") -> list[OutboxMessage]:
    """Write `count` password-reset e-mails to the outbox and commit."""
    messages = [
        mail.send(user.email, "password_reset", language, user=user, link=f"http://l/{n}", hours=2)
        for n in range(count)
    ]
    db.session.commit()
    return messages


def fresh(message_id: int) -> OutboxMessage:
    """Return the message as the database has it now."""
    db.session.rollback()
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def test_the_worker_delivers_in_the_recipient_language(app, smtp_server, admin_user):
    attachment = mail.Attachment(
        "invite.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    )
    message = mail.send(
        admin_user.email, "password_reset", "en", [attachment], user=admin_user,
        link="http://l", hours=2,
    )  # fmt: skip
    db.session.commit()
    assert smtp_server.messages == []  # nothing leaves before the worker runs

    assert delivery.deliver_due() == 1

    [received] = smtp_server.messages
    assert received["To"] == admin_user.email
    assert received["Subject"] == "PIX deployment portal: choose a new password"
    assert received["Message-ID"] == message.message_id
    body = received.get_body(("plain",)).get_content()
    assert "http://l" in body and "2 hours" in body
    [part] = list(received.iter_attachments())
    assert (part.get_filename(), part.get_content_type()) == ("invite.ics", "text/calendar")
    stored = fresh(message.id)
    assert stored.status is MessageStatus.SENT
    assert stored.sent_at is not None and stored.attempts == 1
    [attempt] = stored.delivery_attempts
    assert attempt.error is None and attempt.worker == delivery.worker_name()
    assert delivery.deliver_due() == 0  # sent once, never again


def test_a_failure_is_recorded_and_retried_later_with_backoff(app, admin_user):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    [message] = queue(admin_user)
    before = utcnow()

    assert delivery.deliver_due() == 1

    stored = fresh(message.id)
    assert stored.status is MessageStatus.PENDING
    assert stored.attempts == 1 and "ConnectionRefusedError" in stored.error
    assert stored.next_attempt_at >= before + timedelta(seconds=29)
    assert stored.claim_token is None
    assert delivery.deliver_due() == 0  # not due before its back-off has passed
    assert delivery.backoff(1) == timedelta(seconds=30)
    assert delivery.backoff(3) == timedelta(seconds=120)
    assert delivery.backoff(20) == timedelta(hours=1)


def test_after_the_last_try_the_message_is_failed_and_kept(app, admin_user):
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2, MAIL_MAX_ATTEMPTS=2
    )
    [message] = queue(admin_user)
    delivery.deliver_due()
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    delivery.deliver_due()

    stored = fresh(message.id)
    assert stored.status is MessageStatus.FAILED
    assert stored.attempts == 2 and len(stored.delivery_attempts) == 2
    assert all(a.error for a in stored.delivery_attempts)
    assert "http://l/0" in stored.body  # nothing lost: an admin may send it again


def test_a_permanent_refusal_fails_at_once(app, smtp_server, admin_user):
    smtp_server.refuse = "550 5.1.1 No such user"
    [message] = queue(admin_user)
    delivery.deliver_due()
    stored = fresh(message.id)
    assert stored.status is MessageStatus.FAILED
    assert stored.attempts == 1 and "550" in stored.error


def test_a_page_never_waits_for_a_hung_mail_server(app, client, silent_smtp, directorate_user):
    response = client.post("/fr/password/forgotten", data={"email": directorate_user.email})

    assert response.status_code == 302
    assert silent_smtp.connections == []  # the request did not even connect
    [message] = outbox()
    assert message.status is MessageStatus.PENDING

    delivery.deliver_due()  # the worker, later, meets the hung server and gives up in time

    assert len(silent_smtp.connections) == 1
    stored = fresh(message.id)
    assert stored.status is MessageStatus.PENDING and "timed out" in stored.error


def test_the_message_is_delivered_once_the_server_answers_again(
    app, silent_smtp, smtp_server, admin_user
):
    [message] = queue(admin_user)
    silent_port = silent_smtp.port
    smtp_port = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=silent_port, MAIL_TIMEOUT=1)
    delivery.deliver_due()
    assert smtp_server.messages == []

    app.config.update(MAIL_PORT=smtp_port)
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    delivery.deliver_due()

    [received] = smtp_server.messages
    assert received["Message-ID"] == message.message_id
    stored = fresh(message.id)
    assert stored.status is MessageStatus.SENT and stored.attempts == 2


def test_several_workers_never_send_a_message_twice(app, smtp_server, admin_user):
    messages = queue(admin_user, count=12)
    barrier = threading.Barrier(3)
    errors = []

    def worker():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                delivery.deliver_due()
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    received = sorted(m["Message-ID"] for m in smtp_server.messages)
    assert received == sorted(m.message_id for m in messages)  # each exactly once
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(DeliveryAttempt)) == 12
    statuses = set(db.session.scalars(select(OutboxMessage.status)))
    assert statuses == {MessageStatus.SENT}


def test_a_claimed_message_waits_for_its_claim_to_expire(app, smtp_server, admin_user):
    [message] = queue(admin_user)
    db.session.execute(
        update(OutboxMessage).values(
            claimed_until=utcnow() + timedelta(minutes=5), claim_token="a-dead-worker"
        )
    )
    db.session.commit()
    assert delivery.deliver_due() == 0  # another worker holds it

    db.session.execute(update(OutboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert delivery.deliver_due() == 1  # the dead worker's claim ran out
    assert fresh(message.id).status is MessageStatus.SENT
    assert len(smtp_server.messages) == 1


def test_the_worker_loop_delivers_what_is_committed_and_stops_on_request(
    app, smtp_server, admin_user
):
    stop = threading.Event()

    def run():
        with app.app_context():
            delivery.run_worker(stop, interval=0.05)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        [message] = queue(admin_user)
        for _ in range(200):
            if fresh(message.id).status is MessageStatus.SENT:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert fresh(message.id).status is MessageStatus.SENT
    assert len(smtp_server.messages) == 1


def test_worker_command_without_mail_server_says_so(runner):
    result = runner.invoke(args=["mail", "worker"])
    assert result.exit_code == 0
    assert "MAIL_SERVER is not set" in result.output


def test_deliver_command_sends_what_is_due(app, runner, smtp_server, admin_user):
    queue(admin_user, count=2)
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert "2 message(s) tried" in result.output
    assert len(smtp_server.messages) == 2


@pytest.mark.parametrize("status", [MessageStatus.FAILED, MessageStatus.DISCARDED])
def test_resend_puts_a_message_back_in_the_queue(app, smtp_server, admin_user, status):
    [message] = queue(admin_user)
    db.session.execute(update(OutboxMessage).values(status=status, attempts=8, error="x"))
    db.session.commit()
    delivery.resend(message.id)
    assert fresh(message.id).status is MessageStatus.PENDING
    assert fresh(message.id).attempts == 0
    assert delivery.deliver_due() == 1
    assert fresh(message.id).status is MessageStatus.SENT


def test_discard_and_resend_refuse_a_message_being_delivered(app, admin_user):
    [message] = queue(admin_user)
    db.session.execute(
        update(OutboxMessage).values(claimed_until=utcnow() + timedelta(minutes=5), claim_token="w")
    )
    db.session.commit()
    with pytest.raises(delivery.OutboxConflict):
        delivery.discard(message.id)
    with pytest.raises(delivery.OutboxConflict):
        delivery.resend(message.id)
    assert fresh(message.id).status is MessageStatus.PENDING


def test_a_sent_message_cannot_be_discarded(app, smtp_server, admin_user):
    [message] = queue(admin_user)
    delivery.deliver_due()
    with pytest.raises(delivery.OutboxConflict):
        delivery.discard(message.id)
    assert fresh(message.id).status is MessageStatus.SENT
