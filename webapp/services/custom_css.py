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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import tinycss2
from tinycss2 import ast

WRAPPER = ".site"
MAX_SOURCE_CHARS = 20_000

ALLOWED_ELEMENTS = frozenset(
    [
        "a",
        "abbr",
        "article",
        "aside",
        "b",
        "blockquote",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "i",
        "img",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "time",
        "tr",
        "ul",
    ]
)
# The application form and what lives in it, the interview frame, and helpers for accessibility.
PROTECTED_CLASSES = frozenset(
    [
        "apply-form",
        "field",
        "field-error",
        "has-error",
        "error-summary",
        "consent",
        "resume",
        "req",
        "trap",
        "interview-frame",
        "skip-link",
        "visually-hidden",
        "preview-bar",
    ]
)
PROTECTED_CLASS_PREFIXES = ("button", "preview-")
PSEUDO_CLASSES = frozenset(
    [
        "hover",
        "focus",
        "focus-visible",
        "focus-within",
        "active",
        "visited",
        "link",
        "first-child",
        "last-child",
        "only-child",
        "first-of-type",
        "last-of-type",
        "empty",
    ]
)
PSEUDO_FUNCTIONS = frozenset({"nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type"})
PSEUDO_ELEMENTS = frozenset({"first-letter", "first-line", "marker", "selection"})

_SIDES = (
    "top",
    "right",
    "bottom",
    "left",
    "block",
    "inline",
    "block-start",
    "block-end",
    "inline-start",
    "inline-end",
)
ALLOWED_PROPERTIES = frozenset(
    [
        "color",
        "background",
        "background-color",
        "background-image",
        "background-position",
        "background-size",
        "background-repeat",
        "background-clip",
        "background-origin",
        "border",
        "border-color",
        "border-style",
        "border-width",
        "border-radius",
        "border-top-left-radius",
        "border-top-right-radius",
        "border-bottom-left-radius",
        "border-bottom-right-radius",
        "box-shadow",
        "text-shadow",
        "font",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "font-variant",
        "line-height",
        "letter-spacing",
        "word-spacing",
        "text-align",
        "text-decoration",
        "text-decoration-color",
        "text-decoration-style",
        "text-decoration-thickness",
        "text-underline-offset",
        "text-transform",
        "text-wrap",
        "margin",
        "padding",
        "max-width",
        "min-height",
        "gap",
        "row-gap",
        "column-gap",
        "list-style",
        "list-style-type",
        "list-style-position",
        "transition",
        "accent-color",
        *(f"border-{side}{part}" for side in _SIDES for part in ("", "-color", "-style", "-width")),
        *(f"margin-{side}" for side in _SIDES),
        *(f"padding-{side}" for side in _SIDES),
    ]
)
ALLOWED_FUNCTIONS = frozenset(
    [
        "rgb",
        "rgba",
        "hsl",
        "hsla",
        "hwb",
        "lab",
        "lch",
        "oklab",
        "oklch",
        "color-mix",
        "var",
        "calc",
        "min",
        "max",
        "clamp",
        "linear-gradient",
        "radial-gradient",
        "conic-gradient",
        "repeating-linear-gradient",
        "repeating-radial-gradient",
        "url",
    ]
)
_LOCAL_URL = re.compile(r"^/(static|brand)/[A-Za-z0-9._/-]+$")
_DATA_URL = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$")


@dataclass(frozen=True)
class CleanCss:
    """The CSS that is served, and what was dropped from the source and why."""

    css: str
    dropped: tuple[str, ...] = ()


class _Rejected(ValueError):
    """One piece of CSS that is not kept; the message says why, for the marketer."""


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


def _check_class(name: str) -> None:
    lowered = name.lower()
    if lowered in PROTECTED_CLASSES or lowered.startswith(PROTECTED_CLASS_PREFIXES):
        raise _Rejected(
            "it targets the application form, a button or the interview frame, which stay as they are"
        )


def _check_nth(arguments: Sequence[ast.Node]) -> None:
    for token in arguments:
        if token.type not in ("number", "dimension", "ident", "whitespace") and not (
            token.type == "literal" and token.value in "+-"
        ):
            raise _Rejected("only simple :nth-child() arguments such as 2n+1 are allowed")


