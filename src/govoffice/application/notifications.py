"""通知 notifications: who hears of what, delivered exactly once (ADR 0017).

Two stages:

1. **Outbox (exactly-once).** :class:`NotificationPolicy` is a read-model
   :class:`~govoffice.application.views.Projection`: it follows the event log and turns each
   event that someone must hear of into one :class:`Notification` row per recipient, in the
   ``outbox`` table of its view. The rows and the policy's position are committed in one
   transaction, so a crash neither loses nor repeats a row. A row's key is its idempotency
   key: ``"{originator id}/{originator version}/{recipient}"`` (the event id and the person).
2. **Delivery (at-least-once, deduplicated by key).** :class:`Dispatcher` sends the pending
   rows through the configured :class:`Notifier` and marks each row sent, in its own small
   transaction, once the adapter has confirmed. A crash between the send and the mark sends
   that one message again; the key travels with the message (webhook ``Idempotency-Key``,
   e-mail ``Message-ID``) so the receiver drops the repeat. Transient failures are retried
   with exponential backoff; a permanent failure (or retries exhausted) marks the row
   ``failed`` with the error, and is surfaced by :meth:`NotificationService.failed` and by the
   :class:`DeliveryReport` (or :class:`NotificationsFailed`) of a delivery run. Any number
   of dispatchers may run at once: each row is claimed by one (a lease in the view store)
   and checked against its source event (:class:`SourceCheck`) before it is sent
   (ADR 0033). A classified document's message names only the kind of work and its number
   (ADR 0034).

``office.notifications`` is the :class:`NotificationService`. Adapters (memory, log, SMTP,
webhook) live in :mod:`govoffice.adapters.notifiers`; ``notifier_from_config`` builds one
from a URL.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import pendulum
from eventsourcing.domain import CanMutateAggregate
from eventsourcing.utils import get_topic

from govoffice.application.app import OfficeApplication
from govoffice.application.typecheck import Facade
from govoffice.application.views import (
    Document,
    Projection,
    ViewReader,
    ViewRunner,
    ViewStore,
    ViewTransaction,
    handles,
)
from govoffice.domain.document import OutgoingDocument, PartyKind
from govoffice.domain.errors import ConcurrentChange, GovOfficeError, InvalidInput
from govoffice.domain.incoming import IncomingDocument
from govoffice.domain.meeting import Meeting
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.proposal import Proposal
from govoffice.domain.supervision import SupervisionTask
from govoffice.domain.supervision_notice import SupervisionNotice
from govoffice.domain.values import LabelledEnum, coerce_enum

if TYPE_CHECKING:
    from govoffice.application.office import Office

log = logging.getLogger("govoffice.notifications")

OUTBOX = "outbox"
"""The outbox table: idempotency key -> :class:`Notification` document."""
QUEUE = "queue"
"""Pending rows in the order they were written: ``f"{seq:012d}"`` -> ``{"key": key}``."""
META = "meta"
MARK_RETRIES = 200
"""How often a mark is tried when other dispatchers' marks keep moving the counter first."""
_LOST = "\x00lease lost"


# --- values ----------------------------------------------------------------------------------


class NotificationKind(LabelledEnum):
    """通知类别 what a notification is about."""

    DRAFT_RETURNED = "draft_returned", "文稿退回修改"
    COUNTERSIGN_REQUESTED = "countersign_requested", "请求会签"
    TO_SIGN = "to_sign", "公文待签发"
    INCOMING_ASSIGNED = "incoming_assigned", "收文分办"
    INSTRUCTION_GIVEN = "instruction_given", "领导批示"
    MEETING_NOTICE = "meeting_notice", "会议通知"
    LEAVE_DECIDED = "leave_decided", "请假审批结果"
    URGED = "urged", "催办"
    OVERDUE = "overdue", "逾期"
    REPLY_RETURNED = "reply_returned", "答复退回"
    NOTICE_ISSUED = "notice_issued", "督查通报"


class NotificationStatus(LabelledEnum):
    """发送状态."""

    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


@attrs.frozen
class Message:
    """One message to one person, as an adapter sends it. ``key`` is the idempotency key:
    the same key is the same message, however often it arrives."""

    key: str
    event_id: str
    kind: NotificationKind
    recipient: str
    name: str
    email: str | None
    subject: str
    body: str
    record_id: str
    at: str
    """Business time of the decision notified about (ISO 8601)."""

    def to_json(self) -> dict[str, Any]:
        """The JSON a webhook receives."""
        return {
            "key": self.key,
            "event_id": self.event_id,
            "kind": self.kind.value,
            "kind_label": self.kind.label,
            "recipient": {"id": self.recipient, "name": self.name, "email": self.email},
            "subject": self.subject,
            "body": self.body,
            "record_id": self.record_id,
            "at": self.at,
        }


@attrs.frozen
class Notification:
    """An outbox row: the message, and how its delivery stands."""

    message: Message
    seq: int
    status: NotificationStatus = NotificationStatus.PENDING
    attempts: int = 0
    last_error: str = ""
    deliveries: int = 0
    """Confirmed deliveries recorded; 1 once sent (more only if a send outlasted its
    dispatcher's lease and another dispatcher sent it too, ADR 0033)."""
    sent_at: str | None = None
    failed_at: str | None = None
    position: int | None = None
    """The notification id of the source event (rows written before it was kept: None)."""

    @property
    def key(self) -> str:
        return self.message.key

    @property
    def recipient(self) -> str:
        return self.message.recipient

    @property
    def kind(self) -> NotificationKind:
        return self.message.kind

    def to_document(self) -> Document:
        m = self.message
        return {
            "key": m.key,
            "event_id": m.event_id,
            "kind": m.kind.value,
            "recipient": m.recipient,
            "name": m.name,
            "email": m.email,
            "subject": m.subject,
            "body": m.body,
            "record_id": m.record_id,
            "at": m.at,
            "seq": self.seq,
            "status": self.status.value,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "deliveries": self.deliveries,
            "sent_at": self.sent_at,
            "failed_at": self.failed_at,
            "position": self.position,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Notification:
        return cls(
            message=Message(
                key=doc["key"],
                event_id=doc["event_id"],
                kind=NotificationKind(doc["kind"]),
                recipient=doc["recipient"],
                name=doc["name"],
                email=doc["email"],
                subject=doc["subject"],
                body=doc["body"],
                record_id=doc["record_id"],
                at=doc["at"],
            ),
            seq=doc["seq"],
            status=NotificationStatus(doc["status"]),
            attempts=doc["attempts"],
            last_error=doc["last_error"],
            deliveries=doc.get("deliveries", 0),
            sent_at=doc["sent_at"],
            failed_at=doc["failed_at"],
            position=doc.get("position"),
        )


# --- the port --------------------------------------------------------------------------------


class Notifier(Protocol):
    """通知渠道 where messages go: e-mail, a webhook, a log, memory (for tests).

    ``send`` returns once the channel has accepted the message, or raises
    :class:`DeliveryError` (``permanent`` or not); an ``OSError`` counts as transient.
    """

    def send(self, message: Message) -> None: ...


class DeliveryError(GovOfficeError):
    """A channel did not accept a message. ``permanent``: retrying will not help (a 4xx
    answer, an unknown address); otherwise the dispatcher retries with backoff, waiting at
    least ``retry_after`` seconds when the channel said so."""

    def __init__(
        self, message: str, *, permanent: bool, retry_after: float | None = None, **details: Any
    ) -> None:
        super().__init__(message, permanent=permanent, retry_after=retry_after, **details)
        self.permanent = permanent
        self.retry_after = retry_after


class TransientDeliveryError(DeliveryError):
    def __init__(self, message: str, *, retry_after: float | None = None, **details: Any) -> None:
        super().__init__(message, permanent=False, retry_after=retry_after, **details)


class PermanentDeliveryError(DeliveryError):
    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message, permanent=True, **details)


