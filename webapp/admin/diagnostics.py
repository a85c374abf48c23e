"""Embed diagnostics per position: what the interview page sends, what is stored, a live signature check."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from flask import abort, render_template, request
from sqlalchemy import select

from webapp.admin import bp, role_required
from webapp.admin.forms import ConfirmForm
from webapp.extensions import db
from webapp.jobmojito.embed_link import build_embed_url
from webapp.models import Application, Position
from webapp.models.content import PreviewInterview
from webapp.security import content_security_policy, interview_allow_attribute, permissions_policy
from webapp.services.platform import platform
from webapp.services.studio.preview_interview import preview_identity
from webapp.vault import Vault, VaultError, fingerprint

TEST_NAME = "Careerframe Diagnostics"
TEST_EMAIL = "diagnostics@careerframe.example"


@dataclass(frozen=True)
class StoredEmbed:
    """What the position (or its preview) holds for the embed; the key only as a fingerprint."""

    source: str
    embed_id: str | None
    key_fingerprint: str | None
    key_problem: str | None = None


@dataclass(frozen=True)
class SignatureCheck:
    """The platform's answer to a signed link for a test identity."""

    identity: str
    status: int | None
    verdict: str  # accepted | refused | unexpected | unreachable
    detail: str


def stored_embed(
    source: str, embed_id: str | None, encrypted_key: bytes | None, vault: Vault
) -> StoredEmbed:
    """Describe a stored embed id and key without revealing the key."""
    if not encrypted_key:
        return StoredEmbed(source, embed_id, None)
    try:
        return StoredEmbed(source, embed_id, fingerprint(vault.decrypt(encrypted_key)))
    except VaultError:
        return StoredEmbed(
            source, embed_id, None, "stored, but it cannot be decrypted with DATA_ENCRYPTION_KEYS"
        )


def check_signature(
    embed_url: str,
    embed_id: str,
    signing_key: str,
    name: str,
    email: str,
    transport: httpx.BaseTransport | None = None,
) -> SignatureCheck:
    """Sign a link for ``name``/``email`` and ask the platform for it, server-side."""
    url = build_embed_url(embed_url, embed_id, signing_key, name, email)
    try:
        with httpx.Client(timeout=10, follow_redirects=False, transport=transport) as http:
            status = http.get(url).status_code
    except httpx.HTTPError as exc:
        return SignatureCheck(
            email,
            None,
            "unreachable",
            f"The embed URL could not be reached ({type(exc).__name__}).",
        )
    if status == 200:
        return SignatureCheck(
            email,
            status,
            "accepted",
            "The platform accepted the signature and logged the test identity in.",
        )
    if status == 403:
        return SignatureCheck(
            email,
            status,
            "refused",
            "The platform refused the link: the embed id or the signing key does not match.",
        )
    if status == 404:
        return SignatureCheck(
            email,
            status,
            "accepted",
            "The platform accepted the signature but has no interview for this test identity (expected until a preview interview exists).",
        )
    return SignatureCheck(email, status, "unexpected", f"The platform answered HTTP {status}.")


@bp.get("/diagnostics")
@role_required("admin", "marketer", "recruiter")
def diagnostics() -> str:
    """Pick a position."""
    positions = db.session.scalars(select(Position).order_by(Position.title)).all()
    return render_template("admin/diagnostics.html", positions=positions, position=None)


@bp.route("/diagnostics/<slug>", methods=["GET", "POST"])
@role_required("admin", "marketer", "recruiter")
def diagnostics_position(slug: str) -> str:
    """The embed as the interview page of this position uses it; POST runs the signature check."""
    position = db.session.scalar(select(Position).where(Position.slug == slug))
    if position is None:
        abort(404)
    objects = platform()
    latest = db.session.scalar(
        select(Application)
        .where(Application.position_id == position.id)
        .order_by(Application.created_at.desc(), Application.id.desc())
        .limit(1)
    )
    preview = db.session.scalar(
        select(PreviewInterview).where(PreviewInterview.position_id == position.id)
    )
    embeds = []
    if position.embed_id or position.embed_signing_key_encrypted:
        # What every candidate page of the position signs with.
        embeds.append(
            stored_embed(
                "Position (every candidate page)",
                position.embed_id,
                position.embed_signing_key_encrypted,
                objects.vault,
            )
        )
    if preview is not None and preview.embed_id:
        embeds.append(
            stored_embed(
                "Preview interview",
                preview.embed_id,
                preview.embed_signing_key_encrypted,
                objects.vault,
            )
        )

    form = ConfirmForm()
    check = None
    if request.method == "POST" and form.validate_on_submit():
        check = _run_check(position, preview, objects.vault, objects.embed_url)
    return render_template(
        "admin/diagnostics.html",
        position=position,
        positions=None,
        embed_url=objects.embed_url,
        embed_origin=objects.embed_origin,
        allow=interview_allow_attribute(objects.embed_origin),
        csp=content_security_policy(objects.embed_origin),
        permissions=permissions_policy(objects.embed_origin),
        latest=latest,
        embeds=embeds,
        check=check,
        form=form,
        test_identity=preview_identity(position.id) or (TEST_NAME, TEST_EMAIL),
    )


def _run_check(
    position: Position, preview: PreviewInterview | None, vault: Vault, embed_url: str
) -> SignatureCheck | None:
    embed_id, encrypted = position.embed_id, position.embed_signing_key_encrypted
    if not (embed_id and encrypted) and preview is not None:
        embed_id, encrypted = preview.embed_id, preview.embed_signing_key_encrypted
    if not embed_id or not encrypted:
        return None
    try:
        key = vault.decrypt(encrypted)
    except VaultError:
        return SignatureCheck(
            "",
            None,
            "unexpected",
            "The stored signing key cannot be decrypted with DATA_ENCRYPTION_KEYS.",
        )
    name, email = preview_identity(position.id) or (TEST_NAME, TEST_EMAIL)
    return check_signature(embed_url, embed_id, key, name, email)
