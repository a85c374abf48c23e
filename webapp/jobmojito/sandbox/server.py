"""Serving the sandbox: werkzeug's threaded server, in the foreground or on a background thread."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from webapp.jobmojito.sandbox.state import EXTENSION_KEY, Sandbox


class QuietQueryRequestHandler(WSGIRequestHandler):
    """Logs requests without their query strings, which carry candidates' names and e-mails."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log method, path and status only."""
        path = self.path.split("?", 1)[0]
        self.log("info", '"%s %s" %s %s', self.command, path, code, size)


def make_sandbox_server(app: Flask, host: str = "127.0.0.1", port: int = 0) -> BaseWSGIServer:
    """A threaded werkzeug server for the sandbox; port 0 picks a free one."""
    # Threaded, so a hanging call (an injected fault) never blocks the pages or the controls.
    return make_server(host, port, app, threaded=True, request_handler=QuietQueryRequestHandler)


class SandboxServer:
    """A sandbox running on a background thread, for demos and tests."""

    def __init__(self, app: Flask, server: BaseWSGIServer) -> None:
        self.app = app
        host = server.server_address[0]
        self.host = host.decode() if isinstance(host, bytes) else str(host)
        self.port = server.server_port
        self.url = f"http://{self.host}:{self.port}"
        self._server = server
        # A short poll interval keeps shutdown() quick, which test suites feel many times over.
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name=f"sandbox-{self.port}", daemon=True
        )
        self._thread.start()

    @property
    def sandbox(self) -> Sandbox:
        """The running state, for tests that wait on webhook deliveries."""
        state: Sandbox = self.app.extensions[EXTENSION_KEY]
        return state

    def shutdown(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.shutdown()


def serve_sandbox_in_thread(app: Flask, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
    """Start serving ``app`` on a background thread and return once it accepts connections."""
    return SandboxServer(app, make_sandbox_server(app, host, port))
