"""身份认证 who is acting: the person an HTTP request acts as comes from its credentials,
never from its body (ADR 0055).

Framework-agnostic: :func:`authenticate` takes the office, the request's headers and an
:class:`IdentityConfig`, and answers an :class:`Identity` or raises
:class:`~govoffice.errors.NotAuthenticated` (401). Three ways in, each switched on by the
configuration:

- an API token the organisation admin issued (``Authorization: Bearer gov_<id>_<secret>``),
  checked against its stored digest by ``office.tokens.verify``; on by default;
- a JWT from the agency's identity platform (统一身份认证, OIDC), ``Authorization: Bearer
  <jwt>``, verified with PyJWT against a configured key set (a JWKS dict, a JWKS file, or
  a JWKS URL read through :class:`jwt.PyJWKClient`), its issuer and audience; the person is
  a claim (``sub`` by default); off unless configured;
- a trusted header set by an authenticating reverse proxy (e.g. ``X-Remote-User``); off by
  default, and while it is off a request carrying such a header is refused (a forged one
  must not pass silently as "no credential").

Whoever it names must be a person of the agency on that day (the office clock's day);
acting for someone else is ``on_behalf_of``, judged by the organisation as every act is.
The adapter then runs the command inside ``office.acting_via(identity)`` so the trail
records the method and the token id beside the person.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs
import pendulum

from govoffice.domain.api_token import TOKEN_PREFIX
from govoffice.domain.errors import (
    IdentityProviderUnavailable,
    InvalidInput,
    MissingExtra,
    NotAuthenticated,
    RecordNotFound,
    UnknownPerson,
)
from govoffice.domain.organisation import Organisation

if TYPE_CHECKING:
    from govoffice.application.office import Office

Method = Literal["token", "jwt", "proxy"]

DEFAULT_ALGORITHMS: tuple[str, ...] = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384")
"""Asymmetric algorithms only unless configured otherwise (never ``none``)."""

KNOWN_PROXY_HEADERS: tuple[str, ...] = (
    "x-remote-user",
    "remote-user",
    "x-forwarded-user",
    "x-auth-request-user",
    "x-auth-user",
    "x-govoffice-person",
)
"""Headers an authenticating proxy conventionally sets: refused while proxy mode is off."""


@attrs.frozen
class Identity:
    """The authenticated actor of one request: the person (``by``), how it was established,
    and the public id of the credential (the API token's id, the JWT's ``jti``; None for the
    proxy). Never holds a secret."""

    person_id: str
    method: Method
    token_id: str | None = None


def _load_jwks(value: Mapping[str, Any] | str | os.PathLike[str] | None) -> Any:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return dict(value)
    try:
        return json.loads(Path(value).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InvalidInput(f"无法读取 JWKS 文件 {value}: {e} (cannot read the key set)") from e


@attrs.frozen
class JwtConfig:
    """How to verify the identity platform's JWTs.

    Give exactly one key source: ``jwks`` (a JWKS document as a dict, or the path of a JWKS
    file) or ``jwks_url`` (fetched and cached by :class:`jwt.PyJWKClient`). ``issuer`` and
    ``audience``, when given, must match. The acting person is the claim ``person_claim``
    (``sub``), or what ``person_of(claims)`` answers. Expiry is required and judged on the
    office clock, with ``leeway_seconds``."""

    jwks: Mapping[str, Any] | str | os.PathLike[str] | None = None
    jwks_url: str | None = None
    issuer: str | None = None
    audience: str | Sequence[str] | None = None
    algorithms: tuple[str, ...] = DEFAULT_ALGORITHMS
    person_claim: str = "sub"
    person_of: Callable[[Mapping[str, Any]], str | None] | None = None
    leeway_seconds: float = 30.0
    require_exp: bool = True
    _keys: Any = attrs.field(init=False, default=None, eq=False, repr=False)
    _client: Any = attrs.field(init=False, default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if (self.jwks is None) == (self.jwks_url is None):
            raise InvalidInput("JWT 配置须给出 jwks 或 jwks_url 之一 (give one key source)")
        if not self.algorithms or any(a.lower() == "none" for a in self.algorithms):
            raise InvalidInput("JWT 算法不能为空或 none (algorithm 'none' is never accepted)")
        jwt = _jwt()
        if self.jwks is not None:
            try:
                keys = jwt.PyJWKSet.from_dict(_load_jwks(self.jwks))
            except jwt.PyJWKError as e:  # a set none of whose keys is usable
                raise InvalidInput(f"JWKS 无可用密钥: {e} (no usable key)") from e
            object.__setattr__(self, "_keys", keys)
        else:
            client = jwt.PyJWKClient(str(self.jwks_url), cache_keys=True, lifespan=300)
            object.__setattr__(self, "_client", client)

    def signing_key(self, token: str, header: Mapping[str, Any]) -> Any:
        """The key the token names (its ``kid``; the only key when the set has one and the
        token names none)."""
        jwt = _jwt()
        kid = header.get("kid")
        if self._client is not None:
            try:
                return self._client.get_signing_key_from_jwt(token)
            except jwt.PyJWKClientConnectionError as e:
                raise IdentityProviderUnavailable(str(self.jwks_url), str(e)) from e
            except jwt.PyJWKClientError as e:
                raise NotAuthenticated("JWT 的 kid 未知 (unknown kid)", method="jwt") from e
        keys = list(self._keys.keys)
        if kid is None:
            if len(keys) == 1:
                return keys[0]
            raise NotAuthenticated("JWT 未指明 kid (no kid)", method="jwt")
        for key in keys:
            if key.key_id == kid:
                return key
        raise NotAuthenticated("JWT 的 kid 未知 (unknown kid)", method="jwt")


@attrs.frozen
class IdentityConfig:
    """Which ways in are open: API tokens (on), JWTs (``jwt``: a :class:`JwtConfig`; off
    when None), a reverse proxy's header (``proxy_header``: its name; off when None).

    With ``proxy_secret`` set, a proxy header is believed only beside the header
    ``proxy_secret_header`` carrying that secret (so a client that reaches the service
    around the proxy cannot name itself)."""

    tokens: bool = True
    jwt: JwtConfig | None = None
    proxy_header: str | None = None
    proxy_secret: str | None = attrs.field(default=None, repr=False)
    proxy_secret_header: str = "x-govoffice-proxy-secret"
    known_proxy_headers: tuple[str, ...] = KNOWN_PROXY_HEADERS


def _jwt() -> Any:
    try:
        import jwt
    except ImportError as e:  # pragma: no cover - the http extra installs it
        raise MissingExtra("JWT 认证", "http", "jwt") from e
    return jwt


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers by lower-case name. A multi-valued mapping (a framework's header
    multidict) may name a header twice: two different values of one header are refused,
    so that a header the client sent cannot hide behind the one a proxy added."""
    found: dict[str, str] = {}
    for k, v in headers.items():
        name, value = str(k).lower(), str(v)
        if found.setdefault(name, value) != value:
            raise NotAuthenticated(f"请求头 {name} 出现多次且取值不同 (conflicting {name} headers)")
    return found


