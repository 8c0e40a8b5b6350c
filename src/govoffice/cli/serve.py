"""``govoffice serve``: the office over HTTP, served by uvicorn (needs govoffice[http]).

``govoffice serve --store URL [--host 127.0.0.1] [--port 8000] [--workers N]`` serves every
command and query of the facade as JSON, the OpenAPI document at ``/schema/openapi.json``,
``/health`` and the web desk at ``/desk`` (ADR 0054). Several worker processes only on
PostgreSQL: an SQLite file has one writer, and a memory store lives in one process.
SIGTERM (or Ctrl-C) stops taking requests and lets those in flight finish (up to
``--graceful-timeout`` seconds) before the office is closed.
"""

from __future__ import annotations

import copy
import os
from typing import Any

import click

from govoffice.cli import STORE_OPTION, main, store_url
from govoffice.domain.errors import InvalidInput, MissingExtra

ACCESS_LOGGER = "govoffice.http.access"


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with the service's JSON access lines on standard error as they
    are (uvicorn's own access log is off: it would show query strings)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["govoffice_json"] = {"format": "%(message)s"}
    config["handlers"]["govoffice_access"] = {
        "class": "logging.StreamHandler",
        "formatter": "govoffice_json",
        "stream": "ext://sys.stderr",
    }
    config["loggers"][ACCESS_LOGGER] = {
        "handlers": ["govoffice_access"],
        "level": "INFO",
        "propagate": False,
    }
    return config


@main.command()
@STORE_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (more than one only on PostgreSQL).",
)
@click.option(
    "--max-body",
    default=None,
    type=click.IntRange(1024, 64 * 1024 * 1024),
    help="Largest request body in bytes (default 1 MiB); larger ones get 413.",
)
@click.option("--jwks", default=None, help="JWT key set (a JWKS file or https URL): JWTs on.")
@click.option("--jwt-issuer", default=None, help="The JWTs' required issuer (iss).")
@click.option("--jwt-audience", default=None, help="The JWTs' required audience (aud).")
@click.option(
    "--proxy-header",
    default=None,
    help="Trust this header from an authenticating reverse proxy (off by default).",
)
@click.option(
    "--graceful-timeout",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds in-flight requests get to finish after SIGTERM.",
)
def serve(
    store: str | None,
    host: str,
    port: int,
    workers: int,
    max_body: int | None,
    jwks: str | None,
    jwt_issuer: str | None,
    jwt_audience: str | None,
    proxy_header: str | None,
    graceful_timeout: int,
) -> None:
    """Serve the office over HTTP: every command and query as JSON, OpenAPI at
    /schema/openapi.json, the web desk at /desk. The acting person is the one authenticated
    (an API token from `govoffice token issue`, a JWT, or a trusted proxy header)."""
    try:
        import litestar  # noqa: F401 - the workers import it; say now if it is missing
        import uvicorn
    except ImportError as e:
        raise MissingExtra("HTTP 服务", "http", e.name or "litestar") from e
    from govoffice.bootstrap import open_office
    from govoffice.http.app import ENVIRONMENT

    url = store_url(store)
    kind = url.split(":", 1)[0]
    if workers > 1 and kind not in ("postgresql", "postgres"):
        raise InvalidInput(
            f"--workers {workers}: 多个工作进程只用于 PostgreSQL 存储;SQLite 文件只能有一个写入者,"
            "内存存储只存在于一个进程中 (several workers need a PostgreSQL store; "
            f"this store is {kind})",
            workers=workers,
            store=kind,
        )
    if kind != "memory":
        open_office(url, create=False).close()  # the store must exist (StoreNotFound)
    settings = {
        "store": url,
        "max_body": str(max_body) if max_body else "",
        "jwks": jwks or "",
        "jwt_issuer": jwt_issuer or "",
        "jwt_audience": jwt_audience or "",
        "proxy_header": proxy_header or "",
    }
    for name, value in settings.items():
        os.environ[ENVIRONMENT[name]] = value
    click.echo(
        f"govoffice serve: http://{host}:{port} ({workers} worker(s), store {kind}); "
        f"OpenAPI: http://{host}:{port}/schema/openapi.json",
        err=True,
    )
    uvicorn.run(
        "govoffice.http.app:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=log_config(),
        timeout_graceful_shutdown=graceful_timeout,
        proxy_headers=False,
        server_header=False,
    )
