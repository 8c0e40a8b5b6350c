"""One read that fast-forwards several cached records (ADR 0060).

A command loads its record and the organisation (and, to take a number, the series): each
is in the aggregate cache, and the library fast-forwards each with its own ``SELECT`` of the
events written after the cached version, so that another process's changes are seen. This
module reads the new events of all of them in one statement instead, on SQLite and on
PostgreSQL; the application projects them as the library would. In memory there is nothing
to read (``None``: the application loads each record as before).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent


def select_after(recorder: Any, after: Sequence[tuple[uuid.UUID, int]]) -> list[StoredEvent] | None:
    """Every stored event of each ``(record id, version)`` pair with a later version than
    the pair's, ordered by record and version; ``None`` when the recorder is not one this
    function reads (then the caller fast-forwards each record on its own)."""
    if not after:
        return []
    module = type(getattr(recorder, "datastore", recorder)).__module__
    if module.startswith("eventsourcing.sqlite"):
        return _sqlite(recorder, after)
    if module.startswith("eventsourcing.postgres"):
        call = getattr(recorder, "_call", None)  # govoffice's recorder: bounded waits and
        if call is not None:  # the library's retries of a dropped connection (ADR 0035)
            result: list[StoredEvent] = call(_postgres, after)
            return result
        return _postgres(recorder, after)
    return None


def _sqlite(recorder: Any, after: Sequence[tuple[uuid.UUID, int]]) -> list[StoredEvent]:
    where = " OR ".join(["(originator_id=? AND originator_version>?)"] * len(after))
    sql = (
        f"SELECT * FROM {recorder.events_table_name} WHERE {where} "
        "ORDER BY originator_id, originator_version"
    )
    uuids = recorder.datastore.originator_id_type == "uuid"
    params: list[Any] = []
    for record_id, version in after:
        params += [record_id.hex if uuids else str(record_id), version]
    with recorder.datastore.transaction(commit=False) as c:
        c.execute(sql, params)
        return [
            StoredEvent(
                originator_id=recorder.convert_originator_id(row["originator_id"]),
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=row["state"],
            )
            for row in c.fetchall()
        ]


def _postgres(recorder: Any, after: Sequence[tuple[uuid.UUID, int]]) -> list[StoredEvent]:
    from psycopg.sql import SQL, Identifier

    where = SQL(" OR ").join([SQL("(originator_id = %s AND originator_version > %s)")] * len(after))
    statement = SQL(
        "SELECT * FROM {schema}.{table} WHERE {where} ORDER BY originator_id, originator_version"
    ).format(
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name),
        where=where,
    )
    params: list[Any] = []
    for record_id, version in after:
        params += [record_id, version]
    with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(statement, params, prepare=True)
        return [
            StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in curs.fetchall()
        ]
