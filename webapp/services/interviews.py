"""The interview frame for an application: the signed embed link, minted afresh each time."""

from __future__ import annotations

from webapp.jobmojito.embed_link import build_embed_url
from webapp.models import Application
from webapp.vault import Vault


class InterviewUnavailable(LookupError):
    """The platform gave no embed for this application (no id or key stored)."""


def signed_embed_url(application: Application, vault: Vault, embed_base: str) -> str:
    """The authenticated embed URL for this application's candidate."""
    if not application.embed_id or not application.embed_signing_key_encrypted:
        raise InterviewUnavailable(application.public_id)
    signing_key = vault.decrypt(application.embed_signing_key_encrypted)
    return build_embed_url(
        embed_base, application.embed_id, signing_key, application.full_name, application.email
    )
