"""行文对象名录 — the bodies the agency writes to and how each stands to it (``office.correspondents``)."""

from __future__ import annotations

import pytest

from govoffice.application.office import Office
from govoffice.domain.correspondents import Relation
from govoffice.domain.errors import InvalidInput, PermissionDenied
from govoffice.testing import AgencyPeople, assert_nothing_recorded


def test_the_general_office_keeps_the_directory_of_correspondents(
    office: Office, agency: AgencyPeople
) -> None:
    """[条例 第十三条] 行文关系根据隶属关系和职权范围确定 — the general office records them."""
    c = office.correspondents
    assert c.directory() is None
    assert c.relation_of("市人民政府") is None

    c.enter(name="市人民政府", relation="上级机关", aliases=["市政府"], by=agency.secretary)
    c.enter(
        name="某市财政局", relation=Relation.PEER, issuer_codes=["X财发"], by=agency.office_head
    )

    assert c.relation_of("市政府") is Relation.SUPERIOR
    assert c.relation_of("某市财政局") is Relation.PEER
    directory = c.directory()
    assert directory is not None
    assert directory.issuer_of("X财发") is not None
    assert [d.action for d in c.history(directory.id)] == ["Opened", "Entered", "Entered"]


def test_a_later_entry_corrects_an_earlier_one(office: Office, agency: AgencyPeople) -> None:
    """[条例 第十三条] the relation as the office last entered it."""
    c = office.correspondents
    c.enter(name="某区安监站", relation="平级机关", by=agency.secretary)
    c.enter(name="某区安监站", relation="下级机关", by=agency.secretary)

    assert c.relation_of("某区安监站") is Relation.SUBORDINATE


def test_generic_designations_of_subordinate_bodies_are_subordinate(office: Office) -> None:
    """[条例 第十五条(一)] 不抄送下级机关: 各直属单位、局属各单位 are subordinates everywhere."""
    assert office.correspondents.relation_of("各直属单位") is Relation.SUBORDINATE
    assert office.correspondents.relation_of("局属各单位") is Relation.SUBORDINATE
    assert office.correspondents.relation_of("各处室") is None


def test_only_the_general_office_or_the_admin_keeps_the_directory(
    office: Office, agency: AgencyPeople
) -> None:
    """The directory decides 复核's findings, so only the office (or the admin) keeps it."""
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.correspondents.enter(name="市人民政府", relation="上级机关", by=agency.drafter)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.correspondents.enter(name="市人民政府", relation="兄弟单位", by=agency.secretary)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.correspondents.enter(
            name="市人民政府", relation="上级机关", aliases="市政府", by=agency.secretary
        )

    office.correspondents.enter(name="市人民政府", relation="上级机关", by=agency.admin)
    assert office.correspondents.relation_of("市人民政府") is Relation.SUPERIOR


def test_the_audit_trail_checks_who_kept_the_directory(
    office: Office, agency: AgencyPeople
) -> None:
    """The trail says whether each entry was made by someone entitled to keep the directory."""
    office.correspondents.enter(name="市人民政府", relation="上级机关", by=agency.secretary)
    directory = office.correspondents.directory()
    assert directory is not None

    trail = office.audit.trail(directory.id)

    assert [(e.decision.action, e.check.held) for e in trail] == [
        ("Opened", True),
        ("Entered", True),
    ]
