"""One SMTP connection from the settings, and failures sorted into "retry", "outage" and "refused"."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, repr=False)
class SmtpSettings:
    """Where and how to hand e-mail over; ``repr`` leaves the password out."""

    host: str
    port: int
    security: str
    username: str | None
    password: str | None
    timeout: float

    @classmethod
    def from_config(cls, config: Any) -> SmtpSettings:
        """Read the SMTP_* settings from an app's config."""
        return cls(
            host=str(config["SMTP_HOST"]),
            port=int(config["SMTP_PORT"]),
            security=str(config.get("SMTP_SECURITY") or "none"),
            username=config.get("SMTP_USERNAME") or None,
            password=config.get("SMTP_PASSWORD") or None,
            timeout=float(config.get("SMTP_TIMEOUT") or 10),
        )

    def __repr__(self) -> str:
        return f"SmtpSettings({self.host}:{self.port}, {self.security})"


class MailFailure(Exception):
    """A send that did not happen. ``outage`` means every message would fail the same way;
    ``permanent`` means this message will never be accepted. The text is ours, never the server's."""

    def __init__(self, description: str, *, outage: bool, permanent: bool = False) -> None:
        super().__init__(description)
        self.description = description
        self.outage = outage
        self.permanent = permanent


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, authenticated connection; raises MailFailure (an outage) when it cannot be had."""
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if settings.security == "tls":
            smtp = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        try:
            smtp.ehlo()
            if settings.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.username:
                smtp.login(settings.username, settings.password or "")
        except BaseException:
            smtp.close()
            raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailFailure(
            f"the SMTP server refused our login ({exc.smtp_code}); check SMTP_USERNAME and SMTP_PASSWORD",
            outage=True,
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise MailFailure(
            "the SMTP server does not offer what SMTP_SECURITY or SMTP_USERNAME asks for",
            outage=True,
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailFailure(
            f"cannot reach the SMTP server: {type(exc).__name__}", outage=True
        ) from None
    return smtp


def classify(exc: Exception) -> MailFailure:
    """Sort a failure of one send: refused for good (5xx for this message), or retried later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        permanent = bool(codes) and all(500 <= code < 600 for code in codes)
        return MailFailure(
            f"recipient refused ({', '.join(map(str, codes))})", outage=False, permanent=permanent
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return MailFailure(f"sender refused ({exc.smtp_code}); check MAIL_FROM", outage=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        # 5xx: this message will never pass; 421: the server is going away; other 4xx: try later.
        permanent = 500 <= exc.smtp_code < 600
        return MailFailure(
            f"message refused ({exc.smtp_code})", outage=exc.smtp_code == 421, permanent=permanent
        )
    return MailFailure(f"connection lost while sending: {type(exc).__name__}", outage=True)
