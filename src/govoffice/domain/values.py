"""Value objects shared by the aggregates: ids, business time, document numbers.

Values validate their intrinsic validity when built (a serial is >= 1, a document number
parses, a time has a zone); the rules that depend on context live in the aggregates.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, NewType, TypeVar

import attrs
import pendulum

from govoffice.domain.errors import InvalidInput, MalformedDocumentNumber, NaiveDateTime

__all__ = [
    "DEFAULT_TIME_ZONE",
    "DocumentNumber",
    "LabelledEnum",
    "PersonId",
    "UnitId",
    "a_date",
    "business_time",
    "coerce_enum",
    "is_value_type",
    "iso_time",
    "local_time",
    "positive_int",
    "text",
    "texts",
    "value_object",
    "zone_name",
]

PersonId = NewType("PersonId", str)
UnitId = NewType("UnitId", str)

E = TypeVar("E", bound=Enum)
T = TypeVar("T")


def _itself(self: T, memo: object = None) -> T:
    return self


def is_value_type(cls: type) -> bool:
    """True for a class made by :func:`value_object` (immutable: its own copy)."""
    return getattr(cls, "__deepcopy__", None) is _itself


if TYPE_CHECKING:  # type checkers see attrs.frozen itself (the attrs plugin types the class)
    from attrs import frozen as value_object
else:

    def value_object(maybe_cls: Any = None, **kwargs: Any) -> Any:
        """``attrs.frozen``, and the class's instances are their own copies.

        A value object is immutable all the way down (its fields hold text, numbers, dates,
        enums, tuples and other value objects), so ``copy.copy`` and ``copy.deepcopy`` return
        it as it is, as they do for ``str`` and ``tuple``. Every command copies the record it
        changes out of the aggregate cache, and without this most of that copy's time went
        into rebuilding value objects through ``__reduce_ex__`` (benchmarks/README.md).
        """

        def wrap(cls: type) -> type:
            made: type = attrs.frozen(cls, **kwargs)
            made.__copy__ = _itself  # type: ignore[attr-defined]
            made.__deepcopy__ = _itself  # type: ignore[attr-defined]
            return made

        return wrap if maybe_cls is None else wrap(maybe_cls)


class LabelledEnum(Enum):
    """An enum whose members carry a Chinese label for clerks (``member.label``)."""

    label: str

    def __new__(cls, value: str, label: str = "") -> LabelledEnum:
        member = object.__new__(cls)
        member._value_ = value
        member.label = label or value
        return member

    def __str__(self) -> str:
        return self.label


def coerce_enum(enum_type: type[E], value: object, what: str) -> E:
    """Accept a member, its value or its Chinese label; refuse anything else clearly."""
    if isinstance(value, enum_type):
        return value
    for member in enum_type:
        if value == member.value or value == getattr(member, "label", None):
            return member
    choices = "、".join(str(getattr(m, "label", m.value)) for m in enum_type)
    raise InvalidInput(f"{what} {value!r} 不是有效取值,可选: {choices}", what=what, value=value)


def business_time(at: object, what: str = "at") -> pendulum.DateTime:
    """业务时间 business time: when a step happened in the office, always zone-aware.

    Accepts a ``pendulum.DateTime``, an aware ``datetime`` or ISO 8601 text with a zone
    (``2026-03-10T09:00+08:00``, ``2026-03-10T01:00Z``); refuses naive times (text without
    a zone too) and other types with a clear error.
    """
    if isinstance(at, str):
        at = iso_time(at, what)
    if isinstance(at, pendulum.DateTime):
        if at.tzinfo is None:
            raise NaiveDateTime(at)
        return at
    if isinstance(at, datetime):
        if at.tzinfo is None or at.utcoffset() is None:
            raise NaiveDateTime(at)
        return pendulum.instance(at)
    raise InvalidInput(
        f"{what} 必须是带时区的日期时间,而不是 {type(at).__name__} {at!r} "
        "(business time must be a time-zone aware datetime)",
        what=what,
        value=at,
    )


def iso_time(value: str, what: str = "at") -> datetime:
    """A time written in ISO 8601 with its zone or offset (``2026-03-10T09:00+08:00``); a
    time written without one is refused (:class:`NaiveDateTime`), never guessed."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"{what} {value!r} 不是 ISO 8601 日期时间 "
            "(expected a time with its zone, e.g. 2026-03-10T09:00+08:00)",
            what=what,
            value=value,
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise NaiveDateTime(value)
    return parsed


