"""Atomic commands (issue 11 item 7): a command that records on several records records all
or none. A refusal is injected at every step of each multi-record command (the n-th event it
would record raises) and the store must be left exactly as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.base import OfficeAggregate
from govoffice.domain.document import DocumentStatus
from govoffice.domain.errors import RuleViolation
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    notification_count,
    office_for_tests,
    outgoing_document,
    recorded_since,
    standard_agency,
)

T0 = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")


class Injected(RuleViolation):
    def __init__(self, n: int) -> None:
        super().__init__(f"injected refusal at step {n}")


@contextmanager
def refusal_at(step: int) -> Iterator[None]:
    """The ``step``-th event any record is about to record raises instead."""
    original_trigger = OfficeAggregate.trigger_event
    original_create = OfficeAggregate.__dict__.get("_create")
    create = OfficeAggregate._create.__func__  # type: ignore[attr-defined]
    seen = 0

    def count() -> None:
        nonlocal seen
        seen += 1
        if seen == step:
            raise Injected(step)

    def trigger(self: Any, *args: Any, **kwargs: Any) -> Any:
        count()
        return original_trigger(self, *args, **kwargs)

    def created(cls: Any, *args: Any, **kwargs: Any) -> Any:
        count()
        return create(cls, *args, **kwargs)

    OfficeAggregate.trigger_event = trigger  # type: ignore[method-assign]
    OfficeAggregate._create = classmethod(created)  # type: ignore[assignment,method-assign]
    try:
        yield
    finally:
        OfficeAggregate.trigger_event = original_trigger  # type: ignore[method-assign]
        if original_create is None:
            del OfficeAggregate._create
        else:
            OfficeAggregate._create = original_create  # type: ignore[method-assign]


Setup = Callable[[Office, AgencyPeople], Callable[[], object]]


def _fresh() -> tuple[Office, AgencyPeople]:
    office = office_for_tests(start=T0)
    return office, standard_agency(office, T0)


def every_step_refused(setup: Setup) -> int:
    """Run the command once to count the events it records; then, for each of them, again on
    a fresh office with a refusal injected there: it raises and records nothing."""
    office, people = _fresh()
    command = setup(office, people)
    before = notification_count(office)
    command()
    steps = len(recorded_since(office, before))
    office.close()
    assert steps >= 2, "not a multi-record command"
    for step in range(1, steps + 1):
        office, people = _fresh()
        command = setup(office, people)
        with assert_nothing_recorded(office), pytest.raises(Injected), refusal_at(step):
            command()
        office.close()
    return steps


def _registering(office: Office, p: AgencyPeople) -> Callable[[], object]:
    doc = outgoing_document(office, p, to=DocumentStatus.SIGNED, at=T0.add(hours=1))
    return lambda: office.documents.register(
        doc, by=p.secretary, distribution_scope="各处室", copies=3, at=T0.add(days=1)
    )


def _merging(office: Office, p: AgencyPeople) -> Callable[[], object]:
    for hours in (1, 2, 3):
        outgoing_document(office, p, to=DocumentStatus.UNIT_REVIEW, at=T0.add(hours=hours))
    return lambda: office.org.merge_unit(unit_id="biz1", into="biz2", by=p.admin, at=T0.add(days=2))


def _incoming_registering(office: Office, p: AgencyPeople) -> Callable[[], object]:
    doc = office.incoming.receive(
        sender="市政府办公室",
        title="关于报送材料的通知",
        by=p.receiving_secretary,
        at=T0.add(hours=1),
    )
    return lambda: office.incoming.register(
        doc, sender_type="government", by=p.receiving_secretary, at=T0.add(hours=2)
    )


@pytest.mark.parametrize(
    "setup",
    [_registering, _incoming_registering, _merging],
    ids=["发文登记 (document + number series)", "收文登记 (document + series)", "处室合并"],
)
def test_a_refusal_at_any_step_of_a_multi_record_command_records_nothing(setup: Setup) -> None:
    """[issue 11 item 7] 一个命令涉及多条记录时,要么全部记录,要么全不记录."""
    assert every_step_refused(setup) >= 2
