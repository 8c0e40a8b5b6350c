"""The facade applications import: one office on one store, its areas reachable from it."""

from __future__ import annotations

from types import TracebackType

from govoffice.application.app import OfficeApplication, Store
from govoffice.application.documents import DocumentService
from govoffice.application.organisation import OrganisationService
from govoffice.application.ports import Clock, WorkingDays


class Office:
    """一个机关的办公系统: ``office.org``, ``office.documents``, ...

    Build one with :func:`govoffice.open_office`; close it (or use ``with``) when done.
    """

    def __init__(self, app: OfficeApplication, *, clock: Clock, calendar: WorkingDays) -> None:
        self.app = app
        self.store = Store(app)
        self.clock = clock
        self.calendar = calendar
        self.org = OrganisationService(self)
        self.documents = DocumentService(self)

    @property
    def store_url(self) -> str:
        return self.app.store_url

    def close(self) -> None:
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
