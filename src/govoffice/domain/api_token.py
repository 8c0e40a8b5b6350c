"""接口令牌 API tokens: how a system that is not written in Python acts for one person.

The office's administrator (the organisation admin, who keeps the organisation) issues a
token to one person of the agency. The caller presents ``gov_<token id>_<secret>``; the
token id is public (it names the token in lists and in the trail), the secret is high
entropy, shown once when the token is issued, and never stored nor put in any event: the
record keeps only the SHA-256 of the whole token text (ADR 0055). A token may carry an
expiry; it is revoked with a reason, by the administrator or by its own holder. Every issue
and revocation is an event with who and when, judged by the authority table like every
other step.
"""

from __future__ import annotations

import re
import uuid

import pendulum
from eventsourcing.domain import event

from govoffice.domain.authority import (
    authorise,
    declare,
    either,
    named,
    one,
    record,
    role,
    step,
)
from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.errors import InvalidInput
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.values import LabelledEnum, PersonId, text

TOKEN_PREFIX = "gov"
"""The first part of every token text: ``gov_<token id>_<secret>``."""

TOKEN_ID_PATTERN = re.compile(r"[0-9a-f]{16}")
"""A token id: 16 lowercase hex digits (public; never contains the separator ``_``)."""

_HASH_PATTERN = re.compile(r"[0-9a-f]{64}")
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "govoffice:api-token")


class TokenStatus(LabelledEnum):
    """令牌状态 (an expired token stays 有效 in the record: expiry is read at each use)."""

    ACTIVE = "active", "有效"
    REVOKED = "revoked", "已吊销"


def token_record_id(token_id: str) -> uuid.UUID:
    """The record id of the token ``token_id`` (a natural id: one record per token)."""
    return uuid.uuid5(_NAMESPACE, token_id)


@stable_topics("api-token")
class ApiToken(OfficeAggregate):
    """接口令牌 one token: whose it is, its label, its expiry, and the hash of its text."""

    KIND = "接口令牌"

    @staticmethod
    def create_id(token_id: str) -> uuid.UUID:
        """Deterministic, uuid5 of the public token id: one record per token."""
        return token_record_id(token_id)

    @classmethod
    def issue(
        cls,
        *,
        org: Organisation,
        token_id: str,
        person_id: str,
        secret_hash: str,
        label: str = "",
        expires: pendulum.DateTime | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> ApiToken:
        """签发令牌: the administrator issues a token to ``person_id``, a person of the agency
        at ``at``; ``expires`` (if given) must lie after ``at``."""
        if not isinstance(token_id, str) or not TOKEN_ID_PATTERN.fullmatch(token_id):
            raise InvalidInput(f"令牌编号 {token_id!r} 格式不正确 (16 hex digits)", value=token_id)
        if not isinstance(secret_hash, str) or not _HASH_PATTERN.fullmatch(secret_hash):
            raise InvalidInput("令牌摘要必须是 SHA-256 十六进制文字 (a SHA-256 hex digest)")
        holder = PersonId(text(person_id, "令牌持有人 person_id"))
        authorise(org, cls, "Issued", by=by, at=at, person_id=holder)
        org.known(holder)
        if org.unit_of(holder, at) is None:
            raise InvalidInput(
                f"{holder} 在 {org.local(at)} 不在本机关,不能为其签发令牌 "
                "(not in the agency at that time)",
                person_id=holder,
            )
        if expires is not None and expires <= at:
            raise InvalidInput(
                f"令牌有效期 {expires} 必须晚于签发时间 {at} (expiry must be after issue)",
                expires=expires,
            )
        return cls(
            token_id=token_id,
            person_id=holder,
            label=text(label, "令牌用途 label", required=False, max_length=200).strip(),
            expires=expires,
            secret_hash=secret_hash,
            by=by,
            at=at,
        )

    @event("Issued")
    def __init__(
        self,
        *,
        token_id: str,
        person_id: PersonId,
        label: str,
        expires: pendulum.DateTime | None,
        secret_hash: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.token_id = token_id
        self.person_id = person_id
        self.label = label
        self.expires = expires
        self.secret_hash = secret_hash
        self.issued_by = by
        self.issued_at = at
        self.status = TokenStatus.ACTIVE
        self.revoked_at: pendulum.DateTime | None = None
        self.revoked_by: PersonId | None = None
        self.revoke_reason = ""

    def revoke(
        self, *, org: Organisation, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """吊销令牌, with a reason: by the administrator, or by the token's own holder."""
        self._check_time(at)
        self._require_status(TokenStatus.ACTIVE)
        why = text(reason, "吊销理由 reason").strip()
        if not why:
            raise InvalidInput("吊销令牌须说明理由 (a reason is required)")
        authorise(org, ApiToken, "Revoked", by=by, at=at, record=self)
        self._revoked(reason=why, by=by, at=at)

    @event("Revoked")
    def _revoked(self, reason: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.status = TokenStatus.REVOKED
        self.revoked_at = at
        self.revoked_by = by
        self.revoke_reason = reason

    def expired(self, at: pendulum.DateTime) -> bool:
        """Has the token's expiry passed at ``at``?"""
        return self.expires is not None and at >= self.expires

    def usable(self, at: pendulum.DateTime) -> bool:
        """Not revoked and not expired at ``at``."""
        return self.status is TokenStatus.ACTIVE and not self.expired(at)


_ADMIN = role(Role.ORG_ADMIN)

declare(
    "ApiToken",
    {
        "Issued": step("签发接口令牌", _ADMIN),
        "Revoked": step(
            "吊销接口令牌",
            either(_ADMIN, named(one(record("person_id")), "令牌持有人")),
        ),
    },
)
