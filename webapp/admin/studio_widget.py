"""The studio's "Jobs widget" page: the snippets to paste, the widget's options, a live preview."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import BooleanField, Field, IntegerField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from webapp.admin import bp, role_required
from webapp.form_base import Form
from webapp.services import widget
from webapp.services.site import published_content
from webapp.urls import external_url


def _loopback_http_allowed() -> bool:
    # Local test sites run on http://127.0.0.1; production accepts https:// origins only.
    return current_app.config.get("APP_ENV") != "production"


class WidgetForm(Form):
    """The widget's options, as a marketer sets them."""

    show_department = BooleanField("Department filter")
    show_location = BooleanField("Location filter")
    job_limit = IntegerField(
        "How many jobs to list",
        validators=[
            InputRequired("Say how many jobs the widget lists."),
            NumberRange(1, widget.MAX_JOBS, f"Choose a number from 1 to {widget.MAX_JOBS}."),
        ],
    )
    allowed_origins = TextAreaField("Websites that may show the jobs frame")

    def validate_allowed_origins(self, field: Field) -> None:
        """Each line must be a website origin such as https://www.example.com."""
        if len(field.data or "") > 5000:
            raise ValidationError("That list is too long: name at most 10 websites.")
        try:
            field.origins = widget.parse_origins(
                field.data or "", allow_loopback_http=_loopback_http_allowed()
            )
        except widget.OriginProblem as problem:
            raise ValidationError(str(problem)) from None

    def options(self) -> widget.WidgetOptions:
        """The validated values as plain options."""
        return widget.WidgetOptions(
            show_department=bool(self.show_department.data),
            show_location=bool(self.show_location.data),
            job_limit=int(self.job_limit.data or 10),
            allowed_origins=tuple(getattr(self.allowed_origins, "origins", ())),
        )


def _snippets(company: str) -> dict[str, str]:
    script = f'<script src="{external_url("widget.script")}" async></script>'
    title = f"Open positions at {company}".replace("&", "&amp;").replace('"', "&quot;")
    title = title.replace("<", "&lt;").replace(">", "&gt;")
    frame = (
        f'<iframe src="{external_url("widget.embed")}" title="{title}" '
        'width="100%" height="640" loading="lazy"></iframe>'
    )
    return {"script": script, "iframe": frame}


def _page(form: WidgetForm, saved: widget.WidgetOptions, status: int = 200) -> tuple[str, int]:
    company = str(published_content().brand.get("company_name") or "")
    context: dict[str, Any] = {
        "form": form,
        "saved": saved,
        "snippets": _snippets(company),
        "max_origins": widget.MAX_ORIGINS,
    }
    return render_template("admin/studio/widget.html", **context), status


@bp.get("/studio/widget")
@role_required("marketer")
def studio_widget() -> tuple[str, int]:
    """The snippets, the options and a preview of the widget as other websites show it."""
    saved = widget.get_options()
    form = WidgetForm(formdata=None)
    form.show_department.data = saved.show_department
    form.show_location.data = saved.show_location
    form.job_limit.data = saved.job_limit
    form.allowed_origins.data = "\n".join(saved.allowed_origins)
    return _page(form, saved)


@bp.post("/studio/widget")
@role_required("marketer")
def studio_widget_save() -> tuple[str, int] | WerkzeugResponse:
    """Save the widget's options: every pasted widget and frame follows them at once."""
    form = WidgetForm()
    if not form.validate():
        return _page(form, widget.get_options(), 422)
    widget.save_options(form.options(), current_user.id)
    flash("Widget settings saved. Every page that shows the widget uses them now.", "success")
    return redirect(url_for("admin.studio_widget"), 303)
