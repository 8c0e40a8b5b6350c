"""印制 is part of the record: the file printed is rendered from the signed version, its
digest is recorded, and a printed file can be checked against the record later."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import sys
import uuid
from pathlib import Path

import attrs
import pendulum
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from govoffice.adapters.gbt9704 import RenderExtraMissing
from govoffice.application.office import Office
from govoffice.application.printing import (
    NotYetNumbered,
    RendererUnavailable,
    TextChangedAfterSigning,
)
from govoffice.bootstrap import open_office
from govoffice.cli import main
from govoffice.domain.document import DocumentStatus, PrintRendering
from govoffice.domain.errors import InvalidInput, RecordNotFound
from govoffice.domain.values import PersonId
from govoffice.testing import (
    AgencyPeople,
    SettableClock,
    assert_nothing_recorded,
    outgoing_document,
    standard_agency,
)

PRINT_ROOM = "局文印室"
TEXT = "为做好春季安全检查工作,现将有关事项通知如下……"


def text_of(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_printing_records_the_version_and_digest_of_the_file_it_prints(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)3] 印制 — the file printed is rendered from the record as it stands, and
    the Printed event records its version, SHA-256, size and renderer."""
    doc = outgoing_document(office, agency, DocumentStatus.RECHECKED)
    version = office.documents.get(doc).version

    printed = office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary, render="pdf")

    assert printed is not None and printed.content.startswith(b"%PDF")
    assert printed.digest == hashlib.sha256(printed.content).hexdigest()
    assert printed.filename == "X政发〔2026〕1号.pdf"
    record = office.documents.get(doc).rendering
    assert record == printed.record
    assert (record.version, record.format, record.copies) == (version, "pdf", 1)
    assert record.size == len(printed.content)
    assert record.renderer.startswith("govoffice-gbt9704/1 pdf; fpdf2 ")
    last = office.documents.history(doc)[-1]
    assert (last.action, last.details["rendering"]) == ("Printed", record)
    assert "X政发〔2026〕1号" in text_of(printed.content)


def test_a_printed_file_is_checked_against_the_signed_version(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)4] 核发前检查印制质量 — the audit renders the recorded version again and
    compares digests; a file handed in is the printed one, or is not."""
    doc = outgoing_document(office, agency, DocumentStatus.RECHECKED)
    printed = office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary, render="pdf")
    assert printed is not None

    check = office.audit.verify_print(doc, file=printed.content)
    assert (check.ok, check.record_reproduced, check.file_matches) == (True, True, True)
    assert "一致 OK" in check.describe()

    forged = printed.content.replace(b"/Title", b"/Titel")
    other = office.audit.verify_print(doc, file=forged)
    assert (other.ok, other.record_reproduced, other.file_matches) == (False, True, False)
    assert "不是 IS NOT" in other.describe()

    with pytest.raises(InvalidInput):
        office.audit.verify_print(doc, printing=2)
    with pytest.raises(InvalidInput):
        office.audit.verify_print(doc, file="not bytes")  # type: ignore[arg-type]
    unprinted = outgoing_document(office, agency, DocumentStatus.RECHECKED)
    with pytest.raises(RecordNotFound):
        office.audit.verify_print(unprinted)


def test_the_print_date_is_the_agency_local_day_of_printing(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[GB/T 9704-2012 7.4.3] 印发日期以公文付印的日期为准 — the agency's day, for a clerk
    writing UTC too."""
    doc = outgoing_document(office, agency, DocumentStatus.RECHECKED)
    late = pendulum.datetime(2026, 3, 2, 17, 0, tz="UTC")  # 3 March 01:00 in Beijing
    clock.set(late)

    printed = office.documents.print_copies(
        doc, site=PRINT_ROOM, by=agency.secretary, render="pdf", at=late
    )

    assert printed is not None
    assert "2026年3月3日印发" in text_of(printed.content)
    assert office.printing.model(doc)[0].printed_on == "2026年3月3日"
    assert office.audit.verify_print(doc).ok


def test_a_print_recorded_without_a_file_is_checked_by_rendering_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)3] a print recorded without a rendering (printed outside govoffice) can
    still be compared with the file the printed version renders to."""
    doc = outgoing_document(office, agency, DocumentStatus.PRINTED)
    assert office.documents.get(doc).rendering is None

    check = office.audit.verify_print(doc)
    assert check.recorded is None and check.rerendered is not None and not check.ok
    version = office.documents.get(doc).version - 1
    same = office.printing.print_job(
        office.documents.get(doc, version=version),
        office.org.as_of_time(check.printed_at),
        fmt="pdf",
        print_day=pendulum.date(2026, 3, 2),
    )
    assert office.audit.verify_print(doc, file=same.content).ok


def test_an_unnumbered_version_is_never_rendered_as_an_issued_document(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)1] 已经签发的公文,应当确定发文字号 — a draft or an unregistered version
    has no number and is not printed as a 公文."""
    for status in (DocumentStatus.DRAFT, DocumentStatus.SIGNED):
        doc = outgoing_document(office, agency, status)
        with assert_nothing_recorded(office), pytest.raises(NotYetNumbered):
            office.documents.render(doc)
    registered = outgoing_document(office, agency, DocumentStatus.REGISTERED)
    before = office.documents.get(registered).version - 1
    with assert_nothing_recorded(office), pytest.raises(NotYetNumbered):
        office.documents.render(registered, version=before)
    assert office.documents.render(registered, version=before + 1).startswith(b"%PDF")


