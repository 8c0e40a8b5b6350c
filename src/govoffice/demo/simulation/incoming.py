"""收文 in the simulated year: incoming documents received, registered, screened, assigned,
instructed by leaders, read or handled, replied and archived.
"""

from __future__ import annotations

from datetime import timedelta

from govoffice.demo.bureau import BUSINESS, LEADERS
from govoffice.demo.simulation.records import TOPICS, _Incoming
from govoffice.demo.simulation.supervision import _SupervisionSteps
from govoffice.demo.simulation.timeline import OPEN, P
from govoffice.domain.incoming import HandlingKind, Importance, ScreeningCheck
from govoffice.domain.routing import SenderType

SENDERS: tuple[tuple[str, SenderType, bool, int], ...] = (
    ("市人民政府办公室", SenderType.GOVERNMENT, True, 18),
    ("省发展改革委", SenderType.GOVERNMENT, True, 6),
    ("某县人民政府", SenderType.GOVERNMENT, False, 14),
    ("某区人民政府", SenderType.GOVERNMENT, False, 12),
    ("市财政局", SenderType.GOVERNMENT, False, 10),
    ("市委办公室", SenderType.PARTY, True, 8),
    ("市委组织部", SenderType.PARTY, True, 4),
    ("市总工会", SenderType.UNION, False, 3),
    ("团市委", SenderType.YOUTH_LEAGUE, False, 2),
    ("市纪委监委", SenderType.DISCIPLINE, True, 4),
    ("中共某市委 某市人民政府", SenderType.JOINT_PARTY_GOVERNMENT, True, 5),
    ("某行业协会", SenderType.OTHER, False, 8),
    ("某集团公司", SenderType.OTHER, False, 6),
)

ALL_PASS = {c: True for c in ScreeningCheck}


