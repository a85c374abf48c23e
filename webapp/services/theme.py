"""Brand tokens turned into CSS custom properties, validated so no token can inject CSS."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from webapp.services.site import DEFAULT_BRAND, SiteContent

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Fonts the visitor's system already has: no font CDN, nothing downloaded, no third party told.
FONTS: dict[str, str] = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    "humanist": 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif',
    "geometric": 'Avenir, Montserrat, Corbel, "URW Gothic", source-sans-pro, sans-serif',
    "rounded": 'ui-rounded, "SF Pro Rounded", "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, '
    '"Arial Rounded MT", "Arial Rounded MT Bold", Calibri, source-sans-pro, sans-serif',
    "serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "Iowan Old Style", "Times New Roman", serif',
    "mono": 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace',
}
FONT_LABELS: dict[str, str] = {
    "system": "System sans-serif (default)",
    "humanist": "Humanist sans-serif",
    "geometric": "Geometric sans-serif",
    "rounded": "Rounded sans-serif",
    "serif": "Serif",
    "mono": "Monospace",
}
BUTTON_STYLES = ("solid", "outline", "pill")
BUTTON_STYLE_LABELS = {"solid": "Solid", "outline": "Outline", "pill": "Solid, pill-shaped"}
MAX_RADIUS = 24
WCAG_AA = 4.5


def _colour(brand: dict[str, Any], key: str) -> str:
    value = str(brand.get(key) or "")
    return value if HEX_COLOUR.match(value) else str(DEFAULT_BRAND[key])


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def on_colour(background: str) -> str:
    """Black or white, whichever reads better on the background."""
    return (
        "#ffffff"
        if contrast_ratio(background, "#ffffff") >= contrast_ratio(background, "#111111")
        else "#111111"
    )


@dataclass(frozen=True)
class Tokens:
    """Brand tokens after validation: only values that are safe to write into CSS."""

    primary: str
    accent: str
    text: str
    background: str
    font: str
    radius: int
    button: str


def tokens(brand: dict[str, Any]) -> Tokens:
    """Validate brand values; anything unexpected falls back to the default."""
    try:
        radius = max(0, min(MAX_RADIUS, int(brand.get("radius", 10))))
    except (TypeError, ValueError):
        radius = 10
    return Tokens(
        primary=_colour(brand, "primary_color"),
        accent=_colour(brand, "accent_color"),
        text=_colour(brand, "text_color"),
        background=_colour(brand, "background_color"),
        font=FONTS.get(str(brand.get("font")), FONTS["system"]),
        radius=radius,
        button=str(brand.get("button_style"))
        if brand.get("button_style") in BUTTON_STYLES
        else "solid",
    )


@dataclass(frozen=True)
class ContrastCheck:
    """One pair of colours candidates read together, and whether it meets WCAG AA."""

    label: str
    foreground: str
    background: str
    ratio: float

    @property
    def passes(self) -> bool:
        """At least 4.5:1, WCAG AA for body text."""
        return self.ratio >= WCAG_AA


def contrast_checks(brand: dict[str, Any]) -> list[ContrastCheck]:
    """The colour pairs the public pages use, with their contrast ratios."""
    t = tokens(brand)
    pairs = [
        ("Text on the brand colour (header, buttons)", on_colour(t.primary), t.primary),
        ("Text on the page background", t.text, t.background),
        ("Links (brand colour) on the page background", t.primary, t.background),
        ("Text on white panels and cards", t.text, "#ffffff"),
    ]
    return [
        ContrastCheck(label, fg, bg, round(contrast_ratio(fg, bg), 2)) for label, fg, bg in pairs
    ]


def sample_css(brand: dict[str, Any]) -> str:
    """Brand tokens for the studio's sample card: validated values only, no custom CSS."""
    t = tokens(brand)
    return (
        ".studio-sample {"
        f" --s-brand: {t.primary}; --s-on-brand: {on_colour(t.primary)}; --s-accent: {t.accent};"
        f" --s-text: {t.text}; --s-bg: {t.background}; --s-font: {t.font}; --s-radius: {t.radius}px;"
        f" --s-button-radius: {'999px' if t.button == 'pill' else f'{t.radius}px'};"
        " }\n"
        + (
            ".studio-sample .sample-button { background: transparent; color: var(--s-brand); }\n"
            if t.button == "outline"
            else ""
        )
    )


def theme_css(content: SiteContent) -> str:
    """The theme stylesheet for the given content: tokens, then the sanitised custom CSS."""
    t = tokens(content.brand)
    primary, accent, text, background, font, radius, button = (
        t.primary,
        t.accent,
        t.text,
        t.background,
        t.font,
        t.radius,
        t.button,
    )
    button_radius = "999px" if button == "pill" else f"{radius}px"
    lines = [
        ":root {",
        f"  --brand: {primary};",
        f"  --on-brand: {on_colour(primary)};",
        f"  --accent: {accent};",
        f"  --on-accent: {on_colour(accent)};",
        f"  --text: {text};",
        f"  --bg: {background};",
        f"  --font: {font};",
        f"  --radius: {radius}px;",
        f"  --button-radius: {button_radius};",
        "}",
    ]
    if button == "outline":
        lines.append(
            ".button-primary { background: transparent; color: var(--brand); border-color: var(--brand); }"
        )
    if content.custom_css:
        lines.append(content.custom_css)
    return "\n".join(lines) + "\n"
