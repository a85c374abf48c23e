"""The admin start page: configuration problems first, then what needs attention."""

from __future__ import annotations

from flask import render_template

from webapp.admin import bp, role_required


@bp.get("/")
@role_required("admin", "marketer", "recruiter")
def dashboard() -> str:
    """Where each role starts."""
    return render_template("admin/dashboard.html")
