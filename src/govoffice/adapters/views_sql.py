"""What the SQL view stores share: the page's write buffer, JSON, and key ranges.

A page's writes stay in a :class:`BufferedTransaction` (so the page's handlers see their own
writes) until the page commits; the store then writes them in one ``executemany`` per
statement, together with the positions, in one database transaction (ADR 0015).
"""

from __future__ import annotations

import base64
import json
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from sortedcontainers import SortedDict

from govoffice.application.views import CorruptViewRow, Document, ViewReader, ViewRow
from govoffice.domain.errors import (
    ConcurrentChange,
    EncryptionKeyError,
    GovOfficeError,
)

KEY_VARIABLE = "GOVOFFICE_CIPHER_KEY"
"""The environment variable that holds the key of an encrypted store."""

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


def loads(text: str, view: str = "", table: str = "", key: str = "") -> Document:
    """A stored document; one that is not a JSON object is :class:`CorruptViewRow`."""
    try:
        doc = json.loads(text)
    except (ValueError, TypeError) as e:
        raise CorruptViewRow(view, table, key, f"不是有效的 JSON (invalid JSON: {e})") from None
    if not isinstance(doc, dict):
        raise CorruptViewRow(view, table, key, "不是 JSON 对象 (not a JSON object)")
    return ViewRow(doc, (view, table, key))


ENCRYPTED = "enc1:"
"""Opens a stored document encrypted with the store's cipher (base64 after the marker)."""


class DocumentCodec:
    """How a document is stored: compact JSON text; with a ``cipher`` (the one the events
    are encrypted with, eventsourcing's ``Cipher``), that text encrypted and base64-encoded
    after :data:`ENCRYPTED`, so that nothing a view copies from the events — a title, an
    opinion — is in the database in plain (ADR 0034). Keys stay plain: they are ids, dates,
    codes and sequence numbers, never text a clerk wrote."""

    def __init__(self, cipher: Any = None) -> None:
        self.cipher = cipher

    def encode(self, document: Document) -> str:
        text = dumps(document)
        if self.cipher is None:
            return text
        sealed = self.cipher.encrypt(text.encode("utf-8"))
        return ENCRYPTED + base64.b64encode(sealed).decode("ascii")

    def decode(self, text: str, view: str = "", table: str = "", key: str = "") -> Document:
        """A stored document: decrypted when the store is encrypted; a row that cannot be
        read is :class:`CorruptViewRow` naming its view, table and key."""
        try:
            if not text.startswith(ENCRYPTED):
                if self.cipher is not None:
                    raise CorruptViewRow(
                        view, table, key, "未加密,而存储已加密 (a plain row in an encrypted store)"
                    )
                return loads(text, view, table, key)
            if self.cipher is None:
                raise EncryptionKeyError(
                    "视图", "视图记录已加密,未设置密钥 (encrypted view rows)", KEY_VARIABLE
                )
            plain = self.cipher.decrypt(base64.b64decode(text[len(ENCRYPTED) :]))
            return loads(plain.decode("utf-8"), view, table, key)
        except GovOfficeError:
            raise
        except (ValueError, UnicodeDecodeError) as e:
            raise CorruptViewRow(view, table, key, f"{type(e).__name__}: {e}") from None


PLAIN = DocumentCodec()


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

    __slots__ = ("_by_table", "_encode", "_reader", "writes")

    def __init__(self, reader: ViewReader, encode: Callable[[Document], str] = dumps) -> None:
        self._reader = reader
        self._encode = encode
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
                upserts.append((view, table, key, self._encode(doc)))
        return upserts, deletes


RawGet = Callable[[str, str, str], "str | None"]
"""Reads one committed document's stored JSON text (None when there is none)."""


