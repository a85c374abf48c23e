"""Every setting is parsed with a message naming it; production refuses what cannot work there."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from webapp.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "k" * 32,
    "JOBMOJITO_API_TOKEN": "t" * 20,
    "JOBMOJITO_WEBHOOK_SECRET": "w" * 20,
    "DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "DATABASE_URL": "postgresql+psycopg://db/careerframe",
    "JOBMOJITO_API_URL": "https://cool.jobmojito.com/functions/v1",
    "JOBMOJITO_EMBED_URL": "https://acme.interviewmojito.com/embed",
    "SITE_URL": "https://careers.example.com",
    "TRUSTED_HOSTS": "careers.example.com",
    "RATELIMIT_STORAGE_URI": "redis://cache.internal:6379/0",
}

BAD_VALUES = [
    ("PAGE_CACHE_SECONDS", "two"),
    ("PAGE_CACHE_SECONDS", "-1"),
    ("SITE_CONTENT_CHECK_SECONDS", "nan"),
    ("JOBMOJITO_CONNECT_TIMEOUT", "0"),
    ("JOBMOJITO_READ_TIMEOUT", "inf"),
    ("UPSTREAM_GIVE_UP_AFTER", "6h"),
    ("UPSTREAM_RETRY_BASE_SECONDS", "0"),
    ("UPSTREAM_LEASE_SECONDS", "soon"),
    ("PREVIEW_LINK_DAYS", "a week"),
    ("CANDIDATE_LINK_DAYS", "0"),
    ("SESSION_LIFETIME_SECONDS", "8h"),
    ("SESSION_LIFETIME_SECONDS", "1.5"),
    ("PROXY_FIX_COUNT", "-1"),
    ("PROXY_FIX_COUNT", "one"),
    ("SHOW_REJECTION_REASON", "maybe"),
    ("RATELIMIT_ENABLED", "ture"),
    ("SESSION_COOKIE_SECURE", "2"),
    ("RATELIMIT_STORAGE_URI", "localhost:6379"),
    ("RATELIMIT_STORAGE_URI", "postgres://db"),
    ("APPLY_RATE_LIMIT", "lots"),
    ("LOGIN_RATE_LIMIT", "5 per fortnight"),
    ("SITE_URL", "careers.example.com"),
    ("SITE_URL", "ftp://careers.example.com"),
    ("SITE_URL", "https://careers.example.com/?utm=1"),
    ("SITE_URL", "https://careers.example.com/#top"),
    ("SITE_URL", "https://user:pw@careers.example.com"),
    ("SITE_URL", "https://careers.example.com:99999"),
    ("SITE_URL", "http://careers.example.com\r\nX-Injected: 1"),
    ("TRUSTED_HOSTS", "https://careers.example.com"),
    ("JOBMOJITO_API_URL", "cool.jobmojito.com"),
    ("JOBMOJITO_EMBED_URL", "javascript:alert(1)"),
    ("JOBMOJITO_WEBHOOK_HEADER", "X Webhook: Secret"),
    ("DATABASE_URL", "careerframe.sqlite3"),
    ("SMTP_PORT", "0"),
    ("SMTP_PORT", "70000"),
    ("SMTP_PORT", "smtp"),
    ("SMTP_SECURITY", "ssl"),
    ("SMTP_TIMEOUT", "-3"),
    ("SMTP_HOST", "mail example com"),
    ("SMTP_USERNAME", "mailer"),
    ("MAIL_FROM", "no-at-sign"),
    ("MAIL_FROM", "Careers <careers@example.com>\nBcc: all@example.com"),
    ("HSTS_MAX_AGE", "a year"),
    ("HSTS_MAX_AGE", "-1"),
    ("HSTS_PRELOAD", "sometimes"),
]


@pytest.mark.parametrize(("name", "value"), BAD_VALUES)
def test_a_bad_value_is_refused_with_the_variable_named(
    tmp_path: Path, name: str, value: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({**PRODUCTION, name: value}, tmp_path)
    message = str(caught.value)
    assert name in message
    assert len(value) < 4 or value not in message  # the form is described, the value not repeated


@pytest.mark.parametrize(("name", "value"), BAD_VALUES)
def test_development_refuses_the_same_bad_values(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({"APP_ENV": "development", name: value}, tmp_path)


@pytest.mark.parametrize("missing", ["SITE_URL", "TRUSTED_HOSTS"])
def test_production_requires_the_public_address_and_its_hosts(tmp_path: Path, missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        load_settings(env, tmp_path)


def test_production_requires_https_and_a_trusted_site_host(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SITE_URL must be an https:// URL"):
        load_settings({**PRODUCTION, "SITE_URL": "http://careers.example.com"}, tmp_path)
    with pytest.raises(ConfigError, match="TRUSTED_HOSTS must include the host of SITE_URL"):
        load_settings({**PRODUCTION, "TRUSTED_HOSTS": "jobs.example.com"}, tmp_path)
    wildcard = load_settings({**PRODUCTION, "TRUSTED_HOSTS": ".example.com"}, tmp_path)
    assert wildcard["TRUSTED_HOSTS"] == [".example.com"]


def test_a_site_url_with_a_path_is_kept_without_its_trailing_slash(tmp_path: Path) -> None:
    settings = load_settings(
        {**PRODUCTION, "SITE_URL": "https://careers.example.com/jobs/"}, tmp_path
    )
    assert settings["SITE_URL"] == "https://careers.example.com/jobs"


def test_production_refuses_a_per_process_rate_limit_store(tmp_path: Path) -> None:
    env = {**PRODUCTION, "RATELIMIT_STORAGE_URI": "memory://"}
    with pytest.raises(ConfigError) as caught:
        load_settings(env, tmp_path)
    assert "RATELIMIT_STORAGE_URI" in str(caught.value)
    assert "RATELIMIT_SINGLE_PROCESS=true" in str(caught.value)
    # Unset means memory:// too.
    with pytest.raises(ConfigError, match="RATELIMIT_SINGLE_PROCESS"):
        load_settings({k: v for k, v in env.items() if k != "RATELIMIT_STORAGE_URI"}, tmp_path)
    single = load_settings({**env, "RATELIMIT_SINGLE_PROCESS": "true"}, tmp_path)
    assert single["RATELIMIT_STORAGE_URI"] == "memory://"
    assert (
        load_settings({**env, "RATELIMIT_ENABLED": "false"}, tmp_path)["RATELIMIT_ENABLED"] is False
    )
    assert load_settings({**env, "APP_ENV": "development"}, tmp_path)["RATELIMIT_STORAGE_URI"] == (
        "memory://"
    )


def test_mail_settings_are_parsed(tmp_path: Path) -> None:
    settings = load_settings(
        {
            **PRODUCTION,
            "SMTP_HOST": "smtp.example.com",
            "SMTP_PORT": "465",
            "SMTP_SECURITY": "TLS",
            "SMTP_USERNAME": "mailer",
            "SMTP_PASSWORD": "a mail password",
            "MAIL_FROM": "Kestrel Careers <careers@kestrel.example>",
        },
        tmp_path,
    )
    assert (settings["SMTP_PORT"], settings["SMTP_SECURITY"]) == (465, "tls")
    assert settings["SMTP_PASSWORD"] == "a mail password"
    with pytest.raises(ConfigError, match="SMTP_SECURITY must be starttls or tls"):
        load_settings(
            {**PRODUCTION, "SMTP_USERNAME": "mailer", "SMTP_PASSWORD": "a mail password"},
            tmp_path,
        )


def test_no_secret_or_password_is_repeated_in_an_error(tmp_path: Path) -> None:
    env = {
        **PRODUCTION,
        "RATELIMIT_STORAGE_URI": "redis-but-wrong://:hunter2-secret@cache",
    }
    with pytest.raises(ConfigError) as caught:
        load_settings(env, tmp_path)
    assert "hunter2-secret" not in str(caught.value)


class _Recording(Mapping[str, str]):
    """An environment that remembers every variable the settings asked for."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values, self.asked = dict(values), set()

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return self.values[key]

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.asked.add(key)
        return self.values.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def test_every_setting_is_listed_in_the_example_file(tmp_path: Path) -> None:
    env = _Recording(PRODUCTION)
    load_settings(env, tmp_path)
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert len(env.asked) > 40
    assert env.asked - listed == set()
