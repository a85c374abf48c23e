"""The demo's mailbox: an SMTP server that keeps what the site sent, and pages to read it.

The pages live on the sandbox's origin, never the site's. A message's HTML is served on its own
URL with a CSP that runs no script and loads nothing but images, and shown in a sandboxed iframe;
its links open in a new tab, outside the sandbox, so they can be followed as a candidate would.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from flask import Blueprint, Flask, Response, abort, current_app, render_template_string
from flask.blueprints import BlueprintSetupState
from markupsafe import Markup

EXTENSION_KEY = "sandbox.mailbox"
MAX_MESSAGES = 200
MAX_MESSAGE_BYTES = 2 * 1024 * 1024
_LINK = re.compile(r"https?://[^\s<>\"']+")
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


@dataclass(frozen=True)
class Mail:
    """One received message, parsed once."""

    id: int
    received_at: datetime
    envelope_from: str
    envelope_to: list[str]
    subject: str
    sender: str
    to: str
    message_id: str
    text: str
    html: str | None
    links: list[str]


def _parse(number: int, raw: bytes, envelope_from: str, envelope_to: list[str]) -> Mail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    text = str(text_part.get_content()) if text_part is not None else ""
    return Mail(
        id=number,
        received_at=datetime.now(UTC),
        envelope_from=envelope_from,
        envelope_to=list(envelope_to),
        subject=str(message.get("Subject", "")),
        sender=str(message.get("From", "")),
        to=str(message.get("To", "")),
        message_id=str(message.get("Message-ID", "")),
        text=text,
        html=str(html_part.get_content()) if html_part is not None else None,
        links=list(dict.fromkeys(_LINK.findall(text))),
    )


@dataclass
class Mailbox:
    """The last ``limit`` messages, in memory; safe to use from the SMTP and web threads."""

    limit: int = MAX_MESSAGES
    _items: deque[Mail] = field(init=False)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._items = deque(maxlen=self.limit)

    def add(self, raw: bytes, envelope_from: str, envelope_to: list[str]) -> Mail:
        """Keep a message (the oldest goes once the box is full)."""
        with self._lock:
            mail = _parse(next(self._numbers), raw, envelope_from, envelope_to)
            self._items.append(mail)
        return mail

    def messages(self) -> list[Mail]:
        """Every kept message, newest first."""
        with self._lock:
            return list(reversed(self._items))

    def get(self, number: int) -> Mail | None:
        """A kept message by its number."""
        with self._lock:
            return next((mail for mail in self._items if mail.id == number), None)


class MailboxHandler:
    """aiosmtpd's handler: every message accepted goes into the mailbox."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store the message; refuse what cannot be parsed."""
        try:
            self.mailbox.add(
                envelope.original_content or envelope.content,
                str(envelope.mail_from),
                list(envelope.rcpt_tos),
            )
        except (ValueError, TypeError, AssertionError):
            return "554 5.6.0 Message could not be parsed"
        return "250 2.0.0 Kept in the sandbox mailbox"


def mailbox_of(app: Flask) -> Mailbox:
    """The mailbox of a sandbox app."""
    mailbox: Mailbox = app.extensions[EXTENSION_KEY]
    return mailbox


def start_smtp(mailbox: Mailbox, port: int, host: str = "127.0.0.1") -> Controller:
    """Start the SMTP side on ``host:port`` on its own thread; ``.stop()`` the result to end it."""
    # aiosmtpd logs every command at INFO, recipients included: the mailbox pages show them.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(
        MailboxHandler(mailbox), hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES
    )
    controller.start()
    return controller


bp = Blueprint("sandbox_mailbox", __name__, url_prefix="/mailbox")


@bp.record_once
def _create_mailbox(state: BlueprintSetupState) -> None:
    state.app.extensions.setdefault(EXTENSION_KEY, Mailbox())


_PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
# Scripts never run; nothing but images loads; links open in a new, unsandboxed tab.
_MESSAGE_CSP = (
    "default-src 'none'; img-src http: https: data:; style-src 'unsafe-inline'; "
    "form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox"
)
_FRAME_SANDBOX = "allow-popups allow-popups-to-escape-sandbox"

