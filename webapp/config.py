"""Settings from the environment (a ``.env`` file honoured), validated; fail fast in production."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

ENVIRONMENTS = ("production", "development", "demo")

# Secrets a production deployment must be given; elsewhere they are generated once and kept.
SECRET_NAMES = (
    "SECRET_KEY",
    "JOBMOJITO_API_TOKEN",
    "JOBMOJITO_WEBHOOK_SECRET",
    "DATA_ENCRYPTION_KEYS",
)
# Plain settings a production deployment must be given too (there is no sensible default).
REQUIRED_IN_PRODUCTION = ("DATABASE_URL", "JOBMOJITO_API_URL", "JOBMOJITO_EMBED_URL")

SANDBOX_PORT = 5001
SITE_PORT = 5000


class ConfigError(RuntimeError):
    """The configuration cannot work; the message names the setting."""


def _generate(name: str) -> str:
    if name == "DATA_ENCRYPTION_KEYS":
        return Fernet.generate_key().decode("ascii")
    return secrets.token_urlsafe(32)


def _local_secrets(instance_path: Path) -> dict[str, str]:
    """Secrets generated once for demo and development, kept in the instance folder (mode 0600)."""
    path = instance_path / "secrets.json"
    instance_path.mkdir(parents=True, exist_ok=True)
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text("utf-8"))
    missing = [name for name in SECRET_NAMES if not stored.get(name)]
    if missing:
        stored.update({name: _generate(name) for name in missing})
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(stored, handle, indent=2)
    os.chmod(path, 0o600)
    return stored


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def load_settings(env: Mapping[str, str], instance_path: Path) -> dict[str, Any]:
    """Turn environment variables into Flask config keys; raise ConfigError when they cannot work."""
    app_env = env.get("APP_ENV", "development").strip() or "development"
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {app_env!r}")
    production = app_env == "production"

    values = {name: env.get(name, "").strip() for name in SECRET_NAMES + REQUIRED_IN_PRODUCTION}
    if production:
        missing = [name for name in SECRET_NAMES + REQUIRED_IN_PRODUCTION if not values[name]]
        if missing:
            raise ConfigError("Missing required setting(s) for production: " + ", ".join(missing))
    else:
        generated = _local_secrets(instance_path)
        for name in SECRET_NAMES:
            values[name] = values[name] or generated[name]

    sandbox = f"http://127.0.0.1:{SANDBOX_PORT}"
    encryption_keys = _split(values["DATA_ENCRYPTION_KEYS"])
    for key in encryption_keys:
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise ConfigError(
                "DATA_ENCRYPTION_KEYS must be comma-separated Fernet keys (32 url-safe base64 bytes)"
            ) from None

    return {
        "APP_ENV": app_env,
        "SECRET_KEY": values["SECRET_KEY"],
        "SECRET_KEY_FALLBACKS": _split(env.get("SECRET_KEY_FALLBACKS", "")),
        "SQLALCHEMY_DATABASE_URI": values["DATABASE_URL"]
        or f"sqlite:///{instance_path / 'careerframe.sqlite3'}",
        "JOBMOJITO_API_URL": values["JOBMOJITO_API_URL"] or f"{sandbox}/functions/v1",
        "JOBMOJITO_API_TOKEN": values["JOBMOJITO_API_TOKEN"],
        "JOBMOJITO_API_KEY": env.get("JOBMOJITO_API_KEY", "").strip() or None,
        "JOBMOJITO_EMBED_URL": values["JOBMOJITO_EMBED_URL"] or f"{sandbox}/embed",
        "JOBMOJITO_WEBHOOK_SECRET": values["JOBMOJITO_WEBHOOK_SECRET"],
        "JOBMOJITO_WEBHOOK_HEADER": env.get("JOBMOJITO_WEBHOOK_HEADER", "X-Webhook-Secret"),
        "JOBMOJITO_CONNECT_TIMEOUT": float(env.get("JOBMOJITO_CONNECT_TIMEOUT", "5")),
        "JOBMOJITO_READ_TIMEOUT": float(env.get("JOBMOJITO_READ_TIMEOUT", "90")),
        "DATA_ENCRYPTION_KEYS": encryption_keys,
        "UPSTREAM_GIVE_UP_AFTER": float(env.get("UPSTREAM_GIVE_UP_AFTER", str(6 * 3600))),
        "UPSTREAM_RETRY_BASE_SECONDS": float(env.get("UPSTREAM_RETRY_BASE_SECONDS", "2")),
        "UPSTREAM_LEASE_SECONDS": float(env["UPSTREAM_LEASE_SECONDS"])
        if env.get("UPSTREAM_LEASE_SECONDS")
        else None,
        "PAGE_CACHE_SECONDS": float(env.get("PAGE_CACHE_SECONDS", "2")),
        "SITE_CONTENT_CHECK_SECONDS": float(env.get("SITE_CONTENT_CHECK_SECONDS", "1")),
        "STUDIO_PREVIEW_MAX_AGE": int(float(env.get("PREVIEW_LINK_DAYS", "7")) * 86400),
        "CANDIDATE_LINK_MAX_AGE": int(float(env.get("CANDIDATE_LINK_DAYS", "60")) * 86400),
        "SHOW_REJECTION_REASON": _flag(env.get("SHOW_REJECTION_REASON"), False),
        "RATELIMIT_ENABLED": _flag(env.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "APPLY_RATE_LIMIT": env.get("APPLY_RATE_LIMIT", "10 per minute;40 per hour"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "5 per minute;30 per hour"),
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": int(env.get("SESSION_LIFETIME_SECONDS", str(8 * 3600))),
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 3600,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # SQL errors would otherwise print bound values: names, e-mails, résumés, interview links.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "TRUSTED_HOSTS": _split(env.get("TRUSTED_HOSTS", "")) or None,
        "PROXY_FIX_COUNT": int(env.get("PROXY_FIX_COUNT", "0")),
        # The public address of the site: every absolute link (canonical, JSON-LD, previews,
        # e-mails) is built from it, never from the request's Host header.
        "SITE_URL": (env.get("SITE_URL", "").strip() or f"http://127.0.0.1:{SITE_PORT}").rstrip(
            "/"
        ),
        # Outgoing e-mail (SMTP).
        "SMTP_HOST": env.get("SMTP_HOST", "").strip() or "127.0.0.1",
        "SMTP_PORT": int(env.get("SMTP_PORT", "").strip() or "1025"),
        "SMTP_SECURITY": env.get("SMTP_SECURITY", "").strip().lower() or "none",
        "SMTP_USERNAME": env.get("SMTP_USERNAME", "").strip() or None,
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", "") or None,
        "SMTP_TIMEOUT": float(env.get("SMTP_TIMEOUT", "").strip() or "10"),
        "MAIL_FROM": env.get("MAIL_FROM", "").strip() or "Careers <careers@localhost>",
    }
