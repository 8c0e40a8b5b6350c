"""取值范围 the documented bounds of integer input (ADR 0029): one table, by parameter name.

An integer outside its bound is a typing mistake, not an office decision (``copies=10**30``,
``version=10**20``, ``year=20266``): it is refused with ``InvalidInput`` before anything is
recorded, and no value that could overflow a date, a database integer or a loop reaches the
records. Bounds that are office rules (a deadline after today, a meeting's size within the
limits) stay in the aggregates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs

__all__ = ["BILLION", "DEFAULT_INT_BOUND", "INT_BOUNDS", "Bound"]


@attrs.frozen
class Bound:
    """整数的取值范围 an integer parameter's bounds, both included."""

    low: int
    high: int
    meaning: str
    """What the parameter is, for the README's table (Chinese, short English)."""

    def __contains__(self, value: int) -> bool:
        return self.low <= value <= self.high


BILLION: Final = 1_000_000_000

INT_BOUNDS: Final[Mapping[str, Bound]] = {
    "version": Bound(1, BILLION, "版本号 version (beyond the record's last: RecordNotFound)"),
    "copies": Bound(1, 100_000, "份数 copies"),
    "year": Bound(1949, 2999, "年份、年度 year"),
    "month": Bound(1, 12, "月份 month"),
    "quarter": Bound(1, 4, "季度 quarter"),
    "item": Bound(1, 100_000, "信息序号 item of the month"),
    "serial": Bound(1, 100_000, "计划序号 serial of a plan row"),
    "seat": Bound(0, 9_999, "主席台座位号 seat, from 0"),
    "participants": Bound(1, 100_000, "人数 participants"),
    "percent": Bound(0, 100, "进度百分比 percent"),
    "threshold": Bound(1, 1_000, "通报次数 threshold"),
    "target": Bound(0, 100_000, "信息采用目标 target"),
    "within_working_days": Bound(1, 365, "办理时限(工作日) working days"),
    "days": Bound(1, 366, "会期(天) days"),
    "pages": Bound(0, BILLION, "页数 pages"),
    "limit": Bound(0, BILLION, "条数 limit"),
}
"""整数参数的取值范围, by parameter name, for every service method: a parameter of that name
typed ``int`` (alone or in a union) is refused outside it. The same table is in the README;
``tests/application/test_typed_input.py`` checks that they agree. The facade's type
check reads it (``govoffice.application.typecheck``), and so does the domain where an integer
arrives without passing a typed parameter (a 发文稿纸's ``copies``)."""

DEFAULT_INT_BOUND: Final = Bound(0, BILLION, "其他整数 any other integer (amounts in yuan, …)")
"""Any integer parameter not named in :data:`INT_BOUNDS`, and integers inside lists."""
