"""Public careers pages: open positions, each position's page, the privacy notice, section images."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.errors import render_error
from webapp.extensions import db
from webapp.i18n import page_locale
from webapp.i18n.links import localized_external_url
from webapp.models.content import SiteImage
from webapp.page_cache import cached_page
from webapp.services.job_page import interview_facts, share_links
from webapp.services.positions import (
    PositionClosed,
    PositionFilters,
    PositionNotFound,
    filter_choices,
    open_positions,
    position_for_candidates,
)
from webapp.services.seo import job_posting_json_ld
from webapp.services.site import current_content, published_content
from webapp.services.theme import theme_css
from webapp.urls import site_url

bp = Blueprint("careers", __name__)


@bp.get("/")
@cached_page
def index() -> str:
    """Open positions with filters and search."""
    filters = PositionFilters(
        q=request.args.get("q", "").strip()[:100],
        location=request.args.get("location", "").strip()[:200],
        country=request.args.get("country", "").strip().upper()[:2],
        language=request.args.get("language", "").strip()[:8],
    )
    return render_template(
        "careers/index.html",
        positions=open_positions(filters),
        filters=filters,
        choices=filter_choices(),
    )


@bp.get("/jobs/<slug>")
@cached_page
def job(slug: str) -> ResponseReturnValue:
    """One position in full, with structured data for search engines."""
    try:
        position = position_for_candidates(slug)
    except PositionClosed as closed:
        return render_template("careers/closed.html", position=closed.position), 410
    except PositionNotFound:
        return render_error(
            404,
            _("We could not find this position"),
            _("It may have been filled or the link may be mistyped."),
        )
    language = page_locale()
    canonical = localized_external_url(language.ident, "careers.job", slug=position.slug)
    return render_template(
        "careers/job.html",
        position=position,
        json_ld=job_posting_json_ld(position, site_url() + "/", canonical, language.tag),
        interview_facts=interview_facts(
            position.interview or {}, position.language_code, language.ident
        ),
        share_links=share_links(
            canonical, position.title, published_content().brand["company_name"]
        ),
    )


@bp.get("/privacy")
@cached_page
def privacy() -> str:
    """The privacy notice candidates agree to when they apply."""
    return render_template("careers/privacy.html")


@bp.get("/brand/section-<digest>-<int:width>.webp")
def section_image(digest: str, width: int) -> Response:
    """One size of a section image; named by its content, so it is cached for a year."""
    image = db.session.scalar(
        select(SiteImage).where(SiteImage.digest == digest, SiteImage.width == width)
    )
    if image is None:
        abort(404)
    response = Response(image.data, mimetype=image.mime)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/theme-<version>.css")
def theme(version: str) -> Response:
    """The brand as CSS custom properties; the version in the URL makes it cacheable for a year."""
    content = current_content()
    response = Response(theme_css(content), mimetype="text/css")
    if version == content.version:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response
