"""The demo's proposal and supervision scenario: a CPPCC proposal assigned, urged, replied
(a first reply returned by the nine checks), rated; a supervision task opened from it goes
overdue, is urged by a supervision letter, completed with its four parts and closed out."""

from __future__ import annotations

from functools import partial

from govoffice.demo.narrator import Narrator
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.proposal import ReplyCheck, check_sheet


def proposal_and_supervision(n: Narrator) -> None:
    props, sup, p = n.office.proposals, n.office.supervision, n.people
    n.console.rule("建议提案: 政协提案(交办、催办、会审、答复、评价)与督办(逾期、督办函、销号)")
    proposal = n.step(
        "登记政协提案《关于加强老旧小区消防安全的提案》(两位委员联名)",
        lambda: props.submit(
            kind="政协提案",
            proposers=["王委员", "李委员"],
            field="工交",
            title="关于加强老旧小区消防安全的提案",
            content="老旧小区消防通道堵塞、设施老化,建议……",
            by=p.secretary,
        ),
    )
    n.step(
        "交办业务一处主办、法规处协办,办理时限",
        lambda: props.assign(
            proposal,
            lead_unit="biz1",
            co_units=["legal"],
            secretary=p.secretary,
            meeting="建议提案交办会",
            by=p.secretary,
        ),
    )
    task = n.step(
        "督查室就提案立项督办,限期 10 天",
        lambda: sup.open(
            source=SourceRef(SourceKind.PROPOSAL, record_id=proposal),
            title="老旧小区消防通道专项整治",
            lead_unit="biz1",
            deadline=n.now.add(days=10).date(),
            by=p.supervision_officer,
        ),
    )
    n.step(
        "电话催办",
        lambda: props.urge(proposal, channel="电话催办", note="请抓紧办理", by=p.secretary),
        hours=30,
    )
    n.step(
        "法规处向主办处室提出协办意见",
        lambda: props.give_co_opinion(
            proposal, unit="legal", opinion="建议依据消防法第28条", by=p.legal_head
        ),
    )
    n.step(
        "走访委员",
        lambda: props.meet_proposer(
            proposal, proposer="王委员", notes="当面听取意见", by=p.unit_head
        ),
    )
    n.step(
        "主办处室拟写答复(B类: 正在解决)",
        lambda: props.draft_reply(
            proposal, text="已部署专项整治,年内完成……", result="B", by=p.unit_head
        ),
    )
    failed = n.step(
        "办公室会审(“九看”): 格式不规范",
        lambda: "、".join(
            c.label
            for c in props.review_reply(
                proposal, checks=check_sheet(failed=[ReplyCheck.FORMAT]), by=p.secretary
            )
        ),
    )
    n.console.print(f"    退回主办处室修改: {failed}")
    n.refused("九看未全部通过即答复委员", lambda: props.send_reply(proposal, by=p.unit_head))
    n.step(
        "修改后重新拟写答复",
        lambda: props.draft_reply(
            proposal, text="已部署专项整治,年内完成(格式已规范)……", result="B", by=p.unit_head
        ),
    )
    n.step(
        "会审通过",
        lambda: props.review_reply(proposal, checks=check_sheet(), by=p.secretary),
    )
    n.step("答复两位委员", lambda: props.send_reply(proposal, by=p.unit_head))
    for proposer, rating in (("王委员", "满意"), ("李委员", "基本满意")):
        n.step(
            f"{proposer} 评价: {rating}",
            partial(
                props.record_feedback, proposal, proposer=proposer, rating=rating, by=p.secretary
            ),
        )

    n.at(days=12)
    overdue = n.step(
        "时间推进: 督办事项逾期",
        lambda: "、".join(f"{d.kind} {d.action}" for d in n.office.tick(n.now)) or "无",
    )
    n.console.print(f"    记录: {overdue}")
    n.step(
        "发督办函,限期 5 天",
        lambda: sup.urge(
            task,
            channel="督办函",
            note="请于限期内报结",
            new_deadline=n.now.add(days=5).date(),
            by=p.supervision_officer,
        ),
    )
    n.refused(
        "报结缺少“落实情况”",
        lambda: sup.complete(
            task,
            background="辖区老旧小区 36 个",
            investigation="逐一排查消防通道",
            handling_opinion="清理占道、更换设施",
            implementation="",
            by=p.unit_head,
        ),
    )
    n.step(
        "报结(基本情况、调查情况、处理意见、落实情况)",
        lambda: sup.complete(
            task,
            background="辖区老旧小区 36 个",
            investigation="逐一排查消防通道",
            handling_opinion="清理占道、更换设施",
            implementation="已清理通道 52 处,更换灭火器 400 具",
            by=p.unit_head,
        ),
    )
    n.step("督查室审核通过", lambda: sup.accept_completion(task, by=p.supervision_officer))
    n.step("销号", lambda: sup.close_out(task, by=p.supervision_officer))
    n.console.print(
        f"  [green]✓[/green] 提案已答复并评价;督办事项 {sup.get(task).number} 已销号"
        f"(提案关联的督办事项: {len(sup.tasks_of(proposal))} 项)"
    )
