"""Taking applications in, and describing where each one stands to its candidate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.i18n import N_
from webapp.jobmojito.client import Decision
from webapp.mail import enqueue
from webapp.models import Application, ApplicationEvent, Position, utcnow
from webapp.models.applications import JOB_DONE, JOB_GAVE_UP, JOB_IN_FLIGHT, JOB_PENDING
from webapp.services.upstream_jobs import schedule_call
from webapp.services.verification import issue_code


@dataclass(frozen=True)
class ApplicationInput:
    """A candidate's validated submission."""

    full_name: str
    email: str
    country_code: str
    resume_text: str
    resume_filename: str | None = None
    linkedin_url: str | None = None
    submitted_by: str | None = None
    locale: str | None = None  # the page's language, which the application keeps


@dataclass(frozen=True)
class Submitted:
    """The stored application, and whether this submission created it."""

    application: Application
    created: bool


def normalise_email(email: str) -> str:
    """The form in which one e-mail is compared with another."""
    return email.strip().lower()


def find_application(position_id: int, email: str) -> Application | None:
    """The live application this e-mail already made to this position, if any."""
    return db.session.scalar(
        select(Application).where(
            Application.position_id == position_id,
            Application.email_normalized == normalise_email(email),
            Application.withdrawn_at.is_(None),
        )
    )


def _confirm(application: Application, verify: bool) -> None:
    """Queue the confirmation (with a fresh code when addresses are verified) in this transaction."""
    if verify:
        issue_code(application)
    enqueue("application_received", application.email, application_id=application.id)


def submit_application(
    position: Position, data: ApplicationInput, *, verify: bool = True
) -> Submitted:
    """Store an application and queue its confirmation e-mail in one transaction, or return the
    existing one (committed before anything else happens)."""
    existing = find_application(position.id, data.email)
    if existing is not None:
        return Submitted(existing, created=False)
    application = Application(
        position_id=position.id,
        full_name=data.full_name.strip(),
        email=data.email.strip(),
        email_normalized=normalise_email(data.email),
        country_code=data.country_code.upper(),
        linkedin_url=data.linkedin_url or None,
        resume_text=data.resume_text,
        resume_filename=data.resume_filename,
        submitted_by=data.submitted_by,
        locale=data.locale,
    )
    application.events.append(ApplicationEvent(kind="received", detail="Application received"))
    db.session.add(application)
    try:
        db.session.flush()  # the outbox row and the job name the application by its id
        schedule_call(application)
        _confirm(application, verify)
        db.session.commit()
    except IntegrityError:
        # A concurrent submit of the same e-mail won the race: that one is the application.
        db.session.rollback()
        existing = find_application(position.id, data.email)
        if existing is None:
            raise
        return Submitted(existing, created=False)
    return Submitted(application, created=True)


class CorrectionRefused(ValueError):
    """The address cannot be corrected this way; the message says why, for the candidate."""


def correct_address(old: Application, new_email: str, *, verify: bool = True) -> Application:
    """Withdraw ``old`` for a corrected address: a new application with the same position and
    data, its own public id and its own confirmation; the old upstream call is cancelled if it was
    not made yet. Raises CorrectionRefused."""
    if old.erased_at is not None or old.withdrawn_at is not None:
        raise CorrectionRefused(N_("This application can no longer be changed."))
    if old.verified_at is not None:
        raise CorrectionRefused(N_("This address is already confirmed, so it cannot be changed."))
    if normalise_email(new_email) == old.email_normalized:
        raise CorrectionRefused(N_("That is the address we already have. Check it for typos."))
    if find_application(old.position_id, new_email) is not None:
        raise CorrectionRefused(
            N_("That address has already applied for this position. Use the e-mail sent to it.")
        )
    now = utcnow()
    new = Application(
        position_id=old.position_id,
        full_name=old.full_name,
        email=new_email.strip(),
        email_normalized=normalise_email(new_email),
        country_code=old.country_code,
        linkedin_url=old.linkedin_url,
        resume_text=old.resume_text,
        resume_filename=old.resume_filename,
        submitted_by=old.submitted_by,
        consented_at=old.consented_at,
        locale=old.locale,
    )
    new.events.append(
        ApplicationEvent(kind="received", detail="Application received (corrected e-mail address)")
    )
    db.session.add(new)
    db.session.flush()
    schedule_call(new)
    old.withdrawn_at = now
    old.replaced_by_id = new.id
    old.events.append(
        ApplicationEvent(kind="withdrawn", detail="Withdrawn: the candidate corrected the address")
    )
    # Only a call not yet made can be cancelled; one in flight finishes and is simply not shown.
    db.session.execute(
        update(Application)
        .where(Application.id == old.id, Application.job_state == JOB_PENDING)
        .values(job_state=JOB_GAVE_UP, last_error="Withdrawn before it was sent to the platform")
        .execution_options(synchronize_session=False)
    )
    _confirm(new, verify)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise CorrectionRefused(
            N_("That address has already applied for this position. Use the e-mail sent to it.")
        ) from None
    return new


