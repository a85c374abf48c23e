"""The brand and the texts of the public pages: defaults, overridden by what marketers publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_BRAND: dict[str, Any] = {
    "company_name": "Kestrel Mobility",
    "tagline": "Electric bikes and the service network behind them",
    "logo_url": None,
    "primary_color": "#0b5d4b",
    "accent_color": "#f2b134",
    "text_color": "#1d2420",
    "background_color": "#f7f6f2",
    "font": "system",
    "radius": 10,
    "button_style": "solid",
}

DEFAULT_TEXTS: dict[str, str] = {
    "home_heading": "Build the way cities move",
    "home_intro": "We design, build and service electric bikes in six European cities. "
    "Find a role below; every application includes a short AI video interview you take "
    "right here, at a time that suits you.",
    "home_empty": "There are no open positions right now. New roles appear here first — please check back soon.",
    "home_no_match": "No positions match your search. Try fewer words or clear the filters.",
    "job_apply_label": "Apply for this position",
    "job_how_it_works": "Apply with your résumé. If your profile fits, you take a short video "
    "interview with our AI interviewer straight away, on this site, in the position's language. "
    "It takes about 15–20 minutes; have a camera and a microphone ready.",
    "apply_heading": "Apply",
    "apply_intro": "It takes two minutes. Fields marked required must be filled in.",
    "consent_text": "I agree that Kestrel Mobility shares my application, including my résumé, "
    "with JobMojito, its interview platform, to screen it and run my video interview.",
    "progress_heading": "Thank you — we have your application",
    "progress_intro": "We are preparing your interview. This page updates by itself.",
    "progress_slow": "This is taking longer than usual. Your application is saved: you can close "
    "this page and come back later with the same link.",
    "interview_heading": "Your interview",
    "interview_intro": "Allow your camera and microphone when your browser asks. Take your time: "
    "you can think before answering each question.",
    "review_heading": "Your application is being reviewed",
    "review_body": "A recruiter will look at your application shortly. Keep this link: when they "
    "confirm, your interview appears on this page.",
    "rejected_heading": "Thank you for applying",
    "rejected_body": "We have read your application carefully. We will not be moving forward with "
    "it for this position, but we would be glad to see you apply for another role.",
    "failed_heading": "We have your application",
    "failed_body": "We could not prepare your interview yet because our interview platform is "
    "unavailable. Your application is safe with us and our recruiters will contact you.",
    "finished_heading": "Thank you — your interview is complete",
    "finished_body": "Our team will review your interview and get back to you by e-mail.",
    "already_applied_body": "You have already applied for this position. Continue your interview below.",
    "footer_text": "© Kestrel Mobility. All rights reserved.",
}


@dataclass(frozen=True)
class SiteContent:
    """What the public pages show: brand tokens and texts, optionally per position."""

    version: str = "default"
    brand: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_BRAND))
    texts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TEXTS))
    custom_css: str = ""

    def text(self, key: str) -> str:
        """A text by key, falling back to the default."""
        return self.texts.get(key) or DEFAULT_TEXTS.get(key, "")


DEFAULT_CONTENT = SiteContent()


def current_content() -> SiteContent:
    """The content that is live now."""
    return DEFAULT_CONTENT
