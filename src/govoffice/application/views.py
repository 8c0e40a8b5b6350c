"""Read models (视图): projections of the event log into views, with exactly-once effects.

A :class:`ViewStore` keeps, for each view, JSON documents in named tables and the position
(notification id) of the last event the view has taken in. A :class:`ViewRunner` reads the
office's notification log in pages, decodes each event, hands it to every
:class:`Projection` that is behind it, and commits one page's changes and the new positions
in one transaction: a crash loses the page's work and the page is read again, so every event
affects every view exactly once (ADR 0015).

Projections are backend-independent: they read and write documents through the
:class:`ViewTransaction` they are given; the adapters implement the store for memory,
SQLite (the same file as the events) and PostgreSQL (the same database).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack
from datetime import date, datetime
from typing import Any, ClassVar, Protocol

import pendulum
from eventsourcing.domain import CanMutateAggregate
from eventsourcing.utils import get_topic

from govoffice.application.app import OfficeApplication
from govoffice.domain.errors import ConcurrentChange, CorruptRecord, GovOfficeError
from govoffice.domain.values import DEFAULT_TIME_ZONE, local_time

Document = dict[str, Any]
"""A view's row: a JSON-able mapping (str keys; str, int, float, bool, None, lists, dicts)."""

MAX_CONFLICTS = 1000
"""How many times one catch-up goes on after another runner committed a page of its views
first (each time means that runner made progress for it; a bound only against a bug)."""


class CorruptViewRow(CorruptRecord):
    """A view row (a queue item, a figure, an outbox row, ...) that cannot be decoded or lacks
    a field: never served as if true (ADR 0031)."""

    def __init__(self, view: str, table: str, key: str, reason: str) -> None:
        GovOfficeError.__init__(
            self,
            f"视图记录无法读取 {view} / {table} / {key}: {reason} (corrupt view row; "
            "`govoffice audit verify --views --repair` rebuilds it)",
            where=f"{view}/{table}/{key}",
            reason=reason,
            view=view,
            table=table,
            key=key,
        )


class ViewRow(dict[str, Any]):
    """A document as a store read it back: reading a field it lacks raises
    :class:`CorruptViewRow` naming the row, not a bare ``KeyError``."""

    __slots__ = ("where",)

    def __init__(self, document: Mapping[str, Any], where: tuple[str, str, str]) -> None:
        super().__init__(document)
        self.where = where

    def __missing__(self, field: str) -> Any:
        raise CorruptViewRow(*self.where, f"缺少字段 {field!r} (a field is missing)")

    def __reduce__(self) -> Any:
        return (ViewRow, (dict(self), self.where))


Progress = Callable[[int, int], None]
"""Called with (position reached, last position in the log) after each page."""


class ViewReader(Protocol):
    """Reading committed view documents."""

    def get(self, view: str, table: str, key: str) -> Document | None: ...

    def scan(self, view: str, table: str, prefix: str = "") -> Iterator[tuple[str, Document]]:
        """Every (key, document) of a table whose key starts with ``prefix``, by key."""
        ...


class ViewTransaction(ViewReader, Protocol):
    """Changes to views, committed together with the views' new positions."""

    def put(self, view: str, table: str, key: str, document: Document) -> None: ...

    def delete(self, view: str, table: str, key: str) -> None: ...


class ViewStore(ViewReader, Protocol):
    """Where views live (in the same database as the events, where the backend allows)."""

    def position(self, view: str) -> int:
        """The notification id of the last event the view has taken in (0: none)."""
        ...

    def transaction(
        self, positions: Mapping[str, tuple[int, int]]
    ) -> AbstractContextManager[ViewTransaction]:
        """One atomic unit: the writes made in the block and, for each view, the move of
        its position from ``(expected, new)``; if a view's stored position is not
        ``expected`` (another runner got there first), raise :class:`ConcurrentChange` and
        commit nothing."""
        ...

    def reset(self, view: str) -> None:
        """Forget a view's documents and position (to rebuild it from nothing)."""
        ...

    def rows(self, view: str) -> Iterator[tuple[str, str, str]]:
        """Every stored row of a view as ``(table, key, stored JSON text)``, undecoded (what
        the audit compares with a rebuild, corrupt rows included)."""
        ...

    def claim(
        self, view: str, table: str, *, claimer: str, seconds: float, limit: int = 1
    ) -> list[tuple[str, Document]]:
        """租约 Lease to ``claimer``, for ``seconds``, up to ``limit`` documents of a table, in
        key order, that no unexpired lease holds, and return them. Atomic across processes:
        while a lease lasts, no other claimer gets that document (ADR 0033)."""
        ...

    def renew(self, view: str, table: str, key: str, *, claimer: str, seconds: float) -> bool:
        """Extend ``claimer``'s lease of a document to ``seconds`` from now; False when the
        lease is no longer its own (it ran out and another claimer took the document)."""
        ...

    def release(self, view: str, table: str, key: str, *, claimer: str) -> None:
        """End ``claimer``'s lease of a document (nothing if it holds none)."""
        ...

    def close(self) -> None: ...


