"""派生数据核对 the data kept beside the events, checked against them (ADR 0031).

Read models (queues, rankings' facts, the annual figures), the outbox and the tick memo are
derived from the event log, and live in tables that nothing seals: whoever can write the
database can edit them. ``office.audit.verify(views=True)`` (``govoffice audit verify
--views``) checks them:

- **views**: each registered projection is rebuilt, from the events, into a scratch store
  (``office.scratch_views()``) up to the position the stored view has reached, and compared
  with the stored rows, row by row: a row that is not in the rebuild (``forged``), one that
  differs (``altered``), one that the rebuild has and the store lacks (``missing``), one that
  cannot be decoded (``corrupt``);
- **the outbox**: each stored notification's message (recipient, address, subject, body,
  ...) must be what the notification policy derives from its source event, and the source
  event must exist and verify (``unverified``); the delivery fields (status, attempts) are
  the dispatcher's and are not compared. A notification the rebuild has and the outbox lacks
  is ``missing`` only for events after the first one the outbox holds (an office may have
  switched notifications on late);
- **the tick memo** (ADR 0020): each row must name a record of its kind that exists and is
  finished (``not finished``), with a tag that verifies under the audit key (``bad seal``).

``repair=True`` rewrites what differs in one view transaction per view that keeps the
view's position (rows put back as the rebuild has them, forged ones deleted), and deletes
the bad memo rows; outbox rows are corrected or deleted, but a missing one is only reported
(putting it back would send it).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from eventsourcing.utils import get_topic

from govoffice.application.notifications import OUTBOX, NotificationPolicy
from govoffice.application.sealing import DerivedReport, Difference, UnverifiedEvent
from govoffice.application.services import TICK_MEMO_VIEW, AreaService
from govoffice.application.views import Document, Projection, ViewStore
from govoffice.domain.errors import ConcurrentChange, GovOfficeError

if TYPE_CHECKING:
    from govoffice.application.office import Office

log = logging.getLogger("govoffice.audit")

PAGE = 2000
ATTEMPTS = 5
MESSAGE_FIELDS = (
    "key",
    "event_id",
    "kind",
    "recipient",
    "name",
    "email",
    "subject",
    "body",
    "record_id",
    "at",
)
"""What the policy derives in an outbox row; the other fields record its delivery."""


def _normal(value: Any) -> Any:
    """A document as JSON gives it back (tuples become lists, ...)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def _decode(text: str) -> Document | None:
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


class _Recording:
    """A view transaction that notes which event wrote each outbox row."""

    def __init__(self, tx: Any, view: str) -> None:
        self.tx = tx
        self.view = view
        self.notification_id = 0
        self.written: dict[str, int] = {}

    def get(self, view: str, table: str, key: str) -> Document | None:
        doc: Document | None = self.tx.get(view, table, key)
        return doc

    def scan(self, view: str, table: str, prefix: str = "") -> Iterator[tuple[str, Document]]:
        scanned: Iterator[tuple[str, Document]] = self.tx.scan(view, table, prefix)
        return scanned

    def put(self, view: str, table: str, key: str, document: Document) -> None:
        if view == self.view and table == OUTBOX:
            self.written.setdefault(key, self.notification_id)
        self.tx.put(view, table, key, document)

    def delete(self, view: str, table: str, key: str) -> None:
        self.tx.delete(view, table, key)