def _bearer(value: str) -> str:
    scheme, _, credential = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise NotAuthenticated("只接受 Bearer 凭据 (use Authorization: Bearer ...)")
    return credential.strip()


def authenticate(
    office: Office, headers: Mapping[str, str], config: IdentityConfig | None = None
) -> Identity:
    """The acting person of a request, from its headers; NotAuthenticated (401) when there
    is no usable credential, or the person it names is not in the agency today. Records
    nothing."""
    config = config or IdentityConfig()
    h = _lower(headers)
    proxy_name = config.proxy_header.lower() if config.proxy_header else None
    identity: Identity | None = None
    if proxy_name is None:
        sent = [n for n in config.known_proxy_headers if n.lower() in h]
        if sent:
            raise NotAuthenticated(
                f"未启用反向代理认证,却收到代理认证头 {sent[0]} (proxy mode is off)",
                method="proxy",
            )
    elif proxy_name in h:
        identity = _from_proxy(h, proxy_name, config)
    if identity is None:
        authorization = h.get("authorization")
        if authorization is None:
            raise NotAuthenticated("请求未携带凭据 (no credentials)")
        identity = authenticate_bearer(office, _bearer(authorization), config, check=False)
    return _present(office, identity)


def authenticate_bearer(
    office: Office, credential: str, config: IdentityConfig | None = None, *, check: bool = True
) -> Identity:
    """The acting person of one bearer credential (an API token or a JWT), e.g. one a web
    page keeps in its session; NotAuthenticated as :func:`authenticate`."""
    config = config or IdentityConfig()
    if credential.startswith(f"{TOKEN_PREFIX}_"):
        if not config.tokens:
            raise NotAuthenticated("未启用接口令牌认证 (API tokens are off)", method="token")
        verified = office.tokens.verify(credential)
        identity = Identity(verified.person_id, "token", verified.token_id)
    elif credential.count(".") == 2:
        if config.jwt is None:
            raise NotAuthenticated("未启用 JWT 认证 (JWTs are off)", method="jwt")
        identity = _from_jwt(office, credential, config.jwt)
    else:
        raise NotAuthenticated("凭据格式不正确 (malformed credentials)")
    return _present(office, identity) if check else identity


