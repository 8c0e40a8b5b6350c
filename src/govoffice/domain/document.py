"""发文 outgoing documents: draft, review, countersign, sign, register, recheck, print,
distribute, archive [001 发文管理工作规程].

Flow: 拟稿 → 处室审核 → 会签(如需) → 办公室初核 → 办公室主任复核 → 签发 → 登记 → 复核 →
印制 → 核发 → 归档. Each step is checked against the organisation as it stood at the step's
business time, and recorded as an event with who, when and on whose behalf.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs
import pendulum
from eventsourcing.domain import Aggregate, event

from govoffice.domain.base import TICK_ACTOR, OfficeAggregate, stable_topics
from govoffice.domain.bounds import INT_BOUNDS
from govoffice.domain.errors import (
    InvalidInput,
    PermissionDenied,
    ReasonRequired,
    RuleViolation,
    UnknownUnit,
)
from govoffice.domain.organisation import Organisation, Role, UnitFunction
from govoffice.domain.values import (
    DocumentNumber,
    LabelledEnum,
    PersonId,
    UnitId,
    business_time,
    coerce_enum,
    positive_int,
    text,
    texts,
    value_object,
)

# --- vocabulary ----------------------------------------------------------------------------


class DocType(LabelledEnum):
    """文种: the 13 main types of [001 发文 二], plus 命令(令) and 议案 of the national rules."""

    RESOLUTION = "resolution", "决议"
    DECISION = "decision", "决定"
    COMMUNIQUE = "communique", "公报"
    ANNOUNCEMENT = "announcement", "公告"
    PUBLIC_NOTICE = "public_notice", "通告"
    OPINION = "opinion", "意见"
    NOTICE = "notice", "通知"
    BULLETIN = "bulletin", "通报"
    REPORT = "report", "报告"
    REQUEST = "request", "请示"
    REPLY = "reply", "批复"
    LETTER = "letter", "函"
    MINUTES = "minutes", "纪要"
    ORDER = "order", "命令(令)"
    MOTION = "motion", "议案"


class Urgency(LabelledEnum):
    """缓急."""

    NORMAL = "normal", "平件"
    URGENT = "urgent", "加急"
    EXTRA_URGENT = "extra_urgent", "特急"


class Classification(LabelledEnum):
    """密级."""

    NONE = "none", "非密"
    SECRET = "secret", "秘密"
    CONFIDENTIAL = "confidential", "机密"
    TOP_SECRET = "top_secret", "绝密"

    @property
    def is_classified(self) -> bool:
        return self is not Classification.NONE


class Disclosure(LabelledEnum):
    """公开属性."""

    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_DISCLOSED = "not_disclosed", "不予公开"


class RetentionPeriod(LabelledEnum):
    """保管期限 of an archived document: 永久, 定期30年 or 定期10年 (国家档案局8号令 2006,
    《机关文件材料归档范围和文书档案保管期限规定》; part of the 档号 of DA/T 22-2015)."""

    PERMANENT = "permanent", "永久"
    YEARS_30 = "30_years", "定期30年"
    YEARS_10 = "10_years", "定期10年"


def suggested_retention(form: DraftForm) -> RetentionPeriod:
    """The 保管期限 govoffice proposes when the archivist does not choose one: 永久 for the
    agency's normative documents, internal rules and important documents, 定期30年 for the
    others. The archivist decides (``archive(retention=...)``) by the agency's own table."""
    if form.normative or form.internal_rules or form.important:
        return RetentionPeriod.PERMANENT
    return RetentionPeriod.YEARS_30


class PartyKind(LabelledEnum):
    UNIT = "unit", "局内处室"
    AGENCY = "agency", "外单位"


class DocumentStatus(LabelledEnum):
    DRAFT = "draft", "拟稿"
    RETURNED = "returned", "退回修改"
    UNIT_REVIEW = "unit_review", "处室审核中"
    UNIT_REVIEWED = "unit_reviewed", "处室已审核"
    COUNTERSIGNING = "countersigning", "会签中"
    OFFICE_CHECK = "office_check", "办公室初核中"
    OFFICE_REVIEW = "office_review", "办公室复核中"
    AWAITING_SIGNATURE = "awaiting_signature", "待签发"
    SIGNED = "signed", "已签发"
    REGISTERED = "registered", "已登记"
    RECHECKED = "rechecked", "已复核"
    PRINTED = "printed", "已印制"
    DISTRIBUTED = "distributed", "已核发"
    ARCHIVED = "archived", "已归档"
    WITHDRAWN = "withdrawn", "已撤回"


EDITABLE = (DocumentStatus.DRAFT, DocumentStatus.RETURNED)
BEFORE_SIGNING = (
    DocumentStatus.DRAFT,
    DocumentStatus.RETURNED,
    DocumentStatus.UNIT_REVIEW,
    DocumentStatus.UNIT_REVIEWED,
    DocumentStatus.COUNTERSIGNING,
    DocumentStatus.OFFICE_CHECK,
    DocumentStatus.OFFICE_REVIEW,
    DocumentStatus.AWAITING_SIGNATURE,
)

# --- values ---------------------------------------------------------------------------------


@value_object
class UrgentDeadlines:
    """特急 deadlines the drafter asks of countersigning, review and signing."""

    countersign_by: pendulum.DateTime
    review_by: pendulum.DateTime
    sign_by: pendulum.DateTime