def test_the_text_rendered_is_the_text_as_of_the_version_asked(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)3] 签发后的定稿不得改动,实质性修改须报原签发人批准 — each version renders
    with its own text, under the same number; printing takes the approved amendment."""
    doc = outgoing_document(office, agency, DocumentStatus.RECHECKED)
    signed_version = office.documents.get(doc).version
    office.documents.approve_amendment(
        doc, text="修改后的正文:检查范围扩大到全系统。", reason="补充检查范围", by=agency.deputy
    )
    office.documents.recheck(doc, by=agency.secretary)

    old = office.documents.render(doc, format="docx", version=signed_version)
    new = office.documents.render(doc, format="docx")
    assert office.printing.model(doc, version=signed_version)[0].number == "X政发〔2026〕1号"
    assert office.printing.model(doc)[0].number == "X政发〔2026〕1号"
    old_text = office.printing.model(doc, version=signed_version)[0].paragraphs[0].text
    assert old_text == TEXT
    assert office.printing.model(doc)[0].paragraphs[0].text == "修改后的正文:检查范围扩大到全系统。"
    assert old != new

    printed = office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary, render="pdf")
    assert printed is not None
    assert "检查范围扩大到全系统" in text_of(printed.content)
    assert office.audit.verify_print(doc).ok


def test_a_text_changed_after_signing_without_approval_cannot_be_rendered(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(五)3] 签发后的定稿一般不得改动 — a change recorded past the domain's rules
    (a script writing the aggregate's own event) is caught: that version is not printed."""
    doc = outgoing_document(office, agency, DocumentStatus.REGISTERED)
    signed = office.documents.get(doc)
    good_version = signed.version
    form = attrs.evolve(signed.form, text="偷改的正文")
    signed._revised(form=form, by=PersonId(agency.drafter), at=clock.advance(minutes=5))
    office.store.save(signed)

    with assert_nothing_recorded(office), pytest.raises(TextChangedAfterSigning) as refused:
        office.documents.render(doc)
    assert refused.value.event == "Revised"
    assert office.documents.render(doc, version=good_version).startswith(b"%PDF")


def test_a_tampered_store_no_longer_renders_the_printed_file(tmp_path: Path) -> None:
    """[001 发文 五(六)3] an intruder who edits the stored text after printing is found: the
    record no longer renders to the file 印制 recorded (and the hash chain is broken)."""
    path = tmp_path / "office.db"
    office = open_office(f"sqlite:///{path}", clock=SettableClock())
    agency = standard_agency(office)
    doc = outgoing_document(office, agency, DocumentStatus.RECHECKED)
    printed = office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary, render="pdf")
    assert printed is not None
    office.close()
    with sqlite3.connect(path) as db:
        rowid, state = db.execute(
            "SELECT rowid, state FROM stored_events WHERE originator_id = ? "
            "AND originator_version = 1",
            (doc.hex,),
        ).fetchone()
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?",
            (bytes(state).replace("春季安全检查".encode(), "秋季安全检查".encode()), rowid),
        )

    reopened = open_office(f"sqlite:///{path}", clock=SettableClock())
    try:
        check = reopened.audit.verify_print(doc, file=printed.content)
        assert check.file_matches is True  # the file is the one printed ...
        assert check.record_reproduced is False  # ... but the record no longer says so
        described = check.describe()
        assert not check.ok and ("不一致 DIFFERS" in described or "不能重新生成" in described)
        assert not reopened.audit.verify().ok
    finally:
        reopened.close()


def test_an_office_without_a_renderer_says_so_and_prints_without_a_file(
    agency_office_without_renderer: tuple[Office, AgencyPeople],
) -> None:
    """An office opened with ``renderer=None`` refuses to render, clearly; 印制 without a
    file is recorded as before."""
    office, agency = agency_office_without_renderer
    doc = outgoing_document(office, agency, DocumentStatus.RECHECKED)

    with assert_nothing_recorded(office), pytest.raises(RendererUnavailable):
        office.documents.render(doc)
    with assert_nothing_recorded(office), pytest.raises(RendererUnavailable):
        office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary, render="pdf")
    assert office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary) is None


