"""What the funnel dashboard reads: steps with conversions, sources, and counts over time."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, select

from webapp.extensions import db
from webapp.jobmojito.contract import Decision
from webapp.models import Application, ApplicationEvent, Position
from webapp.models.funnel import APPLY_VIEW, JOB_VIEW, FunnelCount
from webapp.services.funnel.sources import describe

PRESETS = ("7", "30", "90")
MAX_DAYS = 731
READY_DECISIONS = (Decision.AI_ACCEPT, Decision.RECRUITER_ACCEPT)
SourceKey = tuple[str, str, str, str]


class PeriodError(ValueError):
    """A period the dashboard cannot show; the message says why, for the marketer."""


@dataclass(frozen=True)
class Period:
    """A range of whole days, both ends included (UTC)."""

    start: date
    end: date
    preset: str = ""

    @property
    def days(self) -> list[date]:
        """Every day of the period, in order."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as a half-open range of timestamps."""
        first = datetime.combine(self.start, time(), UTC)
        return first, datetime.combine(self.end + timedelta(days=1), time(), UTC)


def parse_period(args: Mapping[str, str], today: date) -> Period:
    """The period asked for: last 7/30/90 days (30 by default) or ``from``–``to`` dates."""
    preset = (args.get("period") or "30").strip()
    if preset in PRESETS:
        return Period(today - timedelta(days=int(preset) - 1), today, preset)
    if preset != "custom":
        raise PeriodError("Choose the last 7, 30 or 90 days, or dates of your own.")
    try:
        start = date.fromisoformat((args.get("from") or "").strip())
        end = date.fromisoformat((args.get("to") or "").strip())
    except ValueError:
        raise PeriodError("Enter both dates as year-month-day, for example 2026-03-01.") from None
    if start > end:
        raise PeriodError("The first date must not be after the last one.")
    if (end - start).days >= MAX_DAYS:
        raise PeriodError("Choose a period of at most two years.")
    return Period(start, end, "custom")


@dataclass(frozen=True)
class Funnel:
    """The steps of the funnel over a period, and how long interviews took to be ready."""

    steps: list[tuple[str, int]]
    median_ready_seconds: float | None
    sources: list[SourceRow] = field(default_factory=list)
    over_time: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when nothing at all happened in the period."""
        return not any(count for _, count in self.steps)


@dataclass(frozen=True)
class SourceRow:
    """One source's views and applications in the period."""

    label: str
    job_views: int
    apply_views: int
    applications: int

    @property
    def conversion(self) -> float | None:
        """Applications per job page view, when there were views."""
        return self.applications / self.job_views if self.job_views else None


def _views(period: Period, position_id: int | None):  # type: ignore[no-untyped-def]
    conditions = [FunnelCount.day >= period.start, FunnelCount.day <= period.end]
    if position_id is not None:
        conditions.append(FunnelCount.position_id == position_id)
    return and_(*conditions)


def _applications(period: Period, position_id: int | None):  # type: ignore[no-untyped-def]
    first, after = period.bounds()
    # A corrected address withdraws the first application for a new one: count the person once.
    conditions = [
        Application.created_at >= first,
        Application.created_at < after,
        Application.withdrawn_at.is_(None),
    ]
    if position_id is not None:
        conditions.append(Application.position_id == position_id)
    return and_(*conditions)


