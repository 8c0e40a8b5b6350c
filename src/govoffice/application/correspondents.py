"""``office.correspondents``: the agency's 行文对象名录 (superiors, peers, subordinates)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from govoffice.application.services import AreaService
from govoffice.domain.correspondents import (
    Correspondent,
    CorrespondentDirectory,
    Relation,
    relation_of,
)


class CorrespondentService(AreaService[CorrespondentDirectory]):
    """行文对象名录: which bodies are the agency's superiors, peers and subordinates, their
    other names and their 机关代字. 复核 reads it (ADR 0047)."""

    record_type = CorrespondentDirectory

    def enter(
        self,
        *,
        name: str,
        relation: Relation | str,
        by: str,
        aliases: Iterable[str] = (),
        issuer_codes: Iterable[str] = (),
        at: datetime | str | None = None,
    ) -> Correspondent:
        """登记一个行文对象 (``relation``: 上级机关 / 平级机关或不相隶属机关 / 下级机关, or the
        :class:`Relation` member); a later entry of the same name replaces it. The directory
        is opened by its first entry."""
        who, when = self._who(by), self._when(at)
        directory_id = CorrespondentDirectory.create_id()

        def attempt() -> Correspondent:
            org = self._org()
            if self.store.exists(directory_id):
                directory = self.store.get(CorrespondentDirectory, directory_id)
            else:
                directory = CorrespondentDirectory.open(org=org, by=who, at=when)
            entry = directory.enter(
                org=org,
                name=name,
                relation=relation,
                aliases=list(aliases) if not isinstance(aliases, str) else aliases,
                issuer_codes=(
                    list(issuer_codes) if not isinstance(issuer_codes, str) else issuer_codes
                ),
                by=who,
                at=when,
            )
            self.store.save(directory, hand_over=True)
            return entry

        return self.store.run(attempt, directory_id)

    def directory(self) -> CorrespondentDirectory | None:
        """The directory as it stands (None while the agency has entered nobody)."""
        directory_id = CorrespondentDirectory.create_id()
        if not self.store.exists(directory_id):
            return None
        return self.get(directory_id)

    def relation_of(self, name: str) -> Relation | None:
        """How the body named ``name`` stands to the agency (None: not known)."""
        return relation_of(self.directory(), name)
