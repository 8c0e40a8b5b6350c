"""One configuration: where an office's events and views live, and how, read in one place.

The store is named by one URL (ADR 0006): the ``url`` argument of
:func:`govoffice.open_office` or the command line's ``--store``, else the environment
variable ``GOVOFFICE_STORE``, else — for eventsourcing users — eventsourcing's own location
variables (``PERSISTENCE_MODULE``, ``SQLITE_DBNAME``, ``POSTGRES_*``), else the caller's
default. Every other setting comes from the environment or ``env=`` with the names
eventsourcing uses, plain or with the application's ``GOVOFFICE_`` prefix (the prefixed one
wins, and ``env=`` wins over the environment).

:func:`resolve_store` turns all of that into one set of settings that both the event store
and the view store are built from, so an office is never split over two places (ADR 0040):

- a location variable that names another store than the URL is refused
  (:class:`~govoffice.domain.errors.InvalidStoreConfig`), never silently ignored;
- a variable eventsourcing reads but govoffice replaces (its own mapper, transcoder and
  recorders) is refused with the reason;
- a ``GOVOFFICE_...`` variable one letter or so from a setting's name (a typo) is refused,
  naming the setting it resembles.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping

from govoffice.adapters.stores import redacted, store_env
from govoffice.domain.errors import InvalidStoreConfig, MissingExtra, StoreNotFound

PREFIX = "GOVOFFICE_"
"""The application's prefix (``OfficeApplication.name`` upper-cased, as eventsourcing does)."""

STORE_VARIABLE = "GOVOFFICE_STORE"
DEFAULT_SQLITE_URL = "sqlite:///govoffice.db"

LOCATION = (
    "PERSISTENCE_MODULE",
    "SQLITE_DBNAME",
    "POSTGRES_DBNAME",
    "POSTGRES_HOST",
    "POSTGRES_PORT",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "POSTGRES_SCHEMA",
)
"""eventsourcing's variables that say where the events live: they must agree with the URL."""

TUNING = (
    "SQLITE_LOCK_TIMEOUT",
    "POSTGRES_CONNECT_TIMEOUT",
    "POSTGRES_POOL_SIZE",
    "POSTGRES_MAX_OVERFLOW",
    "POSTGRES_MAX_WAITING",
    "POSTGRES_CONN_MAX_AGE",
    "POSTGRES_PRE_PING",
    "POSTGRES_LOCK_TIMEOUT",
    "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT",
    "POSTGRES_ENABLE_DB_FUNCTIONS",
    "SINGLE_ROW_TRACKING",
    "CREATE_TABLE",
    "CIPHER_TOPIC",
    "CIPHER_KEY",
    "COMPRESSOR_TOPIC",
    "AGGREGATE_CACHE_MAXSIZE",
    "AGGREGATE_CACHE_FASTFORWARD",
    "AGGREGATE_CACHE_FASTFORWARD_SKIPPING",
    "DEEPCOPY_FROM_AGGREGATE_CACHE",
    "AUDIT_KEY",
    "AUDIT_CHECKPOINT_FILE",
)
"""Settings that work as eventsourcing users expect (and ``AUDIT_*``, ADR 0018)."""

REPLACED = {
    "INFRASTRUCTURE_FACTORY": "请改用存储地址 (use the store URL instead)",
    "FACTORY_TOPIC": "请改用存储地址 (use the store URL instead)",
    "MAPPER_TOPIC": "govoffice 使用自己的哈希链映射器 (govoffice uses its hash-chain mapper)",
    "TRANSCODER_TOPIC": "govoffice 使用自己的编码器 (govoffice uses its own transcoder)",
    "APPLICATION_RECORDER_TOPIC": "记录器由存储地址决定 (the URL decides the recorder)",
    "TRACKING_RECORDER_TOPIC": "记录器由存储地址决定 (the URL decides the recorder)",
    "PROCESS_RECORDER_TOPIC": "记录器由存储地址决定 (the URL decides the recorder)",
    "ORIGINATOR_ID_TYPE": "记录编号固定为 UUID (record ids are UUIDs)",
    "IS_SNAPSHOTTING_ENABLED": "govoffice 不使用快照 (govoffice takes no snapshots)",
    "POSTGRES_GET_PASSWORD_TOPIC": "请把口令写在存储地址中 (put the password in the URL)",
}
"""eventsourcing variables govoffice cannot honour: refused, with the reason."""

