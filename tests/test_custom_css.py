"""Custom CSS: scoped to the careers pages, kept away from the form, unable to load or run anything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from webapp.services.custom_css import MAX_OUTPUT_CHARS, MAX_SOURCE_CHARS, sanitize_css
from webapp.services.custom_css_selectors import RESERVED_PROPERTIES, SHIELD

SITE_CSS = Path(__file__).resolve().parents[1] / "static" / "site.css"


def served(rules: str) -> str:
    """The stylesheet text for ``rules``: in the custom layer, every subject shielded ({x})."""
    return "@layer custom {\n" + rules.replace("{x}", SHIELD) + "\n}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("h1 { color: #123456 }", ".site h1{x} { color: #123456; }"),
        (
            ".hero, .job-card h3 a:hover { color: red }",
            ".site .hero{x}, .site .job-card h3 a:hover{x} { color: red; }",
        ),
        (
            ".site .hero { color: red }",
            ".site .hero{x} { color: red; }",
        ),  # already scoped: not doubled
        (
            ".site-header { background: #000 }",
            ".site .site-header{x} { background: #000; }",
        ),  # a different class
        (
            "main > section + p ~ ul { margin-top: 2rem }",
            ".site main > section + p ~ ul{x} { margin-top: 2rem; }",
        ),
        ("li:nth-child(odd) { padding: 4px }", ".site li:nth-child(odd){x} { padding: 4px; }"),
        (
            "p::first-letter { font-size: 2em }",
            ".site p{x}::first-letter { font-size: clamp(0.75rem, 2em, 6rem); }",
        ),
        (
            "h2 { --accent-2: #ff00aa; color: var(--accent-2) }",
            ".site h2{x} { --accent-2: #ff00aa; color: var(--accent-2); }",
        ),
        (
            ".hero { background: linear-gradient(90deg, rgb(0 0 0 / 50%), #fff) }",
            ".site .hero{x} { background: linear-gradient(90deg, rgb(0 0 0 / 50%), #fff); }",
        ),
        (
            '.hero { background-image: url("/static/hero.png") }',
            '.site .hero{x} { background-image: url("/static/hero.png"); }',
        ),
        (
            ".hero { background-image: url(/brand/logo-ab12.png) }",
            ".site .hero{x} { background-image: url(/brand/logo-ab12.png); }",
        ),
        ("/* a comment </style> */ h1 { color: red }", ".site h1{x} { color: red; }"),
        (
            "@media (min-width: 40rem) { h1 { font-size: 3rem } }",
            "@media (min-width: 40rem) {\n  .site h1{x} { font-size: 3rem; }\n}",
        ),
        (
            "@media print, screen and (max-width: 600px) { p { color: #000 } }",
            "@media print, screen and (max-width: 600px) {\n  .site p{x} { color: #000; }\n}",
        ),
        (
            ".job-card h3 a:hover { text-decoration: underline; color: #123 }",
            ".site .job-card h3 a:hover{x} { text-decoration: underline; color: #123; }",
        ),
        (
            "h1 { margin: 0 auto 1.5rem; line-height: 1.2 }",
            ".site h1{x} { margin: 0 auto 1.5rem; line-height: 1.2; }",
        ),
        (
            ".hero { max-width: 46rem; min-height: 20rem }",
            ".site .hero{x} { max-width: 46rem; min-height: 20rem; }",
        ),
        (".hero h1 { letter-spacing: -0.01em }", ".site .hero h1{x} { letter-spacing: -0.01em; }"),
    ],
)
def test_safe_css_is_kept_and_scoped_under_the_site_wrapper(source: str, expected: str) -> None:
    clean = sanitize_css(source)
    assert clean.css == served(expected)
    assert clean.dropped == ()


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        # Outside the careers pages
        ("body { background: red }", "not page content"),
        ("html, :root { color: red }", "not page content"),
        # The application form, its fields, buttons, the honeypot and the frame
        (".apply-form { border: 0 }", "application form"),
        ("input { border: 0 }", "not page content"),
        ("button { color: red }", "not page content"),
        ("form p { color: red }", "not page content"),
        ("label { color: red }", "not page content"),
        ("select, textarea { color: red }", "not page content"),
        (".trap { margin: 0 }", "application form"),
        (".button-primary { background: pink }", "a button"),
        (".button { background: pink }", "a button"),
        (".interview-frame { border: 0 }", "interview frame"),
        ("iframe { border: 0 }", "not page content"),
        (".field label { color: red }", "application form"),
        ("[type=file] { color: red }", "attribute selectors"),
        ('input[value^="a"] { background: url(/static/a.png) }', "not page content"),
        ('.hero[data-x^="a"] { background: url(/static/a.png) }', "attribute selectors"),
        ("#resume_file { color: red }", "id selectors"),
        ("* { color: red }", "universal selector"),
        ("main *:hover { color: red }", "universal selector"),
        ("p:not(.x) { color: red }", "pseudo-class is not allowed"),
        ("main:has(input) { color: red }", "pseudo-class is not allowed"),
        ("p::before { color: red }", "::first-letter"),
        ("> p { color: red }", "must stand between two selectors"),
        ("p > { color: red }", "must stand between two selectors"),
        ("p > > a { color: red }", "must stand between two selectors"),
        # Properties that could hide, move or cover what candidates need, or run code
        ("h1 { display: none }", "only visual properties"),
        ("main { position: fixed }", "only visual properties"),
        ("p { visibility: hidden }", "only visual properties"),
        ("h1 { content: 'x' }", "only visual properties"),
        ("h1 { behavior: url(x.htc) }", "only visual properties"),
        ("h1 { -moz-binding: url(x.xml#y) }", "only visual properties"),
        ("h1 { width: expression(alert(1)) }", "only visual properties"),
        ("h1 { color: expression(alert(1)) }", "function expression() is not allowed"),
        ("h1 { color: \\65 xpression(alert(1)) }", "function expression() is not allowed"),
        ("h1 { background: url(https://evil.example/x.png) }", "url() may only point"),
        ('h1 { background: url("//evil.example/x.png") }', "url() may only point"),
        ('h1 { background: url("javascript:alert(1)") }', "url() may only point"),
        ('h1 { background: url("/static/../admin") }', "url() may only point"),
        ('h1 { background: url("data:image/svg+xml;base64,PHN2Zz4=") }', "url() may only point"),
        ('h1 { background: image-set("/static/a.png" 1x) }', "function image-set() is not allowed"),
        ('h1 { font-family: "</style><script>alert(1)</script>" }', "“<” and backslashes"),
        # At-rules
        ("@import url(https://evil.example/x.css);", "only @media"),
        ('@import "/static/site.css";', "only @media"),
        ("@font-face { font-family: x; src: url(https://fonts.example/x.woff2) }", "only @media"),
        ("@keyframes spin { to { color: red } }", "only @media"),
        ("@namespace svg url(http://www.w3.org/2000/svg);", "only @media"),
        ("@media print { @media screen { p { color: red } } }", "nested at-rules"),
        ("@media (min-width: expression(1)) { p { color: red } }", "media query is not allowed"),
        # Ways to hide the form without naming it
        (".site { --text: transparent }", "come from the brand kit"),
        ("main { --surface: #000; --brand: #fff; --on-brand: #fff }", "come from the brand kit"),
        ("section { font: 0/0 a }", "font-family, font-size"),
        ("section { margin-top: var(--m) }", "var() cannot be used"),
        ("section { font-size: smaller }", "not a value"),
        ("section { padding: 2qq }", "unit “qq” is not allowed"),
        ("section { margin-top: 3 }", "need a unit"),
        (".apply:hover { margin-left: 8rem }", "only colours may change"),
        ("main:focus-within { font-size: 2rem }", "only colours may change"),
        (".lead:active { border-style: solid }", "only colours may change"),
        ("section { text-decoration: line-through 2px }", "inline text"),
        (".lead { text-decoration: underline }", "inline text"),
        (
            "section { transform: translateX(-300vw); opacity: 0; clip-path: inset(50%) }",
            "only visual",
        ),
        ("main { filter: opacity(0); z-index: 9; height: 0; overflow: hidden }", "only visual"),
        ("main { columns: 40; text-indent: -9999px; max-height: 0 }", "only visual"),
    ],
)
def test_unsafe_css_is_dropped_with_a_reason(source: str, reason: str) -> None:
    clean = sanitize_css(source)
    assert reason in " ".join(clean.dropped)
    assert clean.css == ""


def test_a_partly_bad_rule_keeps_its_good_parts() -> None:
    clean = sanitize_css(".hero h1, .apply-form input { color: #112233; display: none; margin: 0 }")
    assert clean.css == served(".site .hero h1{x} { color: #112233; margin: 0; }")
    assert len(clean.dropped) == 2


def test_an_attempt_to_close_the_style_element_never_reaches_the_output() -> None:
    source = '</style><script>alert(1)</script><style>\nh1 { color: red }\np { font-family: "</style>" }\nh2 { color: blue }'
    clean = sanitize_css(source)
    assert "<" not in clean.css
    assert served(".site h2{x} { color: blue; }").split("\n")[1] in clean.css


def test_every_selector_of_the_output_is_under_the_wrapper() -> None:
    source = "h1, .hero, main p { color: red } @media (min-width: 1px) { ul li, .job-card { color: blue } }"
    css = sanitize_css(source).css
    selectors = [
        part.strip()
        for line in css.splitlines()
        if "{" in line and not line.startswith("@")
        for line in [line.replace(SHIELD, "")]
        for part in line.split("{")[0].split(",")
    ]
    assert selectors and all(selector.startswith(".site ") for selector in selectors)
    assert css.count(SHIELD) == 5


def test_very_long_css_is_cut_and_says_so() -> None:
    rule = "h1 { color: red }\n"
    clean = sanitize_css(rule * (MAX_SOURCE_CHARS // len(rule) + 50))
    assert "Only the first" in clean.dropped[0]


@pytest.mark.parametrize(
    "source", ["", "   ", "/* only a comment */", "garbage {{{", "}}}", "h1 {", "@media"]
)
def test_empty_or_broken_css_never_raises(source: str) -> None:
    assert "<" not in sanitize_css(source).css


@pytest.mark.parametrize(
    ("source", "kept", "note"),
    [
        ("section { margin: -9999px }", "margin: 0rem;", "margins stay between 0 and 8rem"),
        ("h1 { margin-bottom: -2rem }", "margin-bottom: 0rem;", "margins stay"),
        ("main { padding: 99999px 0 0 5000px }", "padding: 8rem 0 0 8rem;", "paddings stay"),
        ("section { font-size: 0 }", "font-size: 0.75rem;", "0.75rem (12px)"),
        ("section { font-size: 1px }", "font-size: 0.75rem;", "0.75rem (12px)"),
        ("section { font-size: x-small }", "font-size: 0.75rem;", "0.75rem (12px)"),
        ("h1 { font-size: 900px }", "font-size: 6rem;", "6rem"),
        ("section { line-height: 0 }", "line-height: 1;", "line height"),
        ("section { line-height: 0.2em }", "line-height: 1em;", "line height"),
        ("section { line-height: 10% }", "line-height: 100%;", "line height"),
        ("section { letter-spacing: 500px }", "letter-spacing: 0.5rem;", "letter spacing"),
        ("section { letter-spacing: -1em }", "letter-spacing: -0.05em;", "letter spacing"),
        ("section { word-spacing: 9999px }", "word-spacing: 1rem;", "word spacing"),
        ("section { border: 9999px solid #fff }", "border: 0.5rem solid #fff;", "0.5rem wide"),
        ("section { border-left-width: 90px }", "border-left-width: 0.5rem;", "0.5rem wide"),
        ("section { max-width: 1px }", "max-width: 20rem;", "20rem or more"),
        ("h1 { min-height: 99999px }", "min-height: 48rem;", "48rem or less"),
        (".site { gap: 9999px }", "gap: 6rem;", "gaps stay"),
        ("a { text-decoration-thickness: 10em }", "text-decoration-thickness: 0.1em;", "0.125rem"),
        ("a { text-underline-offset: -5em }", "text-underline-offset: 0em;", "below the text"),
    ],
)
def test_sizes_out_of_bounds_are_clamped_and_the_marketer_is_told(
    source: str, kept: str, note: str
) -> None:
    clean = sanitize_css(source)
    assert kept in clean.css
    assert len(clean.dropped) == 1 and "changed" in clean.dropped[0] and note in clean.dropped[0]


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("section { margin-left: -200vw }", "margin-left: clamp(0rem, -200vw, 8rem);"),
        ("section { padding-top: 400vh }", "padding-top: clamp(0rem, 400vh, 8rem);"),
        ("section { font-size: 1% }", "font-size: clamp(0.75rem, 1%, 6rem);"),
        (
            "section { margin-top: calc(-100vh * 50) }",
            "margin-top: clamp(0rem, calc(-100vh * 50), 8rem);",
        ),
        ("section { max-width: 10% }", "max-width: max(20rem, 10%);"),
        ("h1 { min-height: 100vh }", "min-height: clamp(0rem, 100vh, 48rem);"),
    ],
)
def test_sizes_the_browser_works_out_are_bounded_by_the_browser(source: str, kept: str) -> None:
    assert kept in sanitize_css(source).css


def test_important_is_left_out_and_the_marketer_is_told() -> None:
    clean = sanitize_css("h2 { color: red !important }")
    assert clean.css == served(".site h2{x} { color: red; }")
    assert "!important" in clean.dropped[0]


def test_no_rule_can_match_the_form_or_anything_inside_it() -> None:
    css = sanitize_css("div, p, span, section div, main p::first-line { color: red }").css
    rule = css.split("\n")[1]
    selectors = rule.split(" { ")[0].split(", .site")
    assert len(selectors) == 5 and rule.count(SHIELD) == 5
    for name in (".apply-form", ".error-summary", ".interview-frame", ".button"):
        assert f"{name}, {name} *" in SHIELD
    assert "p" + SHIELD + "::first-line" in rule


def test_every_token_the_site_reads_is_reserved() -> None:
    text = SITE_CSS.read_text()
    used = set(re.findall(r"var\((--[a-z-]+)", text)) | set(re.findall(r"(--[a-z-]+):", text))
    assert used and used <= RESERVED_PROPERTIES


def test_the_site_declares_the_custom_layer_after_its_own_and_keeps_the_form_unlayered() -> None:
    text = SITE_CSS.read_text()
    assert "@layer base, custom;" in text
    protected = text[text.index("/* Unlayered") :]  # after the base layer closes
    for rule in (".apply-form {", ".site > main {", ".apply, .interview {", ".interview-frame {"):
        assert rule in protected, rule


def test_the_served_stylesheet_stays_light() -> None:
    clean = sanitize_css("p { color: red }\n" * 1200)
    assert len(clean.css) <= MAX_OUTPUT_CHARS + 40
    assert "too heavy for phones" in clean.dropped[-1]
