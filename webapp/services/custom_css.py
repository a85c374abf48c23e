"""Marketers' custom CSS made safe: scoped under ``.site``, the form left alone, no outside URLs.

The CSS is parsed (tinycss2) and rebuilt from what passed, never patched as text, so comments,
escapes and odd spacing cannot smuggle anything through. What is kept:

* qualified rules whose selectors use plain elements of page content, classes, combinators and a
  few pseudo-classes; every selector is prefixed with ``.site`` (the public pages' wrapper), so
  nothing reaches the admin, the preview bar or anything outside the careers pages;
* ``@media`` blocks holding such rules;
* declarations of visual properties (colour, background, border, type, spacing, shadows) whose
  values use only a short list of functions, and ``url()`` only for our own ``/static/`` and
  ``/brand/`` files or small raster ``data:`` images.

What is dropped, each with a reason the studio shows: every other at-rule (``@import``,
``@font-face``, ``@keyframes`` ...), selectors touching the application form, its fields, the
honeypot, buttons or the interview frame, universal, id and attribute selectors (attribute
selectors are how CSS reads form values out), and layout properties (``display``, ``position``,
``visibility``, ``content``, sizes ...) with which a rule could hide or cover what candidates need.
Buttons take their look from the brand kit (colours, radius, button style) instead.

Hiding the form without naming it is closed too: no selector matches the form, the error summary,
the interview frame, buttons or anything inside them (custom_css_selectors); sizes and spacing stay
within bounds, and are clamped with a note when they do not (custom_css_limits); on :hover and
:focus only colours change; the site's colour and type tokens cannot be redefined; line decorations
are for inline text only; ``!important`` is left out. The result is served in ``@layer custom``, so
the unlayered rules at the end of static/site.css (the form's ancestors' width and side spacing,
everything the form would inherit) always win. tests/test_custom_css_browser.py proves it in Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import tinycss2
from tinycss2 import ast

from webapp.services.custom_css_limits import LIMITS, CssRejected, bounded_value
from webapp.services.custom_css_selectors import RESERVED_PROPERTIES, SHIELD, scoped_selector

LAYER = (
    "custom"  # declared after "base" in static/site.css; the site's protective rules are unlayered
)
MAX_SOURCE_CHARS = 20_000
MAX_OUTPUT_CHARS = 24_000  # the served stylesheet stays light enough for phones

_SIDES = "top right bottom left block inline block-start block-end inline-start inline-end".split()
_PAINT = frozenset(
    "color background background-color background-image background-position background-size"
    " background-repeat background-clip background-origin border-color border-radius"
    " border-top-left-radius border-top-right-radius border-bottom-left-radius"
    " border-bottom-right-radius box-shadow text-shadow text-decoration text-decoration-color"
    " text-decoration-style text-decoration-thickness text-underline-offset transition"
    " accent-color".split()
    + [f"border-{side}-color" for side in _SIDES]
)
ALLOWED_PROPERTIES = _PAINT | frozenset(
    "border border-style border-width font-family font-size font-style font-weight font-variant"
    " line-height letter-spacing word-spacing text-align text-transform text-wrap margin padding"
    " max-width min-height gap row-gap column-gap list-style list-style-type"
    " list-style-position".split()
    + [f"border-{side}{part}" for side in _SIDES for part in ("", "-style", "-width")]
    + [f"margin-{side}" for side in _SIDES]
    + [f"padding-{side}" for side in _SIDES]
)
ALLOWED_FUNCTIONS = frozenset(
    "rgb rgba hsl hsla hwb lab lch oklab oklch color-mix var calc min max clamp linear-gradient"
    " radial-gradient conic-gradient repeating-linear-gradient repeating-radial-gradient url".split()
)
_LOCAL_URL = re.compile(r"^/(static|brand)/[A-Za-z0-9._/-]+$")
_DATA_URL = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$")


@dataclass(frozen=True)
class CleanCss:
    """The CSS that is served, and what was dropped from the source and why."""

    css: str
    dropped: tuple[str, ...] = ()


_Rejected = CssRejected
_LINES = frozenset({"underline", "overline", "line-through", "blink"})
# What a rule on :hover or :focus may not change: anything that moves or resizes boxes or text.
_GEOMETRY = (frozenset(LIMITS) - {"text-decoration", "text-decoration-thickness", "text-underline-offset"}) | {
    "font-family", "font-style", "font-weight", "font-variant", "text-transform", "text-wrap",
    "list-style", "list-style-position", "border-style",
    *(f"border-{side}-style" for side in _SIDES),
}  # fmt: skip


def _short(tokens: Sequence[ast.Node] | str, limit: int = 70) -> str:
    text = tokens if isinstance(tokens, str) else tinycss2.serialize(tokens)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split_commas(tokens: Iterable[ast.Node]) -> list[list[ast.Node]]:
    parts: list[list[ast.Node]] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _check_url(url: str) -> None:
    if not (_LOCAL_URL.match(url) and ".." not in url) and not _DATA_URL.match(url):
        raise _Rejected(
            "url() may only point to this site's /static/ or /brand/ files or a small data: image"
        )


def _check_value(tokens: Iterable[ast.Node]) -> None:
    for token in tokens:
        kind = token.type
        if kind == "function":
            if token.lower_name not in ALLOWED_FUNCTIONS:
                raise _Rejected(f"the function {token.name}() is not allowed")
            if token.lower_name == "url":
                strings = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
                if len(strings) != 1 or strings[0].type != "string":
                    raise _Rejected("url() needs one quoted address")
                _check_url(strings[0].value)
            else:
                _check_value(token.arguments)
        elif kind == "url":
            _check_url(token.value)
        elif kind in ("() block", "[] block"):
            _check_value(token.content)
        elif kind in ("{} block", "at-keyword", "bad-url", "bad-string", "error"):
            raise _Rejected("this value syntax is not allowed")
        elif kind in ("string", "ident") and ("<" in token.value or "\\" in token.value):
            raise _Rejected("“<” and backslashes are not allowed in values")


def _declaration(
    name: str, item: ast.Declaration, dynamic: bool, inline: bool
) -> tuple[str, str | None]:
    """The value to keep for one declaration, and a note when it was changed; raises _Rejected."""
    value = " ".join(tinycss2.serialize(item.value).split())
    if name.startswith("--"):
        if not re.fullmatch(r"--[a-z0-9-]{1,40}", name):
            raise _Rejected("custom property names use letters, digits and dashes")
        if name in RESERVED_PROPERTIES:
            raise _Rejected(
                "the site's own colour and type settings come from the brand kit (choose another name)"
            )
    elif name == "font":
        raise _Rejected(
            "write font-family, font-size, font-weight and line-height separately, so sizes can be checked"
        )
    elif name not in ALLOWED_PROPERTIES:
        raise _Rejected(
            "only visual properties (colours, backgrounds, borders, type, spacing) are allowed"
        )
    if not value:
        raise _Rejected("the value is empty")
    _check_value(item.value)
    if "<" in value:
        raise _Rejected("“<” is not allowed")
    if dynamic and name in _GEOMETRY:
        raise _Rejected(
            "on :hover, :focus and :active only colours may change (sizes would move the page"
            " under the pointer)"
        )
    words = {token.lower_value for token in item.value if token.type == "ident"}
    if name == "text-decoration" and words & _LINES and not inline:
        raise _Rejected(
            "underlines and strike-throughs are for inline text (a, span, em …): on a block they"
            " would run through everything inside it, the application form included"
        )
    return bounded_value(name, item.value)


def _declarations(
    content: list[ast.Node], where: str, dropped: list[str], dynamic: bool, inline: bool
) -> list[str]:
    kept = []
    for item in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration":
            dropped.append(f"{where}: a part that is not a “property: value” pair was dropped.")
            continue
        name = item.lower_name
        written = _short(name + ": " + " ".join(tinycss2.serialize(item.value).split()))
        try:
            value, why = _declaration(name, item, dynamic, inline)
        except _Rejected as reason:
            dropped.append(f"{where}: dropped “{written}” — {reason}.")
            continue
        if why:
            dropped.append(
                f"{where}: changed “{written}” to “{_short(name + ': ' + value)}” — {why}."
            )
        if item.important:
            dropped.append(
                f"{where}: “!important” left out of “{written}” — custom CSS already overrides the"
                " site's look, and never the application form's."
            )
        kept.append(f"{name}: {value};")
    return kept


def _qualified_rule(rule: ast.QualifiedRule, dropped: list[str]) -> str | None:
    selectors, dynamic, inline = [], False, True
    for tokens in _split_commas(rule.prelude):
        try:
            selector, on_state, inline_subject = scoped_selector(list(tokens))
        except _Rejected as reason:
            dropped.append(f"Dropped the selector “{_short(tokens)}” — {reason}.")
            continue
        selectors.append(selector)
        dynamic = dynamic or on_state
        inline = inline and inline_subject
    if not selectors:
        return None
    where = _short(", ".join(selector.replace(SHIELD, "") for selector in selectors), 50)
    declarations = _declarations(rule.content, where, dropped, dynamic, inline)
    if not declarations:
        return None
    return f"{', '.join(selectors)} {{ {' '.join(declarations)} }}"


def _media_prelude(tokens: list[ast.Node]) -> str:
    for token in tokens:
        if token.type == "() block":
            for inner in token.content:
                if inner.type not in (
                    "ident",
                    "whitespace",
                    "number",
                    "dimension",
                    "percentage",
                ) and not (inner.type == "literal" and inner.value in (":", "/")):
                    raise _Rejected("this media query is not allowed")
        elif token.type not in ("ident", "whitespace") and not (
            token.type == "literal" and token.value == ","
        ):
            raise _Rejected("this media query is not allowed")
    prelude = " ".join(tinycss2.serialize(tokens).split())
    if not prelude:
        raise _Rejected("the media query is empty")
    return prelude


def _rules(nodes: list[ast.Node], dropped: list[str], inside_media: bool = False) -> list[str]:
    out = []
    for node in nodes:
        if node.type == "qualified-rule":
            rule = _qualified_rule(node, dropped)
            if rule:
                out.append(rule)
        elif (
            node.type == "at-rule"
            and node.lower_at_keyword == "media"
            and not inside_media
            and node.content is not None
        ):
            try:
                prelude = _media_prelude(list(node.prelude))
            except _Rejected as reason:
                dropped.append(f"Dropped @media {_short(node.prelude)} — {reason}.")
                continue
            inner = _rules(
                tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True),
                dropped,
                True,
            )
            if inner:
                out.append(f"@media {prelude} {{\n  " + "\n  ".join(inner) + "\n}")
        elif node.type == "at-rule":
            why = "nested at-rules are not allowed" if inside_media else "only @media is allowed"
            dropped.append(f"Dropped @{node.at_keyword} — {why}.")
        else:
            dropped.append("Dropped a part that could not be read as CSS.")
    return out


def sanitize_css(source: str) -> CleanCss:
    """The safe CSS for ``source``, and what was dropped."""
    if not source or not source.strip():
        return CleanCss("")
    dropped: list[str] = []
    if len(source) > MAX_SOURCE_CHARS:
        dropped.append(f"Only the first {MAX_SOURCE_CHARS:,} characters are used.")
        source = source[:MAX_SOURCE_CHARS]
    nodes = tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True)
    rules, size = [], 0
    for rule in _rules(nodes, dropped):
        size += len(rule) + 1
        if size > MAX_OUTPUT_CHARS:
            dropped.append(
                f"Rules from “{_short(rule, 40)}” on were not used: the stylesheet would weigh more"
                f" than {MAX_OUTPUT_CHARS // 1000} KB, too heavy for phones."
            )
            break
        rules.append(rule)
    # In the "custom" layer: the site's unlayered rules for the form and its surroundings win.
    css = f"@layer {LAYER} {{\n" + "\n".join(rules) + "\n}" if rules else ""
    # The rebuild above cannot produce these; checked anyway because this text lands in a stylesheet.
    if "</" in css or "<!" in css:
        return CleanCss("", (*dropped, "Everything was dropped: the CSS contained “</”."))
    return CleanCss(css, tuple(dropped))
