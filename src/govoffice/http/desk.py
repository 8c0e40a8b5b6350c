"""办公桌面 the web desk: plain server-rendered pages in Chinese for the people who would
otherwise need a front-end of their own to try the service (ADR 0057).

A person logs in with an API token (the token text is kept in an HttpOnly, SameSite=Strict
cookie scoped to ``/desk`` and authenticated again on every request, so a revoked token
stops working at once), sees their 待办 queue (``office.queues.for_person``), opens a record
with its decision trail (``office.audit.trail``), takes the next step the queue says waits
on them, with an opinion box, and reads the annual report (``office.reports``, the HTML
rendering). A step calls the same facade command as the JSON API, as the logged-in person,
inside ``office.acting_via(identity)``; a refusal is shown as the error's own bilingual
message, with the status the API would give it, and records nothing.

Forms are safe against cross-site requests twice over: the cookie is SameSite=Strict (a
request from another site carries no cookie), every form carries a token derived from the
credential (an HMAC the other site cannot compute without the HttpOnly cookie), and a
request whose ``Origin`` names another site is refused.

The router is :data:`desk_router`, mounted by the application at ``/desk``.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, cast
from urllib.parse import quote, urlsplit

import attrs
import jinja2
from litestar import Request, Response, Router, get, post
from litestar.datastructures import Cookie
from litestar.enums import MediaType, RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect

from govoffice.application.app import as_uuid
from govoffice.domain.authority import authority_of
from govoffice.domain.errors import (
    GovOfficeError,
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
)
from govoffice.http.reading import check_may_read

if TYPE_CHECKING:
    from govoffice.application.office import Office
    from govoffice.application.queues import QueueItem

__all__ = ["DESK", "DESK_STEPS", "DeskStep", "desk_router"]

DESK: Final = "/desk"
"""Where the desk is mounted."""

COOKIE: Final = "govoffice_desk"
"""The cookie that holds the logged-in person's token text (HttpOnly, SameSite=Strict)."""

COOKIE_MAX_AGE: Final = 8 * 3600
"""A working day: the browser forgets the login after it (the token itself may live on)."""

_CSRF_PURPOSE: Final = b"govoffice-desk-csrf"
_TEMPLATES: Final = Path(__file__).parent / "templates"
_REPORT_TEMPLATES: Final = _TEMPLATES / "desk_report"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_TEMPLATES / "desk"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


# --- the steps the desk offers ----------------------------------------------------------


@attrs.frozen
class StepInput:
    """What the person typed and what their queue item says about the step."""

    opinion: str
    fields: Mapping[str, str]
    on_behalf_of: str | None
    party: str | None


@attrs.frozen
class Field:
    """An input beside the opinion box (e.g. 登记's 分发范围 and 份数)."""

    name: str
    label: str
    kind: str = "text"
    default: str = ""