@value_object
class DraftForm:
    """发文稿纸 the form a draft travels on [001 发文 图3]."""

    title: str
    doc_type: DocType
    issuer_code: str
    lead_unit: UnitId
    main_recipients: tuple[str, ...]
    text: str
    copy_recipients: tuple[str, ...] = ()
    urgency: Urgency = Urgency.NORMAL
    classification: Classification = Classification.NONE
    secrecy_period: str | None = None
    drafter_phone: str = ""
    copies: int = 1
    attachments: tuple[str, ...] = ()
    summary: str = ""
    disclosure: Disclosure = Disclosure.PROACTIVE
    important: bool = False
    for_office_meeting: bool = False
    internal_rules: bool = False
    normative: bool = False
    co_issuers: tuple[str, ...] = ()
    urgent_reason: str = ""
    urgent_deadlines: UrgentDeadlines | None = None

    @property
    def joint(self) -> bool:
        """联合发文."""
        return bool(self.co_issuers)


@value_object
class CountersignParty:
    """会签方: a unit of the agency, or a co-issuing / consulted agency."""

    kind: PartyKind
    id: str

    @classmethod
    def unit(cls, unit_id: str) -> CountersignParty:
        return cls(PartyKind.UNIT, unit_id)

    @classmethod
    def agency(cls, name: str) -> CountersignParty:
        return cls(PartyKind.AGENCY, name)

    def __str__(self) -> str:
        return self.id


@value_object
class CountersignAnswer:
    """One party's 会签意见."""

    party: CountersignParty
    agreed: bool
    opinion: str
    by: PersonId
    signatory: str
    deemed: bool = False
    adopted: bool | None = None
    not_adopted_reason: str = ""

    @property
    def unresolved(self) -> bool:
        return not self.agreed and self.adopted is None


# --- errors --------------------------------------------------------------------------------


class UrgentReasonRequired(RuleViolation):
    """[001 发文 五(四)3(2)五] 特急 must state its reason and the deadlines it asks."""

    def __init__(self, missing: str) -> None:
        super().__init__(
            f"紧急程度为“特急”的文稿须说明具体理由,并对会签、审核及签批时限提出明确意见: 缺少{missing}",
            missing=missing,
        )


class SecrecyPeriodRequired(RuleViolation):
    def __init__(self) -> None:
        super().__init__("涉密文稿须标注保密期限 (a classified draft needs its secrecy period)")


class ClassifiedNotDisclosable(RuleViolation):
    def __init__(self) -> None:
        super().__init__(
            "涉密公文的公开属性只能是“不予公开” (classified documents are not disclosed)"
        )


class TextFrozen(RuleViolation):
    """[001 发文 五(五)3] after signing the text is final (定稿)."""

    def __init__(self, document_id: object) -> None:
        super().__init__(
            f"公文 {document_id} 已签发定稿,不得改动;实质性修改须报原签发人批准 (text is frozen)",
            document_id=document_id,
        )


class CountersignRequired(RuleViolation):
    """Rules that force countersignature [001 发文 五(三)1(1), 五(四)3(6)]."""

    def __init__(self, document_id: object, missing: Iterable[str]) -> None:
        missing = tuple(missing)
        super().__init__(
            f"公文 {document_id} 尚缺必须的会签: {'; '.join(missing)} (countersignature required)",
            document_id=document_id,
            missing=missing,
        )


class NotACountersigner(RuleViolation):
    def __init__(self, document_id: object, party: str) -> None:
        super().__init__(
            f"{party} 不在公文 {document_id} 的会签范围内,或已答复 (not a pending countersigner)",
            document_id=document_id,
            party=party,
        )


class CountersignNotOverdue(RuleViolation):
    def __init__(self, party: str, due: date) -> None:
        super().__init__(
            f"{party} 的会签时限为 {due},尚未逾期,不能视为同意 (not overdue yet)",
            party=party,
            due=due,
        )


class ClassificationOfficerRequired(PermissionDenied):
    """[001 发文 五(五)1] classified documents are signed by the 定密责任人 only."""

    def __init__(self, document_id: object, person_id: str) -> None:
        super().__init__(person_id, f"签发涉密公文 {document_id}", "定密责任人(或其指定的代理人)")


class PrincipalLeaderRequired(PermissionDenied):
    """[001 发文 五(五)1] important documents are signed by the principal leader."""

    def __init__(self, document_id: object, person_id: str) -> None:
        super().__init__(person_id, f"签发重要公文 {document_id}", "主要领导(或其代理人)")


class JointSigningOrder(RuleViolation):
    """[001 发文 五(五)2] joint issuance: the lead agency signs first, then co-issuers in order."""

    def __init__(self, document_id: object, expected: str | None, got: str) -> None:
        super().__init__(
            f"联合发文 {document_id} 应由{expected}依次会签,而不是 {got}"
            if expected
            else f"公文 {document_id} 没有待会签的联署机关,不能由 {got} 会签",
            document_id=document_id,
            expected=expected,
            got=got,
        )


class NumberMismatch(RuleViolation):
    def __init__(self, document_id: object, number: DocumentNumber, reason: str) -> None:
        super().__init__(
            f"发文字号 {number} 不能用于公文 {document_id}: {reason}",
            document_id=document_id,
            number=number,
            reason=reason,
        )


class InsecurePrintSite(RuleViolation):
    """[001 发文 五(六)3] classified documents are printed only in a secure place."""

    def __init__(self, document_id: object, site: str) -> None:
        super().__init__(
            f"涉密公文 {document_id} 只能在符合保密要求的场所印制,{site} 不是 (insecure print site)",
            document_id=document_id,
            site=site,
        )