OWN = ("STORE", "NOTIFIER", "TEST_POSTGRES")
"""``GOVOFFICE_`` variables of govoffice itself that are not eventsourcing settings."""

VARIABLES: tuple[tuple[str, str], ...] = (
    (STORE_VARIABLE, f"the store URL when --store is not given (default {DEFAULT_SQLITE_URL})"),
    ("GOVOFFICE_NOTIFIER", "the notification channel URL of `govoffice notify`"),
    ("GOVOFFICE_AUDIT_KEY", "HMAC key of the hash chain (AUDIT_KEY works too)"),
    ("GOVOFFICE_AUDIT_CHECKPOINT_FILE", "keep audit checkpoints in this JSON-lines file"),
    ("CIPHER_TOPIC, CIPHER_KEY", "encryption at rest (eventsourcing; needs govoffice[crypto])"),
    (
        "PERSISTENCE_MODULE, SQLITE_DBNAME, POSTGRES_*",
        "eventsourcing's store variables: name the store when no URL is given; "
        "refused when they name another store than the URL",
    ),
    ("SQLITE_LOCK_TIMEOUT, POSTGRES_POOL_SIZE, ...", "eventsourcing's tuning, as documented"),
    ("PSYCOPG_IMPL", "python forces psycopg's pure-Python implementation"),
)
"""What ``govoffice --help`` lists. Each eventsourcing name also works with the ``GOVOFFICE_``
prefix, which wins over the plain one."""


class StoreSettings:
    """Where an office lives and the settings of its event store and view store (its repr
    hides the password and the keys). A plain class: the command line imports this module
    for ``--help``, which must stay quick (ADR 0039)."""

    __slots__ = ("settings", "source", "url")

    def __init__(self, url: str, settings: Mapping[str, str], source: str) -> None:
        self.url = url
        """The store URL (with its password: pass :attr:`shown` to messages and logs)."""
        self.settings: Mapping[str, str] = dict(settings)
        """The eventsourcing settings, plain names (``PERSISTENCE_MODULE``, ...)."""
        self.source = source
        """Where the location came from: ``argument``, ``GOVOFFICE_STORE``, ``eventsourcing
        variables`` or ``default``."""

    @property
    def shown(self) -> str:
        return redacted(self.url)

    def application_env(self) -> dict[str, str]:
        """The settings for the eventsourcing application, under their prefixed names so
        that nothing else in the process environment overrides them."""
        return {PREFIX + key: value for key, value in self.settings.items()}

    def __repr__(self) -> str:
        return f"StoreSettings({self.shown!r}, source={self.source!r})"


def _merged(environ: Mapping[str, str], env: Mapping[str, str] | None) -> dict[str, str]:
    """Each setting once, by its plain name: ``env`` over the environment, and within each
    the ``GOVOFFICE_``-prefixed name over the plain one (as eventsourcing reads them)."""
    known = set(LOCATION) | set(TUNING) | set(REPLACED) | {"STORE"}
    merged: dict[str, str] = {}
    for source in (environ, env or {}):
        chosen: dict[str, str] = {}
        for key, value in source.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise InvalidStoreConfig(f"{key!r}={value!r}", "设置须为文字 (settings are text)")
            plain = key[len(PREFIX) :] if key.startswith(PREFIX) else key
            if key.startswith(PREFIX) and plain not in known and plain not in OWN:
                _refuse_misspelt(key, plain, known)
            if plain in known and (key.startswith(PREFIX) or plain not in chosen):
                chosen[plain] = value
        merged.update(chosen)
    return merged


