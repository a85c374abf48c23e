"""A local stand-in for the JobMojito platform, served as its own HTTP app.

It implements the create-for-candidate API, the signed embed page, webhooks and injectable
faults, so the careers site can be developed, demonstrated and tested without the real service.
"""

from __future__ import annotations

from webapp.jobmojito.sandbox.app import create_sandbox_app
from webapp.jobmojito.sandbox.server import SandboxServer, serve_sandbox_in_thread

__all__ = ["SandboxServer", "create_sandbox_app", "serve_sandbox_in_thread"]
