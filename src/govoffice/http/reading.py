"""Who may read a classified record over HTTP: the need-to-know (知悉范围) of a 涉密 record.

The library itself records whatever its caller asks and leaves reading to the application
(ADR 0045); the HTTP service is that application for the systems that call it, so it guards
reads of classified records itself (ADR 0057). A record is classified when its 密级 is set
(an outgoing document's form, an incoming document) or it is a 涉密 meeting. Such a record,
its history, its audit trail and its rendering are read only by:

- a person who took part in it (acted, or was acted for, on any of its decisions);
- a person it waits for now (it is in his 待办 queue);
- the agency's leaders and its 定密责任人 (classification officer), who answer for it;
- the 机要室 (a unit with the confidential function), which keeps classified papers.

Anyone else gets :class:`OutsideNeedToKnow` (403), and nothing is shown. Lists (queues,
reports, rankings) are not filtered here: they carry titles and counts, not texts.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from govoffice.domain.errors import GovOfficeError, PermissionDenied, RecordNotFound
from govoffice.domain.organisation import Role, UnitFunction

if TYPE_CHECKING:
    from govoffice.application.office import Office

__all__ = ["CLEARED_ROLES", "OutsideNeedToKnow", "check_may_read", "is_classified"]

CLEARED_ROLES = frozenset({Role.LEADER, Role.PRINCIPAL_LEADER, Role.CLASSIFICATION_OFFICER})
"""The roles that may read every classified record of the agency."""


class OutsideNeedToKnow(PermissionDenied):
    """A classified record was asked for by someone outside its need-to-know."""

    def __init__(self, person_id: str, kind: str, record_id: object) -> None:
        GovOfficeError.__init__(
            self,
            f"{person_id} 不在涉密{kind} {record_id} 的知悉范围内,不能查阅 "
            "(a classified record is read only by those who handle it)",
            person_id=person_id,
            action="查阅涉密记录",
            needs="经办该记录、待办该记录、局领导、定密责任人或机要室人员",
            kind=kind,
            record_id=str(record_id),
        )


def is_classified(record: Any) -> bool:
    """Does the record carry a 密级 (or is it a 涉密 meeting)?"""
    form = getattr(record, "form", None)
    for holder in (form, record):
        level = getattr(holder, "classification", None)
        if level is not None and getattr(level, "is_classified", False) is True:
            return True
    return getattr(record, "classified", False) is True


def check_may_read(office: Office, person_id: str, record_id: uuid.UUID) -> None:
    """Refuse (:class:`OutsideNeedToKnow`) when ``record_id`` is classified and
    ``person_id`` is outside its need-to-know today; an unclassified record is anyone's to
    read. An unknown id raises what reading it would (404)."""
    from govoffice.application.history import decisions

    try:
        cls = office.audit.record_type(record_id)
    except RecordNotFound:
        return  # not a record the trail knows: the query itself answers (or refuses)
    record = office.store.get(cls, record_id, for_reading=True)
    if not is_classified(record):
        return
    if _cleared(office, person_id):
        return
    for d in decisions(office.store.events(record_id, cls.KIND)):
        if person_id in (d.by, d.on_behalf_of):
            return
    if any(item.record_id == str(record_id) for item in office.queues.for_person(person_id)):
        return
    raise OutsideNeedToKnow(person_id, cls.KIND, record_id)


def _cleared(office: Office, person_id: str) -> bool:
    org = office.org.current()
    now = office.business_time(None)
    if org.roles_of(person_id, now) & CLEARED_ROLES:
        return True
    unit = org.unit_of(person_id, now)
    return unit is not None and unit in org.units_with(UnitFunction.CONFIDENTIAL, now)