def _refuse_misspelt(key: str, plain: str, known: set[str]) -> None:
    """A ``GOVOFFICE_`` variable one letter or so from a setting's name is a typo that would
    otherwise be silently ignored; other ``GOVOFFICE_`` variables belong to the application
    or its tools and are left alone."""
    import difflib

    close = difflib.get_close_matches(plain, sorted(known), n=1, cutoff=0.85)
    if close:
        raise InvalidStoreConfig(
            key, f"govoffice 不认识这个设置,是否应为 {PREFIX}{close[0]}? (did you mean it?)"
        )


def resolve_store(
    url: object = None,
    *,
    env: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    default: str = "memory",
) -> StoreSettings:
    """The one configuration of an office (see the module docstring for the rules).

    ``url`` is the caller's store URL (``None``: not given); ``env`` adds or overrides
    settings by name; ``environ`` is the process environment (``os.environ`` by default);
    ``default`` is the URL when nothing names a store.
    """
    merged = _merged(os.environ if environ is None else environ, env)
    refused = sorted(k for k in merged if k in REPLACED)
    if refused:
        key = refused[0]
        raise InvalidStoreConfig(key, REPLACED[key])
    location = {k: merged[k] for k in LOCATION if k in merged}
    if url is not None:
        chosen, source = url, "argument"
    elif "STORE" in merged:
        chosen, source = merged["STORE"], STORE_VARIABLE
    elif location:
        chosen, source = _url_from_location(location), "eventsourcing variables"
    else:
        chosen, source = default, "default"
    settings = store_env(chosen)
    assert isinstance(chosen, str)  # store_env refused anything else
    url_text = chosen.strip()
    if source != "eventsourcing variables":
        _require_agreement(url_text, settings, location)
    tuning = {k: merged[k] for k in TUNING if k in merged}
    from_url = {k: v for k, v in settings.items() if k in TUNING and _given_in_url(k, url_text)}
    return StoreSettings(url_text, {**_others(env), **settings, **tuning, **from_url}, source)


def _others(env: Mapping[str, str] | None) -> dict[str, str]:
    """Settings given in ``env=`` that govoffice has no rule for: passed on to eventsourcing
    as they are, as its own ``env=`` would (never dropped)."""
    known = {*LOCATION, *TUNING, *REPLACED, *OWN}
    others = {}
    for key, value in (env or {}).items():
        plain = key[len(PREFIX) :] if key.startswith(PREFIX) else key
        if plain not in known:
            others[plain] = value
    return others


def _given_in_url(key: str, url: str) -> bool:
    """A tuning setting the URL's query names explicitly (it wins over the environment)."""
    names = {
        "POSTGRES_POOL_SIZE": "pool_size",
        "POSTGRES_MAX_OVERFLOW": "max_overflow",
        "POSTGRES_CONNECT_TIMEOUT": "connect_timeout",
    }
    name = names.get(key)
    return name is not None and f"{name}=" in url.partition("?")[2]


