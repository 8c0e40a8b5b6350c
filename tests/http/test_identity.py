"""[issue 15 §3, ADR 0055] Authentication decides the actor: an API token the organisation
admin issued, a JWT of the agency's identity platform (统一身份认证) verified against its key
set, or a trusted reverse-proxy header (off by default). Every failure is one named
``NotAuthenticated`` (401 over HTTP) and records nothing: no credential, a malformed,
unknown, revoked or expired token, a JWT that is expired, wrongly signed, of another issuer
or audience, of an unknown key or an algorithm the key does not have, a proxy header while
proxy mode is off, and a person who is not in the agency that day."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

jwt = pytest.importorskip("jwt")

from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

from govoffice.domain.errors import IdentityProviderUnavailable, NotAuthenticated  # noqa: E402
from govoffice.http.identity import (  # noqa: E402
    Identity,
    IdentityConfig,
    JwtConfig,
    authenticate,
    authenticate_bearer,
)
from govoffice.http.problems import STATUS  # noqa: E402
from govoffice.testing import (  # noqa: E402
    AgencyPeople,
    SettableClock,
    TestOffice,
    assert_nothing_recorded,
)

ISSUER = "https://ids.example.gov.cn"
AUDIENCE = "govoffice"


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


def refused(
    office: TestOffice, headers: dict[str, str], config: IdentityConfig | None = None
) -> str:
    """The reason of the NotAuthenticated ``headers`` get; nothing is recorded."""
    with assert_nothing_recorded(office), pytest.raises(NotAuthenticated) as caught:
        authenticate(office, headers, config)
    assert caught.value.reason in str(caught.value)
    return str(caught.value.reason)


# --- API tokens ------------------------------------------------------------------------------


def test_an_issued_token_authenticates_its_person(office: TestOffice, agency: AgencyPeople) -> None:
    issued = office.tokens.issue(agency.drafter, by=agency.admin, label="OA 系统")
    identity = authenticate(office, bearer(issued.secret))
    assert identity == Identity(agency.drafter, "token", issued.token_id)
    # header names are case-insensitive, as HTTP's are
    assert authenticate(office, {"authorization": f"bearer {issued.secret}"}) == identity


def test_no_credential_is_not_authenticated(office: TestOffice, agency: AgencyPeople) -> None:
    assert "no credentials" in refused(office, {})
    assert "Bearer" in refused(office, {"Authorization": "Basic YWRtaW46YWRtaW4="})
    assert "malformed" in refused(office, bearer("not-a-token"))


def test_unknown_or_altered_tokens_are_not_authenticated(
    office: TestOffice, agency: AgencyPeople
) -> None:
    issued = office.tokens.issue(agency.drafter, by=agency.admin)
    prefix, token_id, secret = issued.secret.split("_", 2)
    altered = f"{prefix}_{token_id}_{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}"
    assert "unknown token" in refused(office, bearer(altered))
    assert "unknown token" in refused(office, bearer(f"gov_{'0' * 16}_{secret}"))
    assert "malformed" in refused(office, bearer(f"gov_{token_id.upper()}_{secret}"))
    # the refusal never echoes the presented text
    with pytest.raises(NotAuthenticated) as caught:
        authenticate(office, bearer(altered))
    assert secret[:10] not in str(caught.value)


def test_a_revoked_token_is_not_authenticated(office: TestOffice, agency: AgencyPeople) -> None:
    issued = office.tokens.issue(agency.drafter, by=agency.admin)
    authenticate(office, bearer(issued.secret))
    office.tokens.revoke(issued.token_id, reason="离岗", by=agency.admin)
    assert "revoked" in refused(office, bearer(issued.secret))


def test_an_expired_token_is_not_authenticated(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock
) -> None:
    """Expiry is judged on the office clock; written in UTC or in Shanghai it is the same
    moment."""
    until = clock.now().add(days=7)
    in_utc = office.tokens.issue(agency.drafter, by=agency.admin, expires=until.in_tz("UTC"))
    local = office.tokens.issue(agency.drafter, by=agency.admin, expires=until.isoformat())
    for issued in (in_utc, local):
        assert office.tokens.token(issued.token_id).expires == until
    clock.set(until.subtract(seconds=1))
    for issued in (in_utc, local):
        authenticate(office, bearer(issued.secret))
    clock.set(until)
    for issued in (in_utc, local):
        assert "expired" in refused(office, bearer(issued.secret))


def test_tokens_can_be_switched_off(office: TestOffice, agency: AgencyPeople) -> None:
    issued = office.tokens.issue(agency.drafter, by=agency.admin)
    assert "tokens are off" in refused(office, bearer(issued.secret), IdentityConfig(tokens=False))


def test_a_person_no_longer_in_the_agency_is_not_authenticated(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock
) -> None:
    issued = office.tokens.issue(agency.drafter, by=agency.admin)
    leaves = clock.now().add(days=3)
    office.org.remove_person(person_id=agency.drafter, by=agency.admin, at=leaves)
    clock.set(leaves.subtract(minutes=1))
    authenticate(office, bearer(issued.secret))
    clock.set(leaves.add(minutes=1))
    assert "not in the agency" in refused(office, bearer(issued.secret))


# --- JWTs --------------------------------------------------------------------------------------


class IdentityPlatform:
    """统一身份认证: an RSA key pair published as a JWKS, issuing JWTs."""

    def __init__(self, kid: str = "k1") -> None:
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        self.jwks: dict[str, Any] = {"keys": [{**jwk, "kid": kid, "alg": "RS256", "use": "sig"}]}

    def token(self, clock: SettableClock, **claims: Any) -> str:
        now = int(clock.now().timestamp())
        body = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600, **claims}
        headers = claims.pop("_headers", None) or {"kid": self.kid}
        body.pop("_headers", None)
        body = {k: v for k, v in body.items() if v is not None}  # None: leave the claim out
        return str(jwt.encode(body, self.private, algorithm="RS256", headers=headers))


@pytest.fixture(scope="module")
def platform() -> IdentityPlatform:
    return IdentityPlatform()


def jwt_config(platform: IdentityPlatform, **kw: Any) -> IdentityConfig:
    return IdentityConfig(jwt=JwtConfig(jwks=platform.jwks, issuer=ISSUER, audience=AUDIENCE, **kw))


def test_a_jwt_of_the_identity_platform_authenticates_its_subject(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock, platform: IdentityPlatform
) -> None:
    token = platform.token(clock, sub=agency.unit_head, jti="abc-123")
    config = jwt_config(platform)
    assert authenticate(office, bearer(token), config) == Identity(
        agency.unit_head, "jwt", "abc-123"
    )


def test_the_person_claim_is_configurable(
    office: TestOffice,
    agency: AgencyPeople,
    clock: SettableClock,
    platform: IdentityPlatform,
    tmp_path: Path,
) -> None:
    """The platform's subject is its own user id; the agency maps a claim to its person ids
    (here ``employee_no``), and the key set may be a JWKS file."""
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(platform.jwks), encoding="utf-8")
    token = platform.token(clock, sub="u-000123", employee_no=agency.office_head)
    config = IdentityConfig(
        jwt=JwtConfig(jwks=jwks, issuer=ISSUER, audience=AUDIENCE, person_claim="employee_no")
    )
    assert authenticate(office, bearer(token), config).person_id == agency.office_head
    mapped = IdentityConfig(
        jwt=JwtConfig(
            jwks=platform.jwks,
            audience=AUDIENCE,
            person_of=lambda c: {"u-000123": "zhou.zhuren"}.get(c["sub"]),
        )
    )
    assert authenticate(office, bearer(token), mapped).person_id == "zhou.zhuren"


def test_an_expired_jwt_is_not_authenticated(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock, platform: IdentityPlatform
) -> None:
    """Expiry on the office clock, with the configured leeway (30 s)."""
    token = platform.token(clock, sub=agency.drafter)
    config = jwt_config(platform)
    clock.advance(minutes=10)
    authenticate(office, bearer(token), config)  # within the leeway
    clock.advance(seconds=31)
    assert "expired" in refused(office, bearer(token), config)
    no_exp = platform.token(clock, sub=agency.drafter, exp=None)
    assert "invalid JWT" in refused(office, bearer(no_exp), config)


def test_a_wrongly_signed_jwt_is_not_authenticated(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock, platform: IdentityPlatform
) -> None:
    forger = IdentityPlatform(kid=platform.kid)  # another key claiming the platform's kid
    forged = forger.token(clock, sub=agency.principal)
    assert "bad signature" in refused(office, bearer(forged), jwt_config(platform))
    good = platform.token(clock, sub=agency.principal)
    head, _body, sig = good.split(".")
    tampered_body = jwt.utils.base64url_encode(
        json.dumps(
            {**jwt.decode(good, options={"verify_signature": False}), "sub": agency.deputy}
        ).encode()
    ).decode()
    assert "bad signature" in refused(
        office, bearer(f"{head}.{tampered_body}.{sig}"), jwt_config(platform)
    )


def test_jwts_of_another_issuer_audience_or_key_are_not_authenticated(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock, platform: IdentityPlatform
) -> None:
    config = jwt_config(platform)
    assert "wrong issuer" in refused(
        office, bearer(platform.token(clock, sub=agency.drafter, iss="https://evil")), config
    )
    assert "wrong audience" in refused(
        office, bearer(platform.token(clock, sub=agency.drafter, aud="other-app")), config
    )
    unknown_kid = platform.token(clock, sub=agency.drafter, _headers={"kid": "k9"})
    assert "unknown kid" in refused(office, bearer(unknown_kid), config)
    assert "no person claim" in refused(office, bearer(platform.token(clock, sub=None)), config)
    assert "unknown person" in refused(office, bearer(platform.token(clock, sub="nobody")), config)


def test_no_algorithm_confusion_and_never_none(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock, platform: IdentityPlatform
) -> None:
    """A token "signed" with HS256 using the public key as the secret, or with ``alg:
    none``, is refused; so is a configuration that would accept ``none``."""
    config = jwt_config(platform, algorithms=("RS256", "HS256"))
    now = int(clock.now().timestamp())
    claims = {"sub": agency.principal, "iss": ISSUER, "aud": AUDIENCE, "exp": now + 600}
    public_n = platform.jwks["keys"][0]["n"]
    confused = jwt.encode(claims, public_n, algorithm="HS256", headers={"kid": platform.kid})
    assert "algorithm mismatch" in refused(office, bearer(confused), config)
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": platform.kid})
    assert "not allowed" in refused(office, bearer(unsigned), config)
    with pytest.raises(Exception, match="none"):
        JwtConfig(jwks=platform.jwks, algorithms=("none",))


def test_jwts_are_off_unless_configured(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock, platform: IdentityPlatform
) -> None:
    assert "JWTs are off" in refused(office, bearer(platform.token(clock, sub=agency.drafter)))


def test_a_jwks_url_is_read_through_pyjwkclient(
    office: TestOffice,
    agency: AgencyPeople,
    clock: SettableClock,
    platform: IdentityPlatform,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The key set may be a URL (the platform's ``jwks_uri``); PyJWKClient fetches and
    caches it (here served from memory instead of the network)."""
    fetched: list[str] = []

    def fetch_data(self: Any) -> Any:
        fetched.append(self.uri)
        return platform.jwks

    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", fetch_data)
    config = IdentityConfig(
        jwt=JwtConfig(jwks_url="https://ids.example.gov.cn/jwks", issuer=ISSUER, audience=AUDIENCE)
    )
    token = platform.token(clock, sub=agency.drafter)
    assert authenticate(office, bearer(token), config).person_id == agency.drafter
    assert fetched == ["https://ids.example.gov.cn/jwks"]
    unknown_kid = platform.token(clock, sub=agency.drafter, _headers={"kid": "k9"})
    assert "unknown kid" in refused(office, bearer(unknown_kid), config)


