"""Malformed requests to every route get a 4xx (or the page), never a 5xx and never a traceback.

Routes come from ``app.url_map``, so a new endpoint is covered without being listed here; field
names come from the form classes, so a new field is sent the wrong kind of value too.
"""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server
from wtforms.fields import FileField
from wtforms.fields.core import UnboundField

from tests.admin_fixtures import (  # noqa: F401  (staff: a fixture)
    PASSWORD,
    email_of,
    make_application,
    sign_in,
    staff,
)
from tests.conftest import WEBHOOK_SECRET
from tests.helpers import seed
from webapp.extensions import db
from webapp.form_base import Form
from webapp.models import Position
from webapp.services.accounts import create_user

MAX_BODY = 200_000
SKIP_ENDPOINTS = {"static"}


def _form_classes(base: type = Form) -> Iterator[type]:
    for sub in base.__subclasses__():
        yield sub
        yield from _form_classes(sub)


def field_names() -> tuple[set[str], set[str]]:
    """(text field names, file field names) of every form in the product."""
    import webapp.admin  # imports every admin form module
    import webapp.views.apply  # noqa: F401

    text, files = {"csrf_token"}, set()
    for form_class in _form_classes():
        for name in dir(form_class):
            unbound = getattr(form_class, name, None)
            if isinstance(unbound, UnboundField):
                is_file = isinstance(unbound.field_class, type) and issubclass(
                    unbound.field_class, FileField
                )
                (files if is_file else text).add(name)
    return text, files


TEXT_FIELDS, FILE_FIELDS = field_names()


def _multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "b0undary") -> bytes:
    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename:
            body += b"Content-Type: application/octet-stream\r\n"
        body += b"\r\n" + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode()


MULTIPART = "multipart/form-data; boundary=b0undary"
URLENCODED = "application/x-www-form-urlencoded"
JSON = "application/json"


def _deep_json(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


# name -> keyword arguments for ``client.open`` (besides the URL and method).
BODIES: dict[str, Callable[[], dict[str, Any]]] = {
    "text fields sent as file parts": lambda: {
        "data": _multipart([(name, "x.txt", b"some text") for name in sorted(TEXT_FIELDS)]),
        "content_type": MULTIPART,
    },
    "file fields sent as text parts": lambda: {
        "data": _multipart([(name, None, b"not a file") for name in sorted(FILE_FIELDS)]),
        "content_type": MULTIPART,
    },
    "file fields sent urlencoded": lambda: {
        "data": "&".join(f"{name}=x" for name in sorted(FILE_FIELDS)),
        "content_type": URLENCODED,
    },
    "a field sent twice, as text and as a file": lambda: {
        "data": _multipart(
            [(name, None, b"a") for name in sorted(TEXT_FIELDS | FILE_FIELDS)]
            + [(name, "f.pdf", b"%PDF-1.4") for name in sorted(TEXT_FIELDS | FILE_FIELDS)]
        ),
        "content_type": MULTIPART,
    },
    "garbage multipart boundary": lambda: {
        "data": b"--zz\r\nContent-Disposition: form-data\r\n\r\n\x00\xff--zz-- trailing",
        "content_type": "multipart/form-data; boundary=zz",
    },
    "multipart without a boundary": lambda: {"data": b"a=1", "content_type": "multipart/form-data"},
    "multipart with an unterminated part": lambda: {
        "data": b'--b0undary\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc',
        "content_type": MULTIPART,
    },
    "NUL bytes in every field": lambda: {
        "data": "&".join(f"{name}=a%00b" for name in sorted(TEXT_FIELDS)),
        "content_type": URLENCODED,
    },
    "invalid UTF-8 in every field": lambda: {
        "data": b"&".join(name.encode() + b"=%ff%fe\xc3\x28" for name in sorted(TEXT_FIELDS)),
        "content_type": URLENCODED,
    },
    "invalid UTF-8 in multipart": lambda: {
        "data": _multipart([(name, None, b"\xff\xfe\xc3\x28") for name in sorted(TEXT_FIELDS)]),
        "content_type": MULTIPART,
    },
    "deeply nested JSON": lambda: {"data": b"[" * 100_000, "content_type": JSON},
    "nested JSON objects": lambda: {"data": _deep_json(5000), "content_type": JSON},
    "a JSON list": lambda: {"data": b"[1, 2, 3]", "content_type": JSON},
    "a JSON number": lambda: {"data": b"12", "content_type": JSON},
    "JSON with values of the wrong kind": lambda: {
        "data": json.dumps({name: {"x": [1, None]} for name in sorted(TEXT_FIELDS)}),
        "content_type": JSON,
    },
    "invalid JSON": lambda: {"data": b'{"a": ', "content_type": JSON},
    "XML": lambda: {
        "data": b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "x">]><a>&x;</a>',
        "content_type": "text/xml",
    },
    "octet stream": lambda: {
        "data": bytes(range(256)) * 16,
        "content_type": "application/octet-stream",
    },
    "a content type that is not one": lambda: {"data": b"a=1", "content_type": "\x00;;;=="},
    "oversized urlencoded body": lambda: {
        "data": b"a=" + b"x" * (MAX_BODY + 1),
        "content_type": URLENCODED,
    },
    "oversized multipart body": lambda: {
        "data": _multipart([("resume_file", "cv.pdf", b"x" * (MAX_BODY + 1))]),
        "content_type": MULTIPART,
    },
    "thousands of parts": lambda: {
        "data": _multipart([(f"f{n}", None, b"x") for n in range(1500)]),
        "content_type": MULTIPART,
    },
    "thousands of urlencoded fields": lambda: {
        "data": "&".join(["a=1"] * 5000),
        "content_type": URLENCODED,
    },
    "huge headers": lambda: {
        "data": b"",
        "headers": {
            "X-Filler": "a" * 100_000,
            "Accept-Language": "x;" * 5000,
            "Referer": "\xff" * 500,
        },
    },
    "a garbage cookie": lambda: {"data": b"", "headers": {"Cookie": "session=" + "\x7f;=" * 3000}},
}
ODD_QUERIES = [
    "?next=%0d%0a//evil",
    "?page=%ff",
    "?q=%00",
    "?" + "a=1&" * 5000,
    "?status=" + "x" * 10_000,
]


