"""Publishing the studio's draft: at once, with a warning naming missing translations, or refused."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from webapp.admin import bp, role_required
from webapp.admin.forms import ConfirmForm
from webapp.admin.numbers import parse_id
from webapp.services import studio
from webapp.services.studio.translations import coverage, gap_lines

SHOWN_GAPS = 3


@bp.post("/studio/publish")
@role_required("marketer")
def studio_publish() -> ResponseReturnValue:
    """Publish the draft as it was when the page was shown."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        version = studio.publish(parse_id(request.form.get("revision")) or 0, current_user.id)
    except studio.IncompleteTranslations as incomplete:
        count = len(incomplete.gaps)
        flash(
            f"Not published: the site requires complete translations and {count} "
            f"{'is' if count == 1 else 'are'} missing (listed under “Languages”). Write them, or "
            "allow publishing with the default language's text in the language settings.",
            "error",
        )
        from webapp.admin.studio import studio_page

        return studio_page(refused=True), 409
    except studio.DraftChanged:
        flash(
            "The draft was saved again after you opened this page, so nothing was published. "
            "Check the changes below, then publish again.",
            "warning",
        )
    except studio.NothingToPublish:
        flash("Nothing to publish: the draft is what the site already shows.", "info")
    else:
        flash(f"Published as version {version.number}. Candidates see it now.", "success")
        missing = gap_lines(coverage(version))
        if missing:
            # A few examples only: the message travels in the session; the page lists them all.
            more = len(missing) - SHOWN_GAPS
            flash(
                f"{len(missing)} of your texts {'has' if len(missing) == 1 else 'have'} no "
                "translation in an offered language, so candidates read the default language's "
                "text there instead: "
                + "; ".join(missing[:SHOWN_GAPS])
                + (f"; and {more} more, listed under “Languages”." if more > 0 else "."),
                "warning",
            )
    return redirect(url_for("admin.studio_home"), 303)