DEFAULT_TIME_ZONE = "Asia/Shanghai"
"""The agency's time zone unless it says otherwise when it is established."""


def zone_name(value: object) -> str:
    """A time-zone name pendulum knows (``Asia/Shanghai``, ``UTC``, ...)."""
    if not isinstance(value, str):
        raise InvalidInput(f"时区必须是文字,而不是 {value!r} (time zone name)", value=value)
    try:
        pendulum.timezone(value)
    except Exception:
        raise InvalidInput(
            f"时区 {value!r} 不存在 (unknown time zone; e.g. Asia/Shanghai)", value=value
        ) from None
    return value


def local_time(at: datetime, zone: str) -> pendulum.DateTime:
    """The same instant on the clock of ``zone`` (the agency's business day is read there)."""
    return pendulum.instance(at).in_timezone(zone)


def a_date(value: object, what: str) -> date:
    """A calendar date (日期); a datetime is reduced to its date in its own zone."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise InvalidInput(f"{what} 必须是日期,而不是 {value!r} (expected a date)", what=what)


def text(value: object, what: str, *, required: bool = True) -> str:
    """A text field: must be a ``str``; a required one must not be blank."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} 必须是文字,而不是 {value!r} (expected text)", what=what)
    if required and not value.strip():
        raise InvalidInput(f"{what} 不能为空 (must not be blank)", what=what)
    return value


def texts(values: object, what: str) -> tuple[str, ...]:
    """A list of non-blank texts (a bare string is refused, not split into characters)."""
    if isinstance(values, str) or not isinstance(values, list | tuple | set | frozenset):
        raise InvalidInput(f"{what} 必须是列表,而不是 {values!r} (expected a list)", what=what)
    return tuple(text(v, what) for v in values)


def positive_int(value: object, what: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    """An integer (not a bool) from ``minimum`` (to ``maximum``, when given)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInput(
            f"{what} 必须是不小于 {minimum} 的整数,而不是 {value!r}", what=what, value=value
        )
    if maximum is not None and value > maximum:
        raise InvalidInput(
            f"{what} 必须是 {minimum} 到 {maximum:,} 之间的整数,而不是 {value!r}",
            what=what,
            value=value,
        )
    return value


_NUMBER = re.compile(r"^(?P<code>[^\s〔〕\[\]()()\d]+)〔(?P<year>\d{4})〕(?P<serial>\d+)号$")


def _check_serial(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"顺序号必须是正整数,而不是 {value!r} (serial must be >= 1)")


def _check_year(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 9999:
        raise InvalidInput(f"年份 {value!r} 不正确 (year must be 1949 or later, in four digits)")


def _check_code(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value or re.search(r"[\s〔〕\[\]()()\d]", value):
        raise InvalidInput(f"发文机关代字 {value!r} 不正确 (issuer code: no digits, brackets)")


@value_object
class DocumentNumber:
    """发文字号 document number: issuer code, year in 〔〕, serial, 号 — e.g. ``X政发〔2026〕12号``.

    Per GB/T 9704-2012 the year is written in full inside 〔〕, the serial has no leading
    zeros and no 第.
    """

    issuer_code: str = attrs.field(validator=_check_code)
    year: int = attrs.field(validator=_check_year)
    serial: int = attrs.field(validator=_check_serial)

    @classmethod
    def parse(cls, value: object) -> DocumentNumber:
        if not isinstance(value, str):
            raise MalformedDocumentNumber(repr(value), "不是文字")
        candidate = value.strip()
        if "〕第" in candidate:
            raise MalformedDocumentNumber(value, "顺序号前不加“第”字")
        if re.search(r"[\[\]()()]", candidate):
            raise MalformedDocumentNumber(value, "年份须用六角括号〔〕括入")
        match = _NUMBER.match(candidate)
        if match is None:
            raise MalformedDocumentNumber(value, "应为 机关代字〔年份〕顺序号号")
        serial = match["serial"]
        if serial.startswith("0"):
            raise MalformedDocumentNumber(value, "顺序号不编虚位(不加前导0)")
        try:
            return cls(match["code"], int(match["year"]), int(serial))
        except InvalidInput as e:
            raise MalformedDocumentNumber(value, e.message) from None

    def __str__(self) -> str:
        return f"{self.issuer_code}〔{self.year}〕{self.serial}号"
