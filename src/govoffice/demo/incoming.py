"""The demo's incoming-document scenario (收文): a county's urgent request from 签收 to 归档,
with a returned document, the routing suggestion, a leader away, urging and the deadline.

Listed in :data:`govoffice.demo.SCENARIOS`; runs through the public facade only
(``office.incoming...``), at business times that move forward from where the store left
off, so it can run again on the same store and continue the receipt numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govoffice.domain.incoming import HandlingKind, Importance, ScreeningCheck
from govoffice.domain.routing import RoutingDecision, SenderType

if TYPE_CHECKING:
    from govoffice.demo.narrator import Narrator

ALL_PASS = {check: True for check in ScreeningCheck}


def incoming_request(n: Narrator) -> None:
    """An urgent request from a county government, and a letter that fails screening."""
    inc, p, org = n.office.incoming, n.people, n.office.org
    n.console.rule("收文: 县政府紧急请示(分办、阅批、催办、办结、答复、归档)")

    letter = n.step(
        f"{p.receiving_secretary} 签收 某乡镇《关于解决办公经费的报告》",
        lambda: inc.receive(
            sender="某乡镇人民政府", title="关于解决办公经费的报告", by=p.receiving_secretary
        ),
    )
    n.step(
        "登记,编收文编号",
        lambda: inc.register(letter, sender_type=SenderType.GOVERNMENT, by=p.receiving_secretary),
        hours=0,
    )
    n.step(
        "初审不合格(越级行文、报告中夹带请示事项),退还原单位",
        lambda: inc.screen(
            letter,
            results={
                **ALL_PASS,
                ScreeningCheck.RIGHT_HANDLER: False,
                ScreeningCheck.CORRESPONDENCE_RULES: False,
            },
            reason="应报县政府;报告中不得夹带请示事项",
            by=p.receiving_secretary,
        ),
        hours=0,
    )
    n.refused(
        "对已退文的来文分办",
        lambda: inc.assign(
            letter, kind="action", proposal="转财务处", lead_unit="finance", by=p.office_head
        ),
        hours=0,
    )

    doc = n.step(
        f"{p.receiving_secretary} 签收 某县人民政府《关于申请防汛专项资金的请示》(加急)",
        lambda: inc.receive(
            sender="某县人民政府",
            title="关于申请防汛专项资金的请示",
            by=p.receiving_secretary,
        ),
    )
    secret = n.step(
        "签收 省防指《防汛预案》(机密)",
        lambda: inc.receive(
            sender="省防汛抗旱指挥部",
            title="防汛预案",
            classification="机密",
            by=p.receiving_secretary,
        ),
        hours=0,
    )
    n.refused(
        "扫描机密件后登记",
        lambda: inc.register(
            secret,
            sender_type=SenderType.GOVERNMENT,
            scan_ref="scan/防汛预案.pdf",
            by=p.receiving_secretary,
        ),
        hours=0,
    )
    n.step(
        "机密件不扫描,单独保存后登记",
        lambda: inc.register(
            secret, sender_type=SenderType.GOVERNMENT, remarks="单独保存", by=p.receiving_secretary
        ),
        hours=0,
    )
    number = n.step(
        "登记(紧急公文,非密件附扫描件)",
        lambda: inc.register(
            doc,
            sender_type=SenderType.GOVERNMENT,
            sender_number="某府〔2026〕21号",
            importance=Importance.URGENT,
            scan_ref="scan/某府2026-21.pdf",
            subject_tags=["财务"],
            by=p.receiving_secretary,
        ),
        hours=0,
    )
    n.step(
        "初审五项均合格,送办公室负责人分办",
        lambda: inc.screen(doc, results=ALL_PASS, by=p.receiving_secretary),
        hours=0,
    )
    away_from, away_to = n.now.date(), n.now.add(days=2).date()
    n.step(
        f"{p.deputy} 出差 {away_from}~{away_to},由 {p.deputy2} 代理",
        lambda: org.appoint_substitute(
            leader=p.deputy, substitute=p.deputy2, start=away_from, end=away_to, by=p.admin
        ),
        hours=0,
    )
    suggested: list[RoutingDecision] = []

    def suggest() -> str:
        d = inc.suggest_routing(doc, concerned_units=["finance", "biz1"])
        suggested.append(d)
        return f"主办 {d.lead_unit};协办 {'、'.join(d.consult_units)};呈 {'、'.join(d.leaders)}"

    n.step("拟办建议(按分办规则)", suggest, hours=0)
    decision = suggested[0]
    for reason in decision.reasons:
        n.console.print(f"    · {reason}")
    n.step(
        f"{p.office_head} 分办: 呈阅示,财务处主办、业务一处协办,3个工作日内办结",
        lambda: inc.assign(
            doc,
            kind=HandlingKind.ACTION,
            proposal="拟请胡副局长(代何副局长)阅示,财务处主办,业务一处协办",
            lead_unit=decision.lead_unit,
            co_units=decision.consult_units,
            leaders=decision.leaders,
            asks_decision=True,
            within_working_days=3,
            by=p.office_head,
        ),
    )
    n.refused("主批人只画圈、不签意见", lambda: inc.instruct(doc, by=p.deputy2))
    n.step(
        f"{p.deputy2} 阅批: 同意,请财务处会同业务一处研究",
        lambda: inc.instruct(doc, opinion="同意,请财务处会同业务一处研究提出方案", by=p.deputy2),
    )
    n.step(
        "时间推进到次一工作日: 系统跟踪催办",
        lambda: "、".join(f"{d.kind} {d.action}" for d in n.office.tick()) or "无",
        hours=20,
    )
    n.step(f"{p.finance_head} 承办", lambda: inc.accept(doc, by=p.finance_head))
    n.step("传阅业务一处负责人", lambda: inc.circulate(doc, to=[p.unit_head], by=p.finance_head))
    n.refused("重复传阅同一人", lambda: inc.circulate(doc, to=[p.unit_head], by=p.finance_head))
    n.step(f"{p.unit_head} 阅毕退回", lambda: inc.confirm_read(doc, by=p.unit_head))
    n.step(
        f"{p.supervision_officer} 电话催办",
        lambda: inc.urge(doc, channel="phone", note="询问资金测算进度", by=p.supervision_officer),
    )
    n.step(
        "办结",
        lambda: inc.handle(
            doc, result="拟安排防汛专项资金50万元,已报局长办公会", by=p.finance_head
        ),
    )
    n.step(
        "答复来文单位",
        lambda: inc.reply(doc, content="所请事项已研究,资金另文下达", by=p.finance_head),
    )
    n.step("归档(原件财务处,复制件业务一处)", lambda: inc.archive(doc, by=p.archivist))
    n.console.print(f"  [green]✓[/green] {number} 已归档")
    n.trail(doc, inc.history)
