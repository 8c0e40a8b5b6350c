"""Errors: every refusal the office can give, under one root.

Each error is named for the refusal, carries the ids and values involved as attributes,
and has a message a clerk could read. A refused command records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class GovOfficeError(Exception):
    """Root of every error govoffice raises on purpose."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        for key, value in details.items():
            setattr(self, key, value)

    def __str__(self) -> str:
        return self.message


# --- bad input -------------------------------------------------------------------------


class InvalidInput(GovOfficeError, ValueError):
    """A value given to a command is malformed or of the wrong type."""


class NaiveDateTime(InvalidInput):
    """Business time must carry a time zone."""

    def __init__(self, value: object) -> None:
        super().__init__(
            f"时间 {value!r} 没有时区 (business time must be time-zone aware)", value=value
        )


class MalformedDocumentNumber(InvalidInput):
    """A 发文字号 that does not parse."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(
            f"发文字号 {text!r} 格式不正确: {reason} (expected like X政发〔2026〕12号)",
            text=text,
            reason=reason,
        )


class TimeGoesBackwards(InvalidInput):
    """A command dated before the last recorded decision on the same record."""

    def __init__(self, record_id: object, at: object, last_at: object) -> None:
        super().__init__(
            f"{record_id}: 办理时间 {at} 早于上一步的时间 {last_at} "
            "(a step cannot be dated before the previous one)",
            record_id=record_id,
            at=at,
            last_at=last_at,
        )


class BusinessTimeOutOfRange(InvalidInput):
    """A business time the office cannot accept: before the agency existed, beyond the
    horizon from the office clock, or beyond what a calendar can carry (ADR 0022)."""


class BeforeEstablishment(BusinessTimeOutOfRange):
    def __init__(self, at: object, established: object) -> None:
        super().__init__(
            f"办理时间 {at} 早于本机关建立的时间 {established} "
            "(an act cannot be dated before the agency was established)",
            at=at,
            established=established,
        )


class BeyondHorizon(BusinessTimeOutOfRange):
    def __init__(self, at: object, now: object, horizon: object) -> None:
        super().__init__(
            f"办理时间 {at} 晚于办公系统时钟 {now} 之后 {horizon} 天,疑为笔误 "
            "(business time too far ahead of the office clock; check the year)",
            at=at,
            now=now,
            horizon=horizon,
        )


class OrganisationHistoryConflict(InvalidInput):
    """A back-dated organisation change that contradicts what is already recorded about
    the same subject (ADR 0023)."""

    def __init__(self, subject: str, later: str) -> None:
        super().__init__(
            f"{subject}: {later},不能再补记更早且与之矛盾的变更 "
            "(a back-dated change contradicts a later one of the same subject)",
            subject=subject,
            later=later,
        )


# --- not found -------------------------------------------------------------------------


class NotFound(GovOfficeError, LookupError):
    """An id that names nothing in this office."""


class UnknownPerson(NotFound):
    def __init__(self, person_id: str) -> None:
        super().__init__(f"查无此人: {person_id} (unknown person)", person_id=person_id)


class UnknownUnit(NotFound):
    def __init__(self, unit_id: str) -> None:
        super().__init__(f"查无此处室: {unit_id} (unknown unit)", unit_id=unit_id)


class UnitNotActive(NotFound):
    """A unit named for a time when it did not exist (not yet set up, merged or dissolved)."""

    def __init__(self, unit_id: str, name: str, at: object) -> None:
        super().__init__(
            f"处室 {name}({unit_id}) 在 {at} 不存在(尚未设立,或已合并、撤销) "
            "(the unit did not exist at that time)",
            unit_id=unit_id,
            name=name,
            at=at,
        )


class RecordNotFound(NotFound):
    def __init__(self, kind: str, record_id: object) -> None:
        super().__init__(f"找不到{kind} {record_id} (not found)", kind=kind, record_id=record_id)


# --- permissions -----------------------------------------------------------------------


class PermissionDenied(GovOfficeError, PermissionError):
    """The acting person does not hold the role, or the authority, this step needs."""

    def __init__(self, person_id: str, action: str, needs: str) -> None:
        super().__init__(
            f"{person_id} 无权{action}: 需要{needs} (permission denied)",
            person_id=person_id,
            action=action,
            needs=needs,
        )


class NotASubstitute(PermissionDenied):
    """Acting on behalf of someone without being their substitute on that day."""

    def __init__(self, person_id: str, on_behalf_of: str, day: object) -> None:
        GovOfficeError.__init__(
            self,
            f"{person_id} 在 {day} 不是 {on_behalf_of} 的代理人,不能代为办理 "
            "(not the substitute on that day)",
            person_id=person_id,
            on_behalf_of=on_behalf_of,
            day=day,
            action="代为办理",
            needs="有效的代理关系",
        )


class NotAuthenticated(GovOfficeError):
    """No acting person could be established for a request: no credential, an unknown,
    revoked or expired API token, a JWT that does not verify, a proxy header while proxy
    mode is off, or a person who is not in the agency that day (ADR 0055). An HTTP
    adapter answers 401; nothing is recorded."""

    def __init__(self, reason: str, *, method: str | None = None, **details: object) -> None:
        super().__init__(
            f"身份认证失败: {reason} (not authenticated)", reason=reason, method=method, **details
        )


class IdentityProviderUnavailable(GovOfficeError):
    """The agency's identity platform (统一身份认证) could not be reached for its key set,
    so no JWT can be checked now: the service is unavailable, not the caller unknown (an
    HTTP adapter answers 503 and the caller may retry); nothing is recorded."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"暂时无法取得身份平台的公钥 {url}: {reason},请稍后重试 "
            "(the identity platform's key set is unavailable; retry later)",
            url=url,
            reason=reason,
        )


