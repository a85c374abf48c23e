"""The status the candidate's page polls, read as a few columns rather than a whole application.

The poll comes every few hundred milliseconds from every waiting candidate, so it is read the
cheapest way that still goes through SQLAlchemy's engine (its pool, its error types, so an outage
is still a 503): one SELECT of the eight columns ``candidate_status`` needs, compiled once per
engine, run on a pooled connection's DBAPI cursor, its values converted by the columns' own
types. Nothing is cached between polls: every poll reads the row as committed at that moment, so
a worker's change in another process shows on the next one.

Measured in-process on SQLite (one poll, ``make bench`` "status_document"): the whole row through
the ORM cost about 600 µs; these columns through the ORM session 260 µs; the same SELECT through a
Core connection 105 µs (most of it building the statement's cache key); compiled once and run as
driver SQL, 40 µs; on the DBAPI cursor without a result object, about 20 µs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, cast

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from webapp.models import Application
from webapp.services.applications import CandidateStatus, candidate_status

# Every column ``candidate_status`` reads (tests/test_new_tab.py compares both ways of reading).
STATUS_COLUMNS = (
    Application.created_at,
    Application.erased_at,
    Application.job_state,
    Application.attempts,
    Application.last_error,
    Application.decision,
    Application.decided_at,
    Application.interview_status,
)


@dataclass(frozen=True)
class StatusRow:
    """The polled columns of one application, under the names the application gives them."""

    created_at: Any
    erased_at: Any
    job_state: str
    attempts: int
    last_error: str | None
    decision: str | None
    decided_at: Any
    interview_status: str | None


class CompiledRead:
    """One SELECT of some columns by an application's public id, compiled once for one engine's
    dialect, run as driver SQL, its values converted by the columns' own types."""

    def __init__(self, engine: Engine, columns: Sequence[Any], joined: Any = None) -> None:
        self.engine = engine
        self.names = tuple(column.key for column in columns)
        statement = select(*columns)
        if joined is not None:
            statement = statement.join_from(Application, joined)
        statement = statement.where(Application.public_id == bindparam("public_id"))
        compiled = statement.compile(dialect=engine.dialect)
        self.sql = compiled.string
        self.positional = bool(compiled.positional)
        self.processors: list[Callable[[Any], Any] | None] = [
            column.type.dialect_impl(engine.dialect).result_processor(engine.dialect, None)
            for column in columns
        ]

    def values(self, public_id: str) -> dict[str, Any] | None:
        """The columns of the application with this public id, as committed right now, by name.

        Run on the pool's DBAPI connection itself: a result object's column bookkeeping cost more
        than the query. The driver's errors are raised as SQLAlchemy's (a lost connection is
        dropped from the pool), so an outage is still recognised as one.
        """
        params: Any = (public_id,) if self.positional else {"public_id": public_id}
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(self.sql, params)
                rows = cursor.fetchall()  # stepped to its end: no read lock stays behind
                found = rows[0] if rows else None
            finally:
                cursor.close()
        except self.engine.dialect.loaded_dbapi.Error as error:
            self._raise_as_sqlalchemy(error, raw, params)
        finally:
            raw.close()  # back to the pool, rolled back
        if found is None:
            return None
        values = [
            value if convert is None else convert(value)
            for value, convert in zip(found, self.processors, strict=True)
        ]
        return dict(zip(self.names, values, strict=True))

    def _raise_as_sqlalchemy(self, error: Exception, raw: Any, params: Any) -> NoReturn:
        dialect = self.engine.dialect
        lost = dialect.is_disconnect(cast(Any, error), raw.dbapi_connection, None)
        if lost:
            raw.invalidate(error)
        raise DBAPIError.instance(
            self.sql,
            params,
            error,
            dialect.loaded_dbapi.Error,
            hide_parameters=self.engine.hide_parameters,  # the public id stays out of the text
            connection_invalidated=lost,
            dialect=dialect,
        ) from error


class StatusQuery(CompiledRead):
    """The status SELECT compiled for one engine's dialect, with its columns' converters."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, STATUS_COLUMNS)

    def row(self, public_id: str) -> StatusRow | None:
        """The columns of the application with this public id, as committed right now."""
        values = self.values(public_id)
        return None if values is None else StatusRow(**values)


def polled_status(
    public_id: str, *, rejection_delay: float = 0.0, query: StatusQuery | None = None
) -> CandidateStatus | None:
    """The candidate's status by the id their link carries; None when there is no such application."""
    if query is None:
        from webapp.extensions import db

        query = StatusQuery(db.engine)
    row = query.row(public_id)
    if row is None:
        return None
    # The row answers the same attribute names as the application for the columns chosen above.
    return candidate_status(cast(Application, row), rejection_delay=rejection_delay)
