"""The candidate's thread: codes, e-mailed links, a corrected address and "find my application".

Everything here leads back to one application through its verified e-mail address, and nothing
here tells a stranger whether an address applied.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from limits import parse_many
from wtforms import StringField
from wtforms.validators import DataRequired, Email, Length

from webapp.extensions import db
from webapp.form_base import Form
from webapp.i18n import speak
from webapp.mail import enqueue
from webapp.models import Application, Position
from webapp.ratelimit import EXTENSION_KEY, rate_limited, wait_in_words
from webapp.security import hosts_interview, private_page
from webapp.services.applications import (
    CorrectionRefused,
    application_by_public_id,
    correct_address,
)
from webapp.services.verification import (
    CodeRefused,
    check_code,
    issue_code,
    mark_verified,
    masked_email,
)
from webapp.tokens import (
    CANDIDATE_LINK,
    CONTINUE_TICKET,
    EMAIL_LINK,
    Purpose,
    TokenExpired,
    TokenInvalid,
    make_token,
    read_signed_value,
    read_token,
)
from webapp.views.candidate_access import (
    application_from_token,
    candidate_link_token,
    embed_origin,
    remember_application,
)
from webapp.views.candidate_page import (
    candidate_page,
    link_not_valid,
    prove_in_this_browser,
    verification_required,
)

bp = Blueprint("thread", __name__)


class EmailForm(Form):
    """One e-mail address (find my application, a corrected address)."""

    email = StringField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter an e-mail address like name@example.com."), check_deliverability=False),
            Length(max=254, message=_l("Keep the address under 254 characters.")),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


def _keys() -> list[str]:
    config = current_app.config
    return [config["SECRET_KEY"], *config["SECRET_KEY_FALLBACKS"]]


def _sign(purpose: Purpose, value: str) -> str:
    config = current_app.config
    return make_token(config["SECRET_KEY"], config["SECRET_KEY_FALLBACKS"], purpose, value)


def _within(scope: str, key: str, config_key: str) -> bool:
    """Count one e-mail against a per-application or per-address limit (always on: it protects
    mailboxes and codes, not the server); False once the limit is reached."""
    limiter = current_app.extensions[EXTENSION_KEY]
    return all(
        limiter.hit(item, scope, key) for item in parse_many(str(current_app.config[config_key]))
    )


def _send_code(application: Application) -> bool:
    """A new code by e-mail, within the resend limit; whether one was sent."""
    if not _within("code", application.public_id, "CODE_RESEND_LIMIT"):
        return False
    issue_code(application)
    enqueue("verification_code", application.email, application_id=application.id)
    db.session.commit()
    return True


def _page(application: Application, notice: str | None = None) -> ResponseReturnValue:
    speak(application.locale)  # the redirect keeps the application's language
    target = url_for("apply.application", token=candidate_link_token(application.public_id))
    return redirect(f"{target}?notice={notice}" if notice else target, 303)


def _prove(application: Application) -> None:
    prove_in_this_browser(application.public_id)
    remember_application(application.public_id)
    mark_verified(application)
    db.session.commit()


def _refused_code(error: CodeRefused) -> dict[str, Any]:
    return {"code_error": error.reason, "tries_left": error.tries_left}


def _too_many(seconds: int, *args: Any, **kwargs: Any) -> ResponseReturnValue:
    return render_template("find/wait.html", wait=wait_in_words(seconds))


@bp.post("/applications/<token>/code")
@private_page
@rate_limited("verify", "VERIFY_RATE_LIMIT", refusal=_too_many)
@hosts_interview(embed_origin)
def enter_code(token: str) -> ResponseReturnValue:
    """The code typed on the candidate's page: the interview opens in this browser."""
    try:
        application = application_from_token(token)
    except TokenInvalid:
        return link_not_valid()
    try:
        check_code(application, request.form.get("code"), _keys())
    except CodeRefused as error:
        return candidate_page(application, token, status_code=422, **_refused_code(error))
    _prove(application)
    return _page(application, "verified")


@bp.post("/applications/<token>/new-code")
@private_page
@rate_limited("verify", "VERIFY_RATE_LIMIT", refusal=_too_many)
def new_code(token: str) -> ResponseReturnValue:
    """Send a new code (the old one stops working), within the resend limit."""
    try:
        application = application_from_token(token)
    except TokenInvalid:
        return link_not_valid()
    return _page(application, "code_sent" if _send_code(application) else "wait")


def _send_link(purpose: Purpose, token: str) -> ResponseReturnValue:
    """The application's link by e-mail to its own address; an expired link may ask too."""
    try:
        public_id = read_signed_value(
            current_app.config["SECRET_KEY"],
            current_app.config["SECRET_KEY_FALLBACKS"],
            purpose,
            token,
        )
    except TokenInvalid:
        return link_not_valid()
    application = application_by_public_id(public_id)
    if application is None or application.erased_at is not None:
        return link_not_valid()
    speak(application.locale)
    sent = _within("link", application.public_id, "CODE_RESEND_LIMIT")
    if sent:
        enqueue("application_link", application.email, application_id=application.id)
        db.session.commit()
    return render_template(
        "find/link_sent.html", sent=sent, masked_email=masked_email(application.email)
    )


