"""The demo's meeting scenarios (会议): a planned office meeting from plan to decided items
that become supervision tasks, and an unplanned meeting refused for breaking a limit."""

from __future__ import annotations

from functools import partial

from govoffice.demo.narrator import Narrator
from govoffice.domain.errors import RecordNotFound
from govoffice.domain.meeting import MeetingPlanStatus


def meetings_scenario(n: Narrator) -> None:
    """会议: a planned office meeting (agenda, a leave with substitute, sign-in, minutes, two
    decided items that become supervision tasks) and an unplanned meeting refused for a limit."""
    m, p = n.office.meetings, n.people
    year = n.now.year
    n.console.rule("会议: 计划内局长办公会议(议程、请假代会、签到、纪要、议定事项立项督办)")
    starts = n.now.add(days=7).set(hour=9, minute=0)
    while not n.office.calendar.is_working_day(starts.date()):
        starts = starts.add(days=1)
    try:
        status = m.plan_for(year).status
    except RecordNotFound:
        n.step(f"办公室征集 {year} 年会议计划", lambda: m.open_plan(year=year, by=p.secretary))
    else:
        if status is MeetingPlanStatus.APPROVED:
            n.step(
                "办公室同意调整年度会议计划",
                lambda: m.reopen_plan(year=year, reason="年中调整", by=p.office_head),
            )
    serial = n.step(
        "办公室补报本年度会议计划: 局长办公会议",
        lambda: m.submit_plan_row(
            year=year,
            organiser="office",
            name="局长办公会议",
            content="研究安全生产检查和信息化预算",
            kind="局长办公会议",
            planned_date=starts.date(),
            place="局三楼会议室",
            participant_scope="局领导、有关处室负责人",
            days=1,
            participants=20,
            budget_10k="0.5",
            late_reason="系统上线,补录本年度计划",
            by=p.office_head,
        ),
    )
    n.step("主要领导同意", lambda: m.endorse_plan_row(year=year, serial=serial, by=p.principal))
    n.step("办公室审核年度会议计划", lambda: m.review_plan(year=year, by=p.office_head))
    n.step("局长办公会议审定", lambda: m.approve_plan(year=year, by=p.principal))
    meeting = n.step(
        f"安排会议于 {starts.format('YYYY-MM-DD HH:mm')}",
        lambda: m.schedule(
            year=year, serial=serial, starts_at=starts, chair=p.principal, by=p.secretary
        ),
    )
    one = n.step(
        "业务一处提出议题",
        lambda: m.propose_agenda_item(
            meeting, title="安全生产检查方案", unit="biz1", by=p.unit_head
        ),
    )
    two = n.step(
        "业务二处提出议题",
        lambda: m.propose_agenda_item(
            meeting, title="信息化项目预算", unit="biz2", by=p.unit_head2
        ),
    )
    n.step(
        "送交议题材料",
        lambda: m.submit_materials(meeting, item=one, materials=["检查方案"], by=p.drafter),
    )
    n.step(
        "送交议题材料",
        lambda: m.submit_materials(meeting, item=two, materials=["预算说明"], by=p.drafter2),
    )
    n.step("局长确定议程", lambda: m.set_agenda(meeting, items=[one, two], by=p.principal))
    people = [p.principal, p.deputy, p.deputy2, p.unit_head, p.unit_head2, p.office_head]
    n.step(
        "办公室起草会议通知",
        lambda: m.draft_notice(meeting, invitees=people, contact="孙秘书 12345678", by=p.secretary),
    )
    n.refused("未经财务处会签即签批通知", lambda: m.issue_notice(meeting, by=p.principal))
    n.step("财务处会签", lambda: m.countersign(meeting, party="finance", by=p.finance_head))
    n.step("局长签批会议通知", lambda: m.issue_notice(meeting, by=p.principal))
    n.step(
        f"{p.unit_head2} 请假,由 {p.drafter2} 代会",
        lambda: m.answer(
            meeting, attend=False, reason="赴省厅开会", substitute=p.drafter2, by=p.unit_head2
        ),
    )
    n.step("局长准假", lambda: m.grant_leave(meeting, person=p.unit_head2, by=p.principal))
    hosts = [p.principal, p.deputy, p.deputy2]
    n.step(
        "排主席台座次(居中,先左后右)",
        lambda: " ".join(m.arrange_seating(meeting, hosts=hosts, by=p.secretary).seats),
    )
    n.now = starts.subtract(minutes=20)
    for person in (p.principal, p.deputy, p.deputy2, p.unit_head, p.drafter2, p.office_head):
        n.step(f"{person} 签到", partial(m.sign_in, meeting, by=person), hours=0)
    n.step("会议召开", lambda: m.hold(meeting, by=p.secretary), hours=2)
    n.step(
        "考勤",
        lambda: "、".join(
            f"{e.person} {'/'.join(f.label for f in e.facts)}"
            for e in m.record_attendance(meeting, by=p.secretary)
        ),
        hours=0,
    )
    n.step(
        "办公室编写会议纪要",
        lambda: m.draft_minutes(
            meeting, text="会议研究了安全生产检查和信息化预算。", by=p.secretary
        ),
    )
    deadline = n.now.add(days=40).date()
    n.refused(
        "把未列入议程的事项记为议定事项",
        lambda: m.record_decision(
            meeting,
            agenda_item="9",
            content="临时动议",
            responsible_unit="biz1",
            deadline=deadline,
            by=p.secretary,
        ),
    )
    n.step(
        "议定事项一",
        lambda: m.record_decision(
            meeting,
            agenda_item=one,
            content="完成全系统安全生产检查",
            responsible_unit="biz1",
            deadline=deadline,
            by=p.secretary,
        ),
    )
    n.step(
        "议定事项二",
        lambda: m.record_decision(
            meeting,
            agenda_item=two,
            content="修改预算后报局长审定",
            responsible_unit="biz2",
            co_units=["finance"],
            deadline=deadline,
            by=p.secretary,
        ),
    )
    n.step("主持人签发纪要", lambda: m.sign_minutes(meeting, by=p.principal))
    number = n.step("办公室编号", lambda: m.number_minutes(meeting, by=p.secretary))
    n.step(
        "印发纪要",
        lambda: (
            f"分送 {len(m.distribute_minutes(meeting, by=p.secretary))} 处(含局领导、各处室、存档)"
        ),
    )
    tasks = n.step(
        "督查室就议定事项立项", lambda: m.open_decided_item_tasks(meeting, by=p.supervision_officer)
    )
    n.console.print(f"  [green]✓[/green] {number}: 议定事项 {len(tasks)} 项已立项督办")
    n.trail(meeting, m.history)

    n.console.rule("会议: 计划外会议签报超出会议标准被拒绝")
    big = n.step(
        "业务一处签报: 专题会议 80 人 2 天",
        lambda: m.request(
            kind="专题会议",
            title="全系统业务培训会",
            content="业务培训",
            reason="新规实施",
            organiser="biz1",
            starts_at=n.now.add(days=10).set(hour=9, minute=0),
            place="局二楼会议室",
            participant_scope="全系统业务骨干",
            participants=80,
            days=2,
            budget=100000,
            funding_source="业务一处培训费",
            chair=p.deputy,
            by=p.unit_head,
        ),
    )
    for party, head in (
        ("office", p.office_head),
        ("finance", p.finance_head),
        (p.deputy, p.deputy),
    ):
        n.step(f"{party} 会签", partial(m.countersign, big, party=party, by=head))
    n.refused("主要领导审批(超出丙类会议标准)", lambda: m.approve(big, by=p.principal))
