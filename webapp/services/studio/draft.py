"""The shared draft: made from the live version, saved field by field, with its logo."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import utcnow
from webapp.models.content import DRAFT_NUMBER, BrandAsset, SavedDraft, SiteVersion
from webapp.services.logo import Logo
from webapp.services.site import BRAND_FIELDS, DEFAULT_TEXTS, OPTIONAL_TEXTS
from webapp.services.studio.conflicts import conflict_with
from webapp.services.studio.fields import changed_fields, field_values, normal
from webapp.services.studio.translations import Translations


def live_version() -> SiteVersion | None:
    """The published version the site shows: the highest number."""
    return db.session.scalar(
        select(SiteVersion)
        .where(SiteVersion.number > DRAFT_NUMBER)
        .order_by(SiteVersion.number.desc())
        .limit(1)
    )


class UnknownLogo(LookupError):
    """A form named a logo that was never uploaded (a tampered or damaged form)."""


def content_columns(source: SiteVersion | SavedDraft | None) -> dict[str, Any]:
    """The content of a version or a set-aside draft (or the defaults: nothing), as fresh copies."""
    return {
        "brand": dict(source.brand or {}) if source else {},
        "texts": dict(source.texts or {}) if source else {},
        "position_texts": json.loads(json.dumps(source.position_texts or {})) if source else {},
        "custom_css": (source.custom_css or "") if source else "",
        "sections": json.loads(json.dumps(source.sections or {})) if source else {},
        "logo_id": source.logo_id if source else None,
        "translations": _copy(source.translations if source else None),
        "position_translations": _copy(source.position_translations if source else None),
        "languages": _copy(source.languages if source else None),
    }


def _copy(value: Any) -> dict[str, Any]:
    """A deep copy of a JSON column (NULL on older rows: empty)."""
    return json.loads(json.dumps(value)) if isinstance(value, dict) else {}


def copy_version(source: SiteVersion | SavedDraft | None, **columns: Any) -> SiteVersion:
    """A new, unsaved version holding the content of ``source`` (or nothing) and ``columns``."""
    return SiteVersion(**content_columns(source), **columns)


def logo_by_digest(digest: str) -> BrandAsset | None:
    """The stored logo with this content hash, if one was uploaded."""
    if not digest:
        return None
    return db.session.scalar(select(BrandAsset).where(BrandAsset.digest == digest))


def get_draft() -> SiteVersion:
    """The shared draft, made from the live version the first time it is needed."""
    draft = db.session.scalar(select(SiteVersion).where(SiteVersion.number == DRAFT_NUMBER))
    if draft is not None:
        return draft
    db.session.add(copy_version(live_version(), number=DRAFT_NUMBER, revision=1))
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
    logo_id = draft.logo_id
    translated = Translations.of(draft)
    for key, raw in values.items():
        value = normal(raw)
        kind, _, name = key.partition(".")
        if ":" in kind:
            translated.apply(kind, name, value)
        elif key == "languages":
            translated.set_languages(value)
        elif kind == "brand" and name in BRAND_FIELDS:
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
        elif key == "logo":
            asset = logo_by_digest(value)
            if value and asset is None:
                raise UnknownLogo(value)
            logo_id = asset.id if asset else None
    return {
        "brand": brand,
        "texts": texts,
        "position_texts": positions,
        "custom_css": css,
        "logo_id": logo_id,
        **translated.columns(),
    }


def save_draft(
    values: Mapping[str, str], revision: int, base: Mapping[str, str], author_id: int | None
) -> SiteVersion:
    """Save fields of the draft if it is still at ``revision``; else raise DraftConflict.

    ``logo`` among the values is the content hash of an uploaded logo (empty: no logo).
    """
    draft = get_draft()
    columns = _stored(draft, values)
    if draft.revision == revision:
        saved = cast(
            CursorResult[Any],
            db.session.execute(
                update(SiteVersion)
                .where(SiteVersion.id == draft.id, SiteVersion.revision == revision)
                .values(**columns, revision=revision + 1, author_id=author_id, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            ),
        )
        db.session.commit()
        if saved.rowcount == 1:
            db.session.refresh(draft)
            return draft
    db.session.refresh(draft)
    raise conflict_with(draft, values, base)


def store_logo(logo: Logo, author_id: int | None) -> BrandAsset:
    """Keep a prepared logo (once per distinct image)."""
    asset = db.session.scalar(select(BrandAsset).where(BrandAsset.digest == logo.digest))
    if asset is None:
        asset = BrandAsset(
            digest=logo.digest,
            mime=logo.mime,
            data=logo.data,
            width=logo.width,
            height=logo.height,
            uploaded_by_id=author_id,
        )
        db.session.add(asset)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            asset = db.session.scalars(
                select(BrandAsset).where(BrandAsset.digest == logo.digest)
            ).one()
    return asset


def set_logo(
    asset: BrandAsset | None, revision: int, base: Mapping[str, str], author_id: int | None
) -> SiteVersion:
    """Put a stored logo (or none) in the draft, under the same stale-form rule as other fields."""
    draft = get_draft()
    value = asset.digest if asset else ""
    if draft.revision == revision:
        saved = cast(
            CursorResult[Any],
            db.session.execute(
                update(SiteVersion)
                .where(SiteVersion.id == draft.id, SiteVersion.revision == revision)
                .values(
                    logo_id=asset.id if asset else None,
                    revision=revision + 1,
                    author_id=author_id,
                    updated_at=utcnow(),
                )
                .execution_options(synchronize_session=False)
            ),
        )
        db.session.commit()
        if saved.rowcount == 1:
            db.session.refresh(draft)
            return draft
    db.session.refresh(draft)
    raise conflict_with(draft, {"logo": value}, base)


def unpublished_changes(draft: SiteVersion) -> list[str]:
    """The fields where the draft differs from the live site."""
    return changed_fields(field_values(live_version()), field_values(draft))
