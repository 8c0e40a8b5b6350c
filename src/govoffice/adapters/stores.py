"""Store selection: one URL chooses where the office's events live (ADR 0006).

- ``memory``: in-process only, for tests and experiments;
- ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``: the embedded default;
- ``postgresql://user[:password]@host[:port]/dbname[?schema=s&pool_size=n]``: for scale;
  ``lock_timeout=`` and ``statement_timeout=`` (seconds; 10 and 60 by default, ADR 0035)
  bound how long a session waits for a lock and how long a statement may run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from govoffice.domain.errors import InvalidStoreURL

DEFAULT_SQLITE_URL = "sqlite:///govoffice.db"
POSTGRES_FACTORY = "govoffice.adapters.postgres_store:OfficePostgresFactory"
"""The infrastructure factory of PostgreSQL stores: the library's, with bounded waits."""
DEFAULT_LOCK_TIMEOUT = "10"
DEFAULT_STATEMENT_TIMEOUT = "60"


def backend(settings: Mapping[str, str]) -> str:
    """``"memory"``, ``"sqlite"`` or ``"postgres"``: the kind of store ``settings`` (from
    :func:`store_env`, possibly prefixed ``GOVOFFICE_``) name."""
    module = settings.get("GOVOFFICE_PERSISTENCE_MODULE") or settings.get("PERSISTENCE_MODULE")
    if module == "eventsourcing.sqlite":
        return "sqlite"
    if module in ("eventsourcing.postgres", POSTGRES_FACTORY):
        return "postgres"
    return "memory"


def store_env(url: object) -> dict[str, str]:
    """The eventsourcing settings (prefixed for the ``govoffice`` application) for a URL."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidStoreURL(repr(url), "必须是非空文字")
    url = url.strip()
    if url in ("memory", "memory://", "mem://"):
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return _sqlite_env(url, parts.netloc, parts.path)
    if parts.scheme in ("postgresql", "postgres"):
        return _postgres_env(url, parts)
    raise InvalidStoreURL(url, f"不支持的存储类型 {parts.scheme or url!r}")


def _sqlite_env(url: str, netloc: str, path: str) -> dict[str, str]:
    if netloc:
        raise InvalidStoreURL(url, "SQLite 地址应为 sqlite:///相对路径 或 sqlite:////绝对路径")
    path = unquote(path[1:]) if path.startswith("/") else unquote(path)
    if not path:
        raise InvalidStoreURL(url, "缺少数据库文件路径")
    if path == ":memory:":
        dbname = f"file:govoffice-{uuid.uuid4().hex}?mode=memory&cache=shared"
    else:
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise InvalidStoreURL(url, f"目录 {directory} 不存在")
        if os.path.isdir(path):
            raise InvalidStoreURL(url, f"{path} 是目录,不是数据库文件")
        dbname = path
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": dbname,
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def _postgres_env(url: str, parts: SplitResult) -> dict[str, str]:
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise InvalidStoreURL(url, "缺少数据库名")
    if not parts.hostname:
        raise InvalidStoreURL(url, "缺少主机名")
    try:
        port = parts.port or 5432
    except ValueError:
        raise InvalidStoreURL(url, "端口不正确") from None
    env = {
        "PERSISTENCE_MODULE": POSTGRES_FACTORY,
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_LOCK_TIMEOUT": DEFAULT_LOCK_TIMEOUT,
        "POSTGRES_STATEMENT_TIMEOUT": DEFAULT_STATEMENT_TIMEOUT,
    }
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    known = {
        "schema": "POSTGRES_SCHEMA",
        "pool_size": "POSTGRES_POOL_SIZE",
        "max_overflow": "POSTGRES_MAX_OVERFLOW",
        "connect_timeout": "POSTGRES_CONNECT_TIMEOUT",
        "lock_timeout": "POSTGRES_LOCK_TIMEOUT",
        "statement_timeout": "POSTGRES_STATEMENT_TIMEOUT",
    }
    for key, value in options.items():
        if key not in known:
            raise InvalidStoreURL(url, f"未知参数 {key} (known: {', '.join(known)})")
        if key != "schema" and not (value.isascii() and value.isdigit()):
            raise InvalidStoreURL(url, f"参数 {key} 必须是非负整数,而不是 {value!r}")
        env[known[key]] = value
    return env


def redacted(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url
