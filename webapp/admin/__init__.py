"""The staff area under /admin: recruiters' positions and applications, marketers' studio."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, g
from flask_login import current_user, login_required

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The admin menu, in order: (endpoint, label). Who sees an entry is read from its view's roles.
MENU: tuple[tuple[str, str], ...] = (
    ("admin.dashboard", "Overview"),
    ("admin.positions", "Positions"),
    ("admin.applications", "Applications"),
    ("admin.studio_home", "Site studio"),
    ("admin.studio_widget", "Jobs widget"),
    ("admin.funnel_dashboard", "Funnel"),
    ("admin.users", "Users"),
    ("admin.diagnostics", "Embed diagnostics"),
)


def menu_for(
    view_functions: Mapping[str, Callable[..., Any]], can: Callable[..., bool]
) -> list[tuple[str, str]]:
    """The menu entries whose endpoint is registered and whose roles ``can`` accepts."""
    entries = []
    for endpoint, label in MENU:
        view = view_functions.get(endpoint)
        roles = getattr(view, "required_roles", None)
        if roles is not None and can(*roles):
            entries.append((endpoint, label))
    return entries


@bp.context_processor
def admin_context() -> dict[str, Any]:
    """The menu this account may use and the open configuration alerts, for every admin page."""
    from webapp.services.alerts import open_alerts

    nav = (
        menu_for(current_app.view_functions, current_user.can)
        if current_user.is_authenticated
        else []
    )
    return {"admin_nav": nav, "admin_alerts": open_alerts}


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
from webapp.admin import (  # noqa: E402,F401
    applications,
    auth,
    dashboard,
    diagnostics,
    funnel,
    position_keys,
    positions,
    studio,
    studio_history,
    studio_previews,
    studio_privacy,
    studio_publish,
    studio_sections,
    studio_widget,
    users,
)