class LogNotifier:
    """日志 writes each message to the ``govoffice.notifications`` logger (the default
    channel: nothing leaves the machine until a real channel is configured)."""

    def __init__(self, logger: logging.Logger | None = None, level: int = logging.INFO) -> None:
        self.logger = logger or log
        self.level = level

    def send(self, message: Message) -> None:
        self.logger.log(
            self.level,
            "通知 %s -> %s <%s>: %s [%s]",
            message.kind.label,
            message.recipient,
            message.email or "-",
            message.subject,
            message.key,
        )

    def __repr__(self) -> str:
        return "LogNotifier()"


# --- delivery --------------------------------------------------------------------------------


@attrs.frozen
class RetryPolicy:
    """重试 how often and how patiently a message is retried: ``attempts`` in all, waiting
    ``first_delay`` seconds after the first failure and ``factor`` times longer after each
    further one, never more than ``max_delay``."""

    attempts: int = 5
    first_delay: float = 1.0
    factor: float = 2.0
    max_delay: float = 60.0

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.attempts, int) or self.attempts < 1:
            raise InvalidInput(f"重试次数 {self.attempts!r} 必须是正整数 (attempts >= 1)")
        if self.first_delay < 0 or self.factor < 1 or self.max_delay < 0:
            raise InvalidInput("退避参数不正确 (delays >= 0, factor >= 1)")

    def delay(self, failed_attempts: int) -> float:
        """Seconds to wait after ``failed_attempts`` failures (1, 2, ...)."""
        return float(min(self.max_delay, self.first_delay * self.factor ** (failed_attempts - 1)))


@attrs.frozen
class DeliveryReport:
    """What one delivery run did: the keys sent, the rows that failed (with the error), and
    how many rows are still pending."""

    sent: tuple[str, ...] = ()
    failed: tuple[Notification, ...] = ()
    pending: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            sent=self.sent + other.sent, failed=self.failed + other.failed, pending=other.pending
        )

    def raise_for_failures(self) -> None:
        if self.failed:
            raise NotificationsFailed(self)

    def describe(self) -> str:
        text = f"已发送 {len(self.sent)} 条, 失败 {len(self.failed)} 条, 待发送 {self.pending} 条"
        for n in self.failed:
            text += f"\n  {n.key} -> {n.recipient}: {n.last_error}"
        return text


class NotificationsFailed(GovOfficeError):
    """Some notifications could not be delivered; they are marked failed in the outbox
    (``office.notifications.failed()``) and can be queued again with ``retry_failed``."""

    def __init__(self, report: DeliveryReport) -> None:
        first = report.failed[0]
        super().__init__(
            f"{len(report.failed)} 条通知发送失败,例如 {first.key}: {first.last_error} "
            "(notifications failed; see office.notifications.failed())",
            report=report,
        )
        self.report = report


def _now_utc() -> str:
    return datetime.now(UTC).isoformat()


Verify = Callable[["Notification"], "str | None"]
"""Looks at an outbox row before it is sent: None when it may be sent, else why not."""

DEFAULT_LEASE = 60.0
"""Seconds a dispatcher holds a row it claimed; renewed before each further attempt."""


def claimer_id() -> str:
    """Who claims: this host, this process, this dispatcher."""
    return f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"