@pytest.fixture
def agency_office_without_renderer() -> tuple[Office, AgencyPeople]:
    office = open_office("memory", clock=SettableClock(), renderer=None)
    return office, standard_agency(office)


def test_a_missing_render_extra_is_named(
    office: Office, agency: AgencyPeople, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without python-docx or fpdf2 (the ``render`` extra) the error names the extra."""
    doc = outgoing_document(office, agency, DocumentStatus.REGISTERED)
    for module in ("govoffice.adapters.gbt9704.pdf", "govoffice.adapters.gbt9704.docx_writer"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    monkeypatch.setitem(sys.modules, "fpdf", None)
    monkeypatch.setitem(sys.modules, "docx", None)

    for fmt in ("pdf", "docx"):
        with assert_nothing_recorded(office), pytest.raises(RenderExtraMissing) as missing:
            office.documents.render(doc, format=fmt)
        assert "pip install 'govoffice[render]'" in str(missing.value)


def test_bad_render_requests_are_clear_errors(office: Office, agency: AgencyPeople) -> None:
    """Bad input: a clear GovOfficeError, nothing recorded."""
    doc = outgoing_document(office, agency, DocumentStatus.REGISTERED)
    bad: list[tuple[dict[str, object], type[Exception]]] = [
        ({"format": "odt"}, InvalidInput),
        ({"version": 0}, InvalidInput),
        ({"version": "3"}, InvalidInput),
        ({"version": 10**9}, RecordNotFound),
        ({"copy": 0}, InvalidInput),
        ({"copy": "2"}, InvalidInput),
    ]
    for kwargs, error in bad:
        with assert_nothing_recorded(office), pytest.raises(error):
            office.documents.render(doc, **kwargs)  # type: ignore[arg-type]
    with assert_nothing_recorded(office), pytest.raises(RecordNotFound):
        office.documents.render(uuid.uuid4())
    with assert_nothing_recorded(office), pytest.raises(RecordNotFound):
        office.documents.render("not-an-id")
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary, render="odt")


def test_a_rendering_must_be_of_the_version_printed(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(六)3] 印制 records the file of the version it prints, not another."""
    from govoffice.domain.document import RenderingMismatch

    doc = office.documents.get(outgoing_document(office, agency, DocumentStatus.RECHECKED))
    stale = PrintRendering(doc.version - 1, "pdf", "0" * 64, 10, 1, "x")
    with pytest.raises(RenderingMismatch):
        doc.print_copies(
            org=office.org.current(),
            site=PRINT_ROOM,
            by=PersonId(agency.secretary),
            at=office.clock.now(),
            rendering=stale,
        )
    with pytest.raises(RenderingMismatch):
        doc.print_copies(
            org=office.org.current(),
            site=PRINT_ROOM,
            by=PersonId(agency.secretary),
            at=office.clock.now(),
            rendering=PrintRendering(doc.version, "pdf", "not-a-digest", 10, 1, "x"),
        )
    with pytest.raises(InvalidInput):
        doc.print_copies(
            org=office.org.current(),
            site=PRINT_ROOM,
            by=PersonId(agency.secretary),
            at=office.clock.now(),
            rendering="sha256:abc",  # type: ignore[arg-type]
        )
    assert not doc.pending_events


def test_the_command_line_renders_and_checks_a_printed_file(tmp_path: Path) -> None:
    """`govoffice document render ID --format pdf|docx -o FILE` and `document verify-print`."""
    store = f"sqlite:///{tmp_path / 'office.db'}"
    office = open_office(store, clock=SettableClock())
    agency = standard_agency(office)
    doc = outgoing_document(office, agency, DocumentStatus.RECHECKED)
    office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary, render="pdf")
    office.close()
    runner = CliRunner()

    pdf = tmp_path / "notice.pdf"
    result = runner.invoke(main, ["document", "render", str(doc), "-o", str(pdf), "--store", store])
    assert result.exit_code == 0, result.output
    assert "X政发〔2026〕1号" in result.output and "SHA-256" in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    docx = tmp_path / "notice.docx"
    result = runner.invoke(
        main,
        ["document", "render", str(doc), "--format", "docx", "-o", str(docx), "--store", store],
    )
    assert result.exit_code == 0 and docx.read_bytes().startswith(b"PK")

    result = runner.invoke(
        main, ["document", "verify-print", str(doc), "--file", str(pdf), "--store", store]
    )
    assert result.exit_code == 0, result.output
    assert "结论: 一致 OK" in result.output
    result = runner.invoke(
        main, ["document", "verify-print", str(doc), "--file", str(docx), "--store", store]
    )
    assert result.exit_code == 1 and "不是 IS NOT" in result.output

    result = runner.invoke(main, ["document", "render", "nope", "--store", store])
    assert result.exit_code == 2 and "RecordNotFound" in result.output