def _scoped_selector(tokens: list[ast.Node]) -> str:
    """One selector, checked and prefixed with the wrapper; raises _Rejected."""
    while tokens and tokens[0].type == "whitespace":
        tokens.pop(0)
    while tokens and tokens[-1].type == "whitespace":
        tokens.pop()
    if not tokens:
        raise _Rejected("the selector is empty")
    index, needs_compound = (
        0,
        True,
    )  # at the start, and after > + ~, a compound selector must follow
    starts_with_wrapper = False
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type == "whitespace":
            index += 1
            continue
        if token.type == "literal" and token.value in (">", "+", "~"):
            if needs_compound:
                raise _Rejected("a combinator must stand between two selectors")
            needs_compound = True
            index += 1
            continue
        if token.type == "ident":
            if token.lower_value not in ALLOWED_ELEMENTS:
                raise _Rejected(
                    f"the element “{token.value}” is not page content custom CSS may style"
                )
            index += 1
        elif (
            token.type == "literal"
            and token.value == "."
            and following is not None
            and following.type == "ident"
        ):
            if index == 0 and following.value == "site":
                starts_with_wrapper = True
            else:
                _check_class(following.value)
            index += 2
        elif token.type == "literal" and token.value == ":":
            if following is not None and following.type == "literal" and following.value == ":":
                name = tokens[index + 2] if index + 2 < len(tokens) else None
                if name is None or name.type != "ident" or name.lower_value not in PSEUDO_ELEMENTS:
                    raise _Rejected(
                        "only ::first-letter, ::first-line, ::marker and ::selection are allowed"
                    )
                index += 3
            elif (
                following is not None
                and following.type == "ident"
                and following.lower_value in PSEUDO_CLASSES
            ):
                index += 2
            elif (
                following is not None
                and following.type == "function"
                and following.lower_name in PSEUDO_FUNCTIONS
            ):
                _check_nth(following.arguments)
                index += 2
            else:
                raise _Rejected(
                    "that pseudo-class is not allowed (:not(), :has() and the like can reach the form)"
                )
        elif token.type == "literal" and token.value == "*":
            raise _Rejected("the universal selector * would reach the form fields")
        elif token.type == "hash":
            raise _Rejected("id selectors are not allowed (the form's fields are found by id)")
        elif token.type == "[] block":
            raise _Rejected("attribute selectors are not allowed (they can read form values)")
        else:
            raise _Rejected("this selector syntax is not allowed")
        needs_compound = False
    if needs_compound:
        raise _Rejected("a combinator must stand between two selectors")
    selector = " ".join(tinycss2.serialize(tokens).split())
    return selector if starts_with_wrapper else f"{WRAPPER} {selector}"


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


def _declarations(content: list[ast.Node], where: str, dropped: list[str]) -> list[str]:
    kept = []
    for item in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration":
            dropped.append(f"{where}: a part that is not a “property: value” pair was dropped.")
            continue
        name = item.lower_name
        value = " ".join(tinycss2.serialize(item.value).split())
        try:
            if name.startswith("--"):
                if not re.fullmatch(r"--[a-z0-9-]{1,40}", name):
                    raise _Rejected("custom property names use letters, digits and dashes")
            elif name not in ALLOWED_PROPERTIES:
                raise _Rejected(
                    "only visual properties (colours, backgrounds, borders, type, spacing) are allowed"
                )
            if not value:
                raise _Rejected("the value is empty")
            _check_value(item.value)
            if "<" in value:
                raise _Rejected("“<” is not allowed")
        except _Rejected as reason:
            dropped.append(f"{where}: dropped “{_short(name + ': ' + value)}” — {reason}.")
            continue
        kept.append(f"{name}: {value}{' !important' if item.important else ''};")
    return kept


def _qualified_rule(rule: ast.QualifiedRule, dropped: list[str]) -> str | None:
    selectors = []
    for tokens in _split_commas(rule.prelude):
        try:
            selectors.append(_scoped_selector(list(tokens)))
        except _Rejected as reason:
            dropped.append(f"Dropped the selector “{_short(tokens)}” — {reason}.")
    if not selectors:
        return None
    where = _short(", ".join(selectors), 50)
    declarations = _declarations(rule.content, where, dropped)
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
    css = "\n".join(_rules(nodes, dropped))
    # The rebuild above cannot produce these; checked anyway because this text lands in a stylesheet.
    if "</" in css or "<!" in css:
        return CleanCss("", (*dropped, "Everything was dropped: the CSS contained “</”."))
    return CleanCss(css, tuple(dropped))
