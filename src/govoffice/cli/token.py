"""``govoffice token``: the API tokens of the HTTP service (ADR 0055).

- ``govoffice token issue PERSON --by ADMIN [--expires TIME] [--label TEXT]``: issue a
  token acting for PERSON; its text is printed once (standard output, alone on its line,
  so a script can capture it) and never again;
- ``govoffice token revoke TOKEN_ID --by PERSON --reason TEXT``;
- ``govoffice token list [--person PERSON] [--active] [--format text|json]``: ids, holders,
  labels, expiry and status (never a secret).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from govoffice.cli import STORE_OPTION, console, err_console, main, opened, parse_time

if TYPE_CHECKING:  # the command line imports the office only when a command runs (ADR 0039)
    from govoffice.application.tokens import TokenInfo

_BY = click.option(
    "--by",
    required=True,
    envvar="GOVOFFICE_USER",
    help="Who does it (a person holding 组织机构管理员), or GOVOFFICE_USER.",
)


@main.group()
def token() -> None:
    """接口令牌: issue, revoke and list the API tokens of ``govoffice serve``."""


@token.command()
@STORE_OPTION
@click.argument("person")
@_BY
@click.option("--expires", default=None, help="Valid until this time (default: no expiry).")
@click.option("--label", default="", help="What the token is for (e.g. the calling system).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def issue(
    store: str | None, person: str, by: str, expires: str | None, label: str, fmt: str
) -> None:
    """签发令牌: a new token acting for PERSON. The token text is shown once: keep it where
    the calling system keeps its secrets; the store keeps only its digest."""
    until = parse_time(expires) if expires else None
    with opened(store) as office:
        issued = office.tokens.issue(person, by=by, expires=until, label=label)
    if fmt == "json":
        data = {
            "token_id": issued.token_id,
            "person_id": issued.person_id,
            "expires": issued.expires.isoformat() if issued.expires else None,
            "token": issued.secret,
        }
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo(issued.secret)
    err_console().print(
        f"已为 {issued.person_id} 签发令牌 {issued.token_id}"
        + (f",有效期至 {issued.expires}" if issued.expires else "")
        + "。令牌只显示这一次 (the token is shown once; only its digest is stored)."
    )


@token.command()
@STORE_OPTION
@click.argument("token_id")
@_BY
@click.option("--reason", required=True, help="Why it is revoked (lost, left the post, ...).")
def revoke(store: str | None, token_id: str, by: str, reason: str) -> None:
    """吊销令牌 TOKEN_ID: it authenticates nobody from now on."""
    with opened(store) as office:
        info = office.tokens.revoke(token_id, reason=reason, by=by)
    console().print(f"令牌 {info.token_id} ({info.person_id}) 已吊销: {info.revoke_reason}")


@token.command(name="list")
@STORE_OPTION
@click.option("--person", default=None, help="Only this person's tokens.")
@click.option("--active", is_flag=True, help="Leave out revoked tokens.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def list_tokens(store: str | None, person: str | None, active: bool, fmt: str) -> None:
    """令牌清单: every token issued, in the order issued (no secrets)."""
    with opened(store) as office:
        tokens = office.tokens.list(person_id=person, include_revoked=not active)
    if fmt == "json":
        click.echo(json.dumps([_row(t) for t in tokens], ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table("持有人", "用途", "签发", "有效期至", "状态")
    table.add_column("令牌编号", no_wrap=True)
    for t in tokens:
        status = t.status.label + (f" ({t.revoke_reason})" if t.revoke_reason else "")
        table.add_row(
            t.person_id,
            t.label or "—",
            f"{t.issued_at.format('YYYY-MM-DD HH:mm')} {t.issued_by}",
            t.expires.format("YYYY-MM-DD HH:mm") if t.expires else "—",
            status,
            t.token_id,
        )
    console().print(table)


def _row(t: TokenInfo) -> dict[str, Any]:
    return {
        "token_id": t.token_id,
        "person_id": t.person_id,
        "label": t.label,
        "status": t.status.value,
        "issued_by": t.issued_by,
        "issued_at": t.issued_at.isoformat(),
        "expires": t.expires.isoformat() if t.expires else None,
        "revoked_by": t.revoked_by,
        "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
        "revoke_reason": t.revoke_reason,
    }
