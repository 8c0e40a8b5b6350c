"""PostgreSQL sessions that give up instead of waiting for ever (ADR 0035).

eventsourcing's PostgreSQL recorder waits without limit for the events table's lock
(``lock_timeout`` 0) and retries every operational error ten times; a writer stuck while it
holds the table lock (a session left in a transaction, a statement that never ends) would
therefore freeze every other writer of the office, and every process opening it. This
module is the eventsourcing infrastructure factory the office's PostgreSQL URLs name
(``PERSISTENCE_MODULE``): the library's own, whose sessions

- set ``statement_timeout`` (``POSTGRES_STATEMENT_TIMEOUT`` seconds, 60 by default; the
  URL's ``statement_timeout=``) on every connection of the pool, and
- wait at most ``POSTGRES_LOCK_TIMEOUT`` seconds (10 by default; the URL's
  ``lock_timeout=``) for a lock, the library's own setting,

and whose recorder does not retry a timeout: a writer that gave up waiting raises at once
a clear error (a ``StoreUnavailable`` once the application has translated it) and has
written nothing. Other operational errors (a dropped connection) are retried as the
library does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.utils import Environment

DEFAULT_LOCK_TIMEOUT = 10
"""Seconds a writer waits for a lock another session holds, then gives up."""
DEFAULT_STATEMENT_TIMEOUT = 60
"""Seconds one statement may run, then the server cancels it."""
STATEMENT_TIMEOUT = "POSTGRES_STATEMENT_TIMEOUT"
RETRIES = 10
RETRY_WAIT = 0.2


def session_options(statement_timeout: float, lock_timeout: float | None = None) -> str:
    """libpq ``options`` that set the timeouts for a whole session (0 means none)."""
    options = f"-c statement_timeout={int(statement_timeout * 1000)}"
    if lock_timeout is not None:
        options += f" -c lock_timeout={int(lock_timeout * 1000)}"
    return options


def gave_up_waiting(error: BaseException) -> bool:
    """True when the server cancelled a statement for a timeout (a lock not granted in
    time, or a statement that ran too long), not for a lost connection."""
    cause = error.__cause__ or error.__context__
    return isinstance(cause, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled)


def _why(error: BaseException, lock_timeout: int, statement_timeout: float) -> str:
    if isinstance(error.__cause__ or error.__context__, psycopg.errors.LockNotAvailable):
        return (
            f"等待另一写入者持有的锁超过 {lock_timeout} 秒,已放弃 "
            f"(lock_timeout {lock_timeout}s: another session holds the lock)"
        )
    return (
        f"语句执行超过 {statement_timeout:g} 秒,已取消 (statement_timeout {statement_timeout:g}s)"
    )


def _once(method: Callable[..., Any]) -> Callable[..., Any]:
    """The library's method without its retry decorator."""
    return getattr(method, "__wrapped__", method)


class OfficePostgresApplicationRecorder(PostgresApplicationRecorder):
    """The library's recorder; a timeout is not retried, other operational errors are."""

    statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT

    def _call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        for attempt in range(1, RETRIES + 1):
            try:
                return method(self, *args, **kwargs)
            except (InterfaceError, OperationalError) as e:
                if gave_up_waiting(e):
                    why = _why(e, self.datastore.lock_timeout, self.statement_timeout)
                    raise OperationalError(why) from e
                if attempt == RETRIES:
                    raise
                time.sleep(RETRY_WAIT)
        raise AssertionError("unreachable")  # pragma: no cover

    def insert_events(self, stored_events: Any, **kwargs: Any) -> Any:
        return self._call(_once(PostgresApplicationRecorder.insert_events), stored_events, **kwargs)

    def select_events(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(_once(PostgresApplicationRecorder.select_events), *args, **kwargs)

    def select_notifications(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(_once(PostgresApplicationRecorder.select_notifications), *args, **kwargs)

    def max_notification_id(self) -> Any:
        return self._call(_once(PostgresApplicationRecorder.max_notification_id))


class OfficePostgresFactory(PostgresFactory):
    """eventsourcing's PostgreSQL factory with bounded waits (see the module)."""

    application_recorder_class = OfficePostgresApplicationRecorder

    def __init__(self, env: Environment | Any) -> None:
        super().__init__(env)
        seconds = self.env.get(STATEMENT_TIMEOUT) or str(DEFAULT_STATEMENT_TIMEOUT)
        self.statement_timeout = float(seconds)
        # The pool opens its connections when first used (after this), each with these
        # session settings; the library sets its own lock_timeout in each write.
        kwargs = self.datastore.pool.kwargs
        assert isinstance(kwargs, dict)
        kwargs["options"] = session_options(self.statement_timeout, self.datastore.lock_timeout)

    def application_recorder(self) -> Any:
        recorder = super().application_recorder()
        if isinstance(recorder, OfficePostgresApplicationRecorder):
            recorder.statement_timeout = self.statement_timeout
        return recorder


FACTORY_TOPIC = f"{__name__}:{OfficePostgresFactory.__name__}"
"""What ``PERSISTENCE_MODULE`` names for the office's PostgreSQL stores."""
