"""Custom CSS: scoped to the careers pages, kept away from the form, unable to load or run anything."""

from __future__ import annotations

import pytest

from webapp.services.custom_css import MAX_SOURCE_CHARS, sanitize_css


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("h1 { color: #123456 }", ".site h1 { color: #123456; }"),
        (
            ".hero, .job-card h3 a:hover { color: red }",
            ".site .hero, .site .job-card h3 a:hover { color: red; }",
        ),
        (
            ".site .hero { color: red }",
            ".site .hero { color: red; }",
        ),  # already scoped: not doubled
        (
            ".site-header { background: #000 }",
            ".site .site-header { background: #000; }",
        ),  # a different class
        (
            "main > section + p ~ ul { margin-top: 2rem }",
            ".site main > section + p ~ ul { margin-top: 2rem; }",
        ),
        ("li:nth-child(odd) { padding: 4px }", ".site li:nth-child(odd) { padding: 4px; }"),
        ("p::first-letter { font-size: 2em }", ".site p::first-letter { font-size: 2em; }"),
        ("h2 { color: red !important }", ".site h2 { color: red !important; }"),
        (
            "h2 { --accent-2: #ff00aa; color: var(--accent-2) }",
            ".site h2 { --accent-2: #ff00aa; color: var(--accent-2); }",
        ),
        (
            ".hero { background: linear-gradient(90deg, rgb(0 0 0 / 50%), #fff) }",
            ".site .hero { background: linear-gradient(90deg, rgb(0 0 0 / 50%), #fff); }",
        ),
        (
            '.hero { background-image: url("/static/hero.png") }',
            '.site .hero { background-image: url("/static/hero.png"); }',
        ),
        (
            ".hero { background-image: url(/brand/logo-ab12.png) }",
            ".site .hero { background-image: url(/brand/logo-ab12.png); }",
        ),
        ("/* a comment </style> */ h1 { color: red }", ".site h1 { color: red; }"),
        (
            "@media (min-width: 40rem) { h1 { font-size: 3rem } }",
            "@media (min-width: 40rem) {\n  .site h1 { font-size: 3rem; }\n}",
        ),
        (
            "@media print, screen and (max-width: 600px) { p { color: #000 } }",
            "@media print, screen and (max-width: 600px) {\n  .site p { color: #000; }\n}",
        ),
    ],
)
def test_safe_css_is_kept_and_scoped_under_the_site_wrapper(source: str, expected: str) -> None:
    clean = sanitize_css(source)
    assert clean.css == expected
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
    ],
)
def test_unsafe_css_is_dropped_with_a_reason(source: str, reason: str) -> None:
    clean = sanitize_css(source)
    assert reason in " ".join(clean.dropped)
    assert clean.css == ""


def test_a_partly_bad_rule_keeps_its_good_parts() -> None:
    clean = sanitize_css(".hero h1, .apply-form input { color: #112233; display: none; margin: 0 }")
    assert clean.css == ".site .hero h1 { color: #112233; margin: 0; }"
    assert len(clean.dropped) == 2


def test_an_attempt_to_close_the_style_element_never_reaches_the_output() -> None:
    source = '</style><script>alert(1)</script><style>\nh1 { color: red }\np { font-family: "</style>" }\nh2 { color: blue }'
    clean = sanitize_css(source)
    assert "<" not in clean.css
    assert ".site h2 { color: blue; }" in clean.css


def test_every_selector_of_the_output_is_under_the_wrapper() -> None:
    source = "h1, .hero, main p { color: red } @media (min-width: 1px) { ul li, .job-card { color: blue } }"
    css = sanitize_css(source).css
    selectors = [
        part.strip()
        for line in css.splitlines()
        if "{" in line and not line.startswith("@")
        for part in line.split("{")[0].split(",")
    ]
    assert selectors and all(selector.startswith(".site ") for selector in selectors)


def test_very_long_css_is_cut_and_says_so() -> None:
    rule = "h1 { color: red }\n"
    clean = sanitize_css(rule * (MAX_SOURCE_CHARS // len(rule) + 50))
    assert "Only the first" in clean.dropped[0]


@pytest.mark.parametrize(
    "source", ["", "   ", "/* only a comment */", "garbage {{{", "}}}", "h1 {", "@media"]
)
def test_empty_or_broken_css_never_raises(source: str) -> None:
    assert "<" not in sanitize_css(source).css