class DerivedCheck:
    """One check of everything derived (see the module)."""

    def __init__(self, office: Office, *, repair: bool) -> None:
        self.office = office
        self.repair = repair
        self.differences: list[Difference] = []
        self.views: list[str] = []
        self.rows = 0

    def run(self) -> DerivedReport:
        self._projections()
        self._outbox()
        self._memo()
        return DerivedReport(
            views=tuple(self.views),
            rows=self.rows,
            differences=tuple(self.differences),
            repaired=self.repair and bool(self.differences),
        )

    # --- rebuilding ------------------------------------------------------------------------

    def _build(
        self, store: ViewStore, projections: list[Projection], upto: int, recording: str = ""
    ) -> dict[str, int]:
        """Take the events up to ``upto`` into ``store`` for ``projections``; with
        ``recording`` (a view), the notification id that wrote each of its outbox rows."""
        app = self.office.app
        topics = sorted({t for p in projections for t in p.topics()})
        written: dict[str, int] = {}
        start = 0
        while start < upto:
            page = app.recorder.select_notifications(
                start=start + 1, limit=PAGE, stop=upto, topics=topics
            )
            if not page:
                break
            moves = {p.view: (start, page[-1].id) for p in projections}
            with store.transaction(moves) as tx:
                sink = _Recording(tx, recording)
                for notification in page:
                    event = app.mapper.to_domain_event(notification)
                    sink.notification_id = notification.id
                    for p in projections:
                        p.process(event, sink)
            written.update(sink.written)
            start = page[-1].id
        return written

    def _stored(self, store: ViewStore, view: str) -> dict[tuple[str, str], str]:
        return {(table, key): text for table, key, text in store.rows(view)}

    # --- the read models -------------------------------------------------------------------

    def _projections(self) -> None:
        runner = self.office.views
        runner.catch_up()
        for projection in runner.projections:
            self.views.append(projection.view)
            self._projection(runner.store, projection)

    def _projection(self, store: ViewStore, projection: Projection) -> None:
        view = projection.view
        for _ in range(ATTEMPTS):
            position = store.position(view)
            scratch = self.office.scratch_views()
            try:
                fresh = type(projection)()
            except TypeError:
                fresh = projection
            try:
                self._build(scratch, [fresh], position)
                rebuilt = {(table, key): _decode(text) for table, key, text in scratch.rows(view)}
            finally:
                scratch.close()
            stored = self._stored(store, view)
            if store.position(view) != position:
                continue  # another runner moved the view meanwhile: compare again
            found = self._compare(view, stored, rebuilt)
            if found and self.repair and not self._rewrite(store, view, position, found, rebuilt):
                continue
            self.differences.extend(found)
            return
        raise ConcurrentChange(view, ATTEMPTS)

    def _compare(
        self,
        view: str,
        stored: dict[tuple[str, str], str],
        rebuilt: dict[tuple[str, str], Document | None],
    ) -> list[Difference]:
        found: list[Difference] = []
        self.rows += len(stored)
        for (table, key), text in sorted(stored.items()):
            doc = _decode(text)
            if doc is None:
                found.append(Difference(view, table, key, "corrupt", "不是 JSON 对象 (not JSON)"))
            elif (table, key) not in rebuilt:
                found.append(Difference(view, table, key, "forged", "重建中没有此行 (no such row)"))
            elif doc != rebuilt[(table, key)]:
                found.append(
                    Difference(view, table, key, "altered", _diff(doc, rebuilt[(table, key)]))
                )
        for table, key in sorted(set(rebuilt) - set(stored)):
            found.append(Difference(view, table, key, "missing", "重建中有, 库中没有 (deleted)"))
        return found

    def _rewrite(
        self,
        store: ViewStore,
        view: str,
        position: int,
        found: list[Difference],
        rebuilt: dict[tuple[str, str], Document | None],
    ) -> bool:
        try:
            with store.transaction({view: (position, position)}) as tx:
                for d in found:
                    doc = rebuilt.get((d.table, d.key))
                    if doc is None:
                        tx.delete(view, d.table, d.key)
                    else:
                        tx.put(view, d.table, d.key, doc)
        except ConcurrentChange:
            return False
        found[:] = [_repaired(d) for d in found]
        return True

    # --- the outbox ------------------------------------------------------------------------

    def _outbox(self) -> None:
        service = self.office.notifications
        store, view = service.store, service.view
        self.views.append(view)
        for _ in range(ATTEMPTS):
            position = store.position(view)
            scratch = self.office.scratch_views()
            try:
                policy = NotificationPolicy(self.office.app)
                policy.begin(lambda: 0)
                written = self._build(scratch, [policy], position, recording=view)
                rebuilt = {
                    key: _decode(text) for table, key, text in scratch.rows(view) if table == OUTBOX
                }
            finally:
                scratch.close()
            stored = {
                key: text
                for (table, key), text in self._stored(store, view).items()
                if table == OUTBOX
            }
            if store.position(view) != position:
                continue
            found = self._compare_outbox(view, stored, rebuilt, written)
            if found and self.repair and not self._repair_outbox(store, view, found, rebuilt):
                continue
            self.differences.extend(found)
            return
        raise ConcurrentChange(view, ATTEMPTS)

    def _compare_outbox(
        self,
        view: str,
        stored: dict[str, str],
        rebuilt: dict[str, Document | None],
        written: dict[str, int],
    ) -> list[Difference]:
        found: list[Difference] = []
        self.rows += len(stored)
        matched: list[int] = []
        for key, text in sorted(stored.items()):
            doc = _decode(text)
            if doc is None:
                found.append(Difference(view, OUTBOX, key, "corrupt", "不是 JSON 对象 (not JSON)"))
                continue
            derived = rebuilt.get(key)
            if derived is None:
                found.append(self._unexplained(view, key, doc))
                continue
            mine = {f: doc.get(f) for f in MESSAGE_FIELDS}
            theirs = {f: derived.get(f) for f in MESSAGE_FIELDS}
            if mine != theirs:
                found.append(Difference(view, OUTBOX, key, "altered", _diff(mine, theirs)))
            else:
                matched.append(written.get(key, 0))
        since = min(matched) if matched else None
        for key in sorted(set(rebuilt) - set(stored)):
            if since is not None and written.get(key, 0) >= since:
                found.append(
                    Difference(view, OUTBOX, key, "missing", "通知行被删除 (notification deleted)")
                )
        return found

    def _unexplained(self, view: str, key: str, doc: Document) -> Difference:
        event_id = doc.get("event_id")
        try:
            self.office.audit.verify_event(str(event_id))
        except UnverifiedEvent as e:
            return Difference(view, OUTBOX, key, "unverified", str(e))
        except GovOfficeError as e:
            return Difference(view, OUTBOX, key, "unverified", str(e))
        return Difference(
            view,
            OUTBOX,
            key,
            "forged",
            f"事件 {event_id} 不产生此通知 (the policy derives no such notification from it)",
        )

    def _repair_outbox(
        self,
        store: ViewStore,
        view: str,
        found: list[Difference],
        rebuilt: dict[str, Document | None],
    ) -> bool:
        position = store.position(view)
        done: list[Difference] = []
        try:
            with store.transaction({view: (position, position)}) as tx:
                for d in found:
                    if d.problem == "missing":
                        done.append(d)  # putting it back would send it: reported only
                        continue
                    derived = rebuilt.get(d.key)
                    current = tx.get(view, OUTBOX, d.key)
                    if derived is None or current is None or d.problem == "corrupt":
                        tx.delete(view, OUTBOX, d.key)
                        for queue_table, queue_key in _queue_entries(tx, view, d.key):
                            tx.delete(view, queue_table, queue_key)
                    else:
                        tx.put(
                            view,
                            OUTBOX,
                            d.key,
                            {**current, **{f: derived[f] for f in MESSAGE_FIELDS}},
                        )
                    done.append(_repaired(d))
        except ConcurrentChange:
            return False
        found[:] = done
        return True

    # --- the tick memo ---------------------------------------------------------------------

    def _memo(self) -> None:
        store = self.office.views.store
        self.views.append(TICK_MEMO_VIEW)
        areas = {
            get_topic(area.record_type): area
            for area in self.office.areas
            if isinstance(area, AreaService)
            and type(area)._is_finished is not AreaService._is_finished
        }
        bad: list[Difference] = []
        for table, key, text in store.rows(TICK_MEMO_VIEW):
            self.rows += 1
            problem = self._memo_row(areas.get(table), table, key, _decode(text))
            if problem is not None:
                bad.append(Difference(TICK_MEMO_VIEW, table, key, *problem))
        if bad and self.repair:
            with store.transaction({}) as tx:
                for d in bad:
                    tx.delete(TICK_MEMO_VIEW, d.table, d.key)
            bad = [_repaired(d) for d in bad]
        self.differences.extend(bad)

    def _memo_row(
        self, area: AreaService[Any] | None, table: str, key: str, doc: Document | None
    ) -> tuple[str, str] | None:
        if doc is None:
            return "corrupt", "不是 JSON 对象 (not JSON)"
        if area is None:
            return "forged", "没有此类记录的定时步骤 (no timed step for this kind)"
        try:
            record_id = uuid.UUID(key)
        except ValueError:
            return "forged", "不是记录标识 (not a record id)"
        if not area._memo_row_ok(table, key, doc):
            return "bad seal", "标签不符 (its tag does not verify: forged, edited, or written "
            "before tags; the tick looks at the record)"
        try:
            record = self.office.store.get(area.record_type, record_id, for_reading=True)
        except GovOfficeError as e:
            return "forged", f"记录不存在 (no such record: {e})"
        if not area._is_finished(record):
            return "not finished", f"记录状态为 {getattr(record, 'status', '?')} (still open)"
        return None


def _queue_entries(tx: Any, view: str, key: str) -> list[tuple[str, str]]:
    from govoffice.application.notifications import QUEUE

    return [(QUEUE, k) for k, doc in tx.scan(view, QUEUE) if doc.get("key") == key]


def _repaired(d: Difference) -> Difference:
    return Difference(d.view, d.table, d.key, d.problem, d.detail, repaired=True)


def _diff(stored: Document, derived: Document | None) -> str:
    if derived is None:
        return ""
    fields = sorted(set(stored) | set(derived))
    changed = [f for f in fields if stored.get(f) != derived.get(f)]
    shown = ", ".join(
        f"{f}: {_short(stored.get(f))} (events say {_short(derived.get(f))})" for f in changed[:3]
    )
    more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
    return f"与事件不符 {shown}{more}"


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def check_derived(office: Office, *, repair: bool = False) -> DerivedReport:
    """Check (and with ``repair``, rewrite) the views, the outbox and the tick memo."""
    return DerivedCheck(office, repair=repair).run()
