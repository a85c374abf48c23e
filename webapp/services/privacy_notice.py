"""The privacy notice the site shows until a marketer writes their own: what is kept and why."""

from __future__ import annotations

from webapp.i18n import N_

PRIVACY_DEFAULT = N_(
    """\
This notice explains what this careers site keeps about you when you apply, why, and how to \
have it erased.

### What we keep
- What you type into the application form: your name, e-mail address, country, LinkedIn \
address if you give one, and your résumé (the file or the text you paste).
- Your video interview and the assessment of it, once you take it.
- Technical records needed to run the site safely, such as when a page was requested. We use \
no advertising or tracking cookies.

### Why
Only to consider your application for the position you chose and to contact you about it.

### Who else handles it
JobMojito, our interview platform, receives your application and runs the video interview. It \
acts as our processor: it handles your data on our instructions and for no purpose of its own.

### How long
Until the position is filled and for a short time after, unless you ask us to erase it sooner.

### Your rights
You may ask to see, correct or erase your data at any time. Write to careers@kestrel.example \
with the address you applied with; we erase the application, the résumé and the interview, \
and confirm by e-mail."""
)
