"""The demo: a realistic run of the office's paperwork on a real store, told as it happens.

Each scenario goes through the public facade only (``office.documents...``), at business
times that move forward from where the store left off, so the demo can run again on the
same SQLite file and continue its numbering.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum
from rich.console import Console
from rich.table import Table

from govoffice.application.office import Office
from govoffice.domain.errors import GovOfficeError
from govoffice.testing import SECURE_PRINT_SITE, AgencyPeople, standard_agency

Scenario = Callable[["Narrator"], None]


class Narrator:
    """Runs steps at advancing business times and tells each one (refusals included)."""

    def __init__(self, office: Office, console: Console, start: pendulum.DateTime) -> None:
        self.office = office
        self.console = console
        self.now = start
        self.people = AgencyPeople()
        self.refusals = 0

    def at(self, **delta: int) -> pendulum.DateTime:
        """Move business time forward, keeping to office hours on working days."""
        now = self.now.add(**delta)
        calendar = self.office.calendar
        if now.hour >= 18 or now.hour < 8:
            now = (now if now.hour < 8 else now.add(days=1)).set(hour=9, minute=0)
        while not calendar.is_working_day(now.date()):
            now = now.add(days=1).set(hour=9, minute=0)
        self.now = now
        return now

    def step(self, what: str, action: Callable[[], Any], *, hours: int = 1) -> Any:
        when = self.at(hours=hours)
        self.office.clock.set(when)  # type: ignore[attr-defined]
        result = action()
        shown = f" → {result}" if result is not None and not isinstance(result, dict) else ""
        self.console.print(f"  [dim]{when.format('YYYY-MM-DD HH:mm')}[/dim]  {what}{shown}")
        return result

    def refused(self, what: str, action: Callable[[], Any], *, hours: int = 1) -> None:
        """A step the office rules must refuse: show the clerk's message."""
        when = self.at(hours=hours)
        self.office.clock.set(when)  # type: ignore[attr-defined]
        try:
            action()
        except GovOfficeError as e:
            self.refusals += 1
            self.console.print(
                f"  [dim]{when.format('YYYY-MM-DD HH:mm')}[/dim]  {what} "
                f"[red]✗ 拒绝[/red] {type(e).__name__}: {e}"
            )
        else:  # pragma: no cover - the demo itself would be wrong
            raise AssertionError(f"the office should have refused: {what}")

    def trail(self, record_id: object, history: Callable[[object], list[Any]]) -> None:
        table = Table(title="决策记录 decision trail", show_lines=False)
        for column in ("v", "业务时间", "办理人", "代", "事项", "意见/说明"):
            table.add_column(column)
        for d in history(record_id):
            note = d.details.get("opinion") or d.details.get("reason") or ""
            if "number" in d.details:
                note = str(d.details["number"])
            table.add_row(
                str(d.version),
                d.at.format("MM-DD HH:mm") if d.at else "",
                d.by or "",
                d.on_behalf_of or "",
                d.action,
                str(note),
            )
        self.console.print(table)


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
        f"{p.principal} 出差 {away_from}~{away_to},由 {p.deputy} 代理",
        lambda: org.appoint_substitute(
            leader=p.principal, substitute=p.deputy, start=away_from, end=away_to, by=p.admin
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


SCENARIOS: list[Scenario] = [ordinary_notice, classified_important]


def last_business_time(office: Office) -> pendulum.DateTime:
    """The business time of the latest decision in the store."""
    app = office.app
    last = app.recorder.max_notification_id()
    if not last:
        raise LookupError("empty store")
    (notification,) = app.recorder.select_notifications(start=last, limit=1)
    at = getattr(app.mapper.to_domain_event(notification), "at", None)
    if not isinstance(at, pendulum.DateTime):
        raise LookupError("the latest event has no business time")
    return at


def run_demo(office: Office, console: Console | None = None) -> Narrator:
    """Run every scenario on ``office`` (its clock must be settable), establishing the
    standard agency first when the store is new."""
    console = console or Console()
    org = office.org
    try:
        start = last_business_time(office)
        console.print(f"[bold]继续使用已有机关[/bold] {org.current().agency} ({office.store_url})")
    except LookupError:
        start = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
        office.clock.set(start)  # type: ignore[attr-defined]
        standard_agency(office, start)
        console.print(f"[bold]建立机关[/bold] 某市某局 ({office.store_url}): 10 个处室, 16 人")
    narrator = Narrator(office, console, start.add(days=1).set(hour=8, minute=0))
    narrator.at()
    for scenario in SCENARIOS:
        scenario(narrator)
    console.rule()
    console.print(f"[bold]完成[/bold]: 规则拒绝 {narrator.refusals} 次, 均未留下任何记录。")
    return narrator
