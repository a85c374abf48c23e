"""Brand tokens turned into CSS custom properties, validated so no token can inject CSS."""

from __future__ import annotations

import re
from typing import Any

from webapp.services.site import DEFAULT_BRAND, SiteContent

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Bundled fonts only (served from /static/fonts); no font CDNs.
FONTS: dict[str, str] = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    "serif": 'Georgia, "Iowan Old Style", "Times New Roman", serif',
    "rounded": '"Nunito", system-ui, sans-serif',
    "mono": 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
}
BUTTON_STYLES = ("solid", "outline", "pill")


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
    return "#ffffff" if contrast_ratio(background, "#ffffff") >= contrast_ratio(background, "#111111") else "#111111"


def theme_css(content: SiteContent) -> str:
    """The theme stylesheet for the given content."""
    brand = content.brand
    primary = _colour(brand, "primary_color")
    accent = _colour(brand, "accent_color")
    text = _colour(brand, "text_color")
    background = _colour(brand, "background_color")
    font = FONTS.get(str(brand.get("font")), FONTS["system"])
    try:
        radius = max(0, min(24, int(brand.get("radius", 10))))
    except (TypeError, ValueError):
        radius = 10
    button = brand.get("button_style") if brand.get("button_style") in BUTTON_STYLES else "solid"
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
        lines.append(".button-primary { background: transparent; color: var(--brand); border-color: var(--brand); }")
    if content.custom_css:
        lines.append(content.custom_css)
    return "\n".join(lines) + "\n"
