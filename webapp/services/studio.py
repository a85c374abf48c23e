"""The studio: the shared draft, publishing, rollback, preview links and the preview interview."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.jobmojito.client import JobMojitoClient, RequestInvalid, UpstreamError
from webapp.models import Application, Position, utcnow
from webapp.models.content import DRAFT_NUMBER, BrandAsset, PreviewInterview, SiteVersion
from webapp.services.interviews import signed_embed_url
from webapp.services.logo import Logo
from webapp.services.site import (
    BRAND_FIELDS,
    DEFAULT_BRAND,
    DEFAULT_TEXTS,
    OPTIONAL_TEXTS,
    TEXT_GROUPS,
    forget_published_content,
)
from webapp.services.upstream_jobs import build_request, describe
from webapp.tokens import PREVIEW_LINK, TokenInvalid, make_token, read_token
from webapp.vault import Vault

# ---------------------------------------------------------------- fields: the unit of a change


def normal(value: str) -> str:
    """A submitted value as stored: trimmed, with Unix line ends."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def field_values(row: SiteVersion | None) -> dict[str, str]:
    """Every editable value of a version as shown in the studio, keyed ``brand.x``, ``text.x``..."""
    brand = {**DEFAULT_BRAND, **((row.brand if row else None) or {})}
    texts = (row.texts if row else None) or {}
    values = {f"brand.{key}": str(brand.get(key, "")) for key in BRAND_FIELDS}
    for key, default in DEFAULT_TEXTS.items():
        stored = texts.get(key)
        values[f"text.{key}"] = stored if stored or (stored == "" and key in OPTIONAL_TEXTS) else default
    values["css"] = (row.custom_css if row else "") or ""
    values["logo"] = row.logo.digest if row is not None and row.logo is not None else ""
    for slug, overrides in ((row.position_texts if row else None) or {}).items():
        for key, value in overrides.items():
            if value:
                values[f"position.{slug}.{key}"] = value
    return values


_TEXT_LABELS = {key: f"{group}: {label}" for group, fields in TEXT_GROUPS for key, label, _ in fields}


def field_label(key: str) -> str:
    """How a field is named to marketers."""
    kind, _, name = key.partition(".")
    if kind == "brand":
        return f"Brand kit: {BRAND_FIELDS.get(name, name)}"
    if kind == "text":
        return _TEXT_LABELS.get(name, name)
    if kind == "position":
        slug, _, text = name.partition(".")
        return f"{slug} → {_TEXT_LABELS.get(text, text)}"
    return {"css": "Custom CSS", "logo": "Logo"}.get(key, key)


_ORDER = {
    key: index
    for index, key in enumerate(
        [f"brand.{k}" for k in BRAND_FIELDS] + ["logo"] + [f"text.{k}" for _, fs in TEXT_GROUPS for k, _, _ in fs] + ["css"]
    )
}


