"""Fixtures for e-mail delivery: a real SMTP server on loopback, and one that never answers."""

import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message


class Collector(Message):
    """aiosmtpd handler that keeps every message received; may refuse recipients."""

    def __init__(self):
        super().__init__()
        self.messages = []
        self.refuse = None  # an SMTP answer such as "550 no such user" refuses every recipient

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def handle_message(self, message):
        self.messages.append(message)

    def prepare_message(self, session, envelope):
        return message_from_bytes(envelope.content, policy=policy.default)


def free_port() -> int:
    """Return a TCP port nobody listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """Start an SMTP server on loopback and point the app at it."""
    handler = Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5)
    yield handler
    controller.stop()


class SilentServer:
    """A TCP server that accepts connections and never says a word (a hung mail server)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self):
        for connection in self.connections:
            connection.close()
        self.sock.close()
        self.thread.join(timeout=5)


@pytest.fixture
def silent_smtp(app):
    """Point the app at a mail server that accepts connections and never answers."""
    server = SilentServer()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_TIMEOUT=1)
    yield server
    server.close()