class Projection:
    """A view: ``name`` names it in the store; ``on`` maps event classes to handlers.

    Subclasses declare handlers with :func:`handles` and add query methods that read the
    store. Bump ``version`` when the handlers change meaning: the runner rebuilds the view.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1
    view: ClassVar[str]
    """The view's name in the store, ``<name>.v<version>`` (set for each subclass)."""
    _handlers: ClassVar[dict[type, str]]
    _topics: ClassVar[list[str]]
    position: int = 0
    """The notification id of the event being processed (set by the runner before each)."""
    zone: str = DEFAULT_TIME_ZONE
    """The agency's time zone: every date a view takes from a business time is taken here
    (set by the runner before each catch-up)."""

    def day(self, at: datetime) -> date:
        """The agency-local day of a business time."""
        return local_time(at, self.zone).date()

    def local(self, at: datetime) -> pendulum.DateTime:
        return local_time(at, self.zone)

    def year_of(self, event: Any) -> int:
        """The agency-local year of an event's business time."""
        return self.day(event.at).year

    def day_of(self, event: Any) -> str:
        """The agency-local day of an event's business time, ISO-formatted."""
        return self.day(event.at).isoformat()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type, str] = {}
        for base in reversed(cls.__mro__):
            for attr, fn in vars(base).items():
                for event_class in getattr(fn, "_handles", ()):
                    handlers[event_class] = attr
        cls._handlers = handlers
        name = getattr(cls, "name", None)
        if name is not None:
            cls.view = f"{name}.v{cls.version}"

    def topics(self) -> list[str]:
        cls = type(self)
        if "_topics" not in vars(cls):  # once per class: a caught-up query asks every time
            cls._topics = sorted(get_topic(c) for c in self._handlers)
        return list(cls._topics)

    def wants(self, event: object) -> bool:
        return type(event) in self._handlers

    def restart(self) -> None:
        """Called when the runner reads the views' positions again because another runner
        moved them: a projection that keeps anything in memory between events forgets it."""

    def process(self, event: Any, tx: ViewTransaction) -> None:
        name = self._handlers.get(type(event))
        if name is not None:
            getattr(self, name)(event, tx)


def handles(
    *event_classes: type[CanMutateAggregate[uuid.UUID]],
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Mark a projection method as the handler of these event classes."""

    def mark(fn: Callable[..., None]) -> Callable[..., None]:
        fn._handles = (*getattr(fn, "_handles", ()), *event_classes)  # type: ignore[attr-defined]
        return fn

    return mark


class ViewRunner:
    """Brings projections up to date with the office's log, a page per transaction."""

    def __init__(
        self,
        app: OfficeApplication,
        store: ViewStore,
        projections: Iterable[Projection],
        *,
        page_size: int = 2000,
        zone: Callable[[], str] | None = None,
    ) -> None:
        self.app = app
        self.store = store
        self.projections = list(projections)
        self.page_size = page_size
        self.zone = zone
        """The agency's time zone, asked before each catch-up and given to the projections."""

    def catch_up(
        self,
        *,
        progress: Progress | None = None,
        until: pendulum.DateTime | None = None,
        stop_after: int | None = None,
        only: Iterable[Projection] | None = None,
    ) -> int:
        """Take in every event after each view's position; returns how many events were
        processed. Several runners (threads, processes) may catch up at once: a page that
        another runner committed first is not an error, this one goes on from where that
        one got to (ADR 0015, 0033). ``until`` keeps only events whose business time is at
        or before it (for views of a past day built into a fresh store); ``stop_after``
        stops after that many pages (tests of crash and resume); ``only`` brings just these of the runner's
        projections up to date (a query reads its own views: the annual report does not
        wait for the queues)."""
        projections = self.projections
        if only is not None:
            wanted = {id(p) for p in only}
            projections = [p for p in self.projections if id(p) in wanted]
            if len(projections) != len(wanted):
                raise ValueError("catch_up(only=...) names a projection this runner does not run")
        if not projections:
            return 0
        if self.zone is not None:
            zone = self.zone()
            for p in projections:
                p.zone = zone
        last = self.app.recorder.max_notification_id() or 0
        topics = sorted({t for p in projections for t in p.topics()})
        positions = {p.view: self.store.position(p.view) for p in projections}
        processed = pages = conflicts = 0
        while (start := min(positions.values())) < last:
            page = self.app.recorder.select_notifications(
                start=start + 1, limit=self.page_size, stop=last, topics=topics
            )
            end = page[-1].id if len(page) == self.page_size else last
            behind = [p for p in projections if positions[p.view] < end]
            moves = {p.view: (positions[p.view], end) for p in behind}
            with ExitStack() as stack:
                try:
                    tx = stack.enter_context(self.store.transaction(moves))
                except ConcurrentChange:
                    # Another runner committed a page of these views first (this one waited
                    # for it, or saw it): read where the views are now and go on from there;
                    # only the position read at the start must be reached (read-your-writes).
                    conflicts += 1
                    if conflicts > MAX_CONFLICTS:
                        raise
                    for p in projections:
                        p.restart()
                    positions = {p.view: self.store.position(p.view) for p in projections}
                    continue
                for notification in page:
                    event = self._decode(notification)
                    if until is not None and getattr(event, "at", until) > until:
                        continue
                    for p in behind:
                        if positions[p.view] < notification.id:
                            p.position = notification.id
                            p.process(event, tx)
                    processed += 1
            for p in behind:
                positions[p.view] = end
            pages += 1
            if progress is not None:
                progress(end, last)
            if stop_after is not None and pages >= stop_after:
                break
        return processed

    def _decode(self, notification: Any) -> Any:
        try:
            return self.app.mapper.to_domain_event(notification)
        except Exception:
            if self.app.key_error is not None:  # an encrypted store, and no key
                raise self.app.key_error from None
            raise

    def rebuild(self, *, progress: Progress | None = None) -> int:
        """Forget every view and take in the whole log again."""
        if self.app.key_error is not None:  # could not take the log in again: keep the views
            raise self.app.key_error
        for p in self.projections:
            self.store.reset(p.view)
        return self.catch_up(progress=progress)


__all__ = [
    "ConcurrentChange",
    "CorruptViewRow",
    "Document",
    "Projection",
    "ViewReader",
    "ViewRow",
    "ViewRunner",
    "ViewStore",
    "ViewTransaction",
    "handles",
]