class Dispatcher:
    """Sends the outbox's pending rows, oldest first, and records each outcome.

    Any number of dispatchers (threads, processes, hosts) may run at once: each row is
    claimed by one of them (a lease of ``lease`` seconds in the view store, renewed before
    each further attempt) before it is sent, so every notification is sent by one
    dispatcher. Only a dispatcher killed between sending and marking leaves a row that is
    sent again, once its lease has run out, with the same idempotency key (ADR 0033).
    ``verify`` looks at each row before it is sent (:class:`SourceCheck`): a row it refuses
    is marked failed with the reason, never sent.
    """

    def __init__(
        self,
        store: ViewStore,
        view: str,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], str] = _now_utc,
        lease: float = DEFAULT_LEASE,
        verify: Verify | None = None,
        claimer: str | None = None,
    ) -> None:
        self.store = store
        self.view = view
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.now = now
        self.lease = lease
        self.verify = verify
        self.claimer = claimer or claimer_id()

    @property
    def lock(self) -> str:
        """A position used as a version counter: every mark moves it by one, so two marks
        of the same row can never both be based on the same read."""
        return f"{self.view}/dispatch"

    def pending(self) -> list[tuple[str, str]]:
        """(queue key, outbox key) of every pending row, oldest first (claimed or not)."""
        return [(q, doc["key"]) for q, doc in self.store.scan(self.view, QUEUE)]

    def dispatch(self, notifier: Notifier, *, limit: int | None = None) -> DeliveryReport:
        """Claim, send and mark pending rows one at a time, oldest first, until none is left
        that another dispatcher does not hold (at most ``limit``)."""
        sent: list[str] = []
        failed: list[Notification] = []
        handled = 0
        while limit is None or handled < limit:
            claimed = self.store.claim(
                self.view, QUEUE, claimer=self.claimer, seconds=self.lease, limit=1
            )
            if not claimed:
                break
            handled += 1
            queue_key, entry = claimed[0]
            try:
                outcome = self._deliver(notifier, queue_key, str(entry.get("key", "")))
            finally:
                self.store.release(self.view, QUEUE, queue_key, claimer=self.claimer)
            if isinstance(outcome, str):
                sent.append(outcome)
            elif outcome is not None:
                failed.append(outcome)
        return DeliveryReport(tuple(sent), tuple(failed), len(self.pending()))

    def _deliver(self, notifier: Notifier, queue_key: str, key: str) -> str | Notification | None:
        """One claimed row: its key when sent, the row when it failed, None otherwise."""
        doc = self.store.get(self.view, OUTBOX, key)
        if doc is None or doc["status"] != NotificationStatus.PENDING.value:
            self._update(key, queue_key, lambda row: row)  # drop a stale queue entry
            return None
        row = Notification.from_document(doc)
        refusal = self.verify(row) if self.verify is not None else None
        if refusal is not None:
            log.error("通知 %s 未发送: %s", key, refusal)
            done = self._update(key, queue_key, self._failed(row.attempts, refusal))
            return done if done is not None and done.status is NotificationStatus.FAILED else None
        attempts, error = self._send(notifier, row, queue_key)
        if error is None:
            self._update(key, queue_key, self._sent(attempts))
            return key
        if error is _LOST:
            return None
        done = self._update(key, queue_key, self._failed(attempts, error))
        log.warning("通知 %s 发送失败: %s", key, error)
        return done if done is not None and done.status is NotificationStatus.FAILED else None

    def _send(
        self, notifier: Notifier, row: Notification, queue_key: str = ""
    ) -> tuple[int, str | None]:
        """Send with retries: (attempts made in all, None when delivered or the last error;
        :data:`_LOST` when the lease ran out during a wait and another dispatcher took the
        row, which then is its to send)."""
        attempts = row.attempts
        for n in range(1, self.retry.attempts + 1):
            attempts += 1
            try:
                notifier.send(row.message)
                return attempts, None
            except DeliveryError as e:
                error, permanent, retry_after = str(e), e.permanent, e.retry_after
            except OSError as e:
                error, permanent, retry_after = f"{type(e).__name__}: {e}", False, None
            if permanent or n == self.retry.attempts:
                return attempts, error
            wait = self.retry.delay(n)
            if retry_after is not None:
                wait = min(max(wait, retry_after), max(self.retry.max_delay, wait))
            log.info("通知 %s 第 %d 次发送失败 (%s),%.2f 秒后重试", row.key, n, error, wait)
            if queue_key and not self.store.renew(
                self.view, QUEUE, queue_key, claimer=self.claimer, seconds=wait + self.lease
            ):
                log.warning("通知 %s 的租约已被其他发送进程接手 (lease lost)", row.key)
                return attempts, _LOST
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _sent(self, attempts: int) -> Callable[[Document], Document]:
        def change(doc: Document) -> Document:
            if doc["status"] == NotificationStatus.SENT.value:
                return {**doc, "deliveries": doc.get("deliveries", 0) + 1}
            return {
                **doc,
                "status": NotificationStatus.SENT.value,
                "attempts": max(doc["attempts"], attempts),
                "deliveries": doc.get("deliveries", 0) + 1,
                "sent_at": self.now(),
                "last_error": "",
            }

        return change

    def _failed(self, attempts: int, error: str) -> Callable[[Document], Document]:
        def change(doc: Document) -> Document:
            if doc["status"] != NotificationStatus.PENDING.value:
                return doc
            return {
                **doc,
                "status": NotificationStatus.FAILED.value,
                "attempts": attempts,
                "last_error": error,
                "failed_at": self.now(),
            }

        return change

    def _update(
        self, key: str, queue_key: str | None, change: Callable[[Document], Document]
    ) -> Notification | None:
        """Change one row and drop its queue entry, in one small transaction."""
        for _ in range(MARK_RETRIES):
            counter = self.store.position(self.lock)
            try:
                with self.store.transaction({self.lock: (counter, counter + 1)}) as tx:
                    doc = tx.get(self.view, OUTBOX, key)
                    new = None if doc is None else change(doc)
                    if new is not None and new != doc:
                        tx.put(self.view, OUTBOX, key, new)
                    if queue_key is not None:
                        tx.delete(self.view, QUEUE, queue_key)
                return None if new is None else Notification.from_document(new)
            except ConcurrentChange:
                time.sleep(random.uniform(0, 0.005))
                continue
        raise ConcurrentChange(key, MARK_RETRIES)

    def requeue(self, keys: Iterable[str]) -> int:
        """Put failed rows back in the queue (after the cause is fixed); returns how many."""
        count = 0
        for key in keys:
            for _ in range(MARK_RETRIES):
                counter = self.store.position(self.lock)
                try:
                    with self.store.transaction({self.lock: (counter, counter + 1)}) as tx:
                        row = tx.get(self.view, OUTBOX, key)
                        queued = (
                            row is not None and row["status"] == NotificationStatus.FAILED.value
                        )
                        if row is not None and queued:
                            pending = NotificationStatus.PENDING.value
                            tx.put(self.view, OUTBOX, key, {**row, "status": pending})
                            tx.put(self.view, QUEUE, f"{row['seq']:012d}", {"key": key})
                    break
                except ConcurrentChange:
                    continue
            else:
                raise ConcurrentChange(key, MARK_RETRIES)
            count += queued
        return count


# --- who hears of what -----------------------------------------------------------------------


def _event_class(aggregate: type, name: str) -> type[CanMutateAggregate[uuid.UUID]]:
    cls = getattr(aggregate, name, None)
    if not (isinstance(cls, type) and issubclass(cls, CanMutateAggregate)):  # pragma: no cover
        raise TypeError(f"{aggregate.__name__} has no event {name}")
    return cls


def _events_of(aggregate: type) -> tuple[type[CanMutateAggregate[uuid.UUID]], ...]:
    return tuple(
        obj
        for obj in vars(aggregate).values()
        if isinstance(obj, type) and issubclass(obj, CanMutateAggregate)
    )


ORGANISATION_EVENTS = _events_of(Organisation)


