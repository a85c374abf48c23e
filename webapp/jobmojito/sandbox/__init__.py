"""A local stand-in for the JobMojito platform, served as its own HTTP app.

It answers as the documented platform does, so the careers site can be developed, demonstrated
and tested without the real service:

- ``POST /functions/v1/job-interview-create-for-candidate-with-token``: the API (``api.py``);
  decisions follow the table in ``decisions.py``.
- ``GET /embed?embed_id&name&email&signature``: the signed interview page (``candidate.py``),
  verified through ``webapp.jobmojito.embed_link``; ``GET /interview/<id>`` is the plain URL.
- ``GET /functions/v1/merchant-result-list``: the results list (``results.py``).
- A result's details, its PDF report, another attempt, a position's state and the languages list
  (``platform_api.py``, ``details.py``); reports and recordings behind short-lived signed links
  (``media.py``).
- Webhooks on submit and abandon (``events.py``, ``webhooks.py``).
- ``/console``: the recruiter console, to accept or reject ``recruiter_action`` candidates and
  switch webhooks off (``console.py``).
- ``/_sandbox/faults``, ``/_sandbox/calls``, ``/_sandbox/config``, ``/_sandbox/webhooks``:
  controls (``control.py``), all behind the same bearer token as the API.
- Given a state file, positions and interviews survive a restart (``persist.py``).

It shares nothing with the careers site but the embed-link scheme and the language list.
"""

from __future__ import annotations

from webapp.jobmojito.sandbox.app import create_sandbox_app
from webapp.jobmojito.sandbox.server import SandboxServer, serve_sandbox_in_thread

__all__ = ["SandboxServer", "create_sandbox_app", "serve_sandbox_in_thread"]