def replacement_of(application: Application) -> Application | None:
    """The application made for the corrected address, when this one was withdrawn for it."""
    if application.replaced_by_id is None:
        return None
    return db.session.get(Application, application.replaced_by_id)


def application_by_public_id(public_id: str) -> Application | None:
    """Look an application up by the id its candidate link carries."""
    return db.session.scalar(select(Application).where(Application.public_id == public_id))


# What the candidate sees, by stage.
PREPARING, INTERVIEW, REVIEW, REJECTED, FAILED, FINISHED, ERASED = (
    "preparing",
    "interview",
    "review",
    "rejected",
    "failed",
    "finished",
    "erased",
)
DECIDED = "decided"  # what the status document says of a rejection whose e-mail is not due yet
STEPS = ("Application received", "Screening your résumé", "Preparing your interview", "Ready")
SLOW_AFTER_SECONDS = 75


@dataclass(frozen=True)
class CandidateStatus:
    """Where an application stands, in the terms its candidate is shown."""

    stage: str
    step: int  # 1-based index into STEPS while preparing; len(STEPS) once decided
    waiting_seconds: int
    retrying: bool
    interview_incomplete: bool = False
    # Rejected, but its e-mail is not due yet: the candidate is told we will write, not the verdict.
    letter_pending: bool = False

    @property
    def slow(self) -> bool:
        """Whether the wait is long enough to tell the candidate they may close the page."""
        return self.stage == PREPARING and self.waiting_seconds >= SLOW_AFTER_SECONDS

    def as_json(self) -> dict[str, object]:
        """The small status document the progress page polls."""
        return {
            "stage": DECIDED if self.letter_pending else self.stage,
            "step": self.step,
            "steps": list(STEPS),
            "waiting_seconds": self.waiting_seconds,
            "slow": self.slow,
            "retrying": self.retrying,
        }


def candidate_status(
    application: Application, now: datetime | None = None, *, rejection_delay: float = 0.0
) -> CandidateStatus:
    """Derive the candidate's stage from the stored job, decision and interview result.

    A rejection is stated only ``rejection_delay`` seconds after the decision, when its e-mail is
    due; until then the status says it is decided and the page that we will write.
    """
    now = now or utcnow()
    waited = int((now - application.created_at).total_seconds())
    if application.erased_at is not None:
        return CandidateStatus(ERASED, len(STEPS), waited, False)
    if application.job_state in (JOB_PENDING, JOB_IN_FLIGHT):
        calling = application.job_state == JOB_IN_FLIGHT or application.attempts > 0
        return CandidateStatus(
            PREPARING, 2 if calling else 1, waited, retrying=application.last_error is not None
        )
    if application.job_state == JOB_GAVE_UP:
        return CandidateStatus(FAILED, len(STEPS), waited, False)
    assert application.job_state == JOB_DONE
    assert application.decision is not None  # a finished job always stores the platform's decision
    decision = Decision(application.decision)
    if decision.is_rejection:
        decided = application.decided_at
        pending = decided is not None and now < decided + timedelta(seconds=rejection_delay)
        return CandidateStatus(REJECTED, len(STEPS), waited, False, letter_pending=pending)
    if decision.awaits_recruiter:
        return CandidateStatus(REVIEW, len(STEPS), waited, False)
    if (application.interview_status or "").startswith("completed"):
        return CandidateStatus(FINISHED, len(STEPS), waited, False)
    incomplete = (
        application.interview_status is not None
        and not application.interview_status.startswith(("completed", "ongoing"))
    )
    return CandidateStatus(INTERVIEW, len(STEPS), waited, False, interview_incomplete=incomplete)
