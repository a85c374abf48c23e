"""The per-process objects built from settings: the upstream client, the vault, the embed base."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, current_app

from webapp.jobmojito.client import ClientSettings, JobMojitoClient
from webapp.vault import Vault

EXTENSION_KEY = "careerframe.platform"


@dataclass(frozen=True)
class Platform:
    """What the app needs to reach JobMojito and keep its secrets; one per process."""

    client: JobMojitoClient
    vault: Vault
    embed_url: str

    @property
    def embed_origin(self) -> str:
        """The scheme://host[:port] of the embed, named in CSP and in the frame's ``allow``."""
        parts = urlsplit(self.embed_url)
        return f"{parts.scheme}://{parts.netloc}"

    def __repr__(self) -> str:
        return f"Platform(embed_origin={self.embed_origin!r})"

    def close(self) -> None:
        """Close the client's pooled connections (left to the garbage collector, each socket
        would be reported as unclosed)."""
        self.client.close()


def build_platform(config: dict[str, object]) -> Platform:
    """Build the platform objects from a config mapping."""
    settings = ClientSettings(
        api_url=str(config["JOBMOJITO_API_URL"]),
        token=str(config["JOBMOJITO_API_TOKEN"]),
        api_key=config.get("JOBMOJITO_API_KEY") or None,  # type: ignore[arg-type]
        connect_timeout=float(config["JOBMOJITO_CONNECT_TIMEOUT"]),  # type: ignore[arg-type]
        read_timeout=float(config["JOBMOJITO_READ_TIMEOUT"]),  # type: ignore[arg-type]
    )
    return Platform(
        client=JobMojitoClient(settings),
        vault=Vault(config["DATA_ENCRYPTION_KEYS"]),  # type: ignore[arg-type]
        embed_url=str(config["JOBMOJITO_EMBED_URL"]),
    )


def init_app(app: Flask) -> None:
    """Attach this process's platform objects to the app, closing any it replaces."""
    previous = app.extensions.get(EXTENSION_KEY)
    app.extensions[EXTENSION_KEY] = build_platform(app.config)
    if previous is not None:
        previous.close()


def close(app: Flask) -> None:
    """Close the app's platform connections (when an app is done with, as tests are)."""
    current = app.extensions.get(EXTENSION_KEY)
    if current is not None:
        current.close()


def platform() -> Platform:
    """The current app's platform objects."""
    return current_app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]
