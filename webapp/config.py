"""Settings from the environment (a ``.env`` file honoured), validated; fail fast in production."""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Mapping
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

ENVIRONMENTS = ("production", "development", "demo")
SMTP_SECURITY_CHOICES = ("none", "starttls", "tls")

# Secrets a production deployment must be given; elsewhere they are generated once and kept.
SECRET_NAMES = (
    "SECRET_KEY",
    "JOBMOJITO_API_TOKEN",
    "JOBMOJITO_WEBHOOK_SECRET",
    "DATA_ENCRYPTION_KEYS",
)
# Plain settings a production deployment must be given too (there is no sensible default).
REQUIRED_IN_PRODUCTION = (
    "DATABASE_URL",
    "JOBMOJITO_API_URL",
    "JOBMOJITO_EMBED_URL",
    "SITE_URL",
    "TRUSTED_HOSTS",
)

SANDBOX_PORT = 5001
SITE_PORT = 5000
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class ConfigError(RuntimeError):
    """The configuration cannot work; the message names the setting."""


class _Env:
    """Typed readers over the environment; each bad value is a ConfigError naming its variable.

    Messages describe the expected form and never repeat the value: some values carry passwords.
    """

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def text(self, name: str, default: str = "") -> str:
        value = self.env.get(name, "").strip()
        if _CONTROL.search(value):
            raise ConfigError(f"{name} must not contain control characters or line breaks")
        return value or default

    def number(
        self, name: str, default: float, *, minimum: float = 0.0, above: bool = False
    ) -> float:
        raw = self.text(name)
        bound = f"{'above' if above else 'at least'} {minimum:g}"
        try:
            value = float(raw) if raw else default
        except ValueError:
            raise ConfigError(f"{name} must be a number {bound}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ConfigError(f"{name} must be a finite number {bound}")
        if value < minimum or (above and value == minimum):
            raise ConfigError(f"{name} must be a number {bound}")
        return value

    def integer(self, name: str, default: int, *, minimum: int, maximum: int) -> int:
        raw = self.text(name)
        try:
            value = int(raw) if raw else default
        except ValueError:
            raise ConfigError(
                f"{name} must be a whole number from {minimum} to {maximum}"
            ) from None
        if not minimum <= value <= maximum:
            raise ConfigError(f"{name} must be a whole number from {minimum} to {maximum}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.text(name).lower()
        if not raw:
            return default
        if raw not in _TRUE + _FALSE:
            raise ConfigError(f"{name} must be true or false (also 1/0, yes/no, on/off)")
        return raw in _TRUE

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(name).lower() or default
        if value not in choices:
            raise ConfigError(f"{name} must be one of {', '.join(choices)}")
        return value

    def items(self, name: str) -> list[str]:
        return [part.strip() for part in self.text(name).split(",") if part.strip()]


def http_url(name: str, value: str, *, https: bool = False) -> str:
    """``value`` as an absolute http(s) URL without query or fragment (no trailing slash)."""
    form = "an absolute https:// URL" if https else "an absolute http:// or https:// URL"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ConfigError(f"{name} must be {form}") from None
    if parts.scheme not in (("https",) if https else ("http", "https")) or not parts.hostname:
        raise ConfigError(f"{name} must be {form}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigError(f"{name} must be {form} without credentials, query or fragment")
    return value.rstrip("/")


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


def _encryption_keys(value: str) -> list[str]:
    keys = [part.strip() for part in value.split(",") if part.strip()]
    for key in keys:
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise ConfigError(
                "DATA_ENCRYPTION_KEYS must be comma-separated Fernet keys (32 url-safe base64 bytes)"
            ) from None
    return keys


def _rate_limits(read: _Env, production: bool) -> dict[str, Any]:
    """The limiter's store and limits; a per-process store in production must be declared."""
    from limits import parse_many
    from limits.storage import SCHEMES

    enabled = read.flag("RATELIMIT_ENABLED", True)
    storage = read.text("RATELIMIT_STORAGE_URI", "memory://")
    if storage.partition("://")[0] not in SCHEMES or "://" not in storage:
        raise ConfigError(
            "RATELIMIT_STORAGE_URI must be a limits storage URI: memory://, redis://…"
        )
    single = read.flag("RATELIMIT_SINGLE_PROCESS", False)
    if production and enabled and storage.startswith("memory://") and not single:
        raise ConfigError(
            "RATELIMIT_STORAGE_URI is memory://, which counts per process: with several web "
            "processes every limit multiplies. Use a shared store (redis://…) or, if exactly one "
            "web process serves the site, set RATELIMIT_SINGLE_PROCESS=true"
        )
    limits = {}
    for name, default in (
        ("APPLY_RATE_LIMIT", "10 per minute;40 per hour"),
        ("LOGIN_RATE_LIMIT", "5 per minute;30 per hour"),
        ("LOGIN_ACCOUNT_RATE_LIMIT", "5 per 5 minutes"),
        # The candidate's e-mail thread: codes typed, codes and links sent, "find my application".
        ("VERIFY_RATE_LIMIT", "20 per minute;60 per hour"),
        ("CODE_RESEND_LIMIT", "3 per hour"),
        ("FIND_RATE_LIMIT", "5 per minute;20 per hour"),
        ("FIND_ADDRESS_LIMIT", "3 per hour"),
        # A candidate asking for an adjustment to the interview.
        ("ACCOMMODATION_RATE_LIMIT", "3 per minute;10 per day"),
    ):
        limits[name] = read.text(name, default)
        try:
            parse_many(limits[name])
        except ValueError:
            raise ConfigError(
                f"{name} must be limits such as '10 per minute;40 per hour'"
            ) from None
    return {"RATELIMIT_ENABLED": enabled, "RATELIMIT_STORAGE_URI": storage, **limits}


def _public_address(read: _Env, production: bool) -> dict[str, Any]:
    """SITE_URL, the hosts answered to, proxies and HSTS: how the site is reached from outside."""
    from werkzeug.sansio.utils import host_is_trusted

    given = read.text("SITE_URL")
    site = http_url("SITE_URL", given or f"http://127.0.0.1:{SITE_PORT}")
    if production and not site.startswith("https://"):
        raise ConfigError("SITE_URL must be an https:// URL in production")
    hosts = read.items("TRUSTED_HOSTS")
    if any("/" in host or " " in host for host in hosts):
        raise ConfigError(
            "TRUSTED_HOSTS must be host names, comma-separated, without scheme or path"
        )
    if given and hosts and not host_is_trusted(urlsplit(site).netloc, hosts):
        raise ConfigError("TRUSTED_HOSTS must include the host of SITE_URL")
    hsts = read.flag("HSTS_ENABLED", production)
    max_age = read.integer("HSTS_MAX_AGE", 31536000, minimum=0, maximum=10 * 31536000)
    subdomains = read.flag("HSTS_INCLUDE_SUBDOMAINS", False)
    preload = read.flag("HSTS_PRELOAD", False)
    if hsts and preload and (not subdomains or max_age < 31536000):
        raise ConfigError(
            "HSTS_PRELOAD needs HSTS_INCLUDE_SUBDOMAINS=true and HSTS_MAX_AGE of at least 31536000"
        )
    directives = [f"max-age={max_age}"]
    directives += ["includeSubDomains"] if subdomains else []
    directives += ["preload"] if preload else []
    return {
        # The public address of the site: every absolute link (canonical, JSON-LD, previews,
        # e-mails) is built from it, never from the request's Host header.
        "SITE_URL": site,
        "TRUSTED_HOSTS": hosts or None,
        "PROXY_FIX_COUNT": read.integer("PROXY_FIX_COUNT", 0, minimum=0, maximum=10),
        "STRICT_TRANSPORT_SECURITY": "; ".join(directives) if hsts else None,
    }


def _mail(read: _Env, production: bool) -> dict[str, Any]:
    """Outgoing e-mail (SMTP)."""
    security = read.choice("SMTP_SECURITY", "none", SMTP_SECURITY_CHOICES)
    username = read.text("SMTP_USERNAME") or None
    password = read.env.get("SMTP_PASSWORD", "") or None
    if bool(username) != bool(password):
        raise ConfigError("SMTP_USERNAME and SMTP_PASSWORD must be set together")
    if production and password and security == "none":
        raise ConfigError("SMTP_SECURITY must be starttls or tls when SMTP_PASSWORD is set")
    sender = read.text("MAIL_FROM", "Careers <careers@localhost>")
    if "@" not in parseaddr(sender)[1]:
        raise ConfigError("MAIL_FROM must be an address such as 'Careers <careers@example.com>'")
    host = read.text("SMTP_HOST", "127.0.0.1")
    if " " in host or "/" in host:
        raise ConfigError("SMTP_HOST must be a host name or address")
    return {
        "SMTP_HOST": host,
        "SMTP_PORT": read.integer("SMTP_PORT", 1025, minimum=1, maximum=65535),
        "SMTP_SECURITY": security,
        "SMTP_USERNAME": username,
        "SMTP_PASSWORD": password,
        "SMTP_TIMEOUT": read.number("SMTP_TIMEOUT", 10, above=True),
        "MAIL_FROM": sender,
        "ACCOMMODATION_EMAIL": _accommodation_email(read),
        "MAIL_RETRY_BASE_SECONDS": read.number("MAIL_RETRY_BASE_SECONDS", 30, above=True),
        "MAIL_RETRY_CAP_SECONDS": read.number("MAIL_RETRY_CAP_SECONDS", 3600, above=True),
        "MAIL_GIVE_UP_AFTER": read.number("MAIL_GIVE_UP_AFTER", 2 * 86400, above=True),
        # Unset: long enough for a slow server (see webapp/mail/sender.py).
        "MAIL_LEASE_SECONDS": read.number("MAIL_LEASE_SECONDS", 0) or None,
        # Outcome e-mail at a human pace (seconds). A rejection waits a day in production; the
        # demo and development tell at once, as 0 does, so every outcome can be seen by hand.
        "INTERVIEW_READY_EMAIL_DELAY": read.number("INTERVIEW_READY_EMAIL_DELAY", 120),
        "INTERVIEW_REMINDER_AFTER": read.number("INTERVIEW_REMINDER_AFTER", 2 * 86400, above=True),
        "REJECTION_EMAIL_DELAY": read.number("REJECTION_EMAIL_DELAY", 86400 if production else 0),
    }


def _accommodation_email(read: _Env) -> str | None:
    """Where candidates' requests for an adjustment are e-mailed (optional)."""
    address = read.text("ACCOMMODATION_EMAIL")
    if address and ("@" not in parseaddr(address)[1] or "," in address):
        raise ConfigError("ACCOMMODATION_EMAIL must be one address such as 'hr@example.com'")
    return parseaddr(address)[1] or None


def _uploads(read: _Env) -> dict[str, Any]:
    """How much reading one uploaded file may cost, and how many are read at once per process."""
    return {
        "UPLOAD_CONCURRENCY": read.integer("UPLOAD_CONCURRENCY", 2, minimum=1, maximum=64),
        "UPLOAD_CPU_SECONDS": read.number("UPLOAD_CPU_SECONDS", 2, above=True),
        "UPLOAD_MEMORY_MB": read.integer("UPLOAD_MEMORY_MB", 1024, minimum=128, maximum=65536),
        "UPLOAD_SLOT_WAIT_SECONDS": read.number("UPLOAD_SLOT_WAIT_SECONDS", 1),
    }


def _result_polls(read: _Env) -> dict[str, Any]:
    """When the workers ask the platform for results that webhooks did not bring."""
    name = "RESULT_POLL_SCHEDULE"
    schedule: list[float] = []
    for part in read.items(name) or ["60", "120", "300", "600", "1800", "3600"]:
        try:
            seconds = float(part)
        except ValueError:
            seconds = -1.0
        if not 0 < seconds < 10**7:
            raise ConfigError(f"{name} must be a comma-separated list of positive seconds")
        schedule.append(seconds)
    return {
        name: tuple(schedule),
        "RESULT_POLL_GIVE_UP_AFTER": read.number(
            "RESULT_POLL_GIVE_UP_AFTER", 14 * 86400, above=True
        ),
        "WEBHOOK_SILENCE_SECONDS": read.number("WEBHOOK_SILENCE_SECONDS", 3600, above=True),
    }


def _default_locale(read: _Env) -> str:
    """The language unprefixed URLs fall back to: one of the shipped locales."""
    from webapp.i18n.locales import SHIPPED, parse_site_locale

    locale = parse_site_locale(read.text("DEFAULT_LOCALE", "en"))
    if locale is None:
        tags = ", ".join(loc.tag for loc in SHIPPED)
        raise ConfigError(f"DEFAULT_LOCALE must be one of the shipped languages: {tags}")
    return locale.ident


def load_settings(env: Mapping[str, str], instance_path: Path) -> dict[str, Any]:
    """Turn environment variables into Flask config keys; raise ConfigError when they cannot work."""
    read = _Env(env)
    app_env = read.text("APP_ENV", "development")
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {app_env!r}")
    production = app_env == "production"

    values = {name: read.text(name) for name in SECRET_NAMES + REQUIRED_IN_PRODUCTION}
    if production:
        missing = [name for name in SECRET_NAMES + REQUIRED_IN_PRODUCTION if not values[name]]
        if missing:
            raise ConfigError("Missing required setting(s) for production: " + ", ".join(missing))
    else:
        generated = _local_secrets(instance_path)
        for name in SECRET_NAMES:
            values[name] = values[name] or generated[name]

    sandbox = f"http://127.0.0.1:{SANDBOX_PORT}"
    database = values["DATABASE_URL"] or f"sqlite:///{instance_path / 'careerframe.sqlite3'}"
    if "://" not in database:
        raise ConfigError("DATABASE_URL must be a database URL such as postgresql+psycopg://…")
    webhook_header = read.text("JOBMOJITO_WEBHOOK_HEADER", "X-Webhook-Secret")
    if not _HEADER_NAME.fullmatch(webhook_header):
        raise ConfigError("JOBMOJITO_WEBHOOK_HEADER must be an HTTP header name")
    lease = read.number("UPSTREAM_LEASE_SECONDS", 0, above=False)

    return {
        "APP_ENV": app_env,
        "SECRET_KEY": values["SECRET_KEY"],
        "SECRET_KEY_FALLBACKS": read.items("SECRET_KEY_FALLBACKS"),
        "SQLALCHEMY_DATABASE_URI": database,
        "JOBMOJITO_API_URL": http_url(
            "JOBMOJITO_API_URL", values["JOBMOJITO_API_URL"] or f"{sandbox}/functions/v1"
        ),
        "JOBMOJITO_API_TOKEN": values["JOBMOJITO_API_TOKEN"],
        "JOBMOJITO_API_KEY": read.text("JOBMOJITO_API_KEY") or None,
        "JOBMOJITO_EMBED_URL": http_url(
            "JOBMOJITO_EMBED_URL", values["JOBMOJITO_EMBED_URL"] or f"{sandbox}/embed"
        ),
        "JOBMOJITO_WEBHOOK_SECRET": values["JOBMOJITO_WEBHOOK_SECRET"],
        "JOBMOJITO_WEBHOOK_HEADER": webhook_header,
        "JOBMOJITO_CONNECT_TIMEOUT": read.number("JOBMOJITO_CONNECT_TIMEOUT", 5, above=True),
        "JOBMOJITO_READ_TIMEOUT": read.number("JOBMOJITO_READ_TIMEOUT", 90, above=True),
        # A guess: where recruiters decide candidates in JobMojito's own admin.
        "JOBMOJITO_ADMIN_URL": http_url(
            "JOBMOJITO_ADMIN_URL", read.text("JOBMOJITO_ADMIN_URL", "https://cool.jobmojito.com")
        ),
        "RESULT_CACHE_SECONDS": read.number("RESULT_CACHE_SECONDS", 60, above=True),
        "DATA_ENCRYPTION_KEYS": _encryption_keys(values["DATA_ENCRYPTION_KEYS"]),
        "UPSTREAM_GIVE_UP_AFTER": read.number("UPSTREAM_GIVE_UP_AFTER", 6 * 3600, above=True),
        "UPSTREAM_RETRY_BASE_SECONDS": read.number("UPSTREAM_RETRY_BASE_SECONDS", 2, above=True),
        "UPSTREAM_LEASE_SECONDS": lease or None,
        "PAGE_CACHE_SECONDS": read.number("PAGE_CACHE_SECONDS", 2),
        "FUNNEL_COUNTING": read.flag("FUNNEL_COUNTING", True),
        "FUNNEL_FLUSH_SECONDS": read.number("FUNNEL_FLUSH_SECONDS", 5, above=True),
        "DEFAULT_LOCALE": _default_locale(read),
        "SITE_CONTENT_CHECK_SECONDS": read.number("SITE_CONTENT_CHECK_SECONDS", 1),
        "STUDIO_PREVIEW_MAX_AGE": int(read.number("PREVIEW_LINK_DAYS", 7, above=True) * 86400),
        "CANDIDATE_LINK_MAX_AGE": int(read.number("CANDIDATE_LINK_DAYS", 60, above=True) * 86400),
        "SHOW_REJECTION_REASON": read.flag("SHOW_REJECTION_REASON", False),
        "CANDIDATE_EMAIL_VERIFICATION": read.flag("CANDIDATE_EMAIL_VERIFICATION", True),
        **_rate_limits(read, production),
        "SESSION_COOKIE_SECURE": read.flag("SESSION_COOKIE_SECURE", production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": read.integer(
            "SESSION_LIFETIME_SECONDS", 8 * 3600, minimum=60, maximum=90 * 86400
        ),
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 3600,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # SQL errors would otherwise print bound values: names, e-mails, résumés, interview links.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "hide_parameters": True,
            # SQLite lets one writer in at a time: in a burst of applications the others wait for
            # the lock (up to 15 s, inside gunicorn's 30 s) rather than fail after the driver's 5 s.
            **({"connect_args": {"timeout": 15}} if database.startswith("sqlite") else {}),
        },
        **_public_address(read, production),
        **_mail(read, production),
        **_uploads(read),
        **_result_polls(read),
    }
