"""The camera check's explanations, one per failure, and how to allow the devices per browser."""

from __future__ import annotations

from webapp.i18n import N_

# (group, [(key, label, kind, default)]), as the other room texts in ``room_texts``.
PROBLEM_GROUP: tuple[str, list[tuple[str, str, str, str]]] = (
    "Camera check: when something is wrong",
    [
        (
            "problem_denied_heading",
            "Blocked: heading",
            "line",
            N_("Your browser blocked the camera or microphone"),
        ),
        (
            "problem_denied_body",
            "Blocked: text",
            "text",
            N_(
                "That is easy to change. Allow the camera and microphone for this site, then "
                "choose “Try again”:"
            ),
        ),
        (
            "problem_denied_chrome",
            "Blocked: how to allow in Chrome",
            "text",
            N_(
                "In Chrome: select the icon at the left of the address bar, turn on Camera and "
                "Microphone, then reload the page."
            ),
        ),
        (
            "problem_denied_chrome_phone",
            "Blocked: how to allow in Chrome on a phone",
            "text",
            N_(
                "In Chrome on a phone: tap the icon at the left of the address bar, then "
                "Permissions, and allow Camera and Microphone. On Android, also check Settings → "
                "Apps → Chrome → Permissions."
            ),
        ),
        (
            "problem_denied_edge",
            "Blocked: how to allow in Edge",
            "text",
            N_(
                "In Edge: select the lock icon at the left of the address bar, set Camera and "
                "Microphone to Allow, then reload the page."
            ),
        ),
        (
            "problem_denied_firefox",
            "Blocked: how to allow in Firefox",
            "text",
            N_(
                "In Firefox: select the camera icon in the address bar, clear the “Blocked” "
                "entries, then reload the page and choose Allow."
            ),
        ),
        (
            "problem_denied_firefox_phone",
            "Blocked: how to allow in Firefox on a phone",
            "text",
            N_(
                "In Firefox on a phone: tap the lock icon in the address bar, then allow Camera "
                "and Microphone."
            ),
        ),
        (
            "problem_denied_safari",
            "Blocked: how to allow in Safari on a Mac",
            "text",
            N_(
                "In Safari on a Mac: open Safari → Settings → Websites, choose Camera and "
                "Microphone, and set this site to Allow."
            ),
        ),
        (
            "problem_denied_safari_phone",
            "Blocked: how to allow on an iPhone or iPad",
            "text",
            N_(
                "On an iPhone or iPad: tap “aA” in the address bar, then Website Settings, and "
                "set Camera and Microphone to Allow. Also check Settings → Safari → Camera and "
                "Microphone."
            ),
        ),
        (
            "problem_inapp_heading",
            "In-app browser: heading",
            "line",
            N_("Please open this page in your browser"),
        ),
        (
            "problem_inapp_body",
            "In-app browser: text",
            "text",
            N_(
                "The app you opened this link in does not let pages use the camera. Open the "
                "page in your phone's browser (Safari or Chrome) instead: copy the link below, "
                "or use the app's menu (“Open in browser”)."
            ),
        ),
        ("problem_copy_link", "In-app browser: copy button", "line", N_("Copy the link")),
        (
            "problem_copied",
            "In-app browser: link copied",
            "line",
            N_("Link copied. Paste it into your browser's address bar."),
        ),
        (
            "problem_copy_failed",
            "In-app browser: copying did not work",
            "line",
            N_("Please copy the address from the app's menu (“Copy link”)."),
        ),
        (
            "problem_notfound_heading",
            "No device: heading",
            "line",
            N_("We could not find a camera or microphone"),
        ),
        (
            "problem_notfound_body",
            "No device: text",
            "text",
            N_(
                "Please connect a camera and a microphone (most headsets have one), or use a "
                "phone or laptop that has them, then choose “Try again”."
            ),
        ),
        (
            "problem_busy_heading",
            "Device busy: heading",
            "line",
            N_("Your camera or microphone is busy"),
        ),
        (
            "problem_busy_body",
            "Device busy: text",
            "text",
            N_(
                "Another app is using it, for example a video call. Close that app (or its "
                "browser tab), then choose “Try again”. If it still does not work, restarting "
                "the browser usually helps."
            ),
        ),
        (
            "problem_insecure_heading",
            "Not a secure page: heading",
            "line",
            N_("This connection cannot use the camera"),
        ),
        (
            "problem_insecure_body",
            "Not a secure page: text",
            "text",
            N_(
                "Browsers allow the camera only on secure (https) pages. Please open your "
                "application from the link in our e-mail, which is secure."
            ),
        ),
        (
            "problem_other_heading",
            "Anything else: heading",
            "line",
            N_("The camera or microphone did not start"),
        ),
        (
            "problem_other_body",
            "Anything else: text",
            "text",
            N_(
                "Please check they are connected and allowed for this site, then choose “Try "
                "again”. You can also open the interview in a new tab, or skip this check."
            ),
        ),
    ],
)