def heads_of(org: Organisation, unit: str, at: pendulum.DateTime) -> list[str]:
    """处室负责人 the heads of a unit at a business time."""
    return list(org.heads_of(unit, at))


def holders_of(org: Organisation, role: Role, at: pendulum.DateTime) -> list[str]:
    return list(org.holders(role, at))


def with_substitutes(org: Organisation, people: Iterable[str], at: pendulum.DateTime) -> list[str]:
    """The people, each followed by whoever acts for them that day (替代关系)."""
    out: list[str] = []
    for p in people:
        out.append(p)
        stand_in = org.substitute_for(p, at)
        if stand_in is not None:
            out.append(stand_in)
    return out


def people_or_heads(org: Organisation, targets: Iterable[str], at: pendulum.DateTime) -> list[str]:
    """Targets that name a person or a unit (公文去向): a unit means its heads."""
    out: list[str] = []
    for t in targets:
        if t in org.people:
            out.append(t)
        elif t in org.units:
            out.extend(heads_of(org, t, at))
    return out


def _classification(record: Any) -> Any:
    """The record's 密级 when it is classified (a document), else None."""
    if isinstance(record, OutgoingDocument):
        found = record.form.classification
    elif isinstance(record, IncomingDocument):
        found = record.classification
    else:
        return None
    return found if found.is_classified else None


def _reference(record: Any, event: Any) -> str:
    """How a classified document is named in a message: its number, else its id."""
    number = getattr(record, "number", None) or getattr(record, "receipt_number", None)
    return str(number) if number else str(event.originator_id)


def _when(at: pendulum.DateTime) -> str:
    return at.format("YYYY-MM-DD HH:mm")