@pytest.fixture
def targets(app: Flask, staff: dict[str, str]) -> dict[str, Any]:
    """Real records for URL arguments: the seeded positions, an application, an account."""
    seed(app)
    with app.app_context():
        position = db.session.scalars(db.select(Position).order_by(Position.id)).first()
        assert position is not None
        position_id, slug = position.id, position.slug
        user_id = create_user("target@staff.example", "recruiter", PASSWORD).user.id
        db.session.remove()
    application_id = make_application(app, position_id)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    return {
        "position_id": position_id,
        "slug": slug,
        "application_id": application_id,
        "user_id": user_id,
    }


def routes(app: Flask, targets: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(endpoint, URL, method) for every route of the app and every method it takes."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS:
            continue
        built = rule.build(
            {name: targets.get(name, 1) for name in rule.arguments}, append_unknown=False
        )
        assert built is not None, rule.rule
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, built[1], method))
    assert len(found) > 30
    return found


def clients(app: Flask) -> dict[str, FlaskClient]:
    anonymous, admin = app.test_client(), app.test_client()
    sign_in(admin, email_of("admin"))
    return {"anonymous": anonymous, "admin": admin}


def unexpected_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


# Kinds that are about the headers, so they are sent with GET requests too.
HEADER_KINDS = {"huge headers", "a garbage cookie"}