# --- state and rules -------------------------------------------------------------------


class WrongStatus(GovOfficeError):
    """The step does not fit where the record stands now."""

    def __init__(self, record_id: object, status: object, allowed: Iterable[object]) -> None:
        allowed = tuple(allowed)
        names = "、".join(str(getattr(a, "label", a)) for a in allowed)
        now = getattr(status, "label", status)
        super().__init__(
            f"{record_id}: 当前状态为「{now}」,此步骤只能在「{names}」时办理 "
            "(not allowed in the current status)",
            record_id=record_id,
            status=status,
            allowed=allowed,
        )


class RuleViolation(GovOfficeError):
    """Base for refusals by an office rule; subclasses name the rule."""


class ReasonRequired(RuleViolation):
    """A step that must say why (退文, 退回局办, 延期说明, 会签意见不予采纳, ...)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}须说明理由 (a reason is required)", what=what)


class AlreadyExists(GovOfficeError):
    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key} 已存在 (already exists)", kind=kind, key=key)


# --- infrastructure --------------------------------------------------------------------


class StoreError(GovOfficeError):
    """The event store cannot be used as asked."""


class StoreUnavailable(StoreError, ConnectionError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"无法连接存储 {url}: {reason} (store unavailable; nothing was written)",
            url=url,
            reason=reason,
        )


class StoreNotFound(StoreError, LookupError):
    """A command that only reads or delivers names a store that does not exist (a mistyped
    path, a schema without the office's tables): it never creates an empty one."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"存储 {url} 不存在: {reason};请用 --store 指明办公记录所在的数据库,"
            "新建存储请用 govoffice init (store not found; nothing was created)",
            url=url,
            reason=reason,
        )


class EncryptionKeyError(StoreError):
    """The store's encryption key is missing, malformed or wrong (``variable`` names the
    environment variable that holds it)."""

    def __init__(self, url: str, reason: str, variable: str) -> None:
        super().__init__(
            f"存储 {url} 的加密密钥有误: {reason} (set {variable}; encryption key problem)",
            url=url,
            reason=reason,
            variable=variable,
        )


class InvalidStoreURL(StoreError, ValueError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"存储地址 {url!r} 不正确: {reason} "
            "(use 'memory', 'sqlite:///path/to/file.db' or 'postgresql://user@host:port/db')",
            url=url,
            reason=reason,
        )


class InvalidStoreConfig(StoreError, ValueError):
    """Settings that would split an office over two places, or that govoffice cannot honour
    (ADR 0040)."""

    def __init__(self, setting: str, reason: str) -> None:
        super().__init__(
            f"存储设置 {setting} 不正确: {reason} (invalid store configuration)",
            setting=setting,
            reason=reason,
        )


class MissingExtra(GovOfficeError, ImportError):
    """A feature whose optional dependencies are not installed: names the extra to install."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f'{feature}需要安装 govoffice[{extra}]: pip install "govoffice[{extra}]" '
            f"(missing optional dependency {module})",
            feature=feature,
            extra=extra,
            module=module,
        )
        self.name = module


class CorruptRecord(StoreError):
    """A stored event could not be read back."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(
            f"存储记录无法读取 ({where}): {reason} (corrupt or unreadable stored event)",
            where=where,
            reason=reason,
        )


class ConcurrentChange(StoreError):
    """Another writer changed the same record at the same moment and retries ran out."""

    def __init__(self, record_id: object, attempts: int) -> None:
        super().__init__(
            f"{record_id} 被同时修改,重试 {attempts} 次仍未成功 (concurrent change; retry later)",
            record_id=record_id,
            attempts=attempts,
        )
