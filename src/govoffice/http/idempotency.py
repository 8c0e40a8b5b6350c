"""Idempotency-Key: a command retried with the same key gets the first answer, and the
office records it once (ADR 0056).

The keys live in the office's own store, in the view store (the same SQLite file or
PostgreSQL database as the events), so every worker process of the service sees them. A
key belongs to the person who sent it (two people's keys never collide) and remembers a
fingerprint of its request (method, path, query, body, If-Match): the same key with another
request is refused (422), never answered with the first one's result.

A key is taken atomically: each change to the keys is a transaction that moves the
position of one of :data:`BUCKETS` small "views" from the position it read to the next
(the view store's compare-and-set, ADR 0015), so of two workers taking the same key at the
same moment one commits and the other, finding the position moved, reads again and sees
the key taken. The taker runs the command and stores its answer (status, body, ETag); a
request that finds the key taken but not yet answered waits for the answer, up to
:data:`WAIT_SECONDS`, then gets 409. An answer that is a store failure (5xx) or a
concurrency refusal is not kept: the key is released and a retry runs the command again.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import attrs

from govoffice.domain.errors import ConcurrentChange, InvalidInput
from govoffice.http.problems import IdempotencyKeyInFlight, IdempotencyKeyReused

if TYPE_CHECKING:
    from govoffice.application.views import ViewStore, ViewTransaction

__all__ = ["IdempotencyStore", "StoredResponse", "fingerprint"]

VIEW: Final = "http-idempotency.v1"
TABLE: Final = "keys"
BUCKETS: Final = 16
WAIT_SECONDS: Final = 30.0
MAX_KEY_LENGTH: Final = 200
POLL_SECONDS: Final = 0.05


@attrs.frozen
class StoredResponse:
    """An answer as sent: status, body, media type, and the headers worth repeating."""

    status: int
    body: bytes
    media_type: str
    headers: dict[str, str] = attrs.field(factory=dict)

    def to_doc(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "body": base64.b64encode(self.body).decode("ascii"),
            "media_type": self.media_type,
            "headers": dict(self.headers),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> StoredResponse:
        return cls(
            status=int(doc["status"]),
            body=base64.b64decode(doc["body"]),
            media_type=str(doc["media_type"]),
            headers=dict(doc.get("headers") or {}),
        )


def fingerprint(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            f"幂等键须为 1 到 {MAX_KEY_LENGTH} 个可打印字符 (invalid Idempotency-Key)",
            parameter="Idempotency-Key",
        )
    return key


def keep(response: StoredResponse) -> bool:
    """An answer a retry must get again: every success and every refusal by the office,
    not a store failure or a lost race (those a retry should try again)."""
    return response.status < 500 and response.headers.get("x-govoffice-error") not in (
        "ConcurrentChange",
        "IdempotencyKeyInFlight",
    )


class IdempotencyStore:
    """The keys of one office, in its view store."""

    def __init__(
        self, views: ViewStore, *, wait_seconds: float = WAIT_SECONDS, clock: Callable[[], float]
    ) -> None:
        self.views = views
        self.wait_seconds = wait_seconds
        self.clock = clock

    @staticmethod
    def _slot(person: str, key: str) -> tuple[str, str]:
        name = fingerprint(person, key)
        return f"{VIEW}/{int(name[:8], 16) % BUCKETS}", name

    def _locked(self, view: str, change: Callable[[ViewTransaction], Any]) -> Any:
        for _ in range(10_000):
            position = self.views.position(view)
            try:
                with self.views.transaction({view: (position, position + 1)}) as tx:
                    return change(tx)
            except ConcurrentChange:
                continue
        raise ConcurrentChange(view, 10_000)

    def run(
        self,
        person: str,
        key: str,
        request_fingerprint: str,
        execute: Callable[[], StoredResponse],
    ) -> tuple[StoredResponse, bool]:
        """The answer to a keyed request and whether it is a replay: the first request with
        the key runs ``execute``; a retry gets the stored answer."""
        view, name = self._slot(person, check_key(key))

        def take(tx: ViewTransaction) -> dict[str, Any] | None:
            doc = tx.get(view, TABLE, name)
            if doc is None:
                tx.put(view, TABLE, name, {"fp": request_fingerprint, "state": "taken"})
            return None if doc is None else dict(doc)

        deadline = self.clock() + self.wait_seconds
        found = self._locked(view, take)
        while found is not None:
            if found.get("fp") != request_fingerprint:
                raise IdempotencyKeyReused(key)
            if found.get("state") == "answered":
                return StoredResponse.from_doc(found["response"]), True
            if self.clock() >= deadline:
                raise IdempotencyKeyInFlight(key)
            time.sleep(POLL_SECONDS)
            # the first request is still running: look (without writing) until it answers;
            # if it released the key (a store failure), take it again
            looked = self.views.get(view, TABLE, name)
            found = dict(looked) if looked is not None else self._locked(view, take)
        try:
            response = execute()
        except BaseException:
            self._release(view, name)
            raise
        if keep(response):
            doc = {"fp": request_fingerprint, "state": "answered", "response": response.to_doc()}
            self._locked(view, lambda tx: tx.put(view, TABLE, name, doc))
        else:
            self._release(view, name)
        return response, False

    def _release(self, view: str, name: str) -> None:
        self._locked(view, lambda tx: tx.delete(view, TABLE, name))
