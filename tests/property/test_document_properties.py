"""发文 under random command sequences (hypothesis), through ``office.documents``.

(a) A state machine drives one document with random commands by random people (right and
    wrong) at random times: only ``GovOfficeError`` refusals, a refusal records nothing,
    the signed text changes only by ``AmendmentApproved`` [001 发文 五(五)3], and the
    numbers registered are 1..n without gaps [001 发文 五(六)1].
(b) The document rebuilt at version n equals the live document after its n-th decision.
(c) Numbers stay gapless and unique, per issuer code, however the steps of several
    documents interleave.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import attrs
import pendulum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from govoffice.application.office import Office
from govoffice.domain.document import (
    DocumentStatus,
    OutgoingDocument,
    PartyKind,
    UrgentDeadlines,
)
from govoffice.domain.errors import BeforeEstablishment, GovOfficeError, TimeGoesBackwards
from govoffice.domain.numbering import NumberSeries
from govoffice.domain.values import DocumentNumber
from govoffice.testing import (
    SECURE_PRINT_SITE,
    AgencyPeople,
    assert_refusal_explained,
    assert_trail_authorised,
    notification_count,
    office_for_tests,
    recorded_since,
    standard_agency,
)

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
A = AgencyPeople()
PEOPLE = sorted({*attrs.asdict(A).values(), "nobody"})
UNIT_HEADS = {
    "biz1": A.unit_head,
    "biz2": A.unit_head2,
    "legal": A.legal_head,
    "office": A.office_head,
    "finance": A.finance_head,
    "party": A.party_head,
    "discipline": A.discipline_head,
}
UNITS = [*UNIT_HEADS, "nowhere"]
AGENCIES = ["市财政局", "市司法局"]
CO_ISSUERS = ["Y局", "Z局"]
SITES = [SECURE_PRINT_SITE, "局文印室", "街边打印店"]
SERIES = "发文字号"

KINDS: dict[str, dict[str, Any]] = {
    "ordinary": {},
    "important": {"important": True},
    "classified": {
        "classification": "机密",
        "secrecy_period": "20年",
        "disclosure": "不予公开",
    },
    "internal_rules": {"internal_rules": True},
    "normative": {"normative": True},
    "office_meeting": {"for_office_meeting": True},
    "joint": {"co_issuers": CO_ISSUERS},
    "extra_urgent": {
        "urgency": "特急",
        "urgent_reason": "上级限期报送",
        "urgent_deadlines": UrgentDeadlines(
            countersign_by=T0.add(days=1), review_by=T0.add(days=2), sign_by=T0.add(days=3)
        ),
    },
}
FORCED_UNITS = (
    ("internal_rules", "office"),
    ("normative", "legal"),
    ("for_office_meeting", "biz2"),
)
"""The unit each forcing flag of the form needs as a countersigner [001 发文 五(三)1(1)]."""


def form(issuer_code: str = "X政发", **overrides: Any) -> dict[str, Any]:
    return {
        "title": "关于开展专项检查的通知",
        "doc_type": "通知",
        "issuer_code": issuer_code,
        "lead_unit": "biz1",
        "main_recipients": ["各处室"],
        "copy_recipients": ["市政府办公室"],
        "text": "原稿正文",
    } | overrides


def public_state(doc: OutgoingDocument) -> dict[str, Any]:
    """What a caller can see of a document (its public attributes)."""
    return {k: v for k, v in vars(doc).items() if not k.startswith("_")}


def right_step(office: Office, doc_id: uuid.UUID) -> bool:
    """Take the next happy-path step with the right person; False when there is none."""
    docs = office.documents
    doc = docs.get(doc_id)
    f = doc.form
    signer = A.principal if (f.important or f.classification.is_classified) else A.deputy
    match doc.status:
        case DocumentStatus.DRAFT | DocumentStatus.RETURNED:
            docs.submit_for_review(doc_id, by=A.drafter)
        case DocumentStatus.UNIT_REVIEW:
            docs.review(doc_id, by=A.unit_head)
        case DocumentStatus.UNIT_REVIEWED:
            asked = {p.id for p in doc.countersign_parties}
            forced = [unit for flag, unit in FORCED_UNITS if getattr(f, flag)]
            if doc.missing_countersignatures(office.org.current()):
                units = [u for u in forced if u not in asked]
                docs.request_countersign(doc_id, by=A.unit_head, units=units)
            else:
                docs.submit_to_office(doc_id, by=A.drafter)
        case DocumentStatus.COUNTERSIGNING:
            for party in doc.countersign_parties:
                answer = doc.countersign_answers.get(party.id)
                if answer is not None and answer.unresolved:
                    docs.resolve_opinion(doc_id, party=party.id, adopted=True, by=A.unit_head)
                    break
                if answer is None and party.kind is PartyKind.UNIT:
                    docs.countersign(doc_id, party=party.id, agree=True, by=UNIT_HEADS[party.id])
                    break
                if answer is None:
                    docs.countersign(
                        doc_id, party=party.id, agree=True, signatory="某局长", by=A.drafter
                    )
                    break
        case DocumentStatus.OFFICE_CHECK:
            docs.office_check(doc_id, by=A.secretary)
        case DocumentStatus.OFFICE_REVIEW:
            docs.office_review(doc_id, by=A.office_head)
        case DocumentStatus.AWAITING_SIGNATURE:
            docs.sign(doc_id, by=signer)
        case DocumentStatus.SIGNED if len(doc.co_signatures) < len(f.co_issuers):
            agency = f.co_issuers[len(doc.co_signatures)]
            docs.co_sign(doc_id, agency=agency, signatory="联署局长", by=A.secretary)
        case DocumentStatus.SIGNED:
            docs.register(doc_id, by=A.secretary, distribution_scope="全局", copies=3)
        case DocumentStatus.REGISTERED if doc.recheck_findings:
            assert doc.signed_by is not None
            docs.approve_amendment(doc_id, text="更正后的正文", reason="复核意见", by=doc.signed_by)
        case DocumentStatus.REGISTERED:
            docs.recheck(doc_id, by=A.secretary)
        case DocumentStatus.RECHECKED:
            docs.print_copies(doc_id, site=SECURE_PRINT_SITE, by=A.secretary)
        case DocumentStatus.PRINTED if not doc.print_checked:
            docs.check_print(doc_id, by=A.drafter)
        case DocumentStatus.PRINTED:
            docs.distribute(doc_id, by=A.drafter)
        case DocumentStatus.DISTRIBUTED:
            docs.archive(doc_id, by=A.archivist)
        case _:
            return False
    return True


# --- (a) and (b): one document under random commands ------------------------------------


KEY_PEOPLE = [A.drafter, A.unit_head, A.secretary, A.office_head, A.principal, A.deputy, A.deputy2]
people = st.sampled_from(KEY_PEOPLE) | st.sampled_from(PEOPLE)
"""Anyone, but half the time one of the people who move documents along."""
maybe_person = st.none() | people
opinions = st.sampled_from(["", "同意", "请修改第二段", " "])
parties = st.sampled_from(UNITS + AGENCIES)


def args(**strategies: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(strategies)


COMMANDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "submit_for_review": args(by=people),
    "review": args(by=people, opinion=opinions),
    "return_for_revision": args(by=people, opinion=opinions, on_behalf_of=maybe_person),
    "revise": args(by=people, text=st.sampled_from(["修改稿正文", "再次修改的正文", ""])),
    "request_countersign": args(
        by=people,
        units=st.lists(st.sampled_from(UNITS), max_size=2, unique=True),
        agencies=st.lists(st.sampled_from(AGENCIES), max_size=1, unique=True),
    ),
    "countersign": args(
        by=people,
        party=parties,
        agree=st.booleans(),
        opinion=opinions,
        signatory=st.none() | st.just("某局长"),
        on_behalf_of=maybe_person,
    ),
    "deem_agreed": args(by=people, party=parties),
    "resolve_opinion": args(
        by=people,
        party=parties,
        adopted=st.booleans(),
        reason=st.sampled_from(["", "有上位法依据"]),
    ),
    "submit_to_office": args(by=people),
    "office_check": args(by=people, opinion=opinions),
    "office_review": args(by=people),
    "sign": args(by=people, on_behalf_of=maybe_person, opinion=opinions),
    "co_sign": args(
        by=people, agency=st.sampled_from([*CO_ISSUERS, "W局"]), signatory=st.just("联署局长")
    ),
    "approve_amendment": args(
        by=people,
        on_behalf_of=maybe_person,
        text=st.sampled_from(["批准修改的正文", ""]),
        reason=st.sampled_from(["数字有误", ""]),
    ),
    "register": args(by=people, distribution_scope=st.just("全局"), copies=st.integers(0, 3)),
    "recheck": args(by=people, findings=st.lists(st.just("附件缺页"), max_size=1)),
    "print_copies": args(by=people, site=st.sampled_from(SITES)),
    "check_print": args(by=people, findings=st.lists(st.just("字迹模糊"), max_size=1)),
    "distribute": args(by=people),
    "archive": args(by=people),
    "withdraw": args(by=people, reason=st.sampled_from(["", "不再发文"])),
}
"""Every command of ``office.documents`` on one document, with random (often wrong) people."""

calls = st.sampled_from(sorted(COMMANDS)).flatmap(
    lambda name: st.tuples(st.just(name), COMMANDS[name])
)


class OneDocument(RuleBasedStateMachine):
    """One document of a random kind: the right people move it along, random people try
    random commands in between, and time passes."""

    def __init__(self) -> None:
        super().__init__()
        self.office = office_for_tests(start=T0)
        standard_agency(self.office, T0)
        self.office.org.appoint_substitute(
            leader=A.deputy,
            substitute=A.deputy2,
            start=date(2026, 3, 4),
            end=date(2026, 3, 8),
            by=A.admin,
        )
        self.doc: uuid.UUID = uuid.uuid4()
        self.live: dict[int, dict[str, Any]] = {}
        self.numbers: list[DocumentNumber] = []

    def teardown(self) -> None:
        self.office.close()

    def remember(self) -> None:
        """Keep the live state after each decision, by version, for (b)."""
        doc = self.office.documents.get(self.doc)
        self.live[doc.version] = public_state(doc)
        if doc.number is not None and doc.number not in self.numbers:
            self.numbers.append(doc.number)

    # --- rules -------------------------------------------------------------------------------

    @initialize(kind=st.sampled_from(sorted(KINDS)))
    def draft(self, kind: str) -> None:
        self.doc = self.office.documents.draft(by=A.drafter, at=T0, **form(**KINDS[kind]))
        self.remember()
        event(f"kind {kind}")

    @rule(hours=st.integers(0, 60))
    def time_passes(self, hours: int) -> None:
        self.office.clock.advance(hours=hours)  # type: ignore[attr-defined]

    @rule(steps=st.integers(1, 6))
    def the_right_people_take_the_next_steps(self, steps: int) -> None:
        for _ in range(steps):
            before = notification_count(self.office)
            if not right_step(self.office, self.doc):
                return
            assert notification_count(self.office) > before
            self.remember()

    @rule(tries=st.lists(calls, min_size=1, max_size=4))
    def someone_tries_commands(self, tries: list[tuple[str, dict[str, Any]]]) -> None:
        """Any command by anyone: done, or refused with a GovOfficeError recording nothing."""
        for command, kwargs in tries:
            before = notification_count(self.office)
            try:
                getattr(self.office.documents, command)(self.doc, **kwargs)
            except GovOfficeError as refusal:
                assert_refusal_explained(refusal, OutgoingDocument)
                leaked = recorded_since(self.office, before)
                assert leaked == [], f"a refusal recorded {[type(e).__name__ for e in leaked]}"
                event(f"refused {type(refusal).__name__}")
            else:
                self.remember()
                event(f"done {command}")

    @rule(command=st.sampled_from(["review", "sign", "withdraw", "revise"]), by=people)
    def a_step_dated_before_the_last_one(self, command: str, by: str) -> None:
        """Business time never goes backwards on a record, whoever tries."""
        last_at = self.office.documents.get(self.doc).last_at
        assert last_at is not None
        kwargs: dict[str, Any] = {"by": by, "at": last_at.subtract(minutes=1)}
        kwargs |= {"withdraw": {"reason": "不发了"}, "revise": {"text": "改"}}.get(command, {})
        before = notification_count(self.office)
        try:
            getattr(self.office.documents, command)(self.doc, **kwargs)
        except (TimeGoesBackwards, BeforeEstablishment):  # the draft's own minute: T0
            assert notification_count(self.office) == before
        else:
            raise AssertionError(f"{command} dated before the last step was recorded")

    @rule()
    def another_document_is_registered(self) -> None:
        """Numbers are shared per issuer code and year: register a second document."""
        other = self.office.documents.draft(by=A.drafter2, **form(lead_unit="biz2"))
        docs = self.office.documents
        docs.submit_for_review(other, by=A.drafter2)
        docs.review(other, by=A.unit_head2)
        docs.submit_to_office(other, by=A.drafter2)
        docs.office_check(other, by=A.secretary)
        docs.office_review(other, by=A.office_head)
        docs.sign(other, by=A.deputy2)
        self.numbers.append(
            docs.register(other, by=A.secretary, distribution_scope="全局", copies=1)
        )

    @precondition(lambda self: len(self.live) > 1)
    @rule(data=st.data())
    def an_earlier_version_is_rebuilt_as_it_was(self, data: st.DataObject) -> None:
        """(b) the state rebuilt at version n equals the live state after n decisions."""
        version = data.draw(st.sampled_from(sorted(self.live)), label="version")
        rebuilt = self.office.documents.get(self.doc, version=version)
        assert public_state(rebuilt) == self.live[version]

    # --- invariants --------------------------------------------------------------------------

    @invariant()
    def every_decision_was_authorised_when_taken(self) -> None:
        """[ADR 0024] the trail, reading the same authority table as the commands, says 有权
        for every decision the commands accepted."""
        assert_trail_authorised(self.office, self.doc)

    @invariant()
    def status_is_a_document_status(self) -> None:
        status = self.office.documents.get(self.doc).status
        assert isinstance(status, DocumentStatus)
        event(f"reached {status.value}")

    @invariant()
    def the_signed_text_changes_only_by_an_approved_amendment(self) -> None:
        text, signed = None, False
        for decision in self.office.store.events(self.doc):
            name = type(decision).__name__
            if name in ("Drafted", "Revised"):
                assert not signed, "the text was revised after signing"
                text = decision.form.text  # type: ignore[attr-defined]
            elif name == "Signed":
                signed = True
            elif name == "AmendmentApproved":
                assert signed, "an amendment before signing"
                text = decision.text  # type: ignore[attr-defined]
        assert self.office.documents.get(self.doc).form.text == text

    @invariant()
    def numbers_run_from_one_without_gaps(self) -> None:
        serials = sorted(n.serial for n in self.numbers)
        assert serials == list(range(1, len(serials) + 1))
        series_id = NumberSeries.create_id(SERIES, "X政发", 2026)
        if self.numbers:
            assert self.office.store.get(NumberSeries, series_id).last_serial == len(serials)
        number = self.office.documents.get(self.doc).number
        assert number is None or number in self.numbers

    @invariant()
    def the_live_state_is_the_state_replayed_from_the_store(self) -> None:
        """(b) at the latest version; ``get(version=n)`` replays and bypasses the cache."""
        version = max(self.live)
        rebuilt = self.office.documents.get(self.doc, version=version)
        assert public_state(rebuilt) == self.live[version]


OneDocument.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestOneDocument = OneDocument.TestCase


# --- (c) numbering under interleavings ---------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codes=st.lists(st.sampled_from(["X政发", "X政函"]), min_size=1, max_size=6), data=st.data())
def test_numbers_stay_gapless_and_unique_per_issuer_code_under_any_interleaving(
    codes: list[str], data: st.DataObject
) -> None:
    """[001 发文 五(六)1] 发文字号按机关代字和年度从1起连续编号,不重号、不空号."""
    office = office_for_tests(start=T0)
    try:
        standard_agency(office, T0)
        docs = [office.documents.draft(by=A.drafter, **form(code)) for code in codes]
        registered: dict[uuid.UUID, DocumentNumber] = {}
        open_docs = list(docs)
        while open_docs:
            doc = data.draw(st.sampled_from(open_docs), label="next document")
            office.clock.advance(minutes=data.draw(st.integers(0, 90)))  # type: ignore[attr-defined]
            if data.draw(st.booleans(), label="a refused registration first"):
                before = notification_count(office)
                try:
                    office.documents.register(
                        doc, by=A.drafter, distribution_scope="全局", copies=1
                    )
                except GovOfficeError:
                    assert notification_count(office) == before
                else:
                    raise AssertionError("a drafter registered a document")
            right_step(office, doc)
            number = office.documents.get(doc).number
            if number is not None:
                registered[doc] = number
                open_docs.remove(doc)

        for code in ("X政发", "X政函"):
            mine = sorted(n.serial for d, n in registered.items() if n.issuer_code == code)
            assert mine == list(range(1, codes.count(code) + 1))
        assert len(set(registered.values())) == len(docs)
        for doc, number in registered.items():
            assert office.documents.find_by_number(str(number)).id == doc
    finally:
        office.close()
