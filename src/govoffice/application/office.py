"""The facade applications import: one office on one store, its areas reachable from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType

from govoffice.application.app import OfficeApplication, Store, moment
from govoffice.application.audit import AuditService
from govoffice.application.calendar import OfficeCalendar
from govoffice.application.documents import DocumentService
from govoffice.application.history import Decision
from govoffice.application.incoming import IncomingService
from govoffice.application.information import InformationService
from govoffice.application.meetings import MeetingService
from govoffice.application.notifications import NotificationService
from govoffice.application.organisation import OrganisationService
from govoffice.application.ports import Clock, WorkingDays
from govoffice.application.proposals import ProposalService
from govoffice.application.queues import QueueService
from govoffice.application.rankings import RankingService
from govoffice.application.reports import ReportService
from govoffice.application.services import AreaService
from govoffice.application.supervision import SupervisionService
from govoffice.application.targets import TargetService
from govoffice.application.typecheck import Facade
from govoffice.application.views import ViewRunner, ViewStore


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
    ) -> None:
        self.app = app
        self.store = Store(app)
        self.clock = clock
        self.calendar = OfficeCalendar(self, calendar)
        """工作日历: ``calendar`` overlaid with the holiday notices loaded into the store."""
        self.scratch_views = scratch_views
        """Makes an empty throwaway view store (e.g. for a queue rebuilt as of a past day)."""
        self.views = ViewRunner(app, view_store, [])
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

    def tick(self, at: datetime | str | None = None) -> list[Decision]:
        """时间推进: record every time-driven decision due by business time ``at`` (urges,
        deadlines passed), exactly once each however often it runs; returns what it
        recorded. Deterministic: driven by business time, never by the wall clock."""
        when = moment(at, self.clock.now)
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
