"""Hypothesis strategies for govoffice's commands and values (``pip install
"govoffice[testing]"``).

Import this module, not :mod:`govoffice.testing`, for them: the library itself does not
need hypothesis; without it, importing this module says which extra to install.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from govoffice.domain.errors import MissingExtra

try:
    from hypothesis import strategies as st
except ImportError as missing:  # pragma: no cover - tested with hypothesis hidden
    raise MissingExtra(
        "hypothesis 策略 (govoffice.testing.strategies)", "testing", missing.name or "hypothesis"
    ) from None

from govoffice.domain.target import IndicatorBasis, TrackingMeans
from govoffice.domain.values import DocumentNumber
from govoffice.testing._agency import AgencyPeople

ZONES = ("Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
"""The zones :func:`business_times` draws from (with and without daylight saving)."""

_CODE_CHARACTERS = "X某市县区局厅委办政发函字党人财法"
_TITLE_SUBJECTS = ("春季安全检查", "防汛工作", "信息化建设", "预算编制", "政务公开")
_DOC_TYPES = ("通知", "通报", "意见", "报告", "函", "决定")
_RECIPIENTS = ("各处室", "各直属单位", "各区县人民政府", "市政府办公室", "市财政局")
_TARGET_WORK = ("重点项目推进", "行政审批办结", "规范性文件审核", "预算执行", "安全生产检查")
_TARGET_METHODS = ("查阅台账", "现场检查", "信息系统抽查", "查阅财务报表")


def issuer_codes() -> st.SearchStrategy[str]:
    """发文机关代字: one to six characters, no digits, spaces or brackets (e.g. ``X政发``)."""
    return st.text(alphabet=_CODE_CHARACTERS, min_size=1, max_size=6)


def document_numbers(
    *, years: tuple[int, int] = (1949, 2100), max_serial: int = 99_999
) -> st.SearchStrategy[DocumentNumber]:
    """Well-formed 发文字号 such as ``X政发〔2026〕12号``."""
    return st.builds(
        DocumentNumber,
        issuer_code=issuer_codes(),
        year=st.integers(*years),
        serial=st.integers(1, max_serial),
    )


def business_times(
    *,
    min_value: datetime = datetime(2020, 1, 1),
    max_value: datetime = datetime(2035, 12, 31, 23, 59, 59),
    zones: tuple[str, ...] = ZONES,
) -> st.SearchStrategy[pendulum.DateTime]:
    """Zone-aware pendulum DateTimes (whole seconds) in one of ``zones``."""

    def build(naive: datetime, zone: str) -> pendulum.DateTime:
        return pendulum.instance(naive.replace(microsecond=0), tz=zone)

    return st.builds(
        build,
        st.datetimes(min_value=min_value, max_value=max_value),
        st.sampled_from(zones),
    )


def person_ids(*, strangers: bool = False) -> st.SearchStrategy[str]:
    """Ids of the people of :func:`~govoffice.testing.standard_agency`; with
    ``strangers=True`` also well-formed ids of people the agency does not know."""
    known = st.sampled_from(sorted(set(attrs.astuple(AgencyPeople()))))
    if not strangers:
        return known
    return known | st.from_regex(r"[a-z]{2,8}\.[a-z]{2,10}", fullmatch=True)


def draft_forms(*, lead_unit: str = "biz1") -> st.SearchStrategy[dict[str, Any]]:
    """Valid 发文稿纸 fields for ``office.documents.draft(by=..., **form)``: an ordinary,
    unclassified draft of ``lead_unit`` (``biz1``: drafted by ``people.drafter``)."""
    recipients = st.lists(st.sampled_from(_RECIPIENTS), min_size=1, max_size=3, unique=True)
    return st.fixed_dictionaries(
        {
            "title": st.sampled_from(_TITLE_SUBJECTS).map(lambda s: f"关于做好{s}工作的通知"),
            "doc_type": st.sampled_from(_DOC_TYPES),
            "issuer_code": issuer_codes(),
            "lead_unit": st.just(lead_unit),
            "main_recipients": recipients,
            "text": st.text(
                alphabet="为做好工作现将有关事项通知如下……", min_size=1, max_size=40
            ).filter(lambda t: bool(t.strip())),
        },
        optional={
            "copy_recipients": st.lists(st.sampled_from(_RECIPIENTS), max_size=2, unique=True),
            "copies": st.integers(1, 200),
        },
    )


def indicator_points(
    *, min_value: Decimal = Decimal("0.5"), max_value: Decimal = Decimal(100)
) -> st.SearchStrategy[int | str | Decimal]:
    """Exact positive points (分值, 扣分) as a command takes them: an int, a Decimal with one
    decimal place, or the same number as text."""
    decimals = st.decimals(min_value=min_value, max_value=max_value, places=1)
    whole = st.integers(int(min_value.to_integral_value(rounding="ROUND_CEILING")), int(max_value))
    return st.one_of(whole, decimals, decimals.map(str))


def target_indicators(
    *, units: tuple[str, ...] = ("biz1", "biz2", "legal", "finance")
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid 考评指标 fields for ``office.targets.add_indicator(table, by=..., **fields)``: a
    unit of :func:`~govoffice.testing.standard_agency` with a head, one of the five bases (a
    member or its Chinese label), exact positive points, how it is checked."""
    bases = st.sampled_from(list(IndicatorBasis))
    return st.fixed_dictionaries(
        {
            "unit": st.sampled_from(units),
            "content": st.sampled_from(_TARGET_WORK).map(lambda w: f"{w}按年度计划完成"),
            "basis": bases | bases.map(lambda b: b.label),
            "points": indicator_points(min_value=Decimal(1)),
            "method": st.sampled_from(_TARGET_METHODS),
        }
    )


def tracking_means() -> st.SearchStrategy[TrackingMeans | str]:
    """跟踪方式: a member or its Chinese label (日常管理、效能督查、现场检查、信息系统)."""
    means = st.sampled_from(list(TrackingMeans))
    return means | means.map(lambda m: m.label)


__all__ = [
    "ZONES",
    "business_times",
    "document_numbers",
    "draft_forms",
    "indicator_points",
    "issuer_codes",
    "person_ids",
    "target_indicators",
    "tracking_means",
]