class NotificationPolicy(Projection):
    """通知规则 who hears of what: a projection of the log into the outbox.

    Each handler names the recipients of one kind of decision and writes one row per
    recipient; the person who made the decision (and the one acted for) is not told of it,
    and ids the organisation does not know as people (outside agencies, the tick) get nothing.
    Recipients are resolved against the organisation as it stood in the log when the event
    was recorded (roles at the event's business time), and their e-mail addresses with it.

    ``version`` must never change: a new version is a new view, which would notify the whole
    history again. A changed rule applies from the position the view has reached.
    """

    name = "notifications"
    version = 1

    def __init__(self, app: OfficeApplication) -> None:
        self.app = app
        self._org: Organisation | None = None
        self._org_loaded = False
        self._position: Callable[[], int] = lambda: 0

    # --- the organisation, as of the log position ------------------------------------------

    def begin(self, position: Callable[[], int]) -> None:
        """Called before each catch-up: forget the organisation held in memory; it is loaded
        again, as of the committed ``position()``, when first needed."""
        self._org, self._org_loaded, self._position = None, False, position

    def begin_with(self, org: Organisation | None) -> None:
        """Derive rows with this organisation (a :class:`SourceCheck` that has it already)."""
        self._org, self._org_loaded = org, True

    def restart(self) -> None:
        """Another runner moved the position: the organisation is loaded again as of it."""
        self._org, self._org_loaded = None, False

    def organisation(self) -> Organisation | None:
        if not self._org_loaded:
            self._org = self._org_at_version(self._org_version_at(self._position()))
            self._org_loaded = True
        return self._org

    def _org_version_at(self, position: int) -> int:
        topics = sorted(get_topic(cls) for cls in ORGANISATION_EVENTS)
        count, start = 0, 1
        while position >= start:
            page = self.app.recorder.select_notifications(
                start=start, limit=1000, stop=position, topics=topics
            )
            count += len(page)
            if len(page) < 1000:
                break
            start = page[-1].id + 1
        return count

    def _org_at_version(self, version: int) -> Organisation | None:
        if version == 0:
            return None
        org: Any = self.app.repository.get(Organisation.create_id(), version=version)
        assert isinstance(org, Organisation)
        return org

    @handles(*ORGANISATION_EVENTS)
    def organisation_changed(self, event: Any, tx: ViewTransaction) -> None:
        org = self.organisation()
        expected = 0 if org is None else org.version
        if event.originator_version != expected + 1:
            org = self._org_at_version(event.originator_version - 1)
        self._org = event.mutate(org)
        self._org_loaded = True

    # --- writing rows ----------------------------------------------------------------------

    def _record(self, event: Any) -> Any:
        """The record as it stood just after the event (deterministic: by version)."""
        return self.app.repository.get(event.originator_id, version=event.originator_version)

    def _notify(
        self,
        tx: ViewTransaction,
        event: Any,
        kind: NotificationKind,
        recipients: Iterable[str],
        subject: str,
        body: str,
        *,
        record: Any = None,
    ) -> None:
        """One row per recipient. ``record`` is the document the event is about, where it
        may be classified: a classified document's message names only the kind of work
        and the document's number (or id), never its title, text or opinions (ADR 0034)."""
        org = self.organisation()
        if org is None:
            return
        classification = _classification(record)
        if classification is not None:
            reference = _reference(record, event)
            subject = f"涉密文件 {reference}"
            body = (
                f"您有一件{classification.label}文件({reference})需办理: {kind.label}。"
                "请登录办公系统查看。"
            )
        actors = {getattr(event, "by", None), getattr(event, "on_behalf_of", None)}
        event_id = f"{event.originator_id}/{event.originator_version}"
        seen: set[str] = set()
        for pid in recipients:
            if pid in seen or pid in actors:
                continue
            seen.add(pid)
            person = org.people.get(pid)  # type: ignore[call-overload]
            if person is None:
                continue
            key = f"{event_id}/{pid}"
            if tx.get(self.view, OUTBOX, key) is not None:
                continue
            meta = tx.get(self.view, META, "seq") or {"n": 0}
            seq = int(meta["n"]) + 1
            tx.put(self.view, META, "seq", {"n": seq})
            message = Message(
                key=key,
                event_id=event_id,
                kind=kind,
                recipient=pid,
                name=person.name,
                email=person.email,
                subject=f"【{kind.label}】{subject}",
                body=f"{person.name}:\n{body}\n\n(govoffice 通知 {key})",
                record_id=str(event.originator_id),
                at=event.at.isoformat(),
            )
            row = Notification(message, seq, position=self.position or None)
            tx.put(self.view, OUTBOX, key, row.to_document())
            tx.put(self.view, QUEUE, f"{seq:012d}", {"key": key})

    def _name(self, pid: str | None) -> str:
        org = self.organisation()
        if pid is None or org is None:
            return ""
        person = org.people.get(pid)  # type: ignore[call-overload]
        return pid if person is None else f"{person.name}({pid})"

    def _unit_name(self, unit: str | None) -> str:
        org = self.organisation()
        if unit is None or org is None or unit not in org.units:
            return str(unit or "")
        return org.units[unit].name  # type: ignore[index]

    def _actor(self, event: Any) -> str:
        who = self._name(event.by)
        acted_for = getattr(event, "on_behalf_of", None)
        return f"{who}(代 {self._name(acted_for)})" if acted_for else who

    # --- 发文 outgoing documents --------------------------------------------------------------

    @handles(_event_class(OutgoingDocument, "ReturnedForRevision"))
    def draft_returned(self, event: Any, tx: ViewTransaction) -> None:
        """退回修改 → the drafter."""
        doc = self._record(event)
        self._notify(
            tx,
            event,
            NotificationKind.DRAFT_RETURNED,
            [doc.drafter],
            doc.form.title,
            f"您拟稿的《{doc.form.title}》在「{event.stage.label}」环节被 {self._actor(event)} "
            f"于 {_when(event.at)} 退回修改。\n退回意见: {event.opinion}",
            record=doc,
        )

    @handles(_event_class(OutgoingDocument, "CountersignRequested"))
    def countersign_requested(self, event: Any, tx: ViewTransaction) -> None:
        """送会签 → the heads of each countersigning unit of the agency."""
        org = self.organisation()
        if org is None:
            return
        doc = self._record(event)
        for party in event.parties:
            if party.kind is not PartyKind.UNIT:
                continue
            self._notify(
                tx,
                event,
                NotificationKind.COUNTERSIGN_REQUESTED,
                heads_of(org, party.id, event.at),
                doc.form.title,
                f"{self._unit_name(doc.form.lead_unit)}拟稿的《{doc.form.title}》请"
                f"{self._unit_name(party.id)}会签,请于 {event.due[party.id]} 前签署意见"
                f"(逾期未复视为同意)。\n送会签: {self._actor(event)} {_when(event.at)}",
                record=doc,
            )

    @handles(_event_class(OutgoingDocument, "OfficeReviewed"))
    def to_sign(self, event: Any, tx: ViewTransaction) -> None:
        """办公室复核 → the leaders who may sign it: the classification officers for a
        classified text, the principal leaders for an important one, else the lead unit's
        supervising leaders (the principal leaders when it has none); and their substitutes."""
        org = self.organisation()
        if org is None:
            return
        doc = self._record(event)
        form, at = doc.form, event.at
        if form.classification.is_classified:
            signers = holders_of(org, Role.CLASSIFICATION_OFFICER, at)
            if form.important:
                signers = [p for p in signers if org.holds(p, Role.PRINCIPAL_LEADER, at)] or signers
        elif form.important:
            signers = holders_of(org, Role.PRINCIPAL_LEADER, at)
        else:
            signers = [
                p
                for p in org.supervising_leaders(form.lead_unit, at)
                if org.holds(p, Role.LEADER, at) or org.holds(p, Role.PRINCIPAL_LEADER, at)
            ] or holders_of(org, Role.PRINCIPAL_LEADER, at)
        self._notify(
            tx,
            event,
            NotificationKind.TO_SIGN,
            with_substitutes(org, signers, at),
            form.title,
            f"《{form.title}》({self._unit_name(form.lead_unit)}主办)已经办公室复核,请签发。\n"
            f"复核意见: {event.opinion}({self._actor(event)} {_when(at)})",
            record=doc,
        )

    # --- 收文 incoming documents --------------------------------------------------------------

    @handles(_event_class(IncomingDocument, "Assigned"))
    def incoming_assigned(self, event: Any, tx: ViewTransaction) -> None:
        """分办 → the leaders to instruct (and their substitutes) and the lead unit's heads."""
        org = self.organisation()
        if org is None:
            return
        doc = self._record(event)
        leaders = with_substitutes(org, event.leaders, event.at)
        heads = heads_of(org, event.lead_unit, event.at) if event.lead_unit else []
        deadline = f"\n办理时限: {event.deadline}" if event.deadline else ""
        lead = f"\n主办: {self._unit_name(event.lead_unit)}" if event.lead_unit else ""
        self._notify(
            tx,
            event,
            NotificationKind.INCOMING_ASSIGNED,
            [*leaders, *heads],
            doc.title,
            f"来文《{doc.title}》({doc.sender})已分办({event.kind.label})。\n"
            f"拟办意见: {event.proposal}{lead}{deadline}\n分办: {self._actor(event)} "
            f"{_when(event.at)}",
            record=doc,
        )

    @handles(_event_class(IncomingDocument, "Circulated"))
    def incoming_circulated(self, event: Any, tx: ViewTransaction) -> None:
        """传阅 → the readers it is circulated to."""
        doc = self._record(event)
        self._notify(
            tx,
            event,
            NotificationKind.INCOMING_ASSIGNED,
            event.to,
            doc.title,
            f"来文《{doc.title}》({doc.sender})送您传阅,阅毕请退回。\n"
            f"送阅: {self._actor(event)} {_when(event.at)}",
            record=doc,
        )

    @handles(_event_class(IncomingDocument, "Instructed"))
    def instruction_given(self, event: Any, tx: ViewTransaction) -> None:
        """阅批 → the lead unit's heads."""
        org = self.organisation()
        doc = self._record(event)
        if org is None or doc.lead_unit is None:
            return
        self._notify(
            tx,
            event,
            NotificationKind.INSTRUCTION_GIVEN,
            heads_of(org, doc.lead_unit, event.at),
            doc.title,
            f"{self._actor(event)} 于 {_when(event.at)} 对来文《{doc.title}》作出批示"
            f"({event.result.label}):\n{event.opinion}",
            record=doc,
        )

    @handles(_event_class(IncomingDocument, "Urged"))
    def incoming_urged(self, event: Any, tx: ViewTransaction) -> None:
        """催办 → whoever has the document (a unit: its heads)."""
        org = self.organisation()
        if org is None:
            return
        doc = self._record(event)
        deadline = f",办理时限 {doc.deadline}" if doc.deadline else ""
        note = f"\n{event.note}" if event.note else ""
        self._notify(
            tx,
            event,
            NotificationKind.URGED,
            people_or_heads(org, event.targets, event.at),
            doc.title,
            f"来文《{doc.title}》尚未办结{deadline},请抓紧办理({event.channel.label},"
            f"{_when(event.at)})。{note}",
            record=doc,
        )

    @handles(_event_class(IncomingDocument, "WentOverdue"))
    def incoming_overdue(self, event: Any, tx: ViewTransaction) -> None:
        """逾期 → whoever has the document, and the supervision officers."""
        org = self.organisation()
        if org is None:
            return
        doc = self._record(event)
        self._notify(
            tx,
            event,
            NotificationKind.OVERDUE,
            [
                *people_or_heads(org, event.targets, event.at),
                *holders_of(org, Role.SUPERVISION_OFFICER, event.at),
            ],
            doc.title,
            f"来文《{doc.title}》已超过办理时限 {event.deadline},"
            f"{'已说明延期理由' if event.delay_explained else '未说明延期理由'}。",
            record=doc,
        )

    # --- 会议 meetings -------------------------------------------------------------------------

    @handles(_event_class(Meeting, "Noticed"))
    def meeting_noticed(self, event: Any, tx: ViewTransaction) -> None:
        """会议通知 → the invitees."""
        n = event.notice
        self._notify(
            tx,
            event,
            NotificationKind.MEETING_NOTICE,
            n.invitees,
            n.title,
            f"会议: {n.title}\n时间: {_when(n.starts_at)}\n地点: {n.place}\n议题: {n.topic}\n"
            f"参会范围: {n.participant_scope}\n{n.notes}\n联系人: {n.contact}\n"
            "不能参会的,请及时请假。",
        )

    @handles(_event_class(Meeting, "Rescheduled"))
    def meeting_rescheduled(self, event: Any, tx: ViewTransaction) -> None:
        """会议改期通知 → the invitees of a noticed meeting, asked to confirm again
        (ADR 0049)."""
        if not event.renoticed:
            return
        meeting = self._record(event)
        moved = []
        if event.starts_at != event.previous_starts_at:
            moved.append(f"时间由 {_when(event.previous_starts_at)} 改为 {_when(event.starts_at)}")
        if event.place != event.previous_place:
            moved.append(f"地点由「{event.previous_place}」改为「{event.place}」")
        self._notify(
            tx,
            event,
            NotificationKind.MEETING_NOTICE,
            event.renoticed,
            f"{meeting.title}(改期)",
            f"会议「{meeting.title}」{';'.join(moved)}。\n改期理由: {event.reason}\n"
            "议题、参会人员不变,已批准的请假继续有效。请重新确认是否参会。",
        )

    @handles(_event_class(Meeting, "LeaveGranted"), _event_class(Meeting, "LeaveRefused"))
    def leave_decided(self, event: Any, tx: ViewTransaction) -> None:
        """准假/不准假 → the person who asked for leave."""
        meeting = self._record(event)
        granted = type(event).__name__ == "LeaveGranted"
        answer = "准假" if granted else "不准假,请按时参会"
        self._notify(
            tx,
            event,
            NotificationKind.LEAVE_DECIDED,
            [event.person],
            f"{meeting.title}: {answer}",
            f"您就「{meeting.title}」({_when(meeting.starts_at)})的请假: {answer}。\n"
            f"审批意见: {event.opinion}({self._actor(event)} {_when(event.at)})",
        )

    @handles(_event_class(Meeting, "AbsenteesUrged"))
    def absentees_urged(self, event: Any, tx: ViewTransaction) -> None:
        """催会 → the invitees who have not signed in."""
        meeting = self._record(event)
        self._notify(
            tx,
            event,
            NotificationKind.URGED,
            event.persons,
            meeting.title,
            f"「{meeting.title}」已开始({_when(meeting.starts_at)},{meeting.place}),"
            "您尚未签到,请尽快到会。",
        )

    # --- 建议提案 proposals ---------------------------------------------------------------------

    @handles(_event_class(Proposal, "Urged"))
    def proposal_urged(self, event: Any, tx: ViewTransaction) -> None:
        """催办 → the urged unit's heads."""
        org = self.organisation()
        if org is None:
            return
        item = self._record(event)
        deadline = f"\n新的办理期限: {event.new_deadline}" if event.new_deadline else ""
        note = f"\n{event.note}" if event.note else ""
        self._notify(
            tx,
            event,
            NotificationKind.URGED,
            heads_of(org, event.unit, event.at),
            item.title,
            f"建议提案《{item.title}》请{self._unit_name(event.unit)}抓紧办理"
            f"({event.channel.label},{_when(event.at)})。{note}{deadline}",
        )

    @handles(_event_class(Proposal, "ReplyReturned"))
    def reply_returned(self, event: Any, tx: ViewTransaction) -> None:
        """会审退回 → the lead unit's heads (of an item in parts, the part's unit, ADR 0050),
        with the failed checks."""
        org = self.organisation()
        item = self._record(event)
        if org is None or item.assignment is None:
            return
        failed = "、".join(c.label for c in event.failed)
        unit = getattr(event, "part", None) or item.assignment.lead_unit
        self._notify(
            tx,
            event,
            NotificationKind.REPLY_RETURNED,
            heads_of(org, unit, event.at),
            item.title,
            f"建议提案《{item.title}》的答复未通过会审,退回修改。\n未通过: {failed}\n"
            f"会审: {self._actor(event)} {_when(event.at)}",
        )

    # --- 督查督办 supervision -------------------------------------------------------------------

    @handles(_event_class(SupervisionTask, "Urged"))
    def task_urged(self, event: Any, tx: ViewTransaction) -> None:
        """催办 → the heads of the task's responsible (lead) unit."""
        org = self.organisation()
        if org is None:
            return
        task = self._record(event)
        deadline = f"\n新的办理时限: {event.new_deadline}" if event.new_deadline else ""
        note = f"\n{event.note}" if event.note else ""
        self._notify(
            tx,
            event,
            NotificationKind.URGED,
            heads_of(org, task.lead_unit, event.at),
            f"{task.number} {task.title}",
            f"督办事项 {task.number}《{task.title}》请抓紧办理,办理时限 {task.deadline}"
            f"({event.channel.label},{self._actor(event)} {_when(event.at)})。{note}{deadline}",
        )

    @handles(_event_class(SupervisionTask, "WentOverdue"))
    def task_overdue(self, event: Any, tx: ViewTransaction) -> None:
        """逾期 → the responsible unit's heads and the supervision officers."""
        org = self.organisation()
        if org is None:
            return
        task = self._record(event)
        self._notify(
            tx,
            event,
            NotificationKind.OVERDUE,
            [
                *heads_of(org, task.lead_unit, event.at),
                *holders_of(org, Role.SUPERVISION_OFFICER, event.at),
            ],
            f"{task.number} {task.title}",
            f"督办事项 {task.number}《{task.title}》({self._unit_name(task.lead_unit)}承办)"
            f"已超过办理时限 {event.due},未办结。",
        )

    @handles(_event_class(SupervisionNotice, "NoticeIssued"))
    def notice_issued(self, event: Any, tx: ViewTransaction) -> None:
        """督查通报 → the named unit's heads."""
        org = self.organisation()
        if org is None:
            return
        failures = "\n".join(f"  {f.number} {f.kind.label} {_when(f.at)}" for f in event.failures)
        self._notify(
            tx,
            event,
            NotificationKind.NOTICE_ISSUED,
            heads_of(org, event.unit, event.at),
            f"{self._unit_name(event.unit)} {event.period}",
            f"{self._unit_name(event.unit)}在{event.period}完不成督办工作 "
            f"{len(event.failures)} 次,予以通报:\n{failures}",
        )