def funnel(period: Period, position_id: int | None = None) -> Funnel:
    """The funnel of the whole site, or of one position, over ``period``."""
    view_totals: dict[str, int] = {
        step: int(total or 0)
        for step, total in db.session.execute(
            select(FunnelCount.step, func.sum(FunnelCount.count))
            .where(_views(period, position_id))
            .group_by(FunnelCount.step)
        )
    }
    has_result = exists().where(
        ApplicationEvent.application_id == Application.id,
        ApplicationEvent.kind == "interview_result",
    )
    rows = db.session.execute(
        select(
            Application.created_at,
            Application.decision,
            Application.decided_at,
            Application.interview_finished_at,
            has_result,
        ).where(_applications(period, position_id))
    ).all()
    ready = [row for row in rows if row.decision in READY_DECISIONS and row.decided_at]
    waits = [max((row.decided_at - row.created_at).total_seconds(), 0.0) for row in ready]
    steps = [
        ("Job page views", int(view_totals.get(JOB_VIEW) or 0)),
        ("Apply form views", int(view_totals.get(APPLY_VIEW) or 0)),
        ("Applications sent", len(rows)),
        ("Interviews ready", len(ready)),
        ("Interviews collected", sum(1 for row in rows if row.interview_finished_at)),
        ("Results", sum(1 for row in rows if row[4])),
    ]
    return Funnel(
        steps=steps,
        median_ready_seconds=statistics.median(waits) if waits else None,
        sources=_sources(period, position_id),
        over_time=_over_time(period, position_id),
    )


def _sources(period: Period, position_id: int | None) -> list[SourceRow]:
    columns = (
        FunnelCount.utm_source,
        FunnelCount.utm_medium,
        FunnelCount.utm_campaign,
        FunnelCount.referrer_host,
    )
    totals: dict[SourceKey, list[int]] = {}
    for *key, step, count in db.session.execute(
        select(*columns, FunnelCount.step, func.sum(FunnelCount.count))
        .where(_views(period, position_id))
        .group_by(*columns, FunnelCount.step)
    ):
        slot = totals.setdefault(tuple(key), [0, 0, 0])  # type: ignore[arg-type]
        slot[0 if step == JOB_VIEW else 1] += int(count or 0)
    app_columns = [
        func.coalesce(column, "")
        for column in (
            Application.utm_source,
            Application.utm_medium,
            Application.utm_campaign,
            Application.referrer_host,
        )
    ]
    for *key, count in db.session.execute(
        select(*app_columns, func.count())
        .where(_applications(period, position_id))
        .group_by(*app_columns)
    ):
        totals.setdefault(tuple(key), [0, 0, 0])[2] += int(count)  # type: ignore[arg-type]
    rows = [
        SourceRow(describe(*key), job, apply, applications)
        for key, (job, apply, applications) in totals.items()
    ]
    return sorted(rows, key=lambda row: (-row.applications, -row.job_views, row.label))


def _over_time(period: Period, position_id: int | None) -> list[tuple[str, list[tuple[str, int]]]]:
    views: dict[date, int] = {
        day: int(total or 0)
        for day, total in db.session.execute(
            select(FunnelCount.day, func.sum(FunnelCount.count))
            .where(_views(period, position_id), FunnelCount.step == JOB_VIEW)
            .group_by(FunnelCount.day)
        )
    }
    applied: dict[date, int] = {}
    for (created_at,) in db.session.execute(
        select(Application.created_at).where(_applications(period, position_id))
    ):
        day = created_at.astimezone(UTC).date()
        applied[day] = applied.get(day, 0) + 1

    def label(day: date) -> str:
        return f"{day:%b} {day.day}"

    return [
        ("Job page views", [(label(day), int(views.get(day) or 0)) for day in period.days]),
        ("Applications", [(label(day), applied.get(day, 0)) for day in period.days]),
    ]


def positions_to_choose() -> list[tuple[int, str]]:
    """Every position, for the dashboard's filter: (id, title and code)."""
    return [
        (row.id, row.title + (f" ({row.external_id})" if row.external_id else ""))
        for row in db.session.execute(
            select(Position.id, Position.title, Position.external_id).order_by(
                Position.title, Position.id
            )
        )
    ]


def wait_in_words(seconds: float | None) -> str:
    """A duration as people say it: "under a minute", "12 minutes", "3 hours", "2 days"."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return "under a minute"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            amount = round(seconds / size, 1 if seconds < 10 * size and unit != "minute" else None)
            amount_text = f"{amount:g}"
            return f"{amount_text} {unit}{'' if amount_text == '1' else 's'}"
    return "under a minute"
