"""``office.tokens``: the API tokens the administrator issues, and checking one (ADR 0055).

A token's text is ``gov_<token id>_<secret>``: the token id is public, the secret 32 random
bytes (URL-safe base64). :meth:`TokenService.issue` returns the text once; the store keeps
only its SHA-256. :meth:`TokenService.verify` compares digests in constant time and answers
the person the token acts for, or raises :class:`~govoffice.errors.NotAuthenticated`.
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import secrets
import uuid
from datetime import datetime

import attrs
import pendulum

from govoffice.application.services import AreaService
from govoffice.domain.api_token import (
    TOKEN_ID_PATTERN,
    TOKEN_PREFIX,
    ApiToken,
    TokenStatus,
    token_record_id,
)
from govoffice.domain.errors import InvalidInput, NotAuthenticated, RecordNotFound
from govoffice.domain.values import PersonId, business_time

SECRET_BYTES = 32
"""Entropy of a token's secret: 256 bits, so a plain SHA-256 of it is a safe stored form."""


def token_digest(token_text: str) -> str:
    """What the store keeps of a token: the SHA-256 (hex) of its whole text."""
    return hashlib.sha256(token_text.encode("utf-8")).hexdigest()


_DUMMY_DIGEST = token_digest(f"{TOKEN_PREFIX}_{'0' * 16}_unknown")


@attrs.frozen
class IssuedToken:
    """A newly issued token: its public id, and its text (``secret``: shown once, never
    stored; the caller sends it as ``Authorization: Bearer <secret>``)."""

    token_id: str
    secret: str = attrs.field(repr=False)
    person_id: str = ""
    expires: pendulum.DateTime | None = None


@attrs.frozen
class TokenInfo:
    """One token as the administrator's list shows it (no secret, no digest)."""

    token_id: str
    person_id: str
    label: str
    status: TokenStatus
    issued_by: str
    issued_at: pendulum.DateTime
    expires: pendulum.DateTime | None
    revoked_by: str | None
    revoked_at: pendulum.DateTime | None
    revoke_reason: str

    def usable(self, at: datetime) -> bool:
        return self.status is TokenStatus.ACTIVE and (self.expires is None or at < self.expires)


@attrs.frozen
class VerifiedToken:
    """Whom a presented token acts for: its holder and its public id."""

    person_id: PersonId
    token_id: str


def parse_token(token_text: str) -> str:
    """The public token id of a token text ``gov_<id>_<secret>``; NotAuthenticated when it
    is not shaped like one (the text itself is never echoed back)."""
    parts = token_text.split("_", 2) if isinstance(token_text, str) else []
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[2]:
        raise NotAuthenticated("令牌格式不正确 (malformed token)", method="token")
    if not TOKEN_ID_PATTERN.fullmatch(parts[1]):
        raise NotAuthenticated("令牌格式不正确 (malformed token)", method="token")
    return parts[1]


def _info(token: ApiToken) -> TokenInfo:
    return TokenInfo(
        token_id=token.token_id,
        person_id=token.person_id,
        label=token.label,
        status=token.status,
        issued_by=token.issued_by,
        issued_at=token.issued_at,
        expires=token.expires,
        revoked_by=token.revoked_by,
        revoked_at=token.revoked_at,
        revoke_reason=token.revoke_reason,
    )


class TokenService(AreaService[ApiToken]):
    """接口令牌: issue (by the organisation admin), revoke, list, verify."""

    record_type = ApiToken

    def issue(
        self,
        person_id: str,
        *,
        by: str,
        expires: datetime | str | None = None,
        label: str = "",
        at: datetime | str | None = None,
    ) -> IssuedToken:
        """签发: a new token for ``person_id``; the returned ``secret`` is the only copy."""
        who, when = self._who(by), self._when(at)
        until = None if expires is None else pendulum.instance(business_time(expires, "expires"))
        token_id = secrets.token_hex(8)
        token_text = f"{TOKEN_PREFIX}_{token_id}_{secrets.token_urlsafe(SECRET_BYTES)}"

        def attempt() -> ApiToken:
            token = ApiToken.issue(
                org=self._org(),
                token_id=token_id,
                person_id=person_id,
                secret_hash=token_digest(token_text),
                label=label,
                expires=until,
                by=who,
                at=when,
            )
            self.store.save(token, hand_over=True)
            return token

        token = self.store.run(attempt, token_record_id(token_id))
        return IssuedToken(token_id, token_text, token.person_id, token.expires)

    def revoke(
        self, token_id: str, *, reason: str, by: str, at: datetime | str | None = None
    ) -> TokenInfo:
        """吊销: the token no longer authenticates anyone, from now on."""
        who, when = self._who(by), self._when(at)
        record_id = self._record_id(token_id)

        def attempt() -> ApiToken:
            token = self.get(record_id)
            token.revoke(org=self._org(), reason=reason, by=who, at=when)
            self.store.save(token, hand_over=True)
            return token

        return _info(self.store.run(attempt, record_id))

    def token(self, token_id: str) -> TokenInfo:
        """One token, by its public id."""
        return _info(self.get(self._record_id(token_id)))

    def verify(self, secret: str, *, at: datetime | str | None = None) -> VerifiedToken:
        """Whom the token text ``secret`` acts for at ``at`` (now by default): its digest
        compared in constant time; NotAuthenticated for a malformed, unknown, revoked or
        expired token (the reason says which, never the text)."""
        token_id = parse_token(secret)
        when = (
            pendulum.instance(self.office.clock.now())
            if at is None
            else pendulum.instance(business_time(at))
        )
        record_id = token_record_id(token_id)
        token: ApiToken | None
        try:
            token = self.store.get(ApiToken, record_id, for_reading=True)
        except RecordNotFound:
            token = None
        expected = token.secret_hash if token is not None else _DUMMY_DIGEST
        matches = hmac.compare_digest(token_digest(secret), expected)
        if token is None or not matches:
            raise NotAuthenticated("令牌无效 (unknown token)", method="token")
        if token.status is TokenStatus.REVOKED:
            raise NotAuthenticated(
                f"令牌 {token_id} 已吊销 (revoked token)", method="token", token_id=token_id
            )
        if token.expired(when):
            raise NotAuthenticated(
                f"令牌 {token_id} 已过期 (expired token)", method="token", token_id=token_id
            )
        return VerifiedToken(token.person_id, token_id)

    def _record_id(self, token_id: str) -> uuid.UUID:
        if not isinstance(token_id, str) or not TOKEN_ID_PATTERN.fullmatch(token_id):
            raise InvalidInput(f"令牌编号 {token_id!r} 格式不正确 (16 hex digits)", value=token_id)
        record_id = token_record_id(token_id)
        if not self.store.exists(record_id):
            raise RecordNotFound(ApiToken.KIND, token_id)
        return record_id

    def list(
        self, *, person_id: str | None = None, include_revoked: bool = True
    ) -> builtins.list[TokenInfo]:
        """Every token issued (or ``person_id``'s), in the order issued."""
        found: builtins.list[TokenInfo] = []
        for record_id in self.store.record_ids(ApiToken):
            token = self.store.get(ApiToken, record_id, for_reading=True)
            if person_id is not None and token.person_id != person_id:
                continue
            if not include_revoked and token.status is TokenStatus.REVOKED:
                continue
            found.append(_info(token))
        return found
