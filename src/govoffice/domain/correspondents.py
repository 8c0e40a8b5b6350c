"""行文对象名录 the bodies the agency writes to, and how each stands to it (上级、平级、下级).

The 行文规则 of 《党政机关公文处理工作条例》 第十三至十七条 depend on the relation between the
issuing agency and a recipient: an 上行文 (请示, 报告) is sent to one superior and never copied
to a subordinate body [条例 第十五条(一)]; a joint document uses the lead agency's 发文字号,
never a co-issuer's [条例 第九条(五)]. A recipient on the 发文稿纸 is a name (``各直属单位``,
``市人民政府``), so the agency keeps one directory of the bodies it corresponds with: each
name's relation, its other names, and the 机关代字 it numbers its documents with. The general
office keeps it; every entry is an event, so a 复核 can be re-read against the directory as
it stood that day.

Names not in the directory have no known relation, except the generic designations of
subordinate bodies in :data:`GENERIC_SUBORDINATES` (``各直属单位``, ``局属各单位``, ...),
which are subordinate in every agency.
"""

from __future__ import annotations

import uuid

import pendulum
from eventsourcing.domain import event

from govoffice.domain.authority import authorise, declare, role, step
from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.values import (
    LabelledEnum,
    PersonId,
    coerce_enum,
    text,
    texts,
    value_object,
)

GENERIC_SUBORDINATES: frozenset[str] = frozenset(
    {
        "各直属单位",
        "直属各单位",
        "局属各单位",
        "所属各单位",
        "各所属单位",
        "各下属单位",
        "下属各单位",
        "各下级机关",
    }
)
"""Generic designations of subordinate bodies: a recipient written this way is a 下级机关
whatever the directory says (条例 第十五条(一) forbids copying an 上行文 to them)."""

DIRECTORY_ID = uuid.uuid5(uuid.NAMESPACE_URL, "govoffice:correspondent-directory")


class Relation(LabelledEnum):
    """行文关系 how a body stands to the agency [条例 第十三条: 行文关系根据隶属关系和职权范围确定]."""

    SUPERIOR = "superior", "上级机关"
    PEER = "peer", "平级机关"  # 同级机关 and 不相隶属机关 alike
    SUBORDINATE = "subordinate", "下级机关"


@value_object
class Correspondent:
    """One body of the directory: its name, its relation to the agency, the other names it
    is written under, and the 机关代字 of its own document numbers."""

    name: str
    relation: Relation
    aliases: tuple[str, ...] = ()
    issuer_codes: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@stable_topics("correspondent-directory")
class CorrespondentDirectory(OfficeAggregate):
    """行文对象名录 one per store (one store per agency), kept by the general office."""

    KIND = "行文对象名录"

    @staticmethod
    def create_id() -> uuid.UUID:
        return DIRECTORY_ID

    @classmethod
    def open(
        cls, *, org: Organisation, by: PersonId, at: pendulum.DateTime
    ) -> CorrespondentDirectory:
        """建立名录: by the general office (an office reviewer) or the organisation admin."""
        authorise(org, cls, "Opened", by=by, at=at)
        return cls(by=by, at=at)

    @event("Opened")
    def __init__(self, *, by: PersonId, at: pendulum.DateTime) -> None:
        self.entries: dict[str, Correspondent] = {}

    def enter(
        self,
        *,
        org: Organisation,
        name: str,
        relation: object,
        aliases: object = (),
        issuer_codes: object = (),
        by: PersonId,
        at: pendulum.DateTime,
    ) -> Correspondent:
        """登记或更正一个行文对象 (a later entry for the same name replaces the earlier one)."""
        self._check_time(at)
        authorise(org, CorrespondentDirectory, "Entered", by=by, at=at, record=self)
        entry = Correspondent(
            name=text(name, "机关名称").strip(),
            relation=coerce_enum(Relation, relation, "行文关系"),
            aliases=tuple(a.strip() for a in texts(aliases, "其他名称")),
            issuer_codes=tuple(c.strip() for c in texts(issuer_codes, "机关代字")),
        )
        self._entered(entry=entry, by=by, at=at)
        return entry

    @event("Entered")
    def _entered(self, entry: Correspondent, by: PersonId, at: pendulum.DateTime) -> None:
        self.entries = {**self.entries, entry.name: entry}

    def lookup(self, name: str) -> Correspondent | None:
        """The entry a recipient name (or one of its other names) designates."""
        wanted = name.strip()
        for entry in self.entries.values():
            if wanted in entry.names:
                return entry
        return None

    def relation_of(self, name: str) -> Relation | None:
        """The relation of a recipient name: the directory's, else subordinate for the
        generic designations of :data:`GENERIC_SUBORDINATES`, else unknown (None)."""
        return relation_of(self, name)

    def issuer_of(self, code: str) -> Correspondent | None:
        """The body that numbers its documents with the 机关代字 ``code``, if entered."""
        for entry in self.entries.values():
            if code in entry.issuer_codes:
                return entry
        return None


def relation_of(directory: CorrespondentDirectory | None, name: str) -> Relation | None:
    """A recipient name's relation to the agency, with or without a directory."""
    entry = directory.lookup(name) if directory is not None else None
    if entry is not None:
        return entry.relation
    if name.strip() in GENERIC_SUBORDINATES:
        return Relation.SUBORDINATE
    return None


_KEEPER = role(Role.OFFICE_REVIEWER, Role.ORG_ADMIN)

AUTHORITY = declare(
    "CorrespondentDirectory",
    {
        "Opened": step("维护行文对象名录", _KEEPER),
        "Entered": step("维护行文对象名录", _KEEPER),
    },
)