def test_no_malformed_body_gives_a_server_error(
    app: Flask, targets: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    failures = []
    every_route = routes(app, targets)
    for who, client in clients(app).items():
        for kind, body in BODIES.items():
            for endpoint, url, method in every_route:
                if who == "admin" and endpoint == "admin.logout":
                    continue  # it would end the session the rest of the loop uses
                if method == "GET" and kind not in HEADER_KINDS:
                    continue
                options = body()
                options["headers"] = {
                    **options.get("headers", {}),
                    "X-Webhook-Secret": WEBHOOK_SECRET,
                }
                if method == "GET":
                    options.pop("data", None)
                response = client.open(url, method=method, **options)
                if response.status_code >= 500:
                    failures.append(f"{kind}: {who} {method} {url}: {response.status_code}")
        if who == "admin":
            assert client.get("/admin/").status_code == 200  # the loop really ran signed in
    assert not failures, "\n".join(failures)
    assert not unexpected_errors(caplog)


def test_no_odd_query_string_gives_a_server_error(
    app: Flask, targets: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    failures = []
    for who, client in clients(app).items():
        for _endpoint, url, method in routes(app, targets):
            if method != "GET":
                continue
            for query in ODD_QUERIES:
                response = client.get(url + query)
                if response.status_code >= 500:
                    failures.append(f"{who} GET {url}{query[:40]}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert not unexpected_errors(caplog)


# --- over a real socket, to a live server ---------------------------------------------------


@pytest.fixture
def live(app: Flask, targets: dict[str, Any]) -> Iterator[tuple[int, str]]:
    """The app on a free port, and the session cookie of a signed-in admin."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    with httpx.Client(base_url=base) as http:
        response = http.post(
            "/admin/login", data={"email": email_of("admin"), "password": PASSWORD}
        )
        assert response.status_code == 302
        cookie = http.cookies["session"]
    try:
        yield server.server_port, cookie
    finally:
        server.shutdown()
        server.server_close()


def raw_exchange(port: int, request: bytes) -> bytes:
    """Send bytes, close our side, and return the status line (b"" if the server said nothing)."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        try:
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # the server may refuse and close before reading it all
            pass
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    return received.split(b"\r\n", 1)[0]


def raw_requests(path: str, cookie: str) -> dict[str, bytes]:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: session={cookie}\r\n"
        f"X-Webhook-Secret: {WEBHOOK_SECRET}\r\n"
    ).encode()
    form = f"Content-Type: {URLENCODED}\r\n".encode()
    multi = f"Content-Type: {MULTIPART}\r\n".encode()
    chunked = b"Transfer-Encoding: chunked\r\n"
    return {
        "chunk size that is not hex": head + form + chunked + b"\r\nzz\r\nemail=a\r\n0\r\n\r\n",
        "chunk shorter than announced": head + form + chunked + b"\r\n10\r\nemail=a",
        "chunk without its terminator": head + multi + chunked + b"\r\n5\r\n--b0uXXXX",
        "an absurd chunk size": head + form + chunked + b"\r\nffffffffffffffffffff\r\na\r\n",
        "chunk extension garbage": head + form + chunked + b"\r\n3;\x00\xff\r\nabc\r\n0\r\n\r\n",
        "body shorter than Content-Length": head + form + b"Content-Length: 5000\r\n\r\nemail=a",
        "a negative Content-Length": head + form + b"Content-Length: -5\r\n\r\nemail=a",
        "a Content-Length that is not a number": head + form + b"Content-Length: lots\r\n\r\na",
        "a header line of 100 kB": head
        + b"X-Filler: "
        + b"a" * 100_000
        + b"\r\nContent-Length: 0\r\n\r\n",
        "a thousand headers": head + b"".join(b"X-H%d: v\r\n" % n for n in range(1000)) + b"\r\n",
        "a NUL in a header": head + b"X-Odd: a\x00b\r\nContent-Length: 0\r\n\r\n",
        "invalid UTF-8 in the path": f"POST {path}/\xff HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n".encode(
            "latin-1"
        ),
    }


def test_no_broken_body_over_a_real_socket_gives_a_server_error(
    app: Flask, targets: dict[str, Any], live: tuple[int, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="webapp")
    port, cookie = live
    failures = []
    posts = sorted(
        {
            url
            for endpoint, url, method in routes(app, targets)
            if method == "POST" and endpoint != "admin.logout"
        }
    )
    for url in posts:
        for kind, request in raw_requests(url, cookie).items():
            status_line = raw_exchange(port, request)
            parts = status_line.split(b" ")
            if len(parts) < 2 or not parts[1].isdigit() or int(parts[1]) >= 500:
                failures.append(f"{kind} to {url}: {status_line!r}")
    assert not failures, "\n".join(failures)
    assert not [r for r in caplog.records if r.name.startswith("webapp")]
