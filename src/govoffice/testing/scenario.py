"""Given / when / then over the real events in the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govoffice.application.office import Office
from govoffice.domain.errors import GovOfficeError
from govoffice.testing._agency import notification_count, recorded_since


class Scenario:
    """``Scenario(office).given(...).when(...).then_recorded("Signed")``.

    ``given`` runs its steps (callables without arguments, e.g. lambdas calling the office)
    as they are; ``when`` runs the one step under test and keeps what it returned
    (:attr:`result`), the office error it raised (:attr:`refusal`) and the events it recorded
    (:attr:`recorded`, their class names in order); the ``then_`` methods check those.
    """

    def __init__(self, office: Office) -> None:
        self.office = office
        self.result: Any = None
        self.refusal: GovOfficeError | None = None
        self.events: list[Any] = []
        self._ran = False

    @property
    def recorded(self) -> list[str]:
        """The names of the events the ``when`` step recorded, in order."""
        return [type(e).__name__ for e in self.events]

    def given(self, *steps: Callable[[], object]) -> Scenario:
        for step in steps:
            step()
        return self

    def when(self, step: Callable[[], object]) -> Scenario:
        before = notification_count(self.office)
        try:
            self.result = step()
        except GovOfficeError as refusal:
            self.refusal = refusal
        self.events = recorded_since(self.office, before)
        self._ran = True
        return self

    def then_recorded(self, *names: str) -> Scenario:
        """The ``when`` step succeeded and recorded exactly the events ``names``, in order."""
        self._require_when()
        if self.refusal is not None:
            raise AssertionError(
                f"expected {list(names)} recorded, but refused: "
                f"{type(self.refusal).__name__}: {self.refusal}"
            )
        if self.recorded != list(names):
            raise AssertionError(f"expected {list(names)} recorded, but recorded {self.recorded}")
        return self

    def then_refused(self, error: type[GovOfficeError] = GovOfficeError) -> Scenario:
        """The ``when`` step raised ``error`` (or a subclass) and recorded nothing."""
        self._require_when()
        if self.refusal is None:
            raise AssertionError(
                f"expected {error.__name__}, but it was allowed and recorded {self.recorded}"
            )
        if not isinstance(self.refusal, error):
            raise AssertionError(
                f"expected {error.__name__}, but refused with "
                f"{type(self.refusal).__name__}: {self.refusal}"
            )
        if self.events:
            raise AssertionError(
                f"refused with {type(self.refusal).__name__}, but recorded {self.recorded}"
            )
        return self

    def _require_when(self) -> None:
        if not self._ran:
            raise AssertionError("call .when(...) before .then_...")
