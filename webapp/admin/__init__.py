"""The staff area under /admin: recruiters' positions and applications, marketers' studio."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, g
from flask_login import current_user, login_required

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The admin menu: (endpoint, label, roles that see it). Each area appends its entries.
NAV: list[tuple[str, str, tuple[str, ...]]] = [
    ("admin.dashboard", "Overview", ("admin", "marketer", "recruiter"))
]


@bp.context_processor
def admin_context() -> dict[str, Any]:
    """The menu and the open configuration alerts, for every admin page."""
    from webapp.services.alerts import open_alerts

    return {"admin_nav": NAV, "admin_alerts": open_alerts}


def role_required(*roles: str) -> Callable[[F], F]:
    """Let in signed-in accounts holding one of ``roles`` (admins always); others get a 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.can(*roles):
                abort(403)
            g.staff_page = True
            return view(*args, **kwargs)

        wrapper.required_roles = roles  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


# Each area adds its routes to ``bp``.
from webapp.admin import applications, auth, dashboard, diagnostics, positions, studio, users  # noqa: E402,F401
