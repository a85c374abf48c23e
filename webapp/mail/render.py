"""Turning an outbox row into a MIME message: the kind's context, the published brand, two parts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from flask import current_app
from flask_babel import force_locale

from webapp.extensions import db
from webapp.i18n import page_locale, state
from webapp.i18n.locales import parse_site_locale
from webapp.mail import kinds as _kinds  # noqa: F401  (fills KINDS)
from webapp.mail.messages import KINDS, MessageObsolete, localized_url
from webapp.models import Application, utcnow
from webapp.models.outbox import OutboxMessage
from webapp.services.site import published_content
from webapp.services.theme import on_colour, tokens
from webapp.urls import external_url

_LOGO_PATH = re.compile(r"^/brand/logo-(?P<digest>[0-9a-f]{16,64})\.(?P<ext>[a-z]{3,4})$")


@dataclass(frozen=True)
class Rendered:
    """A message's subject and both bodies, in memory only."""

    subject: str
    text: str
    html: str
    language: str


def brand_context() -> dict[str, Any]:
    """The published brand as e-mail needs it: validated colours, names, an absolute logo URL."""
    content = published_content()  # e-mail never shows an unpublished draft
    brand = content.brand
    theme = tokens(brand)
    logo = _LOGO_PATH.match(str(brand.get("logo_url") or ""))
    return {
        "company_name": str(brand.get("company_name") or ""),
        "tagline": str(brand.get("tagline") or ""),
        "logo_url": external_url("preview.logo", digest=logo["digest"], ext=logo["ext"])
        if logo
        else None,
        "primary": theme.primary,
        "on_primary": on_colour(theme.primary),
        "accent": theme.accent,
        "text_colour": theme.text,
        "background": theme.background,
        "font": theme.font,
        "radius": min(theme.radius, 12),
        "footer_text": content.text("footer_text"),
        "site_url": localized_url("careers.index"),
    }


def message_locale(message: OutboxMessage, staff: bool) -> str:
    """The language a message is written in: staff read the site's default; a candidate reads the
    language of the page that asked for the message, else the one they applied in."""
    default = state().default
    if staff:
        return default
    wanted = message.language
    if not wanted and message.application_id:
        application = db.session.get(Application, message.application_id)
        wanted = application.locale if application is not None else None
    chosen = parse_site_locale(wanted)
    return chosen.ident if chosen is not None and chosen.ident in state().offered else default


def render(message: OutboxMessage) -> Rendered:
    """Render a message now, from its ids; raises MessageObsolete when it should not be sent."""
    kind = KINDS.get(message.kind)
    if kind is None:
        raise MessageObsolete(f"no e-mail of kind {message.kind!r}")
    env = current_app.jinja_env
    with force_locale(message_locale(message, kind.staff)):
        locale = page_locale()
        context = {**brand_context(), **kind.context_for(message)}
        context.update(lang=locale.tag, dir="rtl" if locale.rtl else "ltr")
        # Rendered without the page context processors: e-mail gets only what it is given.
        return Rendered(
            subject=" ".join(str(context["subject"]).split()),
            text=env.get_template(f"email/{message.kind}.txt").render(**context).strip() + "\n",
            html=env.get_template(f"email/{message.kind}.html").render(**context),
            language=locale.tag,
        )


def sender_address(mail_from: str) -> str:
    """The bare envelope address of MAIL_FROM."""
    return parseaddr(mail_from)[1] or mail_from


def build_mime(message: OutboxMessage, rendered: Rendered, mail_from: str) -> EmailMessage:
    """The MIME message: plain text first, the branded HTML as its alternative."""
    mime = EmailMessage()
    name, address = parseaddr(mail_from)
    username, _, domain = address.partition("@")
    mime["From"] = (
        Address(display_name=name, username=username, domain=domain) if domain else mail_from
    )
    mime["To"] = message.to_address
    mime["Subject"] = rendered.subject
    mime["Date"] = format_datetime(utcnow())
    mime["Message-ID"] = message.message_id
    mime["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to a robot
    mime.set_content(rendered.text)
    mime.add_alternative(rendered.html, subtype="html")
    mime["Content-Language"] = rendered.language  # after the parts: set_content clears Content-*
    return mime
