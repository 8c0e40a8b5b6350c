"""The in-memory view store: for tests, and for views of a past day built on the fly."""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from govoffice.application.views import Document
from govoffice.domain.errors import ConcurrentChange

_DELETED = object()


class MemoryViewStore:
    """Views in dictionaries; a transaction's writes apply together with the positions."""

    def __init__(self) -> None:
        self._tables: dict[tuple[str, str], dict[str, Document]] = {}
        self._positions: dict[str, int] = {}
        self._leases: dict[tuple[str, str, str], tuple[str, float]] = {}
        self._lock = threading.RLock()

    def position(self, view: str) -> int:
        return self._positions.get(view, 0)

    def get(self, view: str, table: str, key: str) -> Document | None:
        doc = self._tables.get((view, table), {}).get(key)
        return copy.deepcopy(doc) if doc is not None else None

    def scan(self, view: str, table: str, prefix: str = "") -> Iterator[tuple[str, Document]]:
        rows = self._tables.get((view, table), {})
        for key in sorted(k for k in rows if k.startswith(prefix)):
            yield key, copy.deepcopy(rows[key])

    @contextmanager
    def transaction(self, positions: Mapping[str, tuple[int, int]]) -> Iterator[_MemoryTx]:
        """The page holds the store from its start, so its handlers see the views exactly
        as of the expected positions (like the SQL stores' locked pages)."""
        with self._lock:
            for view, (expected, _new) in positions.items():
                if self.position(view) != expected:
                    raise ConcurrentChange(view, 1)
            tx = _MemoryTx(self)
            yield tx
            for (view, table, key), doc in tx.writes.items():
                rows = self._tables.setdefault((view, table), {})
                if doc is _DELETED:
                    rows.pop(key, None)
                else:
                    rows[key] = doc  # type: ignore[assignment]
            for view, (_expected, new) in positions.items():
                self._positions[view] = new

    def rows(self, view: str) -> Iterator[tuple[str, str, str]]:
        with self._lock:
            tables = sorted((t, dict(rows)) for (v, t), rows in self._tables.items() if v == view)
        for table, rows in tables:
            for key in sorted(rows):
                yield table, key, json.dumps(rows[key], ensure_ascii=False)

    def reset(self, view: str) -> None:
        with self._lock:
            for table_key in [k for k in self._tables if k[0] == view]:
                del self._tables[table_key]
            self._positions.pop(view, None)
            self._leases = {k: v for k, v in self._leases.items() if k[0] != view}

    def claim(
        self, view: str, table: str, *, claimer: str, seconds: float, limit: int = 1
    ) -> list[tuple[str, Document]]:
        with self._lock:
            now = time.time()
            claimed: list[tuple[str, Document]] = []
            for key, doc in self.scan(view, table):
                if len(claimed) >= limit:
                    break
                held = self._leases.get((view, table, key))
                if held is not None and held[1] > now:
                    continue
                self._leases[(view, table, key)] = (claimer, now + seconds)
                claimed.append((key, doc))
            return claimed

    def renew(self, view: str, table: str, key: str, *, claimer: str, seconds: float) -> bool:
        with self._lock:
            held = self._leases.get((view, table, key))
            if held is None or held[0] != claimer:
                return False
            self._leases[(view, table, key)] = (claimer, time.time() + seconds)
            return True

    def release(self, view: str, table: str, key: str, *, claimer: str) -> None:
        with self._lock:
            held = self._leases.get((view, table, key))
            if held is not None and held[0] == claimer:
                del self._leases[(view, table, key)]

    def close(self) -> None:
        pass


class _MemoryTx:
    def __init__(self, store: MemoryViewStore) -> None:
        self.store = store
        self.writes: dict[tuple[str, str, str], object] = {}

    def get(self, view: str, table: str, key: str) -> Document | None:
        pending = self.writes.get((view, table, key))
        if pending is _DELETED:
            return None
        if pending is not None:
            return pending  # type: ignore[return-value]
        return self.store.get(view, table, key)

    def scan(self, view: str, table: str, prefix: str = "") -> Iterator[tuple[str, Document]]:
        merged = dict(self.store.scan(view, table, prefix))
        for (v, t, key), doc in self.writes.items():
            if v == view and t == table and key.startswith(prefix):
                if doc is _DELETED:
                    merged.pop(key, None)
                else:
                    merged[key] = doc  # type: ignore[assignment]
        yield from sorted(merged.items())

    def put(self, view: str, table: str, key: str, document: Document) -> None:
        self.writes[(view, table, key)] = document

    def delete(self, view: str, table: str, key: str) -> None:
        self.writes[(view, table, key)] = _DELETED
