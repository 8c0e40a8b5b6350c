"""改期 moving a meeting to another time (or place) [000 范文6 四 2; 001 会议 五(一)] — its
refusals (ADR 0049).

A meeting in preparation moves with its agenda, invitees and granted leave; the invitees of
a noticed meeting are noticed again and asked to confirm again. A meeting of the annual plan
moves only with the general office's consent [000 范文6 四 2: 已列入计划召开的会议,如遇特殊
情况需更改日期、地点的 …… 未经局办公室同意,任何科室不得随意召开或变更会议计划].
"""

from __future__ import annotations

import pendulum

from govoffice.domain.errors import InvalidInput, PermissionDenied
from govoffice.domain.organisation import Organisation, UnitFunction
from govoffice.domain.values import PersonId


class NothingToReschedule(InvalidInput):
    """A move to the time and place the meeting already has is not a move."""

    def __init__(self, meeting_id: object, starts_at: object, place: str) -> None:
        super().__init__(
            f"会议 {meeting_id} 已定于 {starts_at} 在「{place}」召开,改期须改变时间或地点 "
            "(same time and place: nothing to move)",
            meeting_id=meeting_id,
            starts_at=starts_at,
            place=place,
        )


class PlanChangeNeedsOfficeConsent(PermissionDenied):
    """[000 范文6 四 2] 未经局办公室同意,任何科室不得随意变更会议计划: a planned meeting moves
    only when the general office moves it, or with the consent of a person of the general
    office named in ``consent_by``."""

    def __init__(self, person_id: str, consent_by: str | None) -> None:
        needs = "局办公室同意 (the general office's consent) [000 范文6 四 2]"
        if consent_by is not None:
            needs = f"{needs}; {consent_by} 当日不在局办公室 (not of the general office that day)"
        super().__init__(person_id, "变更计划内会议的时间或地点", needs)


def office_consent(
    org: Organisation, by: PersonId, consent_by: PersonId | None, at: pendulum.DateTime
) -> PersonId:
    """Who of the general office consented to changing a planned meeting at ``at``: the acting
    person when they belong to the general office that day, else ``consent_by`` when they do;
    otherwise :class:`PlanChangeNeedsOfficeConsent`."""
    office = set(org.units_with(UnitFunction.GENERAL_OFFICE, at))
    if consent_by is None and org.unit_of(by, at) in office:
        return by
    if consent_by is not None:
        org.known(consent_by)
        if org.unit_of(consent_by, at) in office:
            return consent_by
    raise PlanChangeNeedsOfficeConsent(by, consent_by)