@bp.post("/applications/<token>/send-link")
@private_page
@rate_limited("verify", "VERIFY_RATE_LIMIT", refusal=_too_many)
def send_link(token: str) -> ResponseReturnValue:
    """ "E-mail it to me" on the candidate's page, and "send me a new link" when it expired."""
    return _send_link(CANDIDATE_LINK, token)


@bp.post("/continue/<token>/send-link")
@private_page
@rate_limited("verify", "VERIFY_RATE_LIMIT", refusal=_too_many)
def send_link_again(token: str) -> ResponseReturnValue:
    """A new link for an e-mailed link that expired."""
    return _send_link(EMAIL_LINK, token)


@bp.get("/continue/<token>")
@private_page
def from_email(token: str) -> ResponseReturnValue:
    """The link in the candidate's e-mail: it proves the address here and opens their page."""
    config = current_app.config
    try:
        public_id = read_token(
            config["SECRET_KEY"], config["SECRET_KEY_FALLBACKS"], EMAIL_LINK, token
        )
    except TokenExpired:
        return render_template(
            "apply/link_expired.html",
            new_link_url=url_for("thread.send_link_again", token=token),
        ), 410
    except TokenInvalid:
        return link_not_valid()
    application = application_by_public_id(public_id)
    if application is None:
        return link_not_valid()
    if application.withdrawn_at is None and application.erased_at is None:
        _prove(application)
    return _page(application)


@bp.post("/applications/<token>/correct")
@private_page
@rate_limited("apply", "APPLY_RATE_LIMIT", refusal=_too_many)
@hosts_interview(embed_origin)
def correct(token: str) -> ResponseReturnValue:
    """ "Wrong address?": a corrected application for the new address; the old one is withdrawn."""
    try:
        application = application_from_token(token)
    except TokenInvalid:
        return link_not_valid()
    form = EmailForm(meta={"csrf": False})
    if not form.validate():
        message = form.email.errors[0] if form.email.errors else gettext("Enter an e-mail address.")
        return candidate_page(application, token, status_code=422, correct_error=message)
    try:
        new = correct_address(application, form.email.data, verify=verification_required())
    except CorrectionRefused as refused:
        return candidate_page(
            application, token, status_code=422, correct_error=gettext(str(refused))
        )
    remember_application(new.public_id)
    return _page(new, "corrected")


def continue_with_code(position: Position, application: Application) -> ResponseReturnValue:
    """ "Already applied" from another browser: a code to that address, and a page to type it."""
    sent = _send_code(application)
    return render_template(
        "apply/already_applied.html",
        position=position,
        ticket=_sign(CONTINUE_TICKET, application.public_id),
        masked_email=masked_email(application.email),
        sent=sent,
    ), 409


def _ticket_application() -> Application | None:
    config = current_app.config
    try:
        public_id = read_token(
            config["SECRET_KEY"],
            config["SECRET_KEY_FALLBACKS"],
            CONTINUE_TICKET,
            request.form.get("ticket", ""),
        )
    except TokenInvalid:
        return None
    return application_by_public_id(public_id)


@bp.post("/continue")
@private_page
@rate_limited("verify", "VERIFY_RATE_LIMIT", refusal=_too_many)
def continue_application() -> ResponseReturnValue:
    """The code typed after "already applied": on success, this browser continues that application."""
    application = _ticket_application()
    if application is None or application.withdrawn_at is not None:
        return render_template("find/ticket_expired.html"), 410
    context = {
        "position": application.position,
        "ticket": request.form.get("ticket", ""),
        "masked_email": masked_email(application.email),
    }
    if request.form.get("action") == "resend":
        return render_template(
            "apply/already_applied.html", resent=True, sent=_send_code(application), **context
        ), 200
    try:
        check_code(application, request.form.get("code"), _keys())
    except CodeRefused as error:
        return render_template(
            "apply/already_applied.html", sent=True, **context, **_refused_code(error)
        ), 422
    _prove(application)
    return _page(application, "verified")


@bp.route("/find-my-application", methods=["GET", "POST"])
@private_page
@rate_limited("find", "FIND_RATE_LIMIT", refusal=_too_many)
def find() -> ResponseReturnValue:
    """E-mail in, links out by e-mail: the same answer, and the same work, for any address."""
    form = EmailForm()
    if request.method == "GET" or not form.validate():
        status = 422 if request.method == "POST" else 200
        return render_template("find/form.html", form=form), status
    address = form.email.data.strip().lower()
    # Keyed by a hash: the limiter's store never holds the address itself.
    if not _within("find", hashlib.sha256(address.encode()).hexdigest(), "FIND_ADDRESS_LIMIT"):
        return render_template("find/wait.html", wait=wait_in_words(3600)), 429
    # Always one row; at send time its kind decides whether there is anything to send.
    enqueue("find_applications", address)
    db.session.commit()
    return render_template("find/sent.html", email=form.email.data)