# --- before sending: the row against its source event ----------------------------------------

SealCheck = Callable[[uuid.UUID, int], None]
"""The sealed chain's check of one stored event, given its originator id and version: raises
a :class:`GovOfficeError` when the event does not verify. This is where the hash chain's
one-event verification plugs in (``office.notifications.seal_check``, issue 12 §1-3); without
one, :class:`SourceCheck` checks that the event exists and that the row is what the policy
derives from it."""


class _ScratchTransaction:
    """A throwaway view transaction: it holds what a handler writes, nothing else."""

    def __init__(self) -> None:
        self.writes: dict[tuple[str, str, str], Document] = {}

    def get(self, view: str, table: str, key: str) -> Document | None:
        return self.writes.get((view, table, key))

    def scan(self, view: str, table: str, prefix: str = "") -> Iterator[tuple[str, Document]]:
        for (v, t, key), doc in sorted(self.writes.items()):
            if v == view and t == table and key.startswith(prefix):
                yield key, doc

    def put(self, view: str, table: str, key: str, document: Document) -> None:
        self.writes[(view, table, key)] = document

    def delete(self, view: str, table: str, key: str) -> None:
        self.writes.pop((view, table, key), None)


class SourceCheck:
    """发送前核对 Before an outbox row is sent: its source event exists in the store (and
    verifies, with ``seal_check``), and the row is exactly one that the notification policy
    derives from that event, with the organisation as it stood in the log then. A forged
    row, or one edited to reach another address or say something else, is refused: the
    reason is returned (the dispatcher marks the row failed with it and sends nothing)."""

    def __init__(self, app: OfficeApplication, *, seal_check: SealCheck | None = None) -> None:
        self.app = app
        self.seal_check = seal_check
        self._derived: OrderedDict[str, dict[str, Message] | str] = OrderedDict()
        self._policy = NotificationPolicy(app)
        self._orgs: OrderedDict[int, Organisation | None] = OrderedDict()
        """The organisation by version: deriving never changes it (no rows come from the
        organisation's own events), so one copy serves every event of that version."""

    def __call__(self, row: Notification) -> str | None:
        m = row.message
        oid_text, _, version_text = m.event_id.rpartition("/")
        try:
            originator_id, version = uuid.UUID(oid_text), int(version_text)
        except ValueError:
            return f"来源事件编号 {m.event_id!r} 不正确 (malformed source event id)"
        if m.key != f"{m.event_id}/{m.recipient}" or m.record_id != oid_text:
            return "通知编号与来源事件、收件人不符 (key, event and recipient do not match)"
        derived = self._derived.get(m.event_id)
        if derived is None:
            derived = self._derive(originator_id, version, row.position)
            self._derived[m.event_id] = derived
            while len(self._derived) > 256:
                self._derived.popitem(last=False)
        if isinstance(derived, str):
            return derived
        expected = derived.get(m.key)
        if expected is None:
            return f"来源事件 {m.event_id} 不通知 {m.recipient} (its event notifies no such person)"
        if expected != m:
            return (
                f"通知内容与来源事件 {m.event_id} 不符 (the row differs from what its event gives)"
            )
        return None

    def _derive(
        self, originator_id: uuid.UUID, version: int, position: int | None
    ) -> dict[str, Message] | str:
        """The messages the policy writes for the event, by key; or why there are none."""
        event_id = f"{originator_id}/{version}"
        if self.app.key_error is not None:  # an encrypted store, and no key: nothing to send
            raise self.app.key_error
        try:
            stored = self.app.recorder.select_events(originator_id, gt=version - 1, lte=version)
        except Exception as e:  # the store cannot say: do not send on a guess
            return f"无法读取来源事件 {event_id}: {type(e).__name__} (source event unreadable)"
        if not stored:
            return f"来源事件 {event_id} 不存在 (source event missing: forged row?)"
        if self.seal_check is not None:
            try:
                self.seal_check(originator_id, version)
            except GovOfficeError as e:
                return f"来源事件 {event_id} 未通过校验: {e} (source event does not verify)"
        try:
            event = self.app.mapper.to_domain_event(stored[0])
            position = position or self._position_of(stored[0].topic, originator_id, version)
            if position is None:
                return f"来源事件 {event_id} 不在通知日志中 (source event not in the log)"
            policy = self._policy
            policy.begin_with(self._organisation(position - 1))
            policy.position = position
            tx = _ScratchTransaction()
            policy.process(event, tx)
        except GovOfficeError as e:
            return f"来源事件 {event_id} 无法核对: {e}"
        except Exception as e:  # a stored event that cannot be decoded or replayed
            return f"来源事件 {event_id} 无法读取: {type(e).__name__} (source event unreadable)"
        return {
            key: Notification.from_document(doc).message
            for (_view, table, key), doc in tx.writes.items()
            if table == OUTBOX
        }

    def _organisation(self, position: int) -> Organisation | None:
        """The organisation as the log stood at ``position``."""
        version = self._policy._org_version_at(position)
        if version not in self._orgs:
            self._orgs[version] = self._policy._org_at_version(version)
            while len(self._orgs) > 16:
                self._orgs.popitem(last=False)
        return self._orgs[version]

    def _position_of(self, topic: str, originator_id: uuid.UUID, version: int) -> int | None:
        """The notification id of an event, for rows written before rows kept it: the log
        of the event's kind read from the start."""
        start = 1
        while True:
            page = self.app.recorder.select_notifications(start=start, limit=1000, topics=[topic])
            for n in page:
                if n.originator_id == originator_id and n.originator_version == version:
                    return int(n.id)
            if len(page) < 1000:
                return None
            start = page[-1].id + 1


