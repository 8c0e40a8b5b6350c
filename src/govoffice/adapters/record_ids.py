"""Short record ids: a record named by a unique prefix of its id (at least 4 hex digits).

Tables on an 80-column terminal show the first 8 hex digits of a record's id; a command
accepts such a prefix wherever it accepts an id. The lookup is a range read on the events
table's primary key (originator id, version) on SQLite and PostgreSQL, so it costs the same
in a store of any size; in memory it walks the record index.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from eventsourcing.application import Application

from govoffice.domain.errors import InvalidInput, RecordNotFound

MIN_PREFIX = 4
_HEX = re.compile(r"^[0-9a-f]+$")
_SHOWN = 5
"""How many candidates an ambiguous prefix names."""


class AmbiguousRecordId(InvalidInput):
    """A prefix that several records' ids start with."""

    def __init__(self, prefix: str, candidates: list[uuid.UUID]) -> None:
        shown = ", ".join(str(c) for c in candidates[:_SHOWN])
        more = " ..." if len(candidates) > _SHOWN else ""
        super().__init__(
            f"编号前缀 {prefix} 对应多个记录: {shown}{more},请多写几位 "
            "(ambiguous id prefix; give more digits)",
            prefix=prefix,
            candidates=tuple(candidates),
        )


def resolve_record_id(app: Application[Any], text: object) -> uuid.UUID:
    """The record ``text`` names: a whole UUID (returned as it is, found or not) or a prefix
    of one that exactly one stored record's id starts with."""
    if isinstance(text, uuid.UUID):
        return text
    if not isinstance(text, str):
        raise RecordNotFound("记录", text)
    cleaned = text.strip().lower()
    try:
        return uuid.UUID(cleaned)
    except ValueError:
        pass
    digits = cleaned.replace("-", "")
    if len(digits) < MIN_PREFIX or len(digits) >= 32 or not _HEX.match(digits):
        raise RecordNotFound("记录", text)
    found = ids_with_prefix(app, digits, limit=_SHOWN + 1)
    if not found:
        raise RecordNotFound("记录", text)
    if len(found) > 1:
        raise AmbiguousRecordId(digits, found)
    return found[0]


def ids_with_prefix(app: Application[Any], digits: str, *, limit: int) -> list[uuid.UUID]:
    """Up to ``limit`` stored record ids whose hex digits start with ``digits``."""
    low = uuid.UUID(digits.ljust(32, "0"))
    high = uuid.UUID(digits.ljust(32, "f"))
    recorder: Any = app.recorder
    module = type(recorder).__module__
    if module.startswith("eventsourcing.sqlite"):
        sql = (
            f"SELECT DISTINCT originator_id FROM {recorder.events_table_name} "
            "WHERE originator_id BETWEEN ? AND ? ORDER BY originator_id LIMIT ?"
        )
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(sql, (low.hex, high.hex, limit))
            return [uuid.UUID(row[0]) for row in c.fetchall()]
    if module.startswith("eventsourcing.postgres"):
        from psycopg.sql import SQL, Identifier

        statement = SQL(
            "SELECT DISTINCT originator_id FROM {schema}.{table} "
            "WHERE originator_id BETWEEN %s AND %s ORDER BY originator_id LIMIT %s"
        ).format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name),
        )
        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(statement, (low, high, limit))
            return [uuid.UUID(str(row["originator_id"])) for row in curs.fetchall()]
    index = getattr(recorder, "_stored_events_index", None)
    if index is None:  # pragma: no cover - a recorder govoffice does not build
        raise InvalidInput("此存储不支持编号前缀,请给出完整编号 (give the whole id)")
    with recorder._database_lock:
        keys = sorted(k for k in index if k.replace("-", "").startswith(digits))
    return [uuid.UUID(k) for k in keys[:limit]]
