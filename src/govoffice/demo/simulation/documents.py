"""发文 in the simulated year: outgoing documents drafted, reviewed, countersigned, signed,
registered, printed, distributed and archived (some returned, amended or classified).
"""

from __future__ import annotations

from typing import Any

import pendulum

from govoffice.demo.bureau import LEADERS, units
from govoffice.demo.simulation.records import TOPICS, _Doc
from govoffice.demo.simulation.timeline import CLOSE, P, _Timeline
from govoffice.domain.document import DocumentStatus
from govoffice.testing import SECURE_PRINT_SITE

DOC_TYPES = (
    ("通知", 30),
    ("函", 18),
    ("报告", 14),
    ("请示", 10),
    ("意见", 6),
    ("通报", 6),
    ("批复", 6),
    ("决定", 3),
    ("纪要", 3),
    ("公告", 2),
    ("通告", 2),
)

CO_ISSUERS = ("市财政局", "市人力资源社会保障局", "市应急管理局", "市市场监管局")


class _DocumentSteps(_Timeline):
    """发文: outgoing documents through their whole flow."""

    # --- outgoing documents (发文) ------------------------------------------------------------

    def doc_draft(self) -> None:
        rng = self.rng
        unit = self.unit_weighted()
        drafter = rng.choice(self.drafters[unit])
        doc_type = rng.choices([t for t, _ in DOC_TYPES], weights=[w for _, w in DOC_TYPES])[0]
        classified = rng.random() < 0.04
        important = rng.random() < 0.05
        normative = rng.random() < 0.08 and unit != "legal"
        internal = rng.random() < 0.04 and unit != "office"
        meeting_item = rng.random() < 0.03
        joint = (rng.choice(CO_ISSUERS),) if rng.random() < 0.02 and not classified else ()
        parties = set()
        if normative:
            parties.add("legal")
        if internal:
            parties.add("office")
        if meeting_item or rng.random() < 0.12:
            parties.add(rng.choice([u for u, _, _ in units() if u != unit]))
        parties.discard(unit)
        signer = P.principal if classified or important else self.leader_of.get(unit, P.principal)
        d = _Doc(
            unit=unit,
            drafter=drafter,
            head=self.heads[unit],
            signer=signer,
            classified=classified,
            important=important,
            joint=joint,
            countersign=tuple(sorted(parties)),
            withdraw=rng.random() < 0.02,
        )
        topic = rng.choice(TOPICS)
        urgency = rng.choices(["平件", "加急", "特急"], weights=[80, 15, 5])[0]
        fields: dict[str, Any] = {
            "title": f"关于{topic}的{doc_type}",
            "doc_type": doc_type,
            "issuer_code": "X局函" if doc_type == "函" else "X局发",
            "lead_unit": unit,
            "main_recipients": ["各处室", "各直属单位"] if doc_type == "通知" else ["市人民政府"],
            "copy_recipients": ["市政府办公室"] if rng.random() < 0.3 else [],
            "text": f"为做好{topic}工作,现将有关事项{doc_type}如下……",
            "urgency": urgency,
            "copies": rng.randint(5, 60),
            "summary": f"{topic}",
            "drafter_phone": "0000-12345678",
            "important": important,
            "normative": normative,
            "internal_rules": internal,
            "for_office_meeting": meeting_item,
            "co_issuers": list(joint),
        }
        if classified:
            fields |= {
                "classification": rng.choice(["秘密", "机密"]),
                "secrecy_period": rng.choice(["5年", "10年"]),
                "disclosure": "不予公开",
            }
        if urgency == "特急":
            fields |= {"urgent_reason": "上级要求限期办结", "urgent_deadlines": self.urgent()}
        d.urgent, d.normative = urgency == "特急", normative
        d.id = self.o.documents.draft(by=drafter, at=self.when, **fields)
        self.counts["documents.drafted"] += 1
        self.counts["documents.classified"] += classified
        self.counts["documents.joint"] += bool(joint)
        self.at(self.hours(0.5, 2), self.doc_submit, d)

    def urgent(self) -> dict[str, pendulum.DateTime]:
        """The deadlines a 特急 draft asks of countersigning, review and signing."""
        close = self.dt((self.now[0], CLOSE))
        return {
            "countersign_by": close.add(days=1),
            "review_by": close.add(days=2),
            "sign_by": close.add(days=3),
        }

    def doc_submit(self, d: _Doc) -> None:
        self.o.documents.submit_for_review(d.id, by=d.drafter, at=self.when)
        self.at(self.hours(1, 12), self.doc_review, d)

    def doc_review(self, d: _Doc) -> None:
        docs = self.o.documents
        if d.withdraw:
            docs.withdraw(d.id, by=d.drafter, reason="情况变化,不再行文", at=self.when)
            self.counts["documents.withdrawn"] += 1
            return
        if d.returned == 0 and self.rng.random() < 0.1:
            docs.return_for_revision(d.id, by=d.head, opinion="请补充依据并精简文字", at=self.when)
            self.doc_returned(d)
            return
        docs.review(d.id, by=d.head, at=self.when)
        if (d.countersign or d.joint) and not d.countersigned:
            self.at(self.hours(0.5, 3), self.doc_countersign, d)
        else:
            self.at(self.hours(0.5, 4), self.doc_to_office, d)

    def doc_returned(self, d: _Doc) -> None:
        d.returned += 1
        self.counts["documents.returned"] += 1
        self.at(self.hours(2, 16), self.doc_revise, d)

    def doc_revise(self, d: _Doc) -> None:
        changes: dict[str, Any] = {"text": "(按审核意见修改后的正文)……"}
        if d.urgent:  # the deadlines it asks are dated from the revision
            changes["urgent_deadlines"] = self.urgent()
        self.o.documents.revise(d.id, by=d.drafter, at=self.when, **changes)
        self.at(self.hours(0.5, 2), self.doc_submit, d)

    def doc_countersign(self, d: _Doc) -> None:
        docs = self.o.documents
        if d.normative and self.rng.random() < 0.1:
            self.refused(
                "规范性文件未经法规处会签即送办公室",
                lambda: docs.submit_to_office(d.id, by=d.drafter, at=self.when),
            )
        due = docs.request_countersign(
            d.id, units=list(d.countersign), agencies=list(d.joint), by=d.head, at=self.when
        )
        d.countersigned = True
        self.counts["documents.countersign_requests"] += 1
        last = self.now
        silent = d.countersign[-1] if d.countersign and self.rng.random() < 0.06 else None
        for party in (*d.countersign, *d.joint):
            when = self.hours(0.3, 4) if party in d.countersign else None
            if party in d.joint:
                i = self.on_or_before(due[party])
                when = (max(i, self.now[0]), 15 * 60) if i is not None else None
            if party == silent or when is None or self.days[when[0]] > due[party]:
                # no answer by the reply date: the time step deems the party agreed the
                # morning after it
                after = self.after(due[party])
                if after is None:
                    return
                last = max(last, (after, 9 * 60))
                continue
            last = max(last, when)
            step = self.doc_answer if party in d.countersign else self.doc_agency_answer
            self.at(when, step, d, party)
        self.at(self.hours(1, 3, last), self.doc_to_office, d)

    def pending_party(self, d: _Doc, party: str) -> bool:
        """Is the party still to answer (not deemed to agree by the time step meanwhile)?"""
        doc = self.o.documents.get(d.id)
        return doc.status is DocumentStatus.COUNTERSIGNING and party not in doc.countersign_answers

    def doc_answer(self, d: _Doc, party: str) -> None:
        docs, head = self.o.documents, self.heads[party]
        if not self.pending_party(d, party):
            return
        if self.rng.random() < 0.08:
            docs.countersign(
                d.id, party=party, agree=False, opinion="建议修改第二条", by=head, at=self.when
            )
            self.at(self.hours(0.3, 2), self.doc_resolve, d, party)
        else:
            docs.countersign(d.id, party=party, agree=True, opinion="同意", by=head, at=self.when)

    def doc_resolve(self, d: _Doc, party: str) -> None:
        adopted = self.rng.random() < 0.5
        self.o.documents.resolve_opinion(
            d.id,
            party=party,
            adopted=adopted,
            reason="" if adopted else "依上级文件规定,维持原表述",
            by=d.head,
            at=self.when,
        )

    def doc_agency_answer(self, d: _Doc, agency: str) -> None:
        if not self.pending_party(d, agency):
            return
        self.o.documents.countersign(
            d.id,
            party=agency,
            agree=True,
            opinion="同意联合发文",
            signatory=f"{agency}负责人",
            by=d.drafter,
            at=self.when,
        )

    def doc_to_office(self, d: _Doc) -> None:
        status = self.o.documents.get(d.id).status
        if status is DocumentStatus.COUNTERSIGNING:  # a resolution still pending: try later
            self.at(self.hours(2, 4), self.doc_to_office, d)
            return
        self.o.documents.submit_to_office(d.id, by=d.drafter, at=self.when)
        self.at(self.hours(1, 8), self.doc_office_check, d)

    def doc_office_check(self, d: _Doc) -> None:
        docs, by = self.o.documents, self.reviewer()
        if d.returned == 0 and self.rng.random() < 0.04:
            docs.return_for_revision(d.id, by=by, opinion="文种使用不当,请修改", at=self.when)
            self.doc_returned(d)
            return
        docs.office_check(d.id, by=by, at=self.when)
        self.at(self.hours(1, 6), self.doc_office_review, d)

    def doc_office_review(self, d: _Doc) -> None:
        self.o.documents.office_review(d.id, by=P.office_head, at=self.when)
        self.at(self.hours(2, 16), self.doc_sign, d)

    def doc_sign(self, d: _Doc) -> None:
        docs = self.o.documents
        by, for_ = self.acting(d.signer)
        if d.classified and self.rng.random() < 0.25:
            deputy = self.rng.choice([x for x in LEADERS if x not in (P.principal, by)])
            self.refused(
                "副局长以本人名义签发涉密公文", lambda: docs.sign(d.id, by=deputy, at=self.when)
            )
        if d.returned == 0 and self.rng.random() < 0.03:
            docs.return_for_revision(
                d.id, by=by, on_behalf_of=for_, opinion="请再斟酌措辞", at=self.when
            )
            self.doc_returned(d)
            return
        docs.sign(d.id, by=by, on_behalf_of=for_, opinion="同意", at=self.when)
        self.counts["documents.signed_by_substitute"] += for_ is not None
        if d.joint:
            self.at(self.days_later(1, 2), self.doc_co_sign, d, 0)
        else:
            self.at(self.hours(0.5, 4), self.doc_register, d)

    def doc_co_sign(self, d: _Doc, k: int) -> None:
        agency = d.joint[k]
        self.o.documents.co_sign(
            d.id, agency=agency, signatory=f"{agency}局长", by=self.reviewer(), at=self.when
        )
        if k + 1 < len(d.joint):
            self.at(self.days_later(1, 2), self.doc_co_sign, d, k + 1)
        else:
            self.at(self.hours(0.5, 4), self.doc_register, d)

    def doc_register(self, d: _Doc) -> None:
        self.o.documents.register(
            d.id,
            by=self.reviewer(),
            distribution_scope="各处室、各直属单位",
            copies=self.rng.randint(5, 60),
            at=self.when,
        )
        self.counts["documents.registered"] += 1
        self.at(self.hours(0.5, 3), self.doc_recheck, d)

    def doc_recheck(self, d: _Doc) -> None:
        docs = self.o.documents
        if self.rng.random() < 0.03:
            docs.recheck(d.id, by=self.reviewer(), findings=["附件名称与正文不一致"], at=self.when)
            self.at(self.hours(1, 6), self.doc_amend, d)
            return
        docs.recheck(d.id, by=self.reviewer(), at=self.when)
        self.at(self.hours(0.5, 6), self.doc_print, d)

    def doc_amend(self, d: _Doc) -> None:
        by, for_ = self.acting(d.signer)
        self.o.documents.approve_amendment(
            d.id,
            text="(经原签发人同意修改附件名称后的正文)……",
            reason="附件名称与正文不一致",
            by=by,
            on_behalf_of=for_,
            at=self.when,
        )
        self.counts["documents.amended"] += 1
        self.at(self.hours(0.5, 2), self.doc_recheck, d)

    def doc_print(self, d: _Doc) -> None:
        docs = self.o.documents
        if d.classified and self.rng.random() < 0.2:
            self.refused(
                "在普通文印室印制涉密公文",
                lambda: docs.print_copies(d.id, site="局文印室", by=P.secretary, at=self.when),
            )
        site = SECURE_PRINT_SITE if d.classified else "局文印室"
        docs.print_copies(d.id, site=site, by=self.reviewer(), at=self.when)
        self.at(self.hours(0.5, 3), self.doc_check_print, d)

    def doc_check_print(self, d: _Doc) -> None:
        if self.rng.random() < 0.02:
            self.o.documents.check_print(
                d.id, by=d.drafter, findings=["个别页面字迹不清"], at=self.when
            )
            self.at(self.hours(0.5, 2), self.doc_print, d)
            return
        self.o.documents.check_print(d.id, by=d.drafter, at=self.when)
        self.at(self.hours(0.2, 2), self.doc_distribute, d)

    def doc_distribute(self, d: _Doc) -> None:
        self.o.documents.distribute(d.id, by=d.drafter, at=self.when)
        self.at(self.days_later(1, 5), self.doc_archive, d)

    def doc_archive(self, d: _Doc) -> None:
        self.o.documents.archive(d.id, by=P.archivist, at=self.when)
        self.counts["documents.archived"] += 1
