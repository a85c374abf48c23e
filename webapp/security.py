"""Security headers for every response, and the per-view openings from the strict default."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, abort, current_app, g, request

F = TypeVar("F", bound=Callable[..., Any])
EXTENSION_KEY = "careerframe.security"

# Devices the embedded interview may use, delegated to the embed origin by name.
INTERVIEW_FEATURES = ("camera", "microphone", "fullscreen", "autoplay", "display-capture")


def interview_allow_attribute(embed_origin: str) -> str:
    """The iframe ``allow`` value that hands the interview its devices, and no one else."""
    return "; ".join(f"{feature} {embed_origin}" for feature in INTERVIEW_FEATURES)


def content_security_policy(
    frame_origin: str | None, frame_ancestors: Sequence[str] = (), media_origin: str | None = None
) -> str:
    """The CSP: our own origin only; frames only from the embed origin, where a view opens them.

    ``frame_ancestors`` are the origins allowed to frame the page; none (the default) refuses all.
    ``media_origin`` is the one other origin whose audio and video the page may play.
    """
    return "; ".join(
        [
            "default-src 'self'",
            *([f"media-src {media_origin}"] if media_origin else []),
            "img-src 'self' data:",
            "style-src 'self'",
            "script-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            f"frame-src {frame_origin}" if frame_origin else "frame-src 'none'",
            f"frame-ancestors {' '.join(frame_ancestors)}"
            if frame_ancestors
            else "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


def permissions_policy(frame_origin: str | None) -> str:
    """Our pages use no devices; an interview page delegates them to the embed origin only."""
    if frame_origin:
        allowed = f'(self "{frame_origin}")'
        return (
            ", ".join(f"{feature}={allowed}" for feature in INTERVIEW_FEATURES) + ", geolocation=()"
        )
    return "camera=(), microphone=(), display-capture=(), geolocation=(), payment=(), usb=()"


def hosts_interview(frame_origin_of: Callable[[], str]) -> Callable[[F], F]:
    """Mark a view whose page frames the interview: opens CSP and device delegation for it."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.interview_frame_origin = frame_origin_of()
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def framable_by(origins_of: Callable[[], Sequence[str]]) -> Callable[[F], F]:
    """Mark a view that the listed origins (and only they) may frame; every other page refuses."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.frame_ancestors = tuple(origins_of())
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def plays_media_from(origin_of: Callable[[], str]) -> Callable[[F], F]:
    """Mark a staff view that plays the platform's recordings: media from that origin only."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.media_origin = origin_of()
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def private_page(view: F) -> F:
    """A page reached by a secret link: never cached, never leaks its URL as a referrer."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.private_page = True
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


Headers = tuple[tuple[str, str], ...]


class HeaderPolicy:
    """One app's default headers, computed once per kind of page and kept on the app."""

    def __init__(self, strict_transport_security: str | None) -> None:
        self.strict_transport_security = strict_transport_security
        self._computed: dict[tuple[str | None, bool, str | None], Headers] = {}

    def headers(
        self,
        frame_origin: str | None,
        private: bool,
        frame_ancestors: Sequence[str] = (),
        media_origin: str | None = None,
    ) -> Headers:
        """The headers a response gets unless its view set them (cached: the kinds are few)."""
        if frame_ancestors:  # as many kinds as marketers' lists: computed each time, not kept
            return self._compute(frame_origin, private, tuple(frame_ancestors), media_origin)
        key = (frame_origin, private, media_origin)
        found = self._computed.get(key)
        if found is None:
            found = self._computed[key] = self._compute(frame_origin, private, (), media_origin)
        return found

    def _compute(
        self,
        frame_origin: str | None,
        private: bool,
        frame_ancestors: tuple[str, ...] = (),
        media_origin: str | None = None,
    ) -> Headers:
        csp = content_security_policy(frame_origin, frame_ancestors, media_origin)
        headers = [
            ("Content-Security-Policy", csp),
            ("Permissions-Policy", permissions_policy(frame_origin)),
            ("X-Content-Type-Options", "nosniff"),
        ]
        # X-Frame-Options cannot name origins: a page framable by some sends only the CSP.
        if not frame_ancestors:
            headers.append(("X-Frame-Options", "DENY"))
        headers += [
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Referrer-Policy", "no-referrer" if private else "strict-origin-when-cross-origin"),
        ]
        if self.strict_transport_security:
            headers.append(("Strict-Transport-Security", self.strict_transport_security))
        return tuple(headers)


def _set_headers(response: Response) -> Response:
    private = bool(g.get("private_page") or g.get("staff_page"))
    policy: HeaderPolicy = current_app.extensions[EXTENSION_KEY]
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    chosen = policy.headers(
        g.get("interview_frame_origin"),
        private,
        g.get("frame_ancestors", ()),
        g.get("media_origin"),
    )
    for name, value in chosen:
        if name.lower() not in present:
            headers.add(name, value)  # known absent: appended, without a search for a copy
        elif private and name == "Referrer-Policy":
            headers[name] = value
    if private:
        headers["Cache-Control"] = "no-store"
    return response


def _refuse_nul_characters() -> None:
    """No text we store may hold a NUL (PostgreSQL refuses it): such a request is a 400 at the edge."""
    if "\x00" in request.path:
        abort(400)
    for values in (request.args, request.form if request.method == "POST" else None):
        if values and any("\x00" in value for _, value in values.items(multi=True)):
            abort(400)


def init_app(app: Flask) -> None:
    """Refuse unstorable input, and attach the header policy (HSTS when configured) to every response."""
    app.extensions[EXTENSION_KEY] = HeaderPolicy(app.config.get("STRICT_TRANSPORT_SECURITY"))
    app.before_request(_refuse_nul_characters)
    app.after_request(_set_headers)
