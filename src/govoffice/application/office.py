"""The facade applications import: one office on one store, its areas reachable from it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

import pendulum

from govoffice.application.app import OfficeApplication, Store, moment
from govoffice.application.audit import AuditService
from govoffice.application.calendar import OfficeCalendar
from govoffice.application.correspondents import CorrespondentService
from govoffice.application.documents import DocumentService
from govoffice.application.history import Decision
from govoffice.application.incoming import IncomingService
from govoffice.application.information import InformationService
from govoffice.application.meetings import MeetingService
from govoffice.application.notifications import NotificationService
from govoffice.application.organisation import OrganisationService
from govoffice.application.ports import Clock, WorkingDays
from govoffice.application.printing import DocumentRenderer, PrintingService
from govoffice.application.proposals import ProposalService
from govoffice.application.queues import QueueService
from govoffice.application.rankings import RankingService
from govoffice.application.reports import ReportService
from govoffice.application.services import AreaService, LateEntry, entering_late
from govoffice.application.supervision import SupervisionService
from govoffice.application.targets import TargetService
from govoffice.application.tokens import TokenService
from govoffice.application.typecheck import Facade
from govoffice.application.views import ViewRunner, ViewStore
from govoffice.domain.base import recording_via
from govoffice.domain.errors import (
    BeforeEstablishment,
    BeyondHorizon,
    InvalidInput,
    RecordNotFound,
)
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import DEFAULT_TIME_ZONE, PersonId, text

DEFAULT_HORIZON = timedelta(days=366)
"""How far ahead of the office clock an act may be dated (ADR 0022): a year, so that a
mistyped year (2106 for 2026) is refused, while a test or simulation that drives business
time ahead of a clock it never moves still runs a year of work."""


AUTH_METHODS = ("token", "jwt", "proxy")
"""How an adapter may have authenticated the acting person (ADR 0055)."""


class Authenticated(Protocol):
    """What :meth:`Office.acting_via` needs of an identity: how it was authenticated, and
    the public id of the credential (a token id, a JWT's ``jti``), if any."""

    if TYPE_CHECKING:  # read-only members; the facade's type check leaves them to the body

        @property
        def method(self) -> str: ...

        @property
        def token_id(self) -> str | None: ...


class Office(Facade):
    """一个机关的办公系统: ``office.org``, ``office.documents``, ...

    Build one with :func:`govoffice.open_office`; close it (or use ``with``) when done.
    """

    def __init__(
        self,
        app: OfficeApplication,
        *,
        clock: Clock,
        calendar: WorkingDays,
        view_store: ViewStore,
        scratch_views: Callable[[], ViewStore],
        horizon: timedelta | None = DEFAULT_HORIZON,
        renderer: DocumentRenderer | None = None,
    ) -> None:
        self.app = app
        self.store = Store(app)
        self.clock = clock
        self.calendar = OfficeCalendar(self, calendar)
        """工作日历: ``calendar`` overlaid with the holiday notices loaded into the store."""
        if horizon is not None and (not isinstance(horizon, timedelta) or horizon.days < 0):
            raise InvalidInput(f"时间范围 horizon 必须是非负的 timedelta,而不是 {horizon!r}")
        self.horizon = horizon
        """How far ahead of the office clock an act may be dated (None: no bound)."""
        self._zone: str | None = None
        self._established: pendulum.DateTime | None = None
        self._recording_clock: Callable[[], datetime] | None = None
        self.store.recording_clock = self._recorded_now
        self.scratch_views = scratch_views
        """Makes an empty throwaway view store (e.g. for a queue rebuilt as of a past day)."""
        self.renderer = renderer
        """Lays out and writes the issued 公文 (GB/T 9704 DOCX and PDF by default; ADR 0045)."""
        self.views = ViewRunner(app, view_store, [], zone=lambda: self.time_zone)
        """The read models: services add their projections; queries call ``catch_up()``."""
        self.org = OrganisationService(self)
        self.documents = DocumentService(self)
        self.proposals = ProposalService(self)
        self.incoming = IncomingService(self)
        self.supervision = SupervisionService(self)
        self.meetings = MeetingService(self)
        self.queues = QueueService(self)
        self.reports = ReportService(self)
        self.information = InformationService(self)
        self.targets = TargetService(self)
        self.rankings = RankingService(self)
        self.notifications = NotificationService(self)
        self.audit = AuditService(self)
        self.correspondents = CorrespondentService(self)
        self.printing = PrintingService(self)
        self.tokens = TokenService(self)
        """接口令牌: API tokens the organisation admin issues to people (ADR 0055)."""

    @property
    def time_zone(self) -> str:
        """The agency's time zone (set when its organisation was established; it never
        changes): every date a rule or a view takes from a business time is taken there."""
        if self._zone is None:
            self._read_agency()
        return self._zone or DEFAULT_TIME_ZONE

    def _read_agency(self) -> None:
        """The agency's fixed facts (its zone, when it was established), read once."""
        try:
            org = self.store.get(Organisation, Organisation.create_id(), for_reading=True)
        except RecordNotFound:
            return
        self._zone = org.time_zone
        self._established = org.established_at

    def business_time(self, at: datetime | str | None) -> pendulum.DateTime:
        """A command's business time: the caller's ``at`` (any zone; a naive one is
        refused) or the office clock's now, refused when it lies beyond the horizon ahead of
        the office clock (a mistyped year would otherwise lock a record for ever)."""
        when = moment(at, self.clock.now)
        if self._established is None:
            self._read_agency()
        if self._established is not None and when < self._established:
            zone = self.time_zone
            raise BeforeEstablishment(when.in_timezone(zone), self._established.in_timezone(zone))
        if self.horizon is not None and at is not None:
            now = self.clock.now()
            if when > now + self.horizon:
                raise BeyondHorizon(
                    when.in_timezone(self.time_zone),
                    now.in_timezone(self.time_zone),
                    self.horizon.days,
                )
        return when

    @property
    def recording_clock(self) -> Callable[[], datetime]:
        """When decisions are recorded (each event's recording time, beside its business
        time): the office clock unless set otherwise (the wall clock in production; a test
        or a simulation that drives the office clock records on it too)."""
        return self._recording_clock or self.clock.now

    @recording_clock.setter
    def recording_clock(self, clock: Callable[[], datetime] | None) -> None:
        self._recording_clock = clock

    def _recorded_now(self) -> datetime:
        return self.recording_clock()

    @contextmanager
    def late_entry(self, *, by: str, reason: str) -> Iterator[None]:
        """补录: within the block, the general office (``by``, a person of the general office
        or an office reviewer) enters decisions of other people that are recorded late; each
        record gets a ``LateEntryRecorded`` decision naming ``by`` and ``reason``, so the
        trail shows both names (ADR 0025). Needed under the strict late-entry policy when
        the person named on the act no longer holds the authority."""
        entry = LateEntry(PersonId(text(by, "补录人 by")), text(reason, "补录理由"))
        with entering_late(entry):
            yield

    def acting_via(self, identity: Authenticated) -> AbstractContextManager[None]:
        """Within the block (this thread or task), every decision recorded carries how its
        actor was authenticated (``identity.method``: token, jwt or proxy, and the token id;
        never a secret) beside ``by``; the trail shows it (``Decision.via``). An adapter
        (the HTTP service) wraps each command of an authenticated caller in it; decisions
        recorded through the Python API outside it carry none (ADR 0055). A malformed
        identity is refused here, when it is given, not when the block is entered."""
        method = getattr(identity, "method", None)
        token_id = getattr(identity, "token_id", None)
        if method not in AUTH_METHODS:
            raise InvalidInput(
                f"参数 identity 必须是认证身份: 认证方式 {method!r} 不是 token、jwt 或 proxy "
                "(expected an identity whose method is token, jwt or proxy)",
                parameter="identity",
            )
        if token_id is not None and not isinstance(token_id, str):
            raise InvalidInput(
                f"参数 identity 的令牌编号 {token_id!r} 必须是文字 (expected a text token_id)",
                parameter="identity",
            )
        return recording_via({"method": method, "token_id": token_id})

    def tick(self, at: datetime | str | None = None) -> list[Decision]:
        """时间推进: record every time-driven decision due by business time ``at`` (urges,
        deadlines passed), exactly once each however often it runs; returns what it
        recorded. Deterministic: driven by business time, never by the wall clock."""
        when = self.business_time(at)
        recorded: list[Decision] = []
        for area in self.areas:
            tick = getattr(area, "tick", None)
            if tick is not None:
                recorded.extend(tick(when))
        return recorded

    @property
    def areas(self) -> tuple[object, ...]:
        return tuple(v for v in vars(self).values() if isinstance(v, AreaService))

    @property
    def store_url(self) -> str:
        return self.app.store_url

    def close(self) -> None:
        self.views.store.close()
        self.app.close()

    def __enter__(self) -> Office:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Office on {self.store_url}>"
