"""The demo's mailbox: real SMTP in, real HTTP out, on the sandbox's origin, HTML kept harmless."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from html import unescape

import httpx
import pytest
from flask import Flask

from tests import smtp_fixtures
from tests.conftest import SANDBOX_TOKEN
from tests.smtp_fixtures import SITE_URL, free_port, queue_confirmation
from webapp.jobmojito.sandbox import SandboxServer, create_sandbox_app, serve_sandbox_in_thread
from webapp.jobmojito.sandbox.mailbox import MAX_MESSAGES, mailbox_of, start_smtp
from webapp.mail import send_due

mail_app = smtp_fixtures.mail_app
smtpd = smtp_fixtures.smtpd


@dataclass
class Demo:
    """A sandbox serving its mailbox over HTTP, and the mailbox's SMTP port."""

    sandbox: SandboxServer
    smtp_port: int

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.sandbox.url + path, timeout=10)


@pytest.fixture
def demo() -> Iterator[Demo]:
    """A running sandbox with its mailbox listening for SMTP on a free port."""
    sandbox = serve_sandbox_in_thread(create_sandbox_app(token=SANDBOX_TOKEN, latency=0))
    port = free_port()
    controller = start_smtp(mailbox_of(sandbox.app), port=port)
    try:
        yield Demo(sandbox, port)
    finally:
        controller.stop()
        sandbox.shutdown()


def send_raw(port: int, subject: str, html: str | None = None, text: str = "Hello") -> None:
    """Hand one message to the mailbox over SMTP."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.com", "b@example.com", subject
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.send_message(message)


def test_what_the_site_sent_can_be_read_and_its_link_followed(mail_app: Flask, demo: Demo) -> None:
    mail_app.config["SMTP_PORT"] = demo.smtp_port
    queue_confirmation(mail_app, "ana@example.com")
    assert send_due(mail_app, "sender-1") == 1

    listing = demo.get("/mailbox")
    assert listing.status_code == 200
    assert "We have your application for Data Analyst" in listing.text
    assert "ana@example.com" in listing.text
    (detail_path,) = re.findall(r'href="(/mailbox/\d+)"', listing.text)

    detail = demo.get(detail_path)
    assert detail.status_code == 200
    assert detail.headers["Cache-Control"] == "no-store"
    assert detail.headers["Referrer-Policy"] == "no-referrer"
    frame = re.search(r'<iframe[^>]*sandbox="([^"]*)"[^>]*src="([^"]+)"', detail.text)
    assert frame is not None and "allow-scripts" not in frame.group(1)
    assert "What happens next" in detail.text  # the plain text, beside the frame
    links = [unescape(link) for link in re.findall(r'<li><a href="([^"]+)"', detail.text)]
    # The confirmation links to the candidate's page through the e-mailed proof of the address.
    page_links = [link for link in links if "/continue/" in link]
    assert len(page_links) == 1 and page_links[0].startswith(SITE_URL + "/continue/")

    html = demo.get(frame.group(2))
    assert html.status_code == 200 and html.headers["Content-Type"].startswith("text/html")
    policy = html.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    assert '<head><base target="_blank">' in html.text
    assert "Open your application page" in html.text

    page = mail_app.test_client().get(page_links[0].removeprefix(SITE_URL), follow_redirects=True)
    assert page.status_code == 200 and "Data Analyst" in page.get_data(as_text=True)


def test_what_a_message_says_is_escaped_in_the_mailbox_pages(demo: Demo) -> None:
    send_raw(demo.smtp_port, "<script>alert(1)</script>", text="<img src=x onerror=alert(2)>")
    listing = demo.get("/mailbox")
    assert "<script>alert(1)" not in listing.text and "&lt;script&gt;alert(1)" in listing.text
    detail = demo.get(re.findall(r'href="(/mailbox/\d+)"', listing.text)[0])
    assert "<img src=x" not in detail.text and "This message has no HTML part" in detail.text
    assert "script-src" not in detail.headers["Content-Security-Policy"]


def test_the_mailbox_keeps_only_the_latest_messages(demo: Demo) -> None:
    mailbox = mailbox_of(demo.sandbox.app)
    for index in range(MAX_MESSAGES + 3):
        raw = f"From: a@example.com\r\nTo: b@example.com\r\nSubject: number {index}\r\n\r\nhi\r\n"
        mailbox.add(raw.encode(), "a@example.com", ["b@example.com"])
    send_raw(demo.smtp_port, "over SMTP")

    kept = mailbox.messages()
    assert len(kept) == MAX_MESSAGES and kept[0].subject == "over SMTP"
    assert kept[-1].subject == "number 4"
    assert demo.get("/mailbox/1").status_code == 404
    assert demo.get(f"/mailbox/{kept[0].id}").status_code == 200


@pytest.mark.parametrize("path", ["/mailbox/999", "/mailbox/abc", "/mailbox/1/html", "/mailbox/-1"])
def test_unknown_or_odd_message_numbers_are_not_found(demo: Demo, path: str) -> None:
    send_raw(demo.smtp_port, "text only")  # number 1 has no HTML part
    assert demo.get(path).status_code == 404


def test_a_message_over_the_size_limit_is_refused_by_the_server(demo: Demo) -> None:
    with pytest.raises(smtplib.SMTPException):
        send_raw(demo.smtp_port, "huge", text="x" * (3 * 1024 * 1024))
    assert mailbox_of(demo.sandbox.app).messages() == []
