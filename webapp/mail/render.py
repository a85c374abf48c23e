"""Turning an outbox row into a MIME message: the kind's context, the published brand, two parts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from flask import current_app

from webapp.mail.kinds import KINDS, MessageObsolete
from webapp.models import utcnow
from webapp.models.outbox import OutboxMessage
from webapp.services.site import published_content
from webapp.services.theme import on_colour, tokens
from webapp.urls import external_url

_LOGO_PATH = re.compile(r"^/brand/logo-(?P<digest>[0-9a-f]{16,64})\.(?P<ext>[a-z]{3,4})$")
DEFAULT_LANGUAGE = "en"


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
        "site_url": external_url("careers.index"),
    }


def _template(kind: str, language: str | None, extension: str) -> tuple[Any, str]:
    names = [f"email/{kind}.{extension}"]
    if language and re.fullmatch(r"[a-z]{2}(-[A-Za-z]{2})?", language):
        names.insert(0, f"email/{language}/{kind}.{extension}")
    template = current_app.jinja_env.select_template(names)
    found = template.name or names[-1]
    parts = found.split("/")
    return template, parts[1] if len(parts) == 3 else DEFAULT_LANGUAGE


def render(message: OutboxMessage) -> Rendered:
    """Render a message now, from its ids; raises MessageObsolete when it should not be sent."""
    kind = KINDS.get(message.kind)
    if kind is None:
        raise MessageObsolete(f"no e-mail of kind {message.kind!r}")
    context = {**brand_context(), **kind.context_for(message)}
    html_template, language = _template(message.kind, message.language, "html")
    text_template, _ = _template(
        message.kind, language if language != DEFAULT_LANGUAGE else None, "txt"
    )
    context["lang"] = language
    # Rendered without the page context processors: e-mail gets only what it is given.
    return Rendered(
        subject=" ".join(str(context["subject"]).split()),
        text=text_template.render(**context).strip() + "\n",
        html=html_template.render(**context),
        language=language,
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