class RecheckFailed(RuleViolation):
    def __init__(self, document_id: object, findings: Iterable[str]) -> None:
        findings = tuple(findings)
        super().__init__(
            f"公文 {document_id} 复核未通过,须原签发人批准修改后重新复核: {'; '.join(findings)}",
            document_id=document_id,
            findings=findings,
        )


class PrintNotChecked(RuleViolation):
    """[001 发文 五(六)4] the drafter checks text, format and print quality before distribution."""

    def __init__(self, document_id: object) -> None:
        super().__init__(
            f"公文 {document_id} 尚未经拟稿人检查文字、格式和印刷质量,不能分发",
            document_id=document_id,
        )


# --- the aggregate -------------------------------------------------------------------------


def _form(fields: Mapping[str, Any], at: pendulum.DateTime) -> DraftForm:
    """Build and validate a 发文稿纸 from keyword fields (intrinsic and form-level rules)."""
    known = {a.name for a in attrs.fields(DraftForm)}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise InvalidInput(f"发文稿纸没有这些栏目: {', '.join(unknown)} (unknown fields)")
    f = dict(fields)
    for name in ("main_recipients", "copy_recipients", "attachments", "co_issuers"):
        if name in f:
            f[name] = texts(f[name], name)
    for name in ("important", "for_office_meeting", "internal_rules", "normative"):
        if name in f and not isinstance(f[name], bool):
            raise InvalidInput(f"{name} 必须是 True 或 False,而不是 {f[name]!r}", what=name)
    for name in ("secrecy_period", "drafter_phone", "summary", "urgent_reason"):
        if name in f and f[name] is not None:
            f[name] = text(f[name], name, required=False)
    deadlines = f.get("urgent_deadlines")
    if isinstance(deadlines, Mapping):
        try:
            f["urgent_deadlines"] = UrgentDeadlines(
                **{k: business_time(v, k) for k, v in deadlines.items()}
            )
        except TypeError:
            raise InvalidInput(
                "特急时限须给出 countersign_by、review_by、sign_by (urgent deadlines)"
            ) from None
    elif deadlines is not None and not isinstance(deadlines, UrgentDeadlines):
        raise InvalidInput(f"特急时限 {deadlines!r} 不正确 (urgent deadlines)")
    form = DraftForm(
        title=text(f.pop("title", None), "标题"),
        doc_type=coerce_enum(DocType, f.pop("doc_type", None), "文种"),
        issuer_code=text(f.pop("issuer_code", None), "发文机关代字"),
        lead_unit=UnitId(text(f.pop("lead_unit", None), "主办处室")),
        main_recipients=f.pop("main_recipients", None) or _missing("主送机关"),
        text=text(f.pop("text", None), "正文"),
        urgency=coerce_enum(Urgency, f.pop("urgency", Urgency.NORMAL), "缓急"),
        classification=coerce_enum(
            Classification, f.pop("classification", Classification.NONE), "密级"
        ),
        disclosure=coerce_enum(Disclosure, f.pop("disclosure", Disclosure.PROACTIVE), "公开属性"),
        copies=positive_int(f.pop("copies", 1), "印数", maximum=INT_BOUNDS["copies"].high),
        **f,
    )
    DocumentNumber(form.issuer_code, 2000, 1)  # the issuer code must be a valid 机关代字
    if form.classification.is_classified:
        if not (form.secrecy_period or "").strip():
            raise SecrecyPeriodRequired()
        if form.disclosure is not Disclosure.NOT_DISCLOSED:
            raise ClassifiedNotDisclosable()
    if form.urgency is Urgency.EXTRA_URGENT:
        if not form.urgent_reason.strip():
            raise UrgentReasonRequired("具体理由")
        d = form.urgent_deadlines
        if d is None:
            raise UrgentReasonRequired("会签、审核及签批时限")
        if not (at <= d.countersign_by <= d.review_by <= d.sign_by):
            raise UrgentReasonRequired("合理的时限(会签 ≤ 审核 ≤ 签批,且不早于拟稿时间)")
    return form


def _missing(what: str) -> Any:
    raise InvalidInput(f"{what}不能为空 (required)", what=what)


