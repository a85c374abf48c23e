"""The privacy notice: present by default, edited and published in the studio, flagged until reviewed."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tests.studio_fixtures import (  # noqa: F401 (fixtures)
    SLUG,
    colleague,
    edit_draft,
    marketer,
    open_draft,
    publish,
    read_form,
    seeded,
)

FLAG = "The privacy notice has not been reviewed."


def test_the_privacy_notice_is_there_by_default_and_says_what_and_why(seeded: Flask) -> None:
    response = seeded.test_client().get("/privacy")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Privacy notice</h1>" in page
    for promise in (
        "What we keep",
        "your résumé",
        "JobMojito, our interview platform",
        "acts as our processor",
        "erase",
        "careers@kestrel.example",
    ):
        assert promise in page, promise
    assert "<script" not in page.split("</head>", 1)[1].split("<footer", 1)[0]


def test_the_notice_is_linked_from_the_footer_and_the_consent_checkbox(seeded: Flask) -> None:
    guest = seeded.test_client()
    for url in ("/", f"/jobs/{SLUG}", "/privacy"):
        assert '<a href="/privacy">Privacy notice</a>' in guest.get(url).get_data(as_text=True)
    form = guest.get(f"/jobs/{SLUG}/apply").get_data(as_text=True)
    label = re.search(r'<label for="consent">(.*?)</label>', form, re.S).group(1)
    assert 'I agree to the <a href="/privacy"' in label and 'target="_blank"' in label
    assert "(opens in a new tab)" in label


def test_a_marketer_edits_the_notice_in_the_draft_and_publishes_it(
    seeded: Flask, marketer: Any
) -> None:
    edit_draft(
        marketer,
        text_privacy_heading="How we handle your data",
        text_privacy_body="We keep **little**.<script>alert(1)</script>",
    )
    guest = seeded.test_client()
    assert "How we handle your data" not in guest.get("/privacy").get_data(as_text=True)
    publish(marketer)
    page = guest.get("/privacy").get_data(as_text=True)
    assert "<h1>How we handle your data</h1>" in page and "<strong>little</strong>" in page
    assert "<script>alert" not in page
    assert '<a href="/privacy">How we handle your data</a>' in guest.get("/").get_data(as_text=True)
    # Emptied, the notice falls back to the default text: the link never leads to an empty page.
    edit_draft(marketer, text_privacy_body="")
    publish(marketer)
    assert "acts as our processor" in guest.get("/privacy").get_data(as_text=True)


def test_the_notice_is_not_a_per_position_text(marketer: Any) -> None:
    page = marketer.get(f"/admin/studio/positions/{SLUG}").get_data(as_text=True)
    assert "text_privacy_body" not in read_form(page, "position-form")


def _mark_reviewed(client: Any) -> Any:
    page = client.get("/admin/studio").get_data(as_text=True)
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page).group(1)
    return client.post("/admin/studio/privacy/reviewed", data={"digest": digest})


def test_the_studio_flags_the_notice_until_someone_reviews_it(
    marketer: Any, colleague: Any
) -> None:
    studio = marketer.get("/admin/studio").get_data(as_text=True)
    assert FLAG in studio and "not reviewed" in studio
    assert _mark_reviewed(marketer).status_code == 303
    studio = colleague.get("/admin/studio").get_data(as_text=True)
    assert FLAG not in studio and 'id="privacy-flag"' not in studio
    status = re.search(r'<p id="privacy-status">(.*?)</p>', studio, re.S).group(1)
    assert "reviewed" in status and "mara@kestrel.example" in status
    assert re.search(r"on \d{4}-\d{2}-\d{2} at \d{2}:\d{2} UTC", status)

    # A changed notice asks for a review again, naming the last one.
    edit_draft(colleague, text_privacy_body="A new notice.")
    studio = marketer.get("/admin/studio").get_data(as_text=True)
    assert "The privacy notice has changed since mara@kestrel.example reviewed it" in studio


def test_a_review_of_a_notice_that_changed_meanwhile_is_not_recorded(
    marketer: Any, colleague: Any
) -> None:
    page = marketer.get("/admin/studio").get_data(as_text=True)
    stale = re.search(r'name="digest" value="([0-9a-f]{64})"', page).group(1)
    edit_draft(colleague, text_privacy_body="Changed while Mara was reading.")
    response = marketer.post(
        "/admin/studio/privacy/reviewed", data={"digest": stale}, follow_redirects=True
    )
    assert "is not marked as reviewed" in response.get_data(as_text=True)
    assert FLAG in marketer.get("/admin/studio").get_data(as_text=True)
    assert marketer.post("/admin/studio/privacy/reviewed", data={}).status_code == 303
    assert FLAG in marketer.get("/admin/studio").get_data(as_text=True)


def test_only_marketers_mark_the_notice_reviewed(seeded: Flask) -> None:
    from tests.studio_fixtures import make_account, sign_in

    recruiter = sign_in(seeded.test_client(), make_account(seeded, "rex@k.example", "recruiter"))
    assert recruiter.post("/admin/studio/privacy/reviewed", data={}).status_code == 403