def _url_from_location(location: Mapping[str, str]) -> str:
    """The URL that eventsourcing's location variables describe."""
    module = location.get("PERSISTENCE_MODULE", "eventsourcing.popo")
    if module in ("eventsourcing.popo", "popo"):
        stray = sorted(set(location) - {"PERSISTENCE_MODULE"})
        if stray:
            raise InvalidStoreConfig(
                ", ".join(stray), "未设置 PERSISTENCE_MODULE,这些存储变量无从生效 (set it)"
            )
        return "memory"
    if module in ("eventsourcing.sqlite", "sqlite"):
        dbname = location.get("SQLITE_DBNAME", "")
        if not dbname:
            raise InvalidStoreConfig("PERSISTENCE_MODULE", "SQLite 存储须同时设置 SQLITE_DBNAME")
        if dbname == ":memory:":
            return "sqlite:///:memory:"
        if dbname.startswith("file:"):
            raise InvalidStoreConfig("SQLITE_DBNAME", "请用存储地址 sqlite:///... 指明文件")
        return f"sqlite:///{os.path.abspath(dbname)}"
    if module in ("eventsourcing.postgres", "postgres"):
        from urllib.parse import quote

        missing = [k for k in ("POSTGRES_DBNAME", "POSTGRES_HOST") if not location.get(k)]
        if missing:
            raise InvalidStoreConfig(
                ", ".join(missing), "PostgreSQL 存储须设置数据库名和主机 (set them)"
            )
        user = quote(location.get("POSTGRES_USER", "postgres"), safe="")
        password = location.get("POSTGRES_PASSWORD", "")
        auth = f"{user}:{quote(password, safe='')}" if password else user
        port = location.get("POSTGRES_PORT", "5432")
        dbname = quote(location["POSTGRES_DBNAME"], safe="")
        url = f"postgresql://{auth}@{location['POSTGRES_HOST']}:{port}/{dbname}"
        schema = location.get("POSTGRES_SCHEMA")
        return f"{url}?schema={quote(schema, safe='')}" if schema else url
    raise InvalidStoreConfig(
        "PERSISTENCE_MODULE",
        f"不支持的存储模块 {module!r} (use eventsourcing.sqlite or eventsourcing.postgres)",
    )


def _require_agreement(url: str, settings: Mapping[str, str], location: Mapping[str, str]) -> None:
    """Location variables beside a URL must name the same store, or they are refused."""
    for key, value in location.items():
        ours = settings.get(key, "")
        if key == "SQLITE_DBNAME" and ours and value not in (":memory:",):
            same = os.path.abspath(value) == os.path.abspath(ours)
        elif key == "PERSISTENCE_MODULE":
            same = value.removeprefix("eventsourcing.") == ours.removeprefix("eventsourcing.")
        elif key == "POSTGRES_PORT":
            same = value.strip() == (ours or "5432")
        else:
            same = value == ours
        if not same:
            shown = "***" if key == "POSTGRES_PASSWORD" else repr(value)
            raise InvalidStoreConfig(
                key,
                f"环境中的 {key}={shown} 与存储地址 {redacted(url)} 不一致;"
                f"一个机关只能在一处 (unset {key} and {PREFIX}{key}, or drop the URL)",
            )


def require_existing(url: str) -> str:
    """The URL, once a file store is known to exist: commands that only read (a queue, a
    report, an audit) never create an empty SQLite file by mistake."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme == "sqlite" and not parts.netloc:
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if path and path != ":memory:" and not os.path.isfile(path):
            raise StoreNotFound(redacted(url), path)
    return url


DRIVERS = {
    "eventsourcing.postgres": ("PostgreSQL 存储", "postgres", ("psycopg", "psycopg_pool")),
}
"""What each persistence module needs beyond the core install, and the extra that installs it."""


def require_drivers(settings: Mapping[str, str]) -> None:
    """Refuse, naming the extra to install, a store or cipher whose modules are missing:
    ``postgresql://`` needs ``govoffice[postgres]``, encryption at rest ``govoffice[crypto]``."""
    needed = DRIVERS.get(settings.get("PERSISTENCE_MODULE", ""))
    if needed is not None:
        feature, extra, modules = needed
        for module in modules:
            _require(module, feature, extra)
    cipher = settings.get("CIPHER_TOPIC", "")
    if cipher.startswith("eventsourcing."):  # another package's cipher is its own business
        _require(cipher.partition(":")[0], "加密存储 (CIPHER_TOPIC)", "crypto")


def _require(module: str, feature: str, extra: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError as e:
        missing = (e.name or module).partition(".")[0]  # the distribution to install
        raise MissingExtra(feature, extra, missing) from None