class CarriedDocuments:
    """Documents that this store's recent pages read or committed, kept between pages as
    their JSON text (a bounded LRU), so that the next page reads them without a query.

    A rebuild reads back most records' documents in later pages: at scale 10 about one look-up
    per event, each a round trip to the PostgreSQL server (the PostgreSQL store uses this; on
    SQLite a look-up is a read of the page cache in the process, measured as cheap as this
    cache, which would only add memory). The cache is only ever used inside
    a page, whose transaction has just locked and checked the views' stored positions; it is
    valid for a view only while that stored position is the one the cache reflects. A page
    that finds another position (another runner moved the view, or reset it) forgets the
    view's documents first. Entries are text, and every read decodes its own copy, so a
    handler that changes a document it read can never change the cache.
    """

    def __init__(self, maxsize: int = 20_000) -> None:
        self.maxsize = maxsize
        self._docs: OrderedDict[Key, str | None] = OrderedDict()
        self._at: dict[str, int] = {}

    def begin(self, stored: Mapping[str, int]) -> None:
        """A page starts with these stored positions of its views."""
        stale = {view for view, position in stored.items() if self._at.get(view) != position}
        if stale:
            self._forget(stale)
            for view in stale:
                self._at[view] = stored[view]

    def reader(
        self,
        views: Mapping[str, int],
        get: RawGet,
        fallback: ViewReader,
        decode: Callable[[str, str, str, str], Document] = loads,
    ) -> ViewReader:
        """The page's reader: ``views`` (begun) through the cache, anything else from
        ``fallback``; kept texts are decoded with ``decode``."""
        return _CarryingReader(self, views, get, fallback, decode)

    def committed(
        self,
        upserts: list[tuple[str, str, str, str]],
        deletes: list[Key],
        positions: Mapping[str, int],
    ) -> None:
        """The page committed these writes and moved its views to ``positions`` (writes to
        other views, which no position covers, are not kept)."""
        docs = self._docs
        for view, table, key, text in upserts:
            if view in positions:
                docs[(view, table, key)] = text
                docs.move_to_end((view, table, key))
        for key3 in deletes:
            if key3[0] in positions:
                docs[key3] = None
                docs.move_to_end(key3)
        self._at.update(positions)
        self._trim()

    def forget(self, view: str) -> None:
        """The view was reset."""
        self._forget({view})
        self._at.pop(view, None)

    def clear(self) -> None:
        self._docs.clear()
        self._at.clear()

    def text(self, key: Key, fetch: RawGet) -> str | None:
        """The kept JSON text of a document (None: known to be absent), else ``fetch``ed and
        kept."""
        docs = self._docs
        if key in docs:
            docs.move_to_end(key)
            return docs[key]
        found = docs[key] = fetch(*key)
        self._trim()
        return found

    def _trim(self) -> None:
        docs = self._docs
        while len(docs) > self.maxsize:
            docs.popitem(last=False)

    def _forget(self, views: set[str]) -> None:
        for key in [k for k in self._docs if k[0] in views]:
            del self._docs[key]


class _CarryingReader:
    __slots__ = ("_carry", "_decode", "_fallback", "_get", "_views")

    def __init__(
        self,
        carry: CarriedDocuments,
        views: Mapping[str, int],
        get: RawGet,
        fallback: ViewReader,
        decode: Callable[[str, str, str, str], Document],
    ) -> None:
        self._carry = carry
        self._views = views
        self._get = get
        self._fallback = fallback
        self._decode = decode

    def get(self, view: str, table: str, key: str) -> Document | None:
        if view not in self._views:
            return self._fallback.get(view, table, key)
        text = self._carry.text((view, table, key), self._get)
        return self._decode(text, view, table, key) if text is not None else None

    def scan(self, view: str, table: str, prefix: str = "") -> Iterator[tuple[str, Document]]:
        return self._fallback.scan(view, table, prefix)


def check_positions(expected: Mapping[str, int], stored: Mapping[str, int]) -> None:
    """Raise :class:`ConcurrentChange` for the first view whose stored position is not the
    expected one (another runner moved it, or someone reset it)."""
    for view, position in sorted(expected.items()):
        if stored.get(view, 0) != position:
            raise ConcurrentChange(view, 1)