def _from_proxy(h: Mapping[str, str], name: str, config: IdentityConfig) -> Identity:
    import hmac

    if config.proxy_secret is not None:
        given = h.get(config.proxy_secret_header.lower(), "")
        if not hmac.compare_digest(given.encode(), config.proxy_secret.encode()):
            raise NotAuthenticated("反向代理凭据不正确 (proxy secret mismatch)", method="proxy")
    person = h[name].strip()
    if not person:
        raise NotAuthenticated("代理认证头为空 (empty proxy header)", method="proxy")
    return Identity(person, "proxy", None)


def _from_jwt(office: Office, token: str, config: JwtConfig) -> Identity:
    jwt = _jwt()
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as e:
        raise NotAuthenticated("JWT 格式不正确 (malformed JWT)", method="jwt") from e
    alg = header.get("alg")
    if alg not in config.algorithms:
        raise NotAuthenticated(f"JWT 算法 {alg!r} 不被接受 (algorithm not allowed)", method="jwt")
    key = config.signing_key(token, header)
    # the key's own algorithm (its ``alg``, else its type's default) verifies, never the one
    # the token advertises: no HS256 token "signed" with an RSA public key
    if alg != key.algorithm_name:
        raise NotAuthenticated(f"JWT 算法 {alg!r} 与密钥不符 (algorithm mismatch)", method="jwt")
    required = ["exp"] if config.require_exp else []
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key.key,
            algorithms=[alg],
            audience=config.audience,
            issuer=config.issuer,
            options={
                "verify_exp": False,  # judged below, on the office clock
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": config.audience is not None,
                "verify_iss": config.issuer is not None,
                "require": required,
            },
        )
    except jwt.InvalidSignatureError as e:
        raise NotAuthenticated("JWT 签名无效 (bad signature)", method="jwt") from e
    except jwt.InvalidAudienceError as e:
        raise NotAuthenticated("JWT 受众不符 (wrong audience)", method="jwt") from e
    except jwt.InvalidIssuerError as e:
        raise NotAuthenticated("JWT 签发者不符 (wrong issuer)", method="jwt") from e
    except jwt.PyJWTError as e:
        raise NotAuthenticated(f"JWT 无效: {type(e).__name__} (invalid JWT)", method="jwt") from e
    now = pendulum.instance(office.clock.now()).timestamp()
    leeway = config.leeway_seconds
    exp = claims.get("exp")
    if exp is not None and (not isinstance(exp, int | float) or now >= exp + leeway):
        raise NotAuthenticated("JWT 已过期 (expired JWT)", method="jwt")
    nbf = claims.get("nbf")
    if nbf is not None and (not isinstance(nbf, int | float) or now < nbf - leeway):
        raise NotAuthenticated("JWT 尚未生效 (JWT not yet valid)", method="jwt")
    person = (
        config.person_of(claims)
        if config.person_of is not None
        else claims.get(config.person_claim)
    )
    if not isinstance(person, str) or not person.strip():
        raise NotAuthenticated(
            f"JWT 未给出人员 ({config.person_claim}) (no person claim)", method="jwt"
        )
    jti = claims.get("jti")
    return Identity(person.strip(), "jwt", jti if isinstance(jti, str) else None)


def _present(office: Office, identity: Identity) -> Identity:
    """The identity, if its person is in the agency on the office clock's day."""
    try:
        org = office.store.get(Organisation, Organisation.create_id(), for_reading=True)
    except RecordNotFound:
        raise NotAuthenticated("本机关尚未建立组织 (organisation not established)") from None
    now = pendulum.instance(office.clock.now())
    try:
        org.known(identity.person_id)
    except (UnknownPerson, InvalidInput):
        raise NotAuthenticated(
            f"{identity.person_id} 不是本机关人员 (unknown person)", method=identity.method
        ) from None
    if org.unit_of(identity.person_id, now) is None:
        raise NotAuthenticated(
            f"{identity.person_id} 在 {org.day_of(now)} 不在本机关 (not in the agency that day)",
            method=identity.method,
        )
    return identity


__all__ = [
    "DEFAULT_ALGORITHMS",
    "KNOWN_PROXY_HEADERS",
    "Identity",
    "IdentityConfig",
    "JwtConfig",
    "authenticate",
    "authenticate_bearer",
]
