"""审计对照 the audit trail's reading of the authority table (ADR 0024).

The trail asks of every recorded decision "did the person whose authority it used hold
it, at its business time?" by evaluating the SAME declaration the domain command enforced
(:mod:`govoffice.domain.authority`), with the record as it was before the decision and the
decision's own values. The organisation it is judged against is the one as recorded when
the decision was recorded (what the command itself saw), queried at the decision's
business time; a later back-dated organisation change that would judge it otherwise is
noted beside it (ADR 0023).
"""

from __future__ import annotations

from typing import Any

from govoffice.domain.authority import Judgement, judge_event
from govoffice.domain.base import TICK_ACTOR
from govoffice.domain.organisation import Organisation

RoleCheck = Judgement
"""Whether the authority a decision used was held at its business time (see
:class:`~govoffice.domain.authority.Judgement`)."""


def check_decision(
    record_type: type, state: Any, event: Any, org: Organisation | None
) -> RoleCheck:
    """Did the authority ``event`` used hold what its step needed, at its business time?
    ``state`` is the record before the event (None for the creating event), ``org`` the
    organisation to judge against (None when it did not exist yet)."""
    by = getattr(event, "by", None)
    on_behalf_of = getattr(event, "on_behalf_of", None)
    at = getattr(event, "at", None)
    person = on_behalf_of or by
    if by == TICK_ACTOR:
        return RoleCheck("系统定时步骤 (time-driven step)", by, None)
    if person is None or at is None:
        return RoleCheck("—", person, None, note="事件未记录办理人或时间 (no by/at)")
    if org is None:
        return RoleCheck("—", person, None, note="当时尚未建立机关组织 (no organisation yet)")
    try:
        return judge_event(org, record_type, state, event)
    except (AttributeError, KeyError, TypeError) as e:  # a record shape the table predates
        return RoleCheck("—", person, None, note=f"岗位要求无法判定 ({type(e).__name__}: {e})")


__all__ = ["RoleCheck", "check_decision"]
