"""A real SMTP server for tests: aiosmtpd on a free 127.0.0.1 port, keeping what it received."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    """One accepted message: the envelope and the parsed MIME message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Collector:
    """An aiosmtpd handler that keeps every message; it can refuse recipients, or run a hook
    after accepting (to play a client that dies right after the server said yes)."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    after_accept: Callable[[], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        parsed = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        if self.after_accept is not None:
            self.after_accept()
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """A stoppable, restartable SMTP server on one fixed port."""

    port: int
    handler: Collector
    credentials: tuple[str, str] | None = None
    controller: Controller | None = None

    def start(self) -> None:
        """Listen (again) on the same port."""
        options: dict[str, Any] = {}
        if self.credentials is not None:
            options = {"authenticator": self._authenticate, "auth_require_tls": False}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    def stop(self) -> None:
        """Stop listening: connections are refused until ``start``."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and self.credentials is not None
            and (auth_data.login.decode(), auth_data.password.decode()) == self.credentials
        )
        return AuthResult(success=ok, handled=False)

    @property
    def messages(self) -> list[EmailMessage]:
        """Every message received so far, oldest first."""
        with self.handler.lock:
            return [item.message for item in self.handler.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Wait until at least ``count`` messages arrived; all of them."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} message(s) arrived, not {count}")
            time.sleep(0.02)
        return self.messages


def smtp_server(credentials: tuple[str, str] | None = None) -> Iterator[SmtpServer]:
    """Start a server, yield it, stop it."""
    server = SmtpServer(port=free_port(), handler=Collector(), credentials=credentials)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtpd() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 that accepts everything and keeps it."""
    yield from smtp_server()


SITE_URL = "https://careers.kestrel.example"


@pytest.fixture
def mail_app(app: Any, smtpd: SmtpServer) -> Any:
    """The app with the demo positions, sending to ``smtpd``, retrying fast."""
    from tests.helpers import seed

    app.config.update(
        SITE_URL=SITE_URL,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtpd.port,
        SMTP_SECURITY="none",
        SMTP_TIMEOUT=5.0,
        MAIL_FROM="Kestrel Careers <careers@kestrel.example>",
        MAIL_RETRY_BASE_SECONDS=0.05,
        MAIL_RETRY_CAP_SECONDS=0.2,
    )
    seed(app)
    return app


def queue_confirmation(app: Any, email: str = "ana@example.com", **values: Any) -> tuple[int, str]:
    """Store an application and queue its confirmation in one transaction; (outbox id, public id)."""
    from tests.admin_fixtures import make_application
    from tests.helpers import position_id
    from webapp.extensions import db
    from webapp.mail import enqueue
    from webapp.models import Application

    application_id = make_application(
        app, position_id(app, "data-analyst-amsterdam"), email=email, **values
    )
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application is not None
        message = enqueue("application_received", email, application_id=application_id)
        db.session.commit()
        ids = (message.id, application.public_id)
        db.session.remove()
    return ids