def changed_fields(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """The keys whose values differ, in the order the studio shows the fields."""
    changed = [key for key in set(before) | set(after) if before.get(key, "") != after.get(key, "")]
    return sorted(changed, key=lambda key: (_ORDER.get(key, len(_ORDER)), key))


def digest(value: str) -> str:
    """A short fingerprint of a value, carried in forms to tell later who changed what."""
    return hashlib.sha256(normal(value).encode("utf-8")).hexdigest()[:16]


def base_of(values: Mapping[str, str], keys: Sequence[str]) -> str:
    """The form's hidden record of the values it was opened with."""
    return json.dumps({key: digest(values.get(key, "")) for key in keys}, separators=(",", ":"))


def parse_base(text: str | None) -> dict[str, str]:
    """Read a form's base record; a damaged one reads as empty."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


# ---------------------------------------------------------------- errors


class DraftConflict(Exception):
    """Someone saved the draft after this form was opened; nothing was saved."""

    def __init__(self, draft: SiteVersion, theirs: dict[str, str], both: set[str], base: str) -> None:
        super().__init__("the draft changed since the form was opened")
        self.revision = draft.revision
        self.author = draft.author.email if draft.author else None
        self.saved_at = draft.updated_at
        self.theirs = theirs  # field -> the value now saved, for fields changed since the form opened
        self.both = both  # fields changed by them and by this form
        self.base = base  # the base record for the merged form


class DraftChanged(Exception):
    """The draft was saved again after the page that asks to publish it was shown."""


class NothingToPublish(Exception):
    """The draft (or the chosen version) is what the site shows already."""


class VersionNotFound(LookupError):
    """No published version has that number."""


# ---------------------------------------------------------------- the draft


def live_version() -> SiteVersion | None:
    """The published version the site shows: the highest number."""
    return db.session.scalar(
        select(SiteVersion).where(SiteVersion.number > DRAFT_NUMBER).order_by(SiteVersion.number.desc()).limit(1)
    )


def _copy(source: SiteVersion | None, **columns: Any) -> SiteVersion:
    return SiteVersion(
        brand=dict(source.brand or {}) if source else {},
        texts=dict(source.texts or {}) if source else {},
        position_texts=json.loads(json.dumps(source.position_texts or {})) if source else {},
        custom_css=source.custom_css if source else "",
        logo_id=source.logo_id if source else None,
        **columns,
    )


def get_draft() -> SiteVersion:
    """The shared draft, made from the live version the first time it is needed."""
    draft = db.session.scalar(select(SiteVersion).where(SiteVersion.number == DRAFT_NUMBER))
    if draft is not None:
        return draft
    db.session.add(_copy(live_version(), number=DRAFT_NUMBER, revision=1))
    try:
        db.session.commit()
    except IntegrityError:  # another request made it first
        db.session.rollback()
    return db.session.scalars(select(SiteVersion).where(SiteVersion.number == DRAFT_NUMBER)).one()


def _stored(draft: SiteVersion, values: Mapping[str, str]) -> dict[str, Any]:
    """The draft's columns with ``values`` applied."""
    brand = dict(draft.brand or {})
    texts = dict(draft.texts or {})
    positions = {slug: dict(v) for slug, v in (draft.position_texts or {}).items()}
    css = draft.custom_css or ""
    for key, raw in values.items():
        value = normal(raw)
        kind, _, name = key.partition(".")
        if kind == "brand" and name in BRAND_FIELDS:
            brand[name] = int(value) if name == "radius" and value.isdigit() else value
        elif kind == "text" and name in DEFAULT_TEXTS:
            if value == DEFAULT_TEXTS[name] or (not value and name not in OPTIONAL_TEXTS):
                texts.pop(name, None)
            else:
                texts[name] = value
        elif kind == "position":
            slug, _, name = name.partition(".")
            if name in DEFAULT_TEXTS and slug:
                overrides = positions.setdefault(slug, {})
                if value:
                    overrides[name] = value
                else:
                    overrides.pop(name, None)
                if not overrides:
                    positions.pop(slug)
        elif key == "css":
            css = value
    return {"brand": brand, "texts": texts, "position_texts": positions, "custom_css": css}


def _conflict(draft: SiteVersion, values: Mapping[str, str], base: Mapping[str, str]) -> DraftConflict:
    current = field_values(draft)
    if base:
        theirs = {k: current.get(k, "") for k in values if digest(current.get(k, "")) != base.get(k)}
        mine = {k for k in values if digest(values[k]) != base.get(k)}
    else:  # a form without its base record: every difference counts as both sides'
        theirs = {k: current.get(k, "") for k in values if normal(current.get(k, "")) != normal(values[k])}
        mine = set(theirs)
    return DraftConflict(draft, theirs, set(theirs) & mine, base_of(current, list(values)))


def save_draft(values: Mapping[str, str], revision: int, base: Mapping[str, str], author_id: int | None) -> SiteVersion:
    """Save fields of the draft if it is still at ``revision``; else raise DraftConflict."""
    draft = get_draft()
    columns = _stored(draft, values)
    if draft.revision == revision:
        saved = db.session.execute(
            update(SiteVersion)
            .where(SiteVersion.id == draft.id, SiteVersion.revision == revision)
            .values(**columns, revision=revision + 1, author_id=author_id, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if saved.rowcount == 1:
            db.session.refresh(draft)
            return draft
    db.session.refresh(draft)
    raise _conflict(draft, values, base)


def store_logo(logo: Logo, author_id: int | None) -> BrandAsset:
    """Keep a prepared logo (once per distinct image)."""
    asset = db.session.scalar(select(BrandAsset).where(BrandAsset.digest == logo.digest))
    if asset is None:
        asset = BrandAsset(
            digest=logo.digest, mime=logo.mime, data=logo.data, width=logo.width, height=logo.height, uploaded_by_id=author_id
        )
        db.session.add(asset)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            asset = db.session.scalars(select(BrandAsset).where(BrandAsset.digest == logo.digest)).one()
    return asset


def set_logo(asset: BrandAsset | None, revision: int, base: Mapping[str, str], author_id: int | None) -> SiteVersion:
    """Put a stored logo (or none) in the draft, under the same stale-form rule as other fields."""
    draft = get_draft()
    value = asset.digest if asset else ""
    if draft.revision == revision:
        saved = db.session.execute(
            update(SiteVersion)
            .where(SiteVersion.id == draft.id, SiteVersion.revision == revision)
            .values(logo_id=asset.id if asset else None, revision=revision + 1, author_id=author_id, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if saved.rowcount == 1:
            db.session.refresh(draft)
            return draft
    db.session.refresh(draft)
    raise _conflict(draft, {"logo": value}, base)


def unpublished_changes(draft: SiteVersion) -> list[str]:
    """The fields where the draft differs from the live site."""
    return changed_fields(field_values(live_version()), field_values(draft))


# ---------------------------------------------------------------- publishing


def _next_number() -> int:
    return int(db.session.scalar(select(func.max(SiteVersion.number))) or 0) + 1


def _add_version(source: SiteVersion, author_id: int | None, source_number: int | None) -> SiteVersion:
    # Two publishes at once both read the same max: the unique number lets one win, the other retries.
    for _ in range(5):
        version = _copy(source, number=_next_number(), author_id=author_id, source_number=source_number, published_at=utcnow())
        db.session.add(version)
        try:
            db.session.flush()
            return version
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not allocate a version number")


def publish(revision: int, author_id: int | None) -> SiteVersion:
    """Make the draft, as it was at ``revision``, the live site."""
    draft = get_draft()
    # Marking the revision as published doubles as the row lock: a save cannot slip in between.
    locked = db.session.execute(
        update(SiteVersion)
        .where(SiteVersion.id == draft.id, SiteVersion.revision == revision)
        .values(published_revision=revision)
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount != 1:
        db.session.rollback()
        raise DraftChanged("the draft was saved again since this page was shown")
    db.session.refresh(draft)
    live = live_version()
    if live is not None and field_values(live) == field_values(draft):
        db.session.rollback()
        raise NothingToPublish("the draft is what the site shows")
    version = _add_version(draft, author_id, None)
    db.session.commit()
    forget_published_content()
    return version


@dataclass(frozen=True)
class Rollback:
    """A rollback's new version, and whether the draft was reset to it too."""

    version: SiteVersion
    draft_reset: bool


def rollback(number: int, author_id: int | None) -> Rollback:
    """Publish a copy of an earlier version; reset the draft too unless it holds unpublished work."""
    old = db.session.scalar(select(SiteVersion).where(SiteVersion.number == number, SiteVersion.number > DRAFT_NUMBER))
    if old is None:
        raise VersionNotFound(number)
    live = live_version()
    if live is not None and field_values(live) == field_values(old):
        raise NothingToPublish("that version is what the site shows")
    draft = get_draft()
    draft_had_no_work = field_values(draft) == field_values(live)
    version = _add_version(old, author_id, number)
    draft_reset = False
    if draft_had_no_work:
        reset = db.session.execute(
            update(SiteVersion)
            .where(SiteVersion.id == draft.id, SiteVersion.revision == draft.revision)
            .values(
                brand=dict(old.brand or {}), texts=dict(old.texts or {}),
                position_texts=json.loads(json.dumps(old.position_texts or {})), custom_css=old.custom_css,
                logo_id=old.logo_id, revision=draft.revision + 1, published_revision=draft.revision + 1,
                author_id=author_id, updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        draft_reset = reset.rowcount == 1
    db.session.commit()
    forget_published_content()
    return Rollback(version, draft_reset)


@dataclass(frozen=True)
class HistoryEntry:
    """A published version as the history table lists it."""

    number: int
    published_at: datetime | None
    author: str | None
    source_number: int | None
    changes: list[str]
    is_live: bool
    same_as_live: bool  # rolling back to it would change nothing


def history(limit: int = 30) -> list[HistoryEntry]:
    """Published versions, newest first, each with what it changed from the one before."""
    rows = db.session.scalars(
        select(SiteVersion).where(SiteVersion.number > DRAFT_NUMBER).order_by(SiteVersion.number.desc()).limit(limit + 1)
    ).all()
    entries = []
    live = field_values(rows[0]) if rows else None
    for index, row in enumerate(rows[:limit]):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        values = field_values(row)
        changes = [field_label(key) for key in changed_fields(field_values(previous), values)]
        author = row.author.email if row.author else None
        entries.append(
            HistoryEntry(row.number, row.published_at, author, row.source_number, changes, index == 0, values == live)
        )
    return entries


# ---------------------------------------------------------------- preview links

PREVIEW_VALUE = "site-draft"


def make_preview_token(secret_key: str, fallbacks: Sequence[str]) -> str:
    """A shareable, expiring link token that shows the draft to whoever opens it."""
    return make_token(secret_key, fallbacks, PREVIEW_LINK, PREVIEW_VALUE)


def check_preview_token(secret_key: str, fallbacks: Sequence[str], token: str, max_age: int | None = None) -> None:
    """Raise TokenExpired or TokenInvalid unless ``token`` is a live preview token."""
    if read_token(secret_key, fallbacks, PREVIEW_LINK, token, max_age) != PREVIEW_VALUE:
        raise TokenInvalid("not a preview link")


# ---------------------------------------------------------------- the preview interview

PREVIEW_CANDIDATE_NAME = "Preview Candidate"
PREVIEW_CANDIDATE_EMAIL = "careerframe-preview@example.com"
PREVIEW_RESUME = (
    "Preview candidate created by Careerframe so that marketers can see the interview page as "
    "candidates see it. Not a real applicant: please ignore this profile when reviewing candidates."
)
OPEN_DECISIONS = frozenset({"ai_accept", "recruiter_accept", "already-applied"})


class PreviewInterviewUnavailable(Exception):
    """No preview interview can be shown now; the message says why."""


def _preview_applicant(position: Position, record: PreviewInterview | None = None) -> Application:
    # Never added to the session: it only carries the test identity through the worker's own
    # request builder and the candidate pages' own link signer.
    return Application(
        public_id=f"preview-{position.external_id}"[:32],
        full_name=PREVIEW_CANDIDATE_NAME,
        email=PREVIEW_CANDIDATE_EMAIL,
        country_code=position.country_code,
        resume_text=PREVIEW_RESUME,
        linkedin_url=None,
        embed_id=record.embed_id if record else None,
        embed_signing_key_encrypted=record.embed_signing_key_encrypted if record else None,
    )


def _claim(position: Position, stale_after: float) -> PreviewInterview | None:
    """The position's record; created (claimed) here when this request must call the platform."""
    record = db.session.scalar(select(PreviewInterview).where(PreviewInterview.position_id == position.id))
    if record is None:
        db.session.add(PreviewInterview(position_id=position.id))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise PreviewInterviewUnavailable("The preview interview is being prepared. Reload this page in a few seconds.") from None
        return None
    if record.decided_at is None:
        if utcnow() - record.created_at < timedelta(seconds=stale_after):
            raise PreviewInterviewUnavailable("The preview interview is being prepared. Reload this page in a few seconds.")
        taken = db.session.execute(
            update(PreviewInterview)
            .where(PreviewInterview.id == record.id, PreviewInterview.created_at == record.created_at)
            .values(created_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if taken.rowcount != 1:
            raise PreviewInterviewUnavailable("The preview interview is being prepared. Reload this page in a few seconds.")
        return None
    return record


def preview_interview_url(position: Position, client: JobMojitoClient, vault: Vault, embed_base: str, stale_after: float = 180) -> str:
    """The signed embed URL of the position's preview interview, created upstream the first time."""
    record = _claim(position, stale_after)
    if record is None:
        record = db.session.scalars(select(PreviewInterview).where(PreviewInterview.position_id == position.id)).one()
        try:
            request = build_request(_preview_applicant(position), position)
            request.validate()
            result = client.create_interview_for_candidate(request)
        except (UpstreamError, RequestInvalid) as exc:
            db.session.delete(record)
            db.session.commit()
            detail = describe(exc) if isinstance(exc, UpstreamError) else str(exc)
            raise PreviewInterviewUnavailable(f"The interview platform did not create the preview interview ({detail}).") from None
        record.decision = result.status.value
        record.profile_interview_id = result.profile_interview_id
        record.embed_id = result.embed_id
        record.embed_signing_key_encrypted = vault.encrypt(result.embed_signing_key) if result.embed_signing_key else None
        record.decided_at = utcnow()
        if result.position_def_set_id and not position.upstream_position_id:
            position.upstream_position_id = result.position_def_set_id
        db.session.commit()
    if record.decision not in OPEN_DECISIONS or not record.embed_id or not record.embed_signing_key_encrypted:
        raise PreviewInterviewUnavailable(
            f"The interview platform answered “{record.decision}” for the preview candidate, so there is no interview to show."
        )
    return signed_embed_url(_preview_applicant(position, record), vault, embed_base)


def preview_identity(position_id: int) -> tuple[str, str] | None:
    """The preview candidate's name and e-mail, when that candidate has an interview for the position."""
    record = db.session.scalar(select(PreviewInterview).where(PreviewInterview.position_id == position_id))
    if record is None or record.decision not in OPEN_DECISIONS:
        return None
    return PREVIEW_CANDIDATE_NAME, PREVIEW_CANDIDATE_EMAIL
