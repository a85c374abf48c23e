"""Settings: production refuses to start without its secrets; elsewhere they are made once and kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from webapp.config import SECRET_NAMES, ConfigError, load_settings
from webapp.vault import Vault, VaultError

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


@pytest.mark.parametrize("missing", [*SECRET_NAMES, "DATABASE_URL", "JOBMOJITO_EMBED_URL"])
def test_production_names_the_missing_setting(tmp_path: Path, missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        load_settings(env, tmp_path)
    assert not (tmp_path / "secrets.json").exists()


def test_production_with_everything_starts(tmp_path: Path) -> None:
    settings = load_settings(PRODUCTION, tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True


def test_development_generates_secrets_once_in_a_private_file(tmp_path: Path) -> None:
    first = load_settings({"APP_ENV": "development"}, tmp_path)
    second = load_settings({"APP_ENV": "demo"}, tmp_path)
    path = tmp_path / "secrets.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert first["SECRET_KEY"] == second["SECRET_KEY"] == json.loads(path.read_text())["SECRET_KEY"]
    assert (
        first["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
        and str(tmp_path) in first["SQLALCHEMY_DATABASE_URI"]
    )


@pytest.mark.parametrize(
    ("name", "value"), [("APP_ENV", "staging"), ("DATA_ENCRYPTION_KEYS", "not-a-fernet-key")]
)
def test_unusable_values_are_refused_by_name(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({**PRODUCTION, name: value}, tmp_path)


def test_the_error_never_repeats_a_secret(tmp_path: Path) -> None:
    env = {**PRODUCTION, "DATA_ENCRYPTION_KEYS": "oops-secret-value"}
    with pytest.raises(ConfigError) as caught:
        load_settings(env, tmp_path)
    assert "oops-secret-value" not in str(caught.value)


def test_the_vault_rotates_keys() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    stored = Vault([old]).encrypt("esk_signing_key")
    rotated = Vault([new, old]).rotate(stored)
    assert Vault([new]).decrypt(rotated) == "esk_signing_key"
    with pytest.raises(VaultError):
        Vault([new]).decrypt(stored)
    assert "esk_" not in repr(Vault([new]))
