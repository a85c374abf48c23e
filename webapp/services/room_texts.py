"""The texts of the camera check, the "before you start" panel and the interview room."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext, ngettext

from webapp.i18n import N_
from webapp.services.room_problems import PROBLEM_GROUP

# Group name → [(key, label, kind, default)]. Kinds as in the studio: line, text, markdown.
ROOM_GROUPS: list[tuple[str, list[tuple[str, str, str, str]]]] = [
    (
        "Before you start",
        [
            ("before_heading", "Heading", "line", N_("Before you start")),
            (
                "before_expect",
                "What to expect",
                "markdown",
                N_(
                    "Our AI interviewer asks you a few questions, one at a time. You answer on camera, "
                    "and you can think before each answer."
                ),
            ),
            (
                "before_length",
                "How long it takes ({duration} is filled in from the position)",
                "line",
                N_("The interview takes {duration}."),
            ),
            (
                "before_tips",
                "Tips",
                "markdown",
                N_(
                    "- Find a quiet, well-lit place, with the light in front of you.\n"
                    "- Close other apps that may use the camera, such as video calls.\n"
                    "- Take your time: there are no trick questions."
                ),
            ),
            (
                "before_contact",
                "Who to contact",
                "markdown",
                N_("Questions before you start? Write to careers@kestrel.example."),
            ),
        ],
    ),
    (
        "Camera check",
        [
            ("check_heading", "Heading", "line", N_("Check your camera and microphone")),
            (
                "check_intro",
                "Introduction",
                "text",
                N_(
                    "Let's make sure we can see and hear you. Nothing is recorded or sent during "
                    "this check."
                ),
            ),
            (
                "check_video_label",
                "Name of the camera preview (read aloud)",
                "line",
                N_("Your camera preview"),
            ),
            (
                "check_level_label",
                "Microphone level label",
                "line",
                N_("Microphone level (say something)"),
            ),
            ("check_camera", "“Camera”", "line", N_("Camera")),
            ("check_microphone", "“Microphone”", "line", N_("Microphone")),
            ("check_idle", "Device not checked yet", "line", N_("not checked yet")),
            ("check_checking_state", "Device being checked", "line", N_("checking…")),
            ("check_working", "Device works", "line", N_("working")),
            ("check_not_working", "Device does not work", "line", N_("not working")),
            (
                "check_checking",
                "While checking",
                "text",
                N_("Checking your camera and microphone… your browser may ask you to allow them."),
            ),
            (
                "check_ready_interview",
                "All works (interview ready)",
                "text",
                N_("Your camera and microphone work. Start the interview when you are ready."),
            ),
            (
                "check_ready_waiting",
                "All works (interview still being prepared)",
                "text",
                N_(
                    "Your camera and microphone work. We will remember this while your interview "
                    "is prepared."
                ),
            ),
            (
                "check_passed",
                "After “continue” (interview still being prepared)",
                "text",
                N_(
                    "All set: your camera and microphone work. Your interview will appear here "
                    "when it is ready."
                ),
            ),
            (
                "check_skipped",
                "After skipping (interview still being prepared)",
                "text",
                N_("You skipped the check. Your interview will appear here when it is ready."),
            ),
            ("check_start", "Button: start the interview", "line", N_("Start the interview")),
            (
                "check_continue",
                "Button: continue while it is prepared",
                "line",
                N_("All set — continue"),
            ),
            ("check_retry", "Button: try again", "line", N_("Try again")),
            ("check_skip", "Button: skip the check", "line", N_("Skip the check")),
            (
                "check_new_tab",
                "Link: the interview in a new tab",
                "line",
                N_("Open the interview in a new tab"),
            ),
        ],
    ),
    PROBLEM_GROUP,
]

# Texts added to existing studio groups: group → [(key, label, kind, default)].
ROOM_EXTRAS: dict[str, list[tuple[str, str, str, str]]] = {
    "Progress page": [
        ("progress_step_received", "Step 1", "line", N_("Application received")),
        ("progress_step_screening", "Step 2", "line", N_("Screening your résumé")),
        ("progress_step_preparing", "Step 3", "line", N_("Preparing your interview")),
        ("progress_step_ready", "Step 4", "line", N_("Ready")),
        (
            "progress_usual",
            "How long it usually takes",
            "text",
            N_("This usually takes under a minute."),
        ),
        (
            "progress_retrying",
            "When the platform is slow",
            "text",
            N_(
                "The interview platform is slow to answer; we keep trying. Your application is saved."
            ),
        ),
        (
            "progress_verified",
            "E-mail confirmed (while preparing)",
            "text",
            N_(
                "Thank you: your e-mail address is confirmed. Your interview will appear here when it "
                "is ready."
            ),
        ),
    ],
    "Interview page": [
        (
            "room_verified",
            "E-mail confirmed",
            "text",
            N_("Thank you: your e-mail address is confirmed."),
        ),
        (
            "room_incomplete",
            "When the last session was not completed",
            "text",
            N_(
                "Your last interview session was not completed. If you have attempts left, you can "
                "start again below."
            ),
        ),
        (
            "room_unavailable",
            "When the interview is not available yet",
            "text",
            N_("Your interview is not available yet. Please try again in a few minutes."),
        ),
        (
            "room_frame_title",
            "Name of the interview frame, read aloud ({job} is the job title)",
            "line",
            N_("Video interview for {job}"),
        ),
        (
            "room_trouble",
            "Under the frame",
            "text",
            N_(
                "Trouble with your camera or microphone in the frame? Check that your browser allows "
                "them for this site, then reload the page."
            ),
        ),
        ("room_help", "Phone bar: help", "line", N_("Help")),
        ("room_new_tab", "Phone bar: new tab", "line", N_("Open in new tab")),
    ],
}

ROOM_OPTIONAL = frozenset({"before_expect", "before_length", "before_tips", "before_contact"})
ROOM_NOTES = {
    "Before you start": "Shown beside the camera check while the interview is prepared and "
    "before it starts. Empty fields are hidden.",
    "Camera check": "The check of the camera and microphone before the interview frame.",
    "Camera check: when something is wrong": "Each shows only when that problem happens; the "
    "browser lines only in that browser.",
}
# What the check's script shows, handed to it in the page rather than kept in the script.
SCRIPT_TEXTS = (
    "check_camera",
    "check_microphone",
    "check_checking_state",
    "check_working",
    "check_not_working",
    "check_checking",
    "check_ready_interview",
    "check_ready_waiting",
    "check_passed",
    "check_skipped",
    "problem_copied",
    "problem_copy_failed",
)


def room_defaults() -> dict[str, str]:
    """Every room text's default, by key."""
    every = [field for _, fields in ROOM_GROUPS for field in fields]
    every += [field for fields in ROOM_EXTRAS.values() for field in fields]
    return {key: default for key, _, _, default in every}


def interview_length(interview: Mapping[str, Any] | None) -> str:
    """The position's interview length for people ("about 15 minutes"), in the page's language.

    Empty when the length is unset. Each length is one whole message, so a translator can put
    the words in their language's order and plural forms.
    """
    seconds = (interview or {}).get("max_duration")
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds <= 0:
        return ""
    if seconds < 60:
        return gettext("under a minute")
    minutes = -(-seconds // 60)
    if minutes < 60:
        return ngettext("about %(num)d minute", "about %(num)d minutes", minutes)
    hours, rest = divmod(minutes, 60)
    rest = 5 * round(rest / 5)
    if rest in (0, 60):
        return ngettext("about %(num)d hour", "about %(num)d hours", hours + rest // 60)
    return ngettext(
        "about %(num)d hour and %(minutes)d minutes",
        "about %(num)d hours and %(minutes)d minutes",
        hours,
        minutes=rest,
    )


def fill(text: str, **values: str) -> str:
    """A text with its ``{name}`` placeholders filled in (only the names given; nothing else)."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text
