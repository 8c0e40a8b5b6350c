"""The demo's outgoing-document scenarios (发文)."""

from __future__ import annotations

from govoffice.demo.narrator import Narrator
from govoffice.testing import SECURE_PRINT_SITE


def ordinary_notice(n: Narrator) -> None:
    """An ordinary notice with a countersign dissent that is not adopted."""
    d, p = n.office.documents, n.people
    n.console.rule("发文: 一般通知(会签有不同意见,不采纳并说明理由)")
    doc = n.step(
        f"{p.drafter} 拟稿《关于开展安全生产大检查的通知》",
        lambda: d.draft(
            by=p.drafter,
            title="关于开展安全生产大检查的通知",
            doc_type="通知",
            issuer_code="X政发",
            lead_unit="biz1",
            main_recipients=["各处室", "各直属单位"],
            copy_recipients=["市安委办"],
            text="为切实做好安全生产工作,决定开展安全生产大检查……",
            normative=True,
            copies=40,
            summary="部署安全生产大检查",
        ),
    )
    n.step("提交处室负责人审核", lambda: d.submit_for_review(doc, by=p.drafter))
    n.step(f"{p.unit_head} 审核通过", lambda: d.review(doc, by=p.unit_head))
    n.refused(
        "未经法规处会签即送办公室审核",
        lambda: d.submit_to_office(doc, by=p.drafter),
    )
    due = n.step(
        "送法规处会签", lambda: d.request_countersign(doc, units=["legal"], by=p.unit_head)
    )
    n.console.print(f"    会签时限: {due}")
    n.step(
        f"{p.legal_head} 会签: 不同意",
        lambda: d.countersign(
            doc, party="legal", agree=False, opinion="第三条检查范围过宽", by=p.legal_head
        ),
    )
    n.step(
        "主办处室不采纳,说明理由",
        lambda: d.resolve_opinion(
            doc,
            party="legal",
            adopted=False,
            reason="检查范围依市安委办部署确定",
            by=p.unit_head,
        ),
    )
    n.step("送办公室审核", lambda: d.submit_to_office(doc, by=p.drafter))
    n.step(f"{p.secretary} 初核", lambda: d.office_check(doc, by=p.secretary))
    n.step(f"{p.office_head} 复核并提出拟办意见", lambda: d.office_review(doc, by=p.office_head))
    n.step(f"{p.deputy} 签发", lambda: d.sign(doc, by=p.deputy, opinion="同意印发"), hours=20)
    n.refused(
        "签发后拟稿人再改正文",
        lambda: d.revise(doc, by=p.drafter, text="改动后的正文"),
    )
    number = n.step(
        "登记,编发文字号",
        lambda: d.register(doc, by=p.secretary, distribution_scope="各处室、各直属单位", copies=40),
    )
    n.step("复核", lambda: d.recheck(doc, by=p.secretary))
    n.step("文印室印制", lambda: d.print_copies(doc, site="局文印室", by=p.secretary))
    n.step("拟稿人检查印制质量", lambda: d.check_print(doc, by=p.drafter))
    n.step("核发", lambda: d.distribute(doc, by=p.drafter))
    n.step("归档", lambda: d.archive(doc, by=p.archivist), hours=20)
    n.console.print(f"  [green]✓[/green] {number} 已归档")
    n.trail(doc, d.history)


def classified_important(n: Narrator) -> None:
    """A classified, important document signed by a substitute while the principal is away."""
    d, p, org = n.office.documents, n.people, n.office.org
    n.console.rule("发文: 涉密重要文件(主要领导出差,由代理人代签)")
    away_from, away_to = n.now.add(days=1).date(), n.now.add(days=4).date()
    n.step(
        f"{p.principal} 出差 {away_from}~{away_to},由 {p.deputy} 代理"
        "(作为定密责任人,指定其代签涉密公文)",
        lambda: org.appoint_substitute(
            leader=p.principal,
            substitute=p.deputy,
            start=away_from,
            end=away_to,
            classified=True,
            by=p.admin,
        ),
    )
    doc = n.step(
        "拟稿《关于重点目标安全防范工作的意见》(机密, 保密期限10年, 重要)",
        lambda: d.draft(
            by=p.drafter,
            title="关于重点目标安全防范工作的意见",
            doc_type="意见",
            issuer_code="X政发",
            lead_unit="biz1",
            main_recipients=["各直属单位"],
            text="(涉密正文)",
            classification="机密",
            secrecy_period="10年",
            disclosure="不予公开",
            important=True,
            urgency="特急",
            urgent_reason="上级要求三日内部署",
            urgent_deadlines={
                "countersign_by": n.now.add(days=1),
                "review_by": n.now.add(days=2),
                "sign_by": n.now.add(days=3),
            },
        ),
    )
    for what, action in (
        ("提交审核", lambda: d.submit_for_review(doc, by=p.drafter)),
        ("处室审核", lambda: d.review(doc, by=p.unit_head)),
        ("送办公室", lambda: d.submit_to_office(doc, by=p.drafter)),
        ("初核", lambda: d.office_check(doc, by=p.secretary)),
        ("复核", lambda: d.office_review(doc, by=p.office_head)),
    ):
        n.step(what, action)
    n.at(days=1)
    n.refused("分管副局长以本人名义签发涉密重要文件", lambda: d.sign(doc, by=p.deputy2))
    n.step(
        f"{p.deputy} 代 {p.principal} 签发",
        lambda: d.sign(doc, by=p.deputy, on_behalf_of=p.principal, opinion="同意"),
    )
    number = n.step(
        "登记", lambda: d.register(doc, by=p.secretary, distribution_scope="各直属单位", copies=5)
    )
    n.step("复核", lambda: d.recheck(doc, by=p.secretary))
    n.refused(
        "在普通文印室印制涉密文件", lambda: d.print_copies(doc, site="局文印室", by=p.secretary)
    )
    n.step(
        f"在{SECURE_PRINT_SITE}印制",
        lambda: d.print_copies(doc, site=SECURE_PRINT_SITE, by=p.secretary),
    )
    n.console.print(
        f"  [green]✓[/green] {number} 已印制(签发人记录为 {p.principal},由 {p.deputy} 代签)"
    )