@attrs.frozen
class DeskStep:
    """One button of the record page: the queue step it answers (``kind``, ``step``), its
    label, how the opinion box is used (``opinion``: ``"required"``, ``"optional"`` or
    ``"none"``; ``"findings"``: one finding a line; ``"text"``: the document's body text,
    filled with the text as it stands), and the facade command it calls."""

    name: str
    kind: str
    step: str
    label: str
    run: Callable[[Office, str, str, StepInput], object]
    opinion: str = "optional"
    default_opinion: str = ""
    fields: tuple[Field, ...] = ()
    done: str = ""
    """What the desk says after the step (``已签发``)."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"{what} {value!r} 不是整数 (not a whole number)") from None


_OUT, _IN = "发文", "收文"
_RETURN = "return_for_revision"

DESK_STEPS: Final[tuple[DeskStep, ...]] = (
    # 发文
    DeskStep(
        "revise",
        _OUT,
        "revise",
        "保存修改后的正文",
        lambda o, r, by, i: o.documents.revise(r, by=by, text=i.opinion),
        opinion="text",
        done="已保存修改",
    ),
    DeskStep(
        "submit_for_review",
        _OUT,
        "revise",
        "送处室审核",
        lambda o, r, by, i: o.documents.submit_for_review(r, by=by),
        opinion="none",
        done="已送处室审核",
    ),
    DeskStep(
        "review",
        _OUT,
        "review",
        "审核同意",
        lambda o, r, by, i: o.documents.review(r, by=by, opinion=i.opinion or "同意"),
        default_opinion="同意",
        done="已审核",
    ),
    DeskStep(
        "countersign_agree",
        _OUT,
        "countersign",
        "会签同意",
        lambda o, r, by, i: o.documents.countersign(
            r, party=i.party or "", agree=True, by=by, opinion=i.opinion
        ),
        default_opinion="同意",
        done="已会签",
    ),
    DeskStep(
        "countersign_disagree",
        _OUT,
        "countersign",
        "会签不同意",
        lambda o, r, by, i: o.documents.countersign(
            r, party=i.party or "", agree=False, by=by, opinion=i.opinion
        ),
        opinion="required",
        done="已会签(不同意)",
    ),
    DeskStep(
        "submit_to_office",
        _OUT,
        "submit_to_office",
        "送办公室审核",
        lambda o, r, by, i: o.documents.submit_to_office(r, by=by),
        opinion="none",
        done="已送办公室审核",
    ),
    DeskStep(
        "office_check",
        _OUT,
        "office_check",
        "初核通过",
        lambda o, r, by, i: o.documents.office_check(r, by=by, opinion=i.opinion or "同意"),
        default_opinion="同意",
        done="已初核",
    ),
    DeskStep(
        "office_review",
        _OUT,
        "office_review",
        "复核通过,呈签",
        lambda o, r, by, i: o.documents.office_review(
            r, by=by, opinion=i.opinion or "拟同意,呈局领导签发"
        ),
        default_opinion="拟同意,呈局领导签发",
        done="已复核,呈局领导签发",
    ),
    DeskStep(
        "sign",
        _OUT,
        "sign",
        "签发",
        lambda o, r, by, i: o.documents.sign(
            r, by=by, opinion=i.opinion, on_behalf_of=i.on_behalf_of
        ),
        default_opinion="同意",
        done="已签发",
    ),
    *(
        DeskStep(
            f"{_RETURN}_{step}",
            _OUT,
            step,
            "退回修改",
            lambda o, r, by, i: o.documents.return_for_revision(
                r, by=by, opinion=i.opinion, on_behalf_of=i.on_behalf_of
            ),
            opinion="required",
            done="已退回修改",
        )
        for step in ("review", "office_check", "office_review", "sign")
    ),
    DeskStep(
        "register",
        _OUT,
        "register",
        "登记编号",
        lambda o, r, by, i: o.documents.register(
            r,
            by=by,
            distribution_scope=i.fields.get("distribution_scope", ""),
            copies=_int(i.fields.get("copies", ""), "份数"),
        ),
        opinion="none",
        fields=(
            Field("distribution_scope", "分发范围", default="各处室"),
            Field("copies", "份数", kind="number", default="10"),
        ),
        done="已登记编号",
    ),
    DeskStep(
        "recheck",
        _OUT,
        "recheck",
        "复核(每行一条问题,无问题留空)",
        lambda o, r, by, i: o.documents.recheck(r, by=by, findings=_lines(i.opinion)),
        opinion="findings",
        done="已复核",
    ),
    DeskStep(
        "check_print",
        _OUT,
        "check_print",
        "检查印制质量(每行一条问题,无问题留空)",
        lambda o, r, by, i: o.documents.check_print(r, by=by, findings=_lines(i.opinion)),
        opinion="findings",
        done="已检查印制质量",
    ),
    DeskStep(
        "distribute",
        _OUT,
        "distribute",
        "核发",
        lambda o, r, by, i: o.documents.distribute(r, by=by),
        opinion="none",
        done="已核发",
    ),
    DeskStep(
        "archive",
        _OUT,
        "archive",
        "归档",
        lambda o, r, by, i: o.documents.archive(r, by=by),
        opinion="none",
        done="已归档",
    ),
    # 收文
    DeskStep(
        "instruct",
        _IN,
        "instruct",
        "阅批",
        lambda o, r, by, i: o.incoming.instruct(
            r, by=by, opinion=i.opinion, on_behalf_of=i.on_behalf_of
        ),
        default_opinion="已阅",
        done="已阅批",
    ),
    DeskStep(
        "accept",
        _IN,
        "accept",
        "承办",
        lambda o, r, by, i: o.incoming.accept(r, by=by),
        opinion="none",
        done="已承办",
    ),
    DeskStep(
        "handle",
        _IN,
        "handle",
        "办结(意见栏填写办理结果)",
        lambda o, r, by, i: o.incoming.handle(r, by=by, result=i.opinion),
        opinion="required",
        done="已办结",
    ),
    DeskStep(
        "confirm_read",
        _IN,
        "circulate",
        "阅毕",
        lambda o, r, by, i: o.incoming.confirm_read(r, by=by),
        opinion="none",
        done="已阅毕",
    ),
)
"""The steps the desk offers, each for the queue step it answers (ADR 0057). A record page
offers a step only when the person's own queue holds that step of the record; the command
itself still judges everything (the desk is no gatekeeper: a step posted that the queue did
not offer is tried all the same, and refused by the domain with its own message)."""

_BY_NAME: Final = {s.name: s for s in DESK_STEPS}


@attrs.frozen
class Offer:
    """A step offered on a record page, with the queue item it answers."""

    step: DeskStep
    item: QueueItem

    @property
    def input_context(self) -> tuple[str | None, str | None]:
        party = self.item.detail if self.item.step == "countersign" else None
        return self.item.on_behalf_of, party


def offers(office: Office, person: str, record_id: str) -> list[Offer]:
    """The steps of ``record_id`` the desk offers ``person`` now: those their 待办 holds."""
    found: list[Offer] = []
    for item in office.queues.for_person(person):
        if item.record_id != record_id:
            continue
        found.extend(
            Offer(s, item) for s in DESK_STEPS if s.kind == item.kind and s.step == item.step
        )
    return found


# --- who is logged in ---------------------------------------------------------------------


@attrs.frozen
class Session:
    """The logged-in person: their identity (as the API's authentication found it) and the
    form token of this login."""

    identity: Any
    token: str

    @property
    def person(self) -> str:
        return str(self.identity.person_id)

    @property
    def csrf(self) -> str:
        return csrf_token(self.token)


def csrf_token(credential: str) -> str:
    """The form token of a login: an HMAC of a fixed purpose under the credential itself, so
    a page of another site, which cannot read the HttpOnly cookie, cannot compute it; it
    needs no server-side state and works alike in every worker."""
    return hmac.new(credential.encode(), _CSRF_PURPOSE, hashlib.sha256).hexdigest()[:40]


def _office(request: Request[Any, Any, Any]) -> Office:
    office: Office = request.app.state.office
    return office


def _identity_config(request: Request[Any, Any, Any]) -> Any:
    return getattr(request.app.state, "identity", None)


def _authenticate(request: Request[Any, Any, Any], credential: str) -> Any:
    """The identity of a token text (an API token, or a JWT when the service accepts them),
    found exactly as the JSON API finds a bearer token's."""
    from govoffice.http.identity import authenticate_bearer

    return authenticate_bearer(_office(request), credential, _identity_config(request))


def _session(request: Request[Any, Any, Any]) -> Session | None:
    credential = request.cookies.get(COOKIE)
    if not credential:
        return None
    try:
        identity = _authenticate(request, credential)
    except NotAuthenticated:
        return None
    from govoffice.http.app import IDENTITY_KEY

    cast("dict[str, Any]", request.scope)[IDENTITY_KEY] = identity  # for the access log
    return Session(identity, credential)


def _same_origin(request: Request[Any, Any, Any]) -> bool:
    """A form post names our own origin (or none: an old browser, a test client)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


# --- rendering ----------------------------------------------------------------------------


def _page(template: str, status: int = 200, **context: Any) -> Response[str]:
    html = _env.get_template(template).render(desk=DESK, **context)
    return Response(
        html,
        status_code=status,
        media_type=MediaType.HTML,
        headers={
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
            "Referrer-Policy": "same-origin",
        },
    )


def status_of(error: GovOfficeError) -> int:
    """The HTTP status of a refusal: the API's own mapping (``govoffice.http.problems``)."""
    from govoffice.http.problems import status_of as api_status

    return api_status(error)


def _login_redirect() -> Redirect:
    return Redirect(f"{DESK}/login", status_code=303)


def _names(office: Office) -> Callable[[str | None], str]:
    org = office.org.current()

    def name(person: str | None) -> str:
        if not person:
            return ""
        try:
            return f"{org.person_name(person)}"
        except GovOfficeError:
            return person

    return name


def _who(office: Office, session: Session) -> dict[str, Any]:
    name = _names(office)(session.person)
    return {"person": session.person, "person_name": name, "csrf": session.csrf}


# --- pages --------------------------------------------------------------------------------


@get("/", sync_to_thread=True)
def home(request: Request[Any, Any, Any]) -> Redirect:
    target = "queue" if _session(request) is not None else "login"
    return Redirect(f"{DESK}/{target}", status_code=303)


@get("/login", sync_to_thread=False)
def login_page() -> Response[str]:
    return _page("login.html", error=None)


@post("/login", sync_to_thread=True)
def login(
    request: Request[Any, Any, Any],
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Response[str] | Redirect:
    if not _same_origin(request):
        return _page("login.html", status=403, error="请求来源不符 (cross-site request refused)")
    credential = (data.get("token") or "").strip()
    try:
        _authenticate(request, credential)
    except NotAuthenticated as refusal:
        return _page("login.html", status=401, error=str(refusal))
    cookie = Cookie(
        key=COOKIE,
        value=credential,
        path=DESK,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=COOKIE_MAX_AGE,
    )
    return Redirect(f"{DESK}/queue", status_code=303, cookies=[cookie])


@post("/logout", sync_to_thread=True)
def logout(
    request: Request[Any, Any, Any],
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Response[str] | Redirect:
    session = _session(request)
    if session is not None and not _form_ok(request, session, data):
        return _page("login.html", status=403, error="表单已失效 (stale or forged form)")
    gone = Cookie(key=COOKIE, value="", path=DESK, httponly=True, samesite="strict", max_age=0)
    return Redirect(f"{DESK}/login", status_code=303, cookies=[gone])


def _form_ok(request: Request[Any, Any, Any], session: Session, data: Mapping[str, str]) -> bool:
    sent = data.get("csrf") or ""
    return _same_origin(request) and hmac.compare_digest(sent, session.csrf)


@get("/queue", sync_to_thread=True)
def queue(request: Request[Any, Any, Any]) -> Response[str] | Redirect:
    session = _session(request)
    if session is None:
        return _login_redirect()
    office = _office(request)
    items = office.queues.for_person(session.person)
    today = office.org.current().day_of(office.business_time(None))
    return _page(
        "queue.html",
        items=items,
        today=today,
        name=_names(office),
        **_who(office, session),
    )


def _record_page(
    request: Request[Any, Any, Any],
    session: Session,
    record_id: str,
    *,
    notice: str = "",
    error: GovOfficeError | None = None,
    typed: Mapping[str, str] | None = None,
) -> Response[str]:
    office = _office(request)
    try:
        check_may_read(office, session.person, as_uuid(record_id, "记录"))
        trail = office.audit.trail(record_id)
    except GovOfficeError as refusal:
        return _page(
            "error.html", status=status_of(refusal), error=refusal, **_who(office, session)
        )
    state = trail.state
    form = getattr(state, "form", None)
    title = getattr(state, "title", None) or getattr(form, "title", "") or ""
    body = getattr(form, "text", "") or ""
    number = getattr(state, "number", None)
    rows = []
    for entry in trail:
        d = entry.decision
        found = authority_of(trail.record_type, d.action)
        rows.append(
            {
                "version": d.version,
                "at": d.at.format("YYYY-MM-DD HH:mm") if d.at is not None else "",
                "step": found.action if found is not None else d.action,
                "by": d.by or "",
                "on_behalf_of": d.on_behalf_of or "",
                "opinion": entry.opinion,
                "via": d.via.describe() if d.via is not None else "",
                "held": entry.check.held,
                "required": entry.check.required,
                "late": entry.late,
            }
        )
    return _page(
        "record.html",
        status=status_of(error) if error is not None else 200,
        record_id=str(trail.record_id),
        kind=trail.kind,
        title=title,
        status_label=trail.status or "",
        number=str(number) if number is not None else "",
        body=body,
        rows=rows,
        offers=offers(office, session.person, str(trail.record_id)),
        notice=notice,
        error=error,
        error_name=type(error).__name__ if error is not None else "",
        typed=typed or {},
        name=_names(office),
        **_who(office, session),
    )


@get("/records/{record_id:str}", sync_to_thread=True)
def record_page(
    request: Request[Any, Any, Any], record_id: FromPath[str], done: FromQuery[str] = ""
) -> Response[str] | Redirect:
    session = _session(request)
    if session is None:
        return _login_redirect()
    step = _BY_NAME.get(done)
    return _record_page(request, session, record_id, notice=step.done if step else "")


@post("/records/{record_id:str}/steps/{name:str}", sync_to_thread=True)
def take_step(
    request: Request[Any, Any, Any],
    record_id: FromPath[str],
    name: FromPath[str],
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Response[str] | Redirect:
    """Take a step as the logged-in person, through the facade, inside ``acting_via``."""
    session = _session(request)
    if session is None:
        return _login_redirect()
    if not _form_ok(request, session, data):
        office = _office(request)
        refusal = PermissionDenied(
            session.person, "提交表单", "本页签发的表单 (stale or forged form: reload the page)"
        )
        return _page("error.html", status=403, error=refusal, **_who(office, session))
    office = _office(request)
    step = _BY_NAME.get(name)
    if step is None:
        unknown = InvalidInput(f"没有名为 {name!r} 的办理步骤 (no such step)", step=name)
        return _record_page(request, session, record_id, error=unknown)
    try:
        uuid.UUID(record_id)
    except ValueError:
        bad = InvalidInput(f"记录编号 {record_id!r} 不正确 (malformed record id)")
        return _page("error.html", status=400, error=bad, **_who(office, session))
    offered = [o for o in offers(office, session.person, record_id) if o.step.name == name]
    on_behalf_of, party = offered[0].input_context if offered else (None, None)
    typed = {k: v for k, v in data.items() if k != "csrf"}
    given = StepInput(
        opinion=(data.get("opinion") or "").strip(),
        fields={f.name: (data.get(f.name) or "").strip() for f in step.fields},
        on_behalf_of=on_behalf_of,
        party=party,
    )
    try:
        if step.opinion in ("required", "text") and not given.opinion:
            raise InvalidInput(f"{step.label}需要填写意见 (an opinion is required)")
        with office.acting_via(session.identity):
            step.run(office, record_id, session.person, given)
    except GovOfficeError as refusal:
        return _record_page(request, session, record_id, error=refusal, typed=typed)
    return Redirect(f"{DESK}/records/{record_id}?done={quote(name)}", status_code=303)


@get("/report", sync_to_thread=True)
def report(
    request: Request[Any, Any, Any], year: FromQuery[int | None] = None
) -> Response[str] | Redirect:
    """年度报告: the HTML rendering of ``office.reports.annual(year)`` with the desk's bar."""
    from govoffice.adapters.report_render import render

    session = _session(request)
    if session is None:
        return _login_redirect()
    office = _office(request)
    if year is None:
        year = office.org.current().day_of(office.business_time(None)).year
    try:
        html = render(office.reports.annual(year), "html", template_dir=_REPORT_TEMPLATES)
    except GovOfficeError as refusal:
        return _page(
            "error.html",
            status=status_of(refusal),
            error=refusal,
            year=year,
            **_who(office, session),
        )
    return Response(html, media_type=MediaType.HTML, headers={"Cache-Control": "no-store"})


desk_router: Final = Router(
    path=DESK,
    route_handlers=[home, login_page, login, logout, queue, record_page, take_step, report],
    include_in_schema=False,
    tags=["desk"],
)
"""The web desk's pages, mounted by the application (``create_app``) at ``/desk``."""