@stable_topics("outgoing-document")
class OutgoingDocument(OfficeAggregate):
    """发文 an outgoing official document, from draft to archive."""

    KIND = "公文"

    @classmethod
    def draft(
        cls, *, org: Organisation, by: PersonId, at: pendulum.DateTime, **fields: Any
    ) -> OutgoingDocument:
        """拟稿 draft a document on the 发文稿纸 [001 发文 五(一)]."""
        org.require_role(by, Role.DRAFTER, "拟稿", at)
        form = _form(fields, at)
        if form.lead_unit not in org.units:
            raise UnknownUnit(form.lead_unit)
        if org.person(by).unit != form.lead_unit:
            raise PermissionDenied(by, "以该处室名义拟稿", f"{org.unit(form.lead_unit).name}人员")
        return cls(form=form, by=by, at=at)

    @event("Drafted")
    def __init__(self, *, form: DraftForm, by: PersonId, at: pendulum.DateTime) -> None:
        self.form = form
        self.drafter = by
        self.drafted_at = at
        self.status = DocumentStatus.DRAFT
        self.countersign_parties: tuple[CountersignParty, ...] = ()
        self.countersign_due: dict[str, date] = {}
        self.countersign_answers: dict[str, CountersignAnswer] = {}
        self.countersign_resume: DocumentStatus | None = None
        self.signed_by: PersonId | None = None
        self.signer_acting: PersonId | None = None
        self.signed_at: pendulum.DateTime | None = None
        self.sign_opinion = ""
        self.co_signatures: tuple[str, ...] = ()
        self.number: DocumentNumber | None = None
        self.distribution_scope = ""
        self.recheck_findings: tuple[str, ...] = ()
        self.print_site: str | None = None
        self.printed_copies = 0
        self.print_checked = False
        self.distributed_to: tuple[str, ...] = ()
        self.archived_original_with: str | None = None
        self.archived_retention: RetentionPeriod | None = None
        self.returns = 0

    # --- drafting and review ---------------------------------------------------------------

    def revise(
        self, *, org: Organisation, by: PersonId, at: pendulum.DateTime, **changes: Any
    ) -> None:
        """修改 the drafter revises a draft (before it is signed)."""
        self._check_time(at)
        if self.status not in BEFORE_SIGNING and self.status is not DocumentStatus.WITHDRAWN:
            raise TextFrozen(self.id)
        self._require_status(*EDITABLE)
        self._require_drafter(org, by, "修改文稿", at)
        fields = attrs.asdict(self.form, recurse=False) | changes
        form = _form(fields, at)
        if form.lead_unit != self.form.lead_unit:
            raise InvalidInput("主办处室不能在修改时变更,请撤回后重新拟稿 (lead unit is fixed)")
        self._revised(form=form, by=by, at=at)

    @event("Revised")
    def _revised(self, form: DraftForm, by: PersonId, at: pendulum.DateTime) -> None:
        self.form = form
        self.status = DocumentStatus.DRAFT

    def submit_for_review(self, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        """提交处室负责人审核."""
        self._check_time(at)
        self._require_status(*EDITABLE)
        self._require_drafter(org, by, "提交审核", at)
        self._submitted_for_review(by=by, at=at)

    @event("SubmittedForReview")
    def _submitted_for_review(self, by: PersonId, at: pendulum.DateTime) -> None:
        self.status = DocumentStatus.UNIT_REVIEW

    def review(
        self, *, org: Organisation, by: PersonId, at: pendulum.DateTime, opinion: str = "同意"
    ) -> None:
        """处室负责人审核 the lead unit's head passes the draft [001 发文 五(一)1(4)]."""
        self._check_time(at)
        self._require_status(DocumentStatus.UNIT_REVIEW)
        org.require_head_of(by, self.form.lead_unit, "审核本处室文稿", at)
        self._reviewed(by=by, opinion=text(opinion, "审核意见", required=False), at=at)

    @event("Reviewed")
    def _reviewed(self, by: PersonId, opinion: str, at: pendulum.DateTime) -> None:
        self.status = DocumentStatus.UNIT_REVIEWED

    def return_for_revision(
        self,
        *,
        org: Organisation,
        by: PersonId,
        opinion: str,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """退回修改 a reviewer, the office or the signer returns the draft with an opinion."""
        self._check_time(at)
        self._require_status(
            DocumentStatus.UNIT_REVIEW,
            DocumentStatus.OFFICE_CHECK,
            DocumentStatus.OFFICE_REVIEW,
            DocumentStatus.AWAITING_SIGNATURE,
        )
        opinion = text(opinion, "退回意见")
        if self.status is DocumentStatus.UNIT_REVIEW:
            org.require_head_of(by, self.form.lead_unit, "退回本处室文稿", at)
        elif self.status is DocumentStatus.OFFICE_CHECK:
            org.require_role(by, Role.OFFICE_REVIEWER, "办公室初核退文", at)
        elif self.status is DocumentStatus.OFFICE_REVIEW:
            self._require_office_head(org, by, at)
        else:
            self._signing_authority(org, by, on_behalf_of, at)
        self._returned_for_revision(
            stage=self.status, by=by, on_behalf_of=on_behalf_of, opinion=opinion, at=at
        )

    @event("ReturnedForRevision")
    def _returned_for_revision(
        self,
        stage: DocumentStatus,
        by: PersonId,
        on_behalf_of: PersonId | None,
        opinion: str,
        at: pendulum.DateTime,
    ) -> None:
        self.status = DocumentStatus.RETURNED
        self.returns += 1

    # --- countersign -----------------------------------------------------------------------

    def request_countersign(
        self,
        *,
        org: Organisation,
        parties: Iterable[CountersignParty],
        due: Mapping[str, date],
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """送会签 the lead unit's head, or the office, sends the draft for countersignature.

        ``due`` gives each party's reply date (the application computes it: 1 working day
        inside the agency, 5 outside [001 发文 五(三)2]; earlier for 特急).
        """
        self._check_time(at)
        self._require_status(
            DocumentStatus.UNIT_REVIEWED, DocumentStatus.OFFICE_CHECK, DocumentStatus.OFFICE_REVIEW
        )
        if self.status is DocumentStatus.UNIT_REVIEWED:
            org.require_head_of(by, self.form.lead_unit, "送会签", at)
        else:
            org.require_role(by, Role.OFFICE_REVIEWER, "送会签", at)
        parties = tuple(parties)
        if not parties:
            raise InvalidInput("会签范围不能为空 (name at least one countersigning party)")
        for p in parties:
            if not isinstance(p, CountersignParty):
                raise InvalidInput(f"会签方 {p!r} 不正确 (use CountersignParty.unit/agency)")
            if p.kind is PartyKind.UNIT:
                org.unit(p.id)
                if p.id == self.form.lead_unit:
                    raise InvalidInput(
                        "主办处室不会签本处室文稿 (the lead unit does not countersign)"
                    )
            if p.id in self.countersign_answers or p in self.countersign_parties:
                raise InvalidInput(f"{p.id} 已在会签范围内 (already asked)")
            if p.id not in due:
                raise InvalidInput(f"{p.id} 缺少会签时限 (no reply date)")
        self._countersign_requested(
            parties=list(parties),
            due={p.id: due[p.id] for p in parties},
            resume=self.status,
            by=by,
            at=at,
        )

    @event("CountersignRequested")
    def _countersign_requested(
        self,
        parties: list[CountersignParty],
        due: dict[str, date],
        resume: DocumentStatus,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.countersign_parties = (*self.countersign_parties, *parties)
        self.countersign_due = {**self.countersign_due, **due}
        self.countersign_resume = resume
        self.status = DocumentStatus.COUNTERSIGNING

    def countersign(
        self,
        *,
        org: Organisation,
        party: str,
        agree: bool,
        by: PersonId,
        at: pendulum.DateTime,
        opinion: str = "",
        signatory: str | None = None,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """会签 a party agrees or disagrees, with its opinion.

        Inside the agency only the countersigning unit's head signs validly [001 发文
        五(三)1(1)]; an outside agency's answer is recorded by the lead unit or the office,
        naming the agency's signatory.
        """
        self._check_time(at)
        self._require_status(DocumentStatus.COUNTERSIGNING)
        target = self._pending_party(party)
        if not isinstance(agree, bool):
            raise InvalidInput(f"会签结论必须是 同意/不同意 (agree must be bool, not {agree!r})")
        opinion = text(opinion, "会签意见", required=not agree)
        if target.kind is PartyKind.UNIT:
            acting = org.acting_for(by, on_behalf_of, at)
            org.require_head_of(acting, target.id, f"代表{org.unit(target.id).name}会签", at)
            name = org.person(acting).name
        else:
            if not (
                org.holds(by, Role.OFFICE_REVIEWER, at)
                or org.person(by).unit == self.form.lead_unit
            ):
                raise PermissionDenied(by, "登记外单位会签意见", "主办处室人员或办公室审核人")
            name = text(signatory, "外单位会签人")
        self._countersigned(
            answer=CountersignAnswer(target, agree, opinion, by, name),
            on_behalf_of=on_behalf_of,
            by=by,
            at=at,
        )

    @event("Countersigned")
    def _countersigned(
        self,
        answer: CountersignAnswer,
        on_behalf_of: PersonId | None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self._record_answer(answer)

    def deem_agreed(
        self, *, org: Organisation, party: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """逾期不回复视为同意 [001 发文 五(三)2]: a party that has not answered by its date."""
        self._check_time(at)
        self._require_status(DocumentStatus.COUNTERSIGNING)
        target = self._pending_party(party)
        if not (
            org.holds(by, Role.OFFICE_REVIEWER, at) or org.person(by).unit == self.form.lead_unit
        ):
            raise PermissionDenied(by, "认定逾期会签", "主办处室人员或办公室审核人")
        due = self.countersign_due[target.id]
        if at.date() <= due:
            raise CountersignNotOverdue(target.id, due)
        answer = CountersignAnswer(target, True, "逾期未复,视为同意", by, "", deemed=True)
        self._countersign_deemed_agreed(answer=answer, by=by, at=at)

    def deem_overdue_agreed(self, *, at: pendulum.DateTime) -> list[str]:
        """The time-driven step: every party still silent after its reply date is deemed to
        agree [001 发文 五(三)2]; returns the parties (none when nothing is due)."""
        if self.status is not DocumentStatus.COUNTERSIGNING:
            return []
        self._check_time(at)
        overdue = [
            p.id
            for p in self.countersign_parties
            if p.id not in self.countersign_answers and at.date() > self.countersign_due[p.id]
        ]
        for party in overdue:
            target = self._pending_party(party)
            answer = CountersignAnswer(
                target, True, "逾期未复,视为同意", TICK_ACTOR, "", deemed=True
            )
            self._countersign_deemed_agreed(answer=answer, by=TICK_ACTOR, at=at)
        return overdue

    @event("CountersignDeemedAgreed")
    def _countersign_deemed_agreed(
        self, answer: CountersignAnswer, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self._record_answer(answer)

    def resolve_opinion(
        self,
        *,
        org: Organisation,
        party: str,
        adopted: bool,
        by: PersonId,
        at: pendulum.DateTime,
        reason: str = "",
    ) -> None:
        """处理会签意见: the lead unit adopts a dissenting opinion, or records why not
        [001 发文 五(四)3(6)三]."""
        self._check_time(at)
        self._require_status(DocumentStatus.COUNTERSIGNING)
        answer = self.countersign_answers.get(party)
        if answer is None or not answer.unresolved:
            raise InvalidInput(f"{party} 没有待处理的不同意见 (no open dissent from {party})")
        org.require_head_of(by, self.form.lead_unit, "处理会签意见", at)
        if not isinstance(adopted, bool):
            raise InvalidInput(f"是否采纳必须是 True 或 False,而不是 {adopted!r}")
        reason = text(reason, "不采纳理由", required=False)
        if not adopted and not reason.strip():
            raise ReasonRequired("不采纳会签意见")
        self._opinion_resolved(party=party, adopted=adopted, reason=reason, by=by, at=at)

    @event("OpinionResolved")
    def _opinion_resolved(
        self, party: str, adopted: bool, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        answer = self.countersign_answers[party]
        self.countersign_answers[party] = attrs.evolve(
            answer, adopted=adopted, not_adopted_reason=reason
        )
        self._maybe_finish_countersign()

    def _record_answer(self, answer: CountersignAnswer) -> None:
        self.countersign_answers[answer.party.id] = answer
        self._maybe_finish_countersign()

    def _maybe_finish_countersign(self) -> None:
        if not self._countersign_open() and self.countersign_resume is not None:
            self.status = self.countersign_resume
            self.countersign_resume = None

    def _countersign_open(self) -> tuple[str, ...]:
        return tuple(
            p.id
            for p in self.countersign_parties
            if p.id not in self.countersign_answers or self.countersign_answers[p.id].unresolved
        )

    def _pending_party(self, party: object) -> CountersignParty:
        for p in self.countersign_parties:
            if p.id == party and p.id not in self.countersign_answers:
                return p
        raise NotACountersigner(self.id, str(party))

    def missing_countersignatures(self, org: Organisation) -> tuple[str, ...]:
        """The countersignatures the rules force and the draft does not have yet."""
        answered = {
            pid for pid, a in self.countersign_answers.items() if a.agreed or a.adopted is not None
        }
        answered.add(self.form.lead_unit)  # a unit's own draft needs no countersign by itself
        missing: list[str] = []
        if self.form.internal_rules and not any(
            u in answered for u in org.units_with(UnitFunction.GENERAL_OFFICE)
        ):
            missing.append("内部管理规章制度须会签办公室 [001 发文 五(三)1(1)]")
        if self.form.normative and not any(
            u in answered for u in org.units_with(UnitFunction.LEGAL)
        ):
            missing.append("规范性文件须会签法规部门 [001 发文 五(三)1(1)]")
        if self.form.for_office_meeting and not any(
            p.kind is PartyKind.UNIT and p.id in answered for p in self.countersign_parties
        ):
            missing.append("局长办公会审议事项须会签相关处室 [001 发文 五(四)3(6)二]")
        return tuple(missing)

    # --- general office review -------------------------------------------------------------

    def submit_to_office(self, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        """送办公室审核, once the unit has reviewed and the countersignatures are in."""
        self._check_time(at)
        self._require_status(DocumentStatus.UNIT_REVIEWED)
        if not (self._is_drafter(by) or org.is_head_of(by, self.form.lead_unit, at)):
            raise PermissionDenied(by, "送办公室审核", "拟稿人或主办处室负责人")
        missing = self.missing_countersignatures(org)
        if missing:
            raise CountersignRequired(self.id, missing)
        self._submitted_to_office(by=by, at=at)

    @event("SubmittedToOffice")
    def _submitted_to_office(self, by: PersonId, at: pendulum.DateTime) -> None:
        self.status = DocumentStatus.OFFICE_CHECK

    def office_check(
        self, *, org: Organisation, by: PersonId, at: pendulum.DateTime, opinion: str = "同意"
    ) -> None:
        """办公室秘书初核 [001 发文 五(四)]."""
        self._check_time(at)
        self._require_status(DocumentStatus.OFFICE_CHECK)
        org.require_role(by, Role.OFFICE_REVIEWER, "办公室初核", at)
        self._office_checked(by=by, opinion=text(opinion, "初核意见", required=False), at=at)

    @event("OfficeChecked")
    def _office_checked(self, by: PersonId, opinion: str, at: pendulum.DateTime) -> None:
        self.status = DocumentStatus.OFFICE_REVIEW

    def office_review(
        self,
        *,
        org: Organisation,
        by: PersonId,
        at: pendulum.DateTime,
        opinion: str = "拟同意,呈局领导签发",
    ) -> None:
        """办公室主任复核 and 拟办意见: the head of the general office passes the draft to
        the signer; the forced countersignatures must be complete [001 发文 五(四)]."""
        self._check_time(at)
        self._require_status(DocumentStatus.OFFICE_REVIEW)
        self._require_office_head(org, by, at)
        missing = self.missing_countersignatures(org)
        if missing:
            raise CountersignRequired(self.id, missing)
        self._office_reviewed(by=by, opinion=text(opinion, "复核意见", required=False), at=at)

    @event("OfficeReviewed")
    def _office_reviewed(self, by: PersonId, opinion: str, at: pendulum.DateTime) -> None:
        self.status = DocumentStatus.AWAITING_SIGNATURE

    # --- signing ---------------------------------------------------------------------------

    def sign(
        self,
        *,
        org: Organisation,
        by: PersonId,
        at: pendulum.DateTime,
        opinion: str = "",
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """签发 a leader signs; a circle or a bare signature counts as agreement; the text
        is final from now on [001 发文 五(五)]."""
        self._check_time(at)
        self._require_status(DocumentStatus.AWAITING_SIGNATURE)
        acting = self._signing_authority(org, by, on_behalf_of, at)
        missing = self.missing_countersignatures(org)
        if missing:
            raise CountersignRequired(self.id, missing)
        self._signed(
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            opinion=text(opinion, "签发意见", required=False) or "同意",
            at=at,
        )

    @event("Signed")
    def _signed(
        self, by: PersonId, on_behalf_of: PersonId | None, opinion: str, at: pendulum.DateTime
    ) -> None:
        self.status = DocumentStatus.SIGNED
        self.signed_by = on_behalf_of or by
        self.signer_acting = by
        self.signed_at = at
        self.sign_opinion = opinion

    def _signing_authority(
        self, org: Organisation, by: PersonId, on_behalf_of: PersonId | None, at: pendulum.DateTime
    ) -> PersonId:
        acting = org.acting_for(by, on_behalf_of, at)
        if self.form.classification.is_classified and not org.holds(
            acting, Role.CLASSIFICATION_OFFICER, at
        ):
            raise ClassificationOfficerRequired(self.id, acting)
        if self.form.important and not org.holds(acting, Role.PRINCIPAL_LEADER, at):
            raise PrincipalLeaderRequired(self.id, acting)
        if not self.form.classification.is_classified:
            org.require_role(acting, (Role.LEADER, Role.PRINCIPAL_LEADER), "签发公文", at)
        return acting

    def co_sign(
        self,
        *,
        org: Organisation,
        agency: str,
        signatory: str,
        by: PersonId,
        at: pendulum.DateTime,
        opinion: str = "同意",
    ) -> None:
        """联合发文会签: after the lead agency has signed, each co-issuing agency's head signs
        in the listed order [001 发文 五(五)2]."""
        self._check_time(at)
        self._require_status(DocumentStatus.SIGNED)
        org.require_role(by, Role.OFFICE_REVIEWER, "登记联署机关会签", at)
        expected = self._next_co_issuer()
        if expected is None or agency != expected:  # None: not joint, or all have signed
            raise JointSigningOrder(self.id, expected, str(agency))
        self._co_signed(
            agency=agency,
            signatory=text(signatory, "联署机关负责人"),
            opinion=text(opinion, "会签意见", required=False),
            by=by,
            at=at,
        )

    @event("CoSigned")
    def _co_signed(
        self, agency: str, signatory: str, opinion: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.co_signatures = (*self.co_signatures, agency)

    def _next_co_issuer(self) -> str | None:
        remaining = self.form.co_issuers[len(self.co_signatures) :]
        return remaining[0] if remaining else None

    def approve_amendment(
        self,
        *,
        org: Organisation,
        text_after: str,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """原签发人批准实质性修改 [001 发文 五(五)3, 五(六)2]: the only way to change the
        text after signing, and only before printing."""
        self._check_time(at)
        self._require_status(
            DocumentStatus.SIGNED, DocumentStatus.REGISTERED, DocumentStatus.RECHECKED
        )
        acting = org.acting_for(by, on_behalf_of, at)
        if acting != self.signed_by:
            raise PermissionDenied(acting, "批准签发后的实质性修改", f"原签发人 {self.signed_by}")
        self._amendment_approved(
            text=text(text_after, "修改后的正文"),
            reason=text(reason, "修改理由"),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("AmendmentApproved")
    def _amendment_approved(
        self,
        text: str,
        reason: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.form = attrs.evolve(self.form, text=text)
        self.recheck_findings = ()
        if self.status is DocumentStatus.RECHECKED:
            self.status = DocumentStatus.REGISTERED

    # --- after signing ---------------------------------------------------------------------

    def register(
        self,
        *,
        org: Organisation,
        number: DocumentNumber,
        distribution_scope: str,
        copies: int,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """登记 assign the document number, distribution scope and copy count
        [001 发文 五(六)1]. The number comes from the issuer's series for the year."""
        self._check_time(at)
        self._require_status(DocumentStatus.SIGNED)
        org.require_role(by, Role.OFFICE_REVIEWER, "发文登记", at)
        if self._next_co_issuer() is not None:
            raise JointSigningOrder(self.id, self._next_co_issuer(), "登记")
        if not isinstance(number, DocumentNumber):
            raise InvalidInput(f"发文字号 {number!r} 不是 DocumentNumber")
        if number.issuer_code != self.form.issuer_code:
            raise NumberMismatch(self.id, number, f"机关代字应为 {self.form.issuer_code}")
        if number.year != at.year:
            raise NumberMismatch(self.id, number, f"年份应为登记年份 {at.year}")
        self._registered(
            number=number,
            distribution_scope=text(distribution_scope, "分送范围"),
            copies=positive_int(copies, "印制份数", maximum=INT_BOUNDS["copies"].high),
            by=by,
            at=at,
        )

    @event("Registered")
    def _registered(
        self,
        number: DocumentNumber,
        distribution_scope: str,
        copies: int,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.number = number
        self.distribution_scope = distribution_scope
        self.form = attrs.evolve(self.form, copies=copies)
        self.status = DocumentStatus.REGISTERED

    def recheck(
        self,
        *,
        org: Organisation,
        by: PersonId,
        at: pendulum.DateTime,
        findings: Iterable[str] = (),
    ) -> None:
        """复核 check approvals, countersignatures, type and format before printing
        [001 发文 五(六)2]. Findings that need a substantive change send the document back
        to the original signer (see :meth:`approve_amendment`)."""
        self._check_time(at)
        self._require_status(DocumentStatus.REGISTERED)
        org.require_role(by, Role.OFFICE_REVIEWER, "复核", at)
        if self.recheck_findings:  # only the original signer's amendment clears findings
            raise RecheckFailed(self.id, self.recheck_findings)
        found = texts(findings, "复核意见")
        missing = self.missing_countersignatures(org)
        self._rechecked(findings=list(found) + list(missing), by=by, at=at)

    @event("Rechecked")
    def _rechecked(self, findings: list[str], by: PersonId, at: pendulum.DateTime) -> None:
        self.recheck_findings = tuple(findings)
        if not findings:
            self.status = DocumentStatus.RECHECKED

    def print_copies(
        self, *, org: Organisation, site: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """印制 print the registered copies; classified documents only at a secure site
        [001 发文 五(六)3]."""
        self._check_time(at)
        if self.status is DocumentStatus.REGISTERED and self.recheck_findings:
            raise RecheckFailed(self.id, self.recheck_findings)
        self._require_status(DocumentStatus.RECHECKED)
        org.require_role(by, Role.OFFICE_REVIEWER, "印制公文", at)
        site = text(site, "印制场所")
        if self.form.classification.is_classified and site not in org.secure_print_sites:
            raise InsecurePrintSite(self.id, site)
        self._printed(site=site, copies=self.form.copies, by=by, at=at)

    @event("Printed")
    def _printed(self, site: str, copies: int, by: PersonId, at: pendulum.DateTime) -> None:
        self.print_site = site
        self.printed_copies = copies
        self.print_checked = False
        self.status = DocumentStatus.PRINTED

    def check_print(
        self,
        *,
        org: Organisation,
        by: PersonId,
        at: pendulum.DateTime,
        findings: Iterable[str] = (),
    ) -> None:
        """拟稿人检查 the drafter checks text, format and print quality; findings send the
        copies back for reprinting [001 发文 五(六)4]."""
        self._check_time(at)
        self._require_status(DocumentStatus.PRINTED)
        self._require_drafter(org, by, "检查印制质量", at)
        self._print_checked(findings=list(texts(findings, "检查意见")), by=by, at=at)

    @event("PrintChecked")
    def _print_checked(self, findings: list[str], by: PersonId, at: pendulum.DateTime) -> None:
        if findings:
            self.status = DocumentStatus.RECHECKED
        else:
            self.print_checked = True

    def distribute(self, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        """核发 send the copies to the main and copy recipients [001 发文 五(六)4]."""
        self._check_time(at)
        self._require_status(DocumentStatus.PRINTED)
        if not self.print_checked:
            raise PrintNotChecked(self.id)
        if not (self._is_drafter(by) or org.holds(by, Role.OFFICE_REVIEWER, at)):
            raise PermissionDenied(by, "分发公文", "拟稿人或办公室审核人")
        self._distributed(
            main=list(self.form.main_recipients),
            copy=list(self.form.copy_recipients),
            by=by,
            at=at,
        )

    @event("Distributed")
    def _distributed(
        self, main: list[str], copy: list[str], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.distributed_to = (*main, *copy)
        self.status = DocumentStatus.DISTRIBUTED

    def archive(
        self,
        *,
        org: Organisation,
        by: PersonId,
        at: pendulum.DateTime,
        retention: RetentionPeriod | str | None = None,
    ) -> None:
        """归档 the lead unit's original goes to the archive with its 保管期限 (by default
        :func:`suggested_retention`); in a joint issuance the lead agency keeps the original
        and the others keep copies [001 发文 五(六)5]."""
        self._check_time(at)
        self._require_status(DocumentStatus.DISTRIBUTED)
        org.require_role(by, Role.ARCHIVIST, "公文归档", at)
        period = (
            suggested_retention(self.form)
            if retention is None
            else coerce_enum(RetentionPeriod, retention, "保管期限")
        )
        self._archived(
            original_with=self.form.lead_unit,
            copies_with=list(self.form.co_issuers),
            retention=period,
            by=by,
            at=at,
        )

    class Archived(Aggregate.Event):
        """归档 (stored as ``govoffice/outgoing-document/Archived``).

        Version 2 records the 保管期限 (``retention``). A version-1 event, stored before,
        reads back with ``retention=None``: not recorded when it was archived (see
        CONTRIBUTING.md, "Changing an event", and ADR 0044)."""

        class_version = 2
        original_with: str
        copies_with: list[str]
        retention: RetentionPeriod | None
        by: PersonId
        at: pendulum.DateTime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["retention"] = None

    @event(Archived)
    def _archived(
        self,
        original_with: str,
        copies_with: list[str],
        retention: RetentionPeriod | None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.archived_original_with = original_with
        self.archived_retention = retention
        self.status = DocumentStatus.ARCHIVED

    def withdraw(
        self, *, org: Organisation, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """撤回 the drafter or the lead unit's head withdraws a document not yet registered."""
        self._check_time(at)
        self._require_status(*BEFORE_SIGNING, DocumentStatus.SIGNED)
        if not (self._is_drafter(by) or org.is_head_of(by, self.form.lead_unit, at)):
            raise PermissionDenied(by, "撤回公文", "拟稿人或主办处室负责人")
        self._withdrawn(reason=text(reason, "撤回理由"), by=by, at=at)

    @event("Withdrawn")
    def _withdrawn(self, reason: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.status = DocumentStatus.WITHDRAWN

    # --- helpers ---------------------------------------------------------------------------

    def _is_drafter(self, by: str) -> bool:
        return by == self.drafter

    def _require_drafter(
        self, org: Organisation, by: PersonId, action: str, at: pendulum.DateTime
    ) -> None:
        if not self._is_drafter(by):
            org.person(by)
            raise PermissionDenied(by, action, f"本文拟稿人 {self.drafter}")

    def _require_office_head(self, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        if not any(org.is_head_of(by, u, at) for u in org.units_with(UnitFunction.GENERAL_OFFICE)):
            org.person(by)
            raise PermissionDenied(by, "办公室主任复核", "办公室负责人")


def new_document_id() -> uuid.UUID:
    return uuid.uuid4()