# --- the service -----------------------------------------------------------------------------


def _rows(reader: ViewReader, view: str) -> Iterator[Notification]:
    for _key, doc in reader.scan(view, OUTBOX):
        yield Notification.from_document(doc)


class NotificationService(Facade):
    """``office.notifications``: the outbox and its delivery.

    ``deliver()`` takes in the new events (writing outbox rows) and sends what is pending
    through ``notifier`` (the log by default; set it from configuration with
    ``office.notifications.notifier = notifier_from_config(url)``). ``store`` is the office's
    view store unless set: a durable one in production, so that the outbox and the policy's
    position survive a restart.
    """

    def __init__(self, office: Office) -> None:
        self.office = office
        self.policy = NotificationPolicy(office.app)
        self.notifier: Notifier = LogNotifier()
        self.retry = RetryPolicy()
        self.sleep: Callable[[float], None] = time.sleep
        self.page_size = 500
        self.lease = DEFAULT_LEASE
        """Seconds a dispatcher holds a row it claimed (renewed before each retry)."""
        self.verify_sources = True
        """Check each row against its source event before sending it (:class:`SourceCheck`)."""
        self.seal_check: SealCheck | None = None
        """The hash chain's one-event check, when one is plugged in (:data:`SealCheck`)."""
        self._store: ViewStore | None = None

    @property
    def store(self) -> ViewStore:
        return self._store if self._store is not None else self.office.views.store

    @store.setter
    def store(self, store: ViewStore) -> None:
        self._store = store

    @property
    def view(self) -> str:
        return self.policy.view

    @property
    def position(self) -> int:
        """The notification id of the last event the policy has taken in."""
        return self.store.position(self.view)

    def dispatcher(self) -> Dispatcher:
        verify = SourceCheck(self.office.app, seal_check=self.seal_check)
        return Dispatcher(
            self.store,
            self.view,
            retry=self.retry,
            sleep=self.sleep,
            lease=self.lease,
            verify=verify if self.verify_sources else None,
        )

    # --- stage 1 -----------------------------------------------------------------------------

    def catch_up(self, *, pages: int | None = None) -> int:
        """Take in new events (at most ``pages`` pages), writing outbox rows; returns the
        number of events read. Safe to run from several processes at once."""
        processed = done = 0
        while pages is None or done < pages:
            before = self.position
            processed += self._one_page()
            done += 1
            if self.position == before:
                break
        return processed

    def _one_page(self) -> int:
        runner = ViewRunner(self.office.app, self.store, [self.policy], page_size=self.page_size)
        for _ in range(MARK_RETRIES):
            self.policy.begin(lambda: self.store.position(self.view))
            try:
                return runner.catch_up(stop_after=1)
            except ConcurrentChange:  # another process took the page in first
                continue
        raise ConcurrentChange(self.view, MARK_RETRIES)

    def skip_history(self) -> int:
        """Start notifying from now on: move the policy to the end of the log without
        writing rows (for an office that switches notifications on with years of history).
        Returns the position."""
        last = self.office.app.recorder.max_notification_id() or 0
        position = self.position
        if last > position:
            with self.store.transaction({self.view: (position, last)}):
                pass
        return max(last, position)

    # --- stage 2 -----------------------------------------------------------------------------

    def dispatch(
        self, notifier: Notifier | None = None, *, limit: int | None = None
    ) -> DeliveryReport:
        """Send the pending rows (at most ``limit``); failures are in the report."""
        return self.dispatcher().dispatch(notifier or self.notifier, limit=limit)

    def deliver(
        self, notifier: Notifier | None = None, *, raise_on_failure: bool = True
    ) -> DeliveryReport:
        """送达 catch up with the log and send everything pending, a page at a time.

        Raises :class:`NotificationsFailed` (after sending all it can) when a row failed
        for good in this run, unless ``raise_on_failure=False``; the report is returned
        either way otherwise, and failed rows stay visible in :meth:`failed`."""
        channel = notifier or self.notifier
        report = self.dispatch(channel)  # what an earlier run left pending goes first
        while True:
            before = self.position
            self._one_page()
            report = report + self.dispatch(channel)
            if self.position == before:
                break
        if raise_on_failure:
            report.raise_for_failures()
        return report

    # --- reading -----------------------------------------------------------------------------

    def outbox(self, status: NotificationStatus | str | None = None) -> list[Notification]:
        """Every outbox row (of one status), in the order they were written."""
        wanted = None if status is None else coerce_enum(NotificationStatus, status, "发送状态")
        rows = [r for r in _rows(self.store, self.view) if wanted is None or r.status is wanted]
        return sorted(rows, key=lambda r: r.seq)

    def failed(self) -> list[Notification]:
        """The rows that could not be delivered, with their errors."""
        return self.outbox(NotificationStatus.FAILED)

    def pending(self) -> list[Notification]:
        return self.outbox(NotificationStatus.PENDING)

    def get(self, key: str) -> Notification | None:
        doc = self.store.get(self.view, OUTBOX, key)
        return None if doc is None else Notification.from_document(doc)

    def retry_failed(self, keys: Iterable[str] | None = None) -> int:
        """Queue failed rows again (all, or those named); returns how many."""
        chosen = [n.key for n in self.failed()] if keys is None else list(keys)
        return self.dispatcher().requeue(chosen)

    def counts(self) -> Mapping[str, int]:
        out = {s.value: 0 for s in NotificationStatus}
        for row in _rows(self.store, self.view):
            out[row.status.value] += 1
        return out


__all__ = [
    "DeliveryError",
    "DeliveryReport",
    "Dispatcher",
    "LogNotifier",
    "Message",
    "Notification",
    "NotificationKind",
    "NotificationPolicy",
    "NotificationService",
    "NotificationStatus",
    "NotificationsFailed",
    "Notifier",
    "PermanentDeliveryError",
    "RetryPolicy",
    "SealCheck",
    "SourceCheck",
    "TransientDeliveryError",
]