def test_an_unreachable_identity_platform_is_unavailable_not_unauthenticated(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock, platform: IdentityPlatform
) -> None:
    """When the platform's key set cannot be fetched (here a real connection to a loopback
    port nobody listens on), the caller is not told his token is bad: the service is
    unavailable for now (503 over HTTP), and nothing is recorded."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nobody listens
    url = f"http://127.0.0.1:{port}/jwks"
    config = IdentityConfig(jwt=JwtConfig(jwks_url=url, issuer=ISSUER, audience=AUDIENCE))
    token = platform.token(clock, sub=agency.drafter)
    with assert_nothing_recorded(office), pytest.raises(IdentityProviderUnavailable) as down:
        authenticate(office, bearer(token), config)
    assert down.value.details["url"] == url and "retry later" in str(down.value)
    assert STATUS["IdentityProviderUnavailable"] == 503


# --- the reverse proxy --------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["X-Remote-User", "Remote-User", "X-Forwarded-User"])
def test_a_proxy_header_while_proxy_mode_is_off_is_not_authenticated(
    office: TestOffice, agency: AgencyPeople, header: str
) -> None:
    """A forged header naming the principal leader does not pass, even beside a valid
    token (the request is refused, not quietly read as the token's person)."""
    issued = office.tokens.issue(agency.drafter, by=agency.admin)
    assert "proxy mode is off" in refused(office, {header: agency.principal})
    assert "proxy mode is off" in refused(
        office, {header: agency.principal, **bearer(issued.secret)}
    )


def test_a_trusted_proxy_header_names_the_person(office: TestOffice, agency: AgencyPeople) -> None:
    config = IdentityConfig(
        proxy_header="X-Remote-User", proxy_secret="s3cret-between-proxy-and-us"
    )
    headers = {
        "X-Remote-User": agency.secretary,
        "X-Govoffice-Proxy-Secret": "s3cret-between-proxy-and-us",
    }
    assert authenticate(office, headers, config) == Identity(agency.secretary, "proxy", None)
    assert "proxy secret" in refused(office, {"X-Remote-User": agency.secretary}, config)
    assert "proxy secret" in refused(
        office, {"X-Remote-User": agency.secretary, "X-Govoffice-Proxy-Secret": "guess"}, config
    )
    open_config = IdentityConfig(proxy_header="X-Remote-User")
    assert authenticate(office, {"x-remote-user": agency.secretary}, open_config).method == "proxy"
    assert "unknown person" in refused(office, {"X-Remote-User": "nobody"}, open_config)


def test_a_bearer_credential_from_a_session(office: TestOffice, agency: AgencyPeople) -> None:
    """A web page that keeps the token in its session checks it the same way."""
    issued = office.tokens.issue(agency.drafter, by=agency.admin)
    assert authenticate_bearer(office, issued.secret).person_id == agency.drafter
    office.tokens.revoke(issued.token_id, reason="遗失", by=agency.drafter)
    with assert_nothing_recorded(office), pytest.raises(NotAuthenticated):
        authenticate_bearer(office, issued.secret)


def test_verification_does_not_depend_on_the_wall_clock(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock, platform: IdentityPlatform
) -> None:
    """A second actor's clock: the office clock, not the machine's, judges expiry (an
    office whose clock says 2026-03-02 accepts a JWT valid for ten minutes then, whatever
    the machine's date)."""
    clock.set(pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai"))
    token = platform.token(clock, sub=agency.drafter)
    assert authenticate(office, bearer(token), jwt_config(platform)).person_id == agency.drafter


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    credential=st.one_of(
        st.text(max_size=80),
        st.from_regex(r"gov_[0-9a-f]{16}_[A-Za-z0-9_-]{0,50}", fullmatch=True),
        st.from_regex(
            r"[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{0,40}\.[A-Za-z0-9_-]{0,40}", fullmatch=True
        ),
    )
)
def test_no_made_up_credential_authenticates(
    office: TestOffice, agency: AgencyPeople, platform: IdentityPlatform, credential: str
) -> None:
    """Whatever text arrives (a guessed token, a JWT-shaped string, noise), the answer is
    NotAuthenticated, never another error and never a person."""
    config = jwt_config(platform)
    with pytest.raises(NotAuthenticated):
        authenticate(office, {"Authorization": f"Bearer {credential}"}, config)


def test_a_header_sent_twice_with_different_values_is_refused(
    office: TestOffice, agency: AgencyPeople
) -> None:
    """A framework's header multidict keeps every value: a client's own X-Remote-User beside
    the one the proxy added is refused, whichever comes first."""
    datastructures = pytest.importorskip("litestar.datastructures")
    config = IdentityConfig(proxy_header="X-Remote-User")
    for first, second in ((agency.principal, agency.drafter), (agency.drafter, agency.principal)):
        headers = datastructures.Headers(
            [(b"x-remote-user", first.encode()), (b"x-remote-user", second.encode())]
        )
        assert "conflicting" in refused(office, headers, config)
    same = datastructures.Headers(
        [(b"x-remote-user", agency.drafter.encode()), (b"x-remote-user", agency.drafter.encode())]
    )
    assert authenticate(office, same, config).person_id == agency.drafter
