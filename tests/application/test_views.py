"""Read models: a projection catches up page by page, resumes where it stopped, rebuilds
from nothing, and takes in every event exactly once (ADR 0015)."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice.adapters.views_memory import MemoryViewStore
from govoffice.application.office import Office
from govoffice.application.views import Projection, ViewRunner, ViewTransaction, handles
from govoffice.domain.document import OutgoingDocument
from govoffice.testing import AgencyPeople


class DraftsByType(Projection):
    """Counts drafts per document type (a minimal view, to show the contract)."""

    name = "test-drafts-by-type"

    @handles(OutgoingDocument.Drafted)
    def drafted(self, event: Any, tx: ViewTransaction) -> None:
        key = event.form.doc_type.value
        row = tx.get(self.view, "count", key) or {"n": 0}
        tx.put(self.view, "count", key, {"n": row["n"] + 1})

    def counts(self, store: MemoryViewStore) -> dict[str, int]:
        return {k: v["n"] for k, v in store.scan(self.view, "count")}


def draft(office: Office, agency: AgencyPeople, doc_type: str) -> None:
    office.documents.draft(
        by=agency.drafter,
        title="t",
        doc_type=doc_type,
        issuer_code="X政发",
        lead_unit="biz1",
        main_recipients=["各处室"],
        text="x",
    )


def test_a_view_catches_up_in_pages_and_resumes_where_it_stopped(
    office: Office, agency: AgencyPeople
) -> None:
    for doc_type in ["通知"] * 5 + ["函"] * 3:
        draft(office, agency, doc_type)
    store = MemoryViewStore()
    view = DraftsByType()
    runner = ViewRunner(office.app, store, [view], page_size=3)
    runner.catch_up(stop_after=1)
    partial = view.counts(store)
    assert sum(partial.values()) < 8
    runner.catch_up()
    assert view.counts(store) == {"notice": 5, "letter": 3}
    runner.catch_up()  # nothing new: nothing counted twice
    assert view.counts(store) == {"notice": 5, "letter": 3}
    draft(office, agency, "函")
    runner.catch_up()
    assert view.counts(store) == {"notice": 5, "letter": 4}
    runner.rebuild()
    assert view.counts(store) == {"notice": 5, "letter": 4}
    assert store.position(view.view) == office.app.recorder.max_notification_id()


class LettersOnly(DraftsByType):
    name = "test-letters-only"


def test_a_query_catches_up_only_the_views_it_reads(office: Office, agency: AgencyPeople) -> None:
    for doc_type in ["通知", "函", "函"]:
        draft(office, agency, doc_type)
    store = MemoryViewStore()
    mine, other = DraftsByType(), LettersOnly()
    runner = ViewRunner(office.app, store, [mine, other])
    assert runner.catch_up(only=[mine]) == 3
    assert mine.counts(store) == {"notice": 1, "letter": 2}
    assert store.position(other.view) == 0 and other.counts(store) == {}
    runner.catch_up()  # the other view takes the log in once, the first one nothing again
    assert other.counts(store) == mine.counts(store) == {"notice": 1, "letter": 2}
    with pytest.raises(ValueError, match="does not run"):
        runner.catch_up(only=[DraftsByType()])
