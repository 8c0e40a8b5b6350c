"""What the view-store tests share: a projection that is not idempotent (it counts), a
workload written through the public commands, a dump of a view, and the child process of
the crash test (``python -m tests.adapters.views_workload URL PAGE_SIZE DELAY``)."""

from __future__ import annotations

import sys
import time
from typing import Any, ClassVar

import pendulum

from govoffice.application.office import Office
from govoffice.application.views import (
    Document,
    Projection,
    ViewReader,
    ViewRunner,
    ViewTransaction,
    handles,
)
from govoffice.domain.document import OutgoingDocument
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import PersonId
from govoffice.testing import AgencyPeople

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
DOC_TYPES = ["通知", "函", "请示", "报告"]


class DocumentRegister(Projection):
    """发文登记 (test view): a row per live document, counts by type and by day; withdrawn
    documents are deleted and uncounted. Counting makes a double-applied event visible."""

    name = "test-document-register"
    tables: ClassVar[tuple[str, ...]] = ("document", "by-type", "by-day")
    delay: ClassVar[float] = 0.0
    """Seconds to sleep per event (the crash test's artificial slowdown)."""

    @handles(OutgoingDocument.Drafted)
    def drafted(self, e: Any, tx: ViewTransaction) -> None:
        self._slow()
        doc_type = e.form.doc_type.value
        tx.put(
            self.view,
            "document",
            str(e.originator_id),
            {"title": e.form.title, "type": doc_type, "status": "draft", "steps": 1},
        )
        self._count(tx, "by-type", doc_type, 1)
        self._count(tx, "by-day", e.at.date().isoformat(), 1)

    @handles(
        OutgoingDocument.Revised, OutgoingDocument.SubmittedForReview, OutgoingDocument.Reviewed
    )
    def moved(self, e: Any, tx: ViewTransaction) -> None:
        self._slow()
        key = str(e.originator_id)
        doc = tx.get(self.view, "document", key)
        assert doc is not None, f"{type(e).__name__} before Drafted for {key}"
        doc["status"] = type(e).__name__
        doc["steps"] += 1
        if isinstance(e, OutgoingDocument.Revised):
            doc["title"] = e.form.title
        tx.put(self.view, "document", key, doc)
        self._count(tx, "by-day", e.at.date().isoformat(), 1)

    @handles(OutgoingDocument.Withdrawn)
    def withdrawn(self, e: Any, tx: ViewTransaction) -> None:
        self._slow()
        key = str(e.originator_id)
        doc = tx.get(self.view, "document", key)
        assert doc is not None
        tx.delete(self.view, "document", key)
        self._count(tx, "by-type", doc["type"], -1)

    def _count(self, tx: ViewTransaction, table: str, key: str, n: int) -> None:
        row = tx.get(self.view, table, key) or {"n": 0}
        tx.put(self.view, table, key, {"n": row["n"] + n})

    def _slow(self) -> None:
        if self.delay:
            time.sleep(self.delay)

    def counts(self, store: ViewReader, table: str = "by-type") -> dict[str, int]:
        return {k: v["n"] for k, v in store.scan(self.view, table)}


def dump(store: ViewReader, projection: DocumentRegister) -> dict[str, list[tuple[str, Document]]]:
    """Every row of the view, table by table, in key order."""
    return {t: list(store.scan(projection.view, t)) for t in projection.tables}


def write_documents(
    office: Office,
    people: AgencyPeople,
    events: int,
    start: pendulum.DateTime = T0,
    *,
    batch: int = 1,
) -> int:
    """Write about ``events`` events: documents drafted, revised, submitted and reviewed,
    every fifth withdrawn, over several days, the steps of different documents interleaved.
    ``batch=1`` goes through the public commands (``office.documents``); a larger batch runs
    the same domain commands and saves ``batch`` steps' records in one atomic write (fast
    enough for thousands of events in a test). Returns the position of the last event."""
    org = office.store.get(Organisation, Organisation.create_id(), for_reading=True)
    drafter, head = PersonId(people.drafter), PersonId(people.unit_head)
    at = start
    pending: list[tuple[Any, int]] = []
    touched: dict[Any, OutgoingDocument] = {}
    for i in range(events):
        at = at.add(minutes=37)
        if pending and (i % 3 or len(pending) > 8):
            doc, step = pending.pop(0)
            if batch == 1:
                _step_by_command(office, people, doc, step, at, i)
            else:
                record: OutgoingDocument = touched.get(doc) or office.documents.get(doc)
                touched[doc] = record
                if step == 1:
                    record.revise(org=org, by=drafter, at=at, title=f"修改稿 {i}")
                elif step == 2:
                    record.submit_for_review(org=org, by=drafter, at=at)
                elif step == 3:
                    record.review(org=org, by=head, at=at)
                else:
                    record.withdraw(org=org, by=drafter, at=at, reason="情况有变")
            if step < 3 or (step == 3 and i % 5 == 0):
                pending.append((doc, step + 1))
        else:
            form = {
                "title": f"关于第{i}项工作的通知",
                "doc_type": DOC_TYPES[i % len(DOC_TYPES)],
                "issuer_code": "X政发",
                "lead_unit": "biz1",
                "main_recipients": ["各处室"],
                "text": "各处室:现将有关事项通知如下……",
            }
            if batch == 1:
                doc = office.documents.draft(by=people.drafter, at=at, **form)
            else:
                record = OutgoingDocument.draft(org=org, by=drafter, at=at, **form)
                doc = record.id
                touched[doc] = record
            pending.append((doc, 1))
        if batch > 1 and (i % batch == batch - 1 or i == events - 1):
            office.store.save(*touched.values())
            touched = {d: r for d, r in touched.items() if any(d == p for p, _ in pending)}
    return office.app.recorder.max_notification_id() or 0


def _step_by_command(
    office: Office, people: AgencyPeople, doc: Any, step: int, at: pendulum.DateTime, i: int
) -> None:
    docs = office.documents
    if step == 1:
        docs.revise(doc, by=people.drafter, at=at, title=f"修改稿 {i}")
    elif step == 2:
        docs.submit_for_review(doc, by=people.drafter, at=at)
    elif step == 3:
        docs.review(doc, by=people.unit_head, at=at)
    else:
        docs.withdraw(doc, by=people.drafter, at=at, reason="情况有变")


def child(url: str, page_size: int, delay: float) -> None:
    """The crash test's child: rebuild the register slowly, until killed."""
    from govoffice.bootstrap import open_office

    DocumentRegister.delay = delay
    office = open_office(url)
    runner = ViewRunner(office.app, office.views.store, [DocumentRegister()], page_size=page_size)
    print("started", flush=True)
    runner.rebuild()
    print("finished", flush=True)
    office.close()


if __name__ == "__main__":
    child(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