_LAYOUT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} · Sandbox mailbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; color: #1d2420; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .4rem; border-bottom: 1px solid #ddd; }
.message { display: grid; grid-template-columns: 3fr 2fr; gap: 1rem; }
iframe { width: 100%; height: 70vh; border: 1px solid #bbb; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: .75rem; }
dt { font-weight: bold; } dd { margin: 0 0 .4rem; }
</style></head><body>{{ body }}</body></html>"""

_LIST = """<h1>Sandbox mailbox</h1>
<p>Every e-mail the careers site sent to this sandbox's SMTP server (the last {{ limit }}), newest first.</p>
{% if messages %}<table><thead><tr><th scope="col">Received (UTC)</th><th scope="col">To</th>
<th scope="col">Subject</th></tr></thead><tbody>
{% for mail in messages %}<tr><td>{{ mail.received_at.strftime("%Y-%m-%d %H:%M:%S") }}</td>
<td>{{ mail.to }}</td><td><a href="{{ url_for('sandbox_mailbox.message', number=mail.id) }}">{{ mail.subject or "(no subject)" }}</a></td></tr>
{% endfor %}</tbody></table>{% else %}<p>No e-mail yet.</p>{% endif %}"""

_MESSAGE = """<p><a href="{{ url_for('sandbox_mailbox.index') }}">All messages</a></p>
<h1>{{ mail.subject or "(no subject)" }}</h1>
<dl><dt>From</dt><dd>{{ mail.sender }}</dd><dt>To</dt><dd>{{ mail.to }}</dd>
<dt>Message-ID</dt><dd>{{ mail.message_id }}</dd></dl>
<div class="message">
<section><h2>As sent (HTML)</h2>
{% if mail.html is not none %}<iframe title="The message as HTML" sandbox="{{ frame_sandbox }}"
 src="{{ url_for('sandbox_mailbox.html', number=mail.id) }}"></iframe>{% else %}<p>This message has no HTML part.</p>{% endif %}
</section>
<section><h2>Plain text</h2><pre>{{ mail.text }}</pre>
<h2>Links</h2>{% if mail.links %}<ul>{% for link in mail.links %}
<li><a href="{{ link }}" target="_blank" rel="noopener noreferrer">{{ link }}</a></li>{% endfor %}</ul>
{% else %}<p>No links.</p>{% endif %}</section></div>"""


def _page(title: str, body: str, **values: Any) -> Response:
    inner = Markup(render_template_string(body, **values))  # rendered (and escaped) just above
    response = Response(render_template_string(_LAYOUT, title=title, body=inner))
    response.headers["Content-Security-Policy"] = _PAGE_CSP
    return _private(response)


def _private(response: Response) -> Response:
    # The messages hold candidates' private links: never cached, never sent on as a referrer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _links_in_new_tabs(html: str) -> str:
    # Links in mail have no target: opened in the frame they would meet the site's frame refusal.
    base = '<base target="_blank">'
    with_base, found = _HEAD.subn(lambda head: head.group(0) + base, html, count=1)
    return with_base if found else base + html


def _mail(number: int) -> Mail:
    mail = mailbox_of(current_app).get(number)
    if mail is None:
        abort(404)
    return mail


@bp.get("")
def index() -> Response:
    """Every kept message, newest first."""
    mailbox = mailbox_of(current_app)
    return _page("All messages", _LIST, messages=mailbox.messages(), limit=mailbox.limit)


@bp.get("/<int:number>")
def message(number: int) -> Response:
    """One message: its headers, its HTML in a sandboxed frame, its text and its links."""
    mail = _mail(number)
    return _page(mail.subject or "Message", _MESSAGE, mail=mail, frame_sandbox=_FRAME_SANDBOX)


@bp.get("/<int:number>/html")
def html(number: int) -> Response:
    """The message's HTML part as it was sent, under a CSP that lets nothing run."""
    mail = _mail(number)
    if mail.html is None:
        abort(404)
    response = Response(_links_in_new_tabs(mail.html), mimetype="text/html")
    response.headers["Content-Security-Policy"] = _MESSAGE_CSP
    return _private(response)
