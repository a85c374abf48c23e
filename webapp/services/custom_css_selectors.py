"""Which selectors custom CSS may use, and how each is scoped to the careers pages and kept off the form.

Every selector is prefixed with ``.site`` and its subject gets ``:not(...)`` for the application form,
the error summary, the interview frame and buttons, so no rule reaches them or anything inside them,
whatever element selectors (``div``, ``p``, ``span`` ...) it uses.
"""

from __future__ import annotations

from collections.abc import Sequence

import tinycss2
from tinycss2 import ast

from webapp.services.custom_css_limits import CssRejected as _Rejected

WRAPPER = ".site"
ALLOWED_ELEMENTS = frozenset(
    "a abbr article aside b blockquote code dd div dl dt em figcaption figure footer h1 h2 h3 h4 h5"
    " h6 header hr i img li main nav ol p pre section small span strong sub sup table tbody td th"
    " thead time tr ul".split()
)
# The application form and what lives in it, the steps to the interview (code, camera check, the
# room's bar, a request for an adjustment), the interview frame, and helpers for accessibility.
PROTECTED_CLASSES = frozenset(
    "apply-form field field-error has-error error-summary consent resume req trap interview-frame"
    " code-step preflight room-bar adjustment skip-link visually-hidden preview-bar".split()
)
PROTECTED_CLASS_PREFIXES = ("button", "preview-")
# Lines drawn by text-decoration run through every block inside the element: only inline text gets them.
INLINE_ELEMENTS = frozenset("a abbr b code em i small span strong sub sup time".split())
# Added to the subject of every selector, so no rule matches these blocks or anything inside them,
# whatever element selectors (div, p, span ...) it uses.
SHIELD = ":not({})".format(
    ", ".join(
        f"{name}, {name} *"
        for name in (
            ".apply-form",
            ".error-summary",
            ".interview-frame",
            ".code-step",
            ".preflight",
            ".room-bar",
            ".adjustment",
            ".button",
        )
    )
)
# Tokens the site's own stylesheet reads: custom CSS may not redefine them (they reach the form).
RESERVED_PROPERTIES = frozenset(
    "--brand --on-brand --accent --on-accent --text --bg --muted --line --surface --error --font"
    " --radius --button-radius --room-top".split()
)
PSEUDO_CLASSES = frozenset(
    "hover focus focus-visible focus-within active visited link first-child last-child only-child"
    " first-of-type last-of-type empty".split()
)
# On these, a rule may change colours only: sizes that change under the pointer move the page.
DYNAMIC_PSEUDO_CLASSES = frozenset("hover focus focus-visible focus-within active".split())
PSEUDO_FUNCTIONS = frozenset({"nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type"})
PSEUDO_ELEMENTS = frozenset({"first-letter", "first-line", "marker", "selection"})


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


def scoped_selector(tokens: list[ast.Node]) -> tuple[str, bool, bool]:
    """One selector, checked, prefixed with the wrapper and shielded.

    Also says whether it uses :hover and the like, and whether its subject is an inline element.

    Raises _Rejected.
    """
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
    starts_with_wrapper = dynamic = boundary = False
    subject: str | None = None
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type == "whitespace":
            index += 1
            boundary = True
            continue
        if token.type == "literal" and token.value in (">", "+", "~"):
            if needs_compound:
                raise _Rejected("a combinator must stand between two selectors")
            needs_compound = boundary = True
            index += 1
            continue
        if boundary:
            subject, boundary = None, False
        if token.type == "ident":
            subject = token.lower_value
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
                dynamic = dynamic or following.lower_value in DYNAMIC_PSEUDO_CLASSES
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
    # The shield goes on the subject, before a pseudo-element (selectors hold no strings here).
    head, marker, tail = selector.rpartition("::")
    selector = f"{head}{SHIELD}::{tail}" if marker else f"{selector}{SHIELD}"
    scoped = selector if starts_with_wrapper else f"{WRAPPER} {selector}"
    return scoped, dynamic, subject in INLINE_ELEMENTS