class _IncomingSteps(_SupervisionSteps):
    """收文: incoming documents from 签收 to 归档."""

    # --- incoming documents (收文) ------------------------------------------------------------

    def inc_receive(self) -> None:
        rng = self.rng
        sender, kind, superior, _ = rng.choices(SENDERS, weights=[s[3] for s in SENDERS])[0]
        importance = rng.choices(
            [Importance.URGENT, Importance.IMPORTANT, Importance.ORDINARY], weights=[10, 20, 70]
        )[0]
        d = _Incoming(sender, kind, superior, rng.random() < 0.03, importance)
        d.id = self.o.incoming.receive(
            sender=sender,
            title=f"关于{rng.choice(TOPICS)}的{rng.choice(['通知', '请示', '报告', '函'])}",
            classification="机密" if d.classified else "非密",
            copies=rng.randint(1, 3),
            by=rng.choice(self.receivers),
            at=self.when,
        )
        self.counts["incoming.received"] += 1
        self.at(self.hours(0.1, 1), self.inc_register, d)

    def inc_register(self, d: _Incoming) -> None:
        inc, by = self.o.incoming, self.rng.choice(self.receivers)
        if d.classified and self.rng.random() < 0.2:
            self.refused(
                "扫描机密件后登记",
                lambda: inc.register(
                    d.id,
                    sender_type=d.sender_type,
                    scan_ref="scan/secret.pdf",
                    by=by,
                    at=self.when,
                ),
            )
        inc.register(
            d.id,
            sender_type=d.sender_type,
            sender_number=f"来文〔{self.year}〕{self.rng.randint(1, 300)}号",
            importance=d.importance,
            remarks="单独保存" if d.classified else "",
            scan_ref=None if d.classified else f"scan/{d.id}.pdf",
            from_superior=d.superior,
            policy_document=self.rng.random() < 0.05,
            by=by,
            at=self.when,
        )
        self.at(self.hours(0.1, 2), self.inc_screen, d)

    def inc_screen(self, d: _Incoming) -> None:
        inc, by = self.o.incoming, self.rng.choice(self.receivers)
        if self.rng.random() < 0.05:
            failed = self.rng.sample(list(ScreeningCheck), self.rng.randint(1, 2))
            inc.screen(
                d.id,
                results={c: c not in failed for c in ScreeningCheck},
                reason="不符合行文规则,请按规定报送",
                by=by,
                at=self.when,
            )
            self.counts["incoming.returned"] += 1
            if self.rng.random() < 0.2:
                self.refused(
                    "对已退文的来文分办",
                    lambda: inc.assign(
                        d.id,
                        kind="action",
                        proposal="转办",
                        lead_unit="biz1",
                        by=P.office_head,
                        at=self.when,
                    ),
                )
            return
        inc.screen(d.id, results=ALL_PASS, by=by, at=self.when)
        self.at(self.hours(1, 6), self.inc_assign, d)

    def inc_assign(self, d: _Incoming, again: bool = False) -> None:
        inc, rng = self.o.incoming, self.rng
        desk = inc.get(d.id).desk
        by = self.heads[desk or "office"]
        if not again and rng.random() < 0.25:
            readers = rng.sample([*LEADERS[1:], *self.heads.values()], rng.randint(2, 4))
            inc.assign(
                d.id,
                kind=HandlingKind.READING,
                proposal="请阅",
                readers=readers,
                by=by,
                at=self.when,
            )
            self.counts["incoming.reading"] += 1
            for reader in readers:
                self.at(self.days_later(0, 3), self.inc_read, d, reader)
            self.at(self.days_later(4, 6), self.inc_archive, d)
            return
        if d.sender_type is SenderType.DISCIPLINE and not again:
            lead = "discipline"
        elif d.sender_type is SenderType.PARTY and not again:
            lead = "party"
        else:
            lead = rng.choice([u for u in BUSINESS if u != d.lead])
        co = rng.sample([u for u in BUSINESS if u != lead], rng.choice([0, 0, 0, 1, 2]))
        leaders: list[str] = []
        if not again:
            if d.superior:
                leaders = [P.principal]
            if d.superior or rng.random() < 0.5:
                supervisor = self.leader_of[lead]
                if supervisor not in leaders:
                    leaders.append(supervisor)
        asks = bool(leaders) and rng.random() < 0.5
        within = {Importance.URGENT: 3, Importance.IMPORTANT: 10}.get(d.importance)
        if within is None and rng.random() < 0.5:
            within = 15
        d.lead, d.leaders = lead, tuple(leaders)
        d.deadline = inc.assign(
            d.id,
            kind=HandlingKind.ACTION,
            proposal=f"请{'、'.join(leaders) or '有关处室'}阅示,{lead}主办",
            lead_unit=lead,
            co_units=co,
            leaders=leaders,
            asks_decision=asks,
            within_working_days=within,
            by=by,
            at=self.when,
        )
        if leaders:
            self.at(self.hours(1, 12), self.inc_instruct, d, 0, asks)
        else:
            self.at(self.hours(1, 8), self.inc_accept, d)

    def inc_instruct(self, d: _Incoming, k: int, asks: bool) -> None:
        inc = self.o.incoming
        leader = d.leaders[k]
        by, for_ = self.acting(leader)
        main = k == 0
        if main and asks and self.rng.random() < 0.05:
            self.refused(
                "主批人只画圈、不签意见",
                lambda: inc.instruct(d.id, by=by, on_behalf_of=for_, at=self.when),
            )
        opinion = (
            "同意,请抓紧办理" if main and asks else self.rng.choice(["", "阅", "请按规定办理"])
        )
        inc.instruct(d.id, by=by, on_behalf_of=for_, opinion=opinion, at=self.when)
        self.counts["incoming.instructed"] += 1
        if main:
            if d.lead is not None and self.rng.random() < 0.06:
                self.at(self.hours(0.5, 3), self.task_from_instruction, d, leader)
            self.at(self.hours(1, 8), self.inc_accept, d)
        if k + 1 < len(d.leaders):
            self.at(self.hours(0.5, 8), self.inc_instruct, d, k + 1, asks)

    def inc_read(self, d: _Incoming, reader: str) -> None:
        self.o.incoming.confirm_read(d.id, by=reader, at=self.when)

    def inc_accept(self, d: _Incoming) -> None:
        inc, rng = self.o.incoming, self.rng
        assert d.lead is not None
        head = self.heads[d.lead]
        if rng.random() < 0.03 and not d.sent_back and not d.leaders:
            inc.send_back(d.id, reason="不属本处室职责", by=head, at=self.when)
            self.counts["incoming.sent_back"] += 1
            d.sent_back = True
            self.at(self.hours(1, 6), self.inc_assign, d, True)
            return
        inc.accept(d.id, by=head, at=self.when)
        if rng.random() < 0.2:
            reader = rng.choice([s for s in self.staff[d.lead] if s != head])
            inc.circulate(d.id, to=[reader], by=head, at=self.when)
            self.at(self.hours(1, 8), self.inc_read, d, reader)
        if rng.random() < 0.04:
            self.at(self.hours(1, 4), self.task_from_incoming, d)
        late = d.deadline is not None and rng.random() < 0.12
        if d.deadline is None:
            handle = self.days_later(2, 20)
        elif late:
            i = self.after(d.deadline)
            handle = self.days_later(0, 4, (i, OPEN)) if i is not None else None
            due = self.on_or_before(d.deadline)
            if rng.random() < 0.4 and due is not None and due >= self.now[0]:
                self.at((due, 11 * 60), self.inc_explain, d)
        else:
            due = self.on_or_before(d.deadline)
            last = max(self.now[0], due if due is not None else self.now[0])
            handle = (self.rng.randint(self.now[0], last), self.rng.randint(14 * 60, 17 * 60))
        if handle is not None and handle[0] >= len(self.days):
            handle = None
        urge = self.hours(0.5, 4)
        if rng.random() < 0.1 and handle is not None and urge is not None and urge < handle:
            self.at(urge, self.inc_urge, d)
        self.at(handle, self.inc_handle, d)

    def inc_explain(self, d: _Incoming) -> None:
        assert d.lead is not None and d.deadline is not None
        self.o.incoming.explain_delay(
            d.id,
            by=self.heads[d.lead],
            reason="需征求有关单位意见",
            expected_by=d.deadline + timedelta(days=5),
            at=self.when,
        )

    def inc_urge(self, d: _Incoming) -> None:
        channel = self.rng.choice(["phone", "letter", "on_site"])
        self.o.incoming.urge(
            d.id, channel=channel, note="询问办理进度", by=self.officer(), at=self.when
        )

    def inc_handle(self, d: _Incoming) -> None:
        assert d.lead is not None
        late = d.deadline is not None and self.day > d.deadline
        head = self.heads[d.lead]
        self.o.incoming.handle(d.id, by=head, result="已按要求办理完毕", at=self.when)
        self.counts["incoming.handled"] += 1
        self.counts["incoming.late"] += late
        if self.rng.random() < 0.7:
            self.at(self.hours(0.5, 8), self.inc_reply, d)
        self.at(self.days_later(2, 5), self.inc_archive, d)

    def inc_reply(self, d: _Incoming) -> None:
        assert d.lead is not None
        self.o.incoming.reply(
            d.id, by=self.heads[d.lead], content="来文所提事项已办理", at=self.when
        )

    def inc_archive(self, d: _Incoming) -> None:
        self.o.incoming.archive(d.id, by=P.archivist, at=self.when)
        self.counts["incoming.archived"] += 1
