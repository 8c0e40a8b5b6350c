"""What the SQL view stores share: the page's write buffer, JSON, and key ranges.

A page's writes stay in a :class:`BufferedTransaction` (so the page's handlers see their own
writes) until the page commits; the store then writes them in one ``executemany`` per
statement, together with the positions, in one database transaction (ADR 0015).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Final

from sortedcontainers import SortedDict

from govoffice.application.views import Document, ViewReader
from govoffice.domain.errors import ConcurrentChange

_DELETED: Final = None
"""A buffered delete (a document is never ``None``; so ``get`` can return the buffered value
as it is)."""

_MAX_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)

Key = tuple[str, str, str]
"""(view, table, key) of one document."""


def dumps(document: Document) -> str:
    """The stored form of a document: compact JSON, Chinese kept as it is."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Document:
    doc: Document = json.loads(text)
    return doc


def prefix_upper_bound(prefix: str) -> str | None:
    """The least string greater than every string that starts with ``prefix`` (in code point
    order, which is UTF-8 byte order), or None when there is none (empty prefix, or only
    U+10FFFF). A prefix scan is then the index range ``prefix <= key < bound``."""
    chars = list(prefix)
    while chars:
        last = ord(chars.pop()) + 1
        if last in _SURROGATES:
            last = _SURROGATES.stop
        if last <= _MAX_CODE_POINT:
            return "".join(chars) + chr(last)
    return None


class BufferedTransaction:
    """One page's changes, kept in memory until the store commits them.

    Reads see the page's own writes first, then the store's committed documents. The writes
    of each (view, table) are also kept sorted by key, so a prefix scan finds the page's
    writes under the prefix by bisection instead of walking every write of the page (the
    queue view scans a record's open steps for most events it takes in).
    """

    __slots__ = ("_by_table", "_reader", "writes")

    def __init__(self, reader: ViewReader) -> None:
        self._reader = reader
        self.writes: dict[Key, Document | None] = {}
        self._by_table: dict[tuple[str, str], SortedDict[str, Document | None]] = {}

    def get(self, view: str, table: str, key: str) -> Document | None:
        k = (view, table, key)
        writes = self.writes
        if k in writes:
            return writes[k]
        return self._reader.get(view, table, key)

    def scan(self, view: str, table: str, prefix: str = "") -> Iterator[tuple[str, Document]]:
        committed = self._reader.scan(view, table, prefix)
        written = self._by_table.get((view, table))
        if not written:
            yield from committed
            return
        merged = dict(committed)
        bound = prefix_upper_bound(prefix)
        for key in written.irange(prefix, bound, inclusive=(True, False)):
            doc = written[key]
            if doc is _DELETED:
                merged.pop(key, None)
            else:
                merged[key] = doc
        yield from sorted(merged.items())

    def put(self, view: str, table: str, key: str, document: Document) -> None:
        self.writes[(view, table, key)] = document
        self._table(view, table)[key] = document

    def delete(self, view: str, table: str, key: str) -> None:
        self.writes[(view, table, key)] = _DELETED
        self._table(view, table)[key] = _DELETED

    def _table(self, view: str, table: str) -> SortedDict[str, Document | None]:
        written = self._by_table.get((view, table))
        if written is None:
            written = self._by_table[(view, table)] = SortedDict()
        return written

    def rows(self) -> tuple[list[tuple[str, str, str, str]], list[Key]]:
        """The buffered writes as (view, table, key, JSON) upserts and (view, table, key)
        deletes, each key once (its last write)."""
        upserts: list[tuple[str, str, str, str]] = []
        deletes: list[Key] = []
        for (view, table, key), doc in self.writes.items():
            if doc is _DELETED:
                deletes.append((view, table, key))
            else:
                upserts.append((view, table, key, dumps(doc)))
        return upserts, deletes


def check_positions(expected: Mapping[str, int], stored: Mapping[str, int]) -> None:
    """Raise :class:`ConcurrentChange` for the first view whose stored position is not the
    expected one (another runner moved it, or someone reset it)."""
    for view, position in sorted(expected.items()):
        if stored.get(view, 0) != position:
            raise ConcurrentChange(view, 1)
