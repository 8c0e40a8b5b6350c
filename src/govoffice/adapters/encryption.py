"""Encryption at rest (ADR 0034): which cipher, which key, and whether the key fits the store.

The key is a base64-encoded AES key of 16, 24 or 32 bytes (``python -c "from
eventsourcing.cryptography import AESCipher; print(AESCipher.create_key(32))"``), taken from
``GOVOFFICE_CIPHER_KEY`` in the environment (or ``CIPHER_KEY`` in ``open_office(env=...)``).
With a key and no ``CIPHER_TOPIC``, the cipher is eventsourcing's AES-GCM of the
``cryptography`` package (the ``crypto`` extra). Opening a store checks the key against the
store's first event, so that a malformed or wrong key is one clear
:class:`EncryptionKeyError` naming the variable, at open. Without a key an encrypted store
opens for verification only (the hash chain needs no key): the first read or write of a
record raises that error. Never a decoding traceback half-way through a command.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from typing import Any

from govoffice.adapters.hashchain import CHAIN_TOPIC_PREFIX
from govoffice.adapters.views_sql import KEY_VARIABLE
from govoffice.domain.errors import EncryptionKeyError, GovOfficeError

CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"
"""The cipher used when a key is given and no cipher is named."""
KEY_SIZES = (16, 24, 32)


def _lookup(settings: Mapping[str, str], key: str) -> tuple[str, str] | None:
    """(variable, value) of a setting as eventsourcing finds it: the settings given (which
    hold the process environment's too, ADR 0040), else the process environment, each with
    the application's prefix first; named after the environment variable it came from."""
    value = settings.get(f"GOVOFFICE_{key}") or settings.get(key)
    names = (f"GOVOFFICE_{key}", key)
    if value:
        return next((n for n in names if os.environ.get(n) == value), key), value
    for name in names:
        if os.environ.get(name):
            return name, os.environ[name]
    return None


def cipher_settings(settings: Mapping[str, str], url: str) -> dict[str, str]:
    """The settings to add for encryption: none without a key; with one, the cipher (unless
    one is named). A malformed key is an :class:`EncryptionKeyError`."""
    found = _lookup(settings, "CIPHER_KEY")
    if found is None:
        return {}
    variable, key = found
    try:
        raw = base64.b64decode(key.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise EncryptionKeyError(
            url, "密钥不是 base64 文字 (key is not base64)", variable
        ) from None
    if len(raw) not in KEY_SIZES:
        raise EncryptionKeyError(
            url, f"密钥长 {len(raw)} 字节,须为 16、24 或 32 字节 (AES key size)", variable
        )
    if _lookup(settings, "CIPHER_TOPIC") is not None:
        return {}
    return {"CIPHER_TOPIC": CIPHER_TOPIC}  # a missing package: MissingExtra (require_drivers)


def key_variable(settings: Mapping[str, str]) -> str:
    """The variable the key was (or would be) taken from, for messages."""
    found = _lookup(settings, "CIPHER_KEY")
    return found[0] if found is not None else KEY_VARIABLE


def check_key(app: Any, url: str, variable: str) -> None:
    """Raise :class:`EncryptionKeyError` when the store's first event cannot be read with
    the key given: the wrong key, or a key for a store that was never encrypted. An
    encrypted store opened without a key opens for verification only (the hash chain needs
    no key): ``app.key_error`` is set, and reading or writing a record raises it."""
    # the first office event: the chain's own records (genesis, rotations) are not encrypted
    first = [
        n
        for n in app.recorder.select_notifications(start=1, limit=8)
        if not n.topic.startswith(CHAIN_TOPIC_PREFIX)
    ][:1]
    if not first:
        return
    cipher = getattr(app.mapper, "cipher", None)
    try:
        app.mapper.to_domain_event(first[0])
    except GovOfficeError:
        raise
    except Exception:
        plain = _looks_plain(first[0].state)
        if cipher is None and not plain:
            app.key_error = EncryptionKeyError(
                url, "存储已加密,未设置密钥 (the store is encrypted; a key is needed)", variable
            )
            return
        if cipher is not None and plain:
            raise EncryptionKeyError(
                url,
                "存储未加密,却设置了密钥 (the store is not encrypted; unset the key)",
                variable,
            ) from None
        if cipher is not None:
            raise EncryptionKeyError(
                url, "密钥不正确,无法解密 (wrong key: the store cannot be decrypted)", variable
            ) from None
        raise


def _looks_plain(state: bytes) -> bool:
    """True when a stored state holds its event as JSON text (after any envelope), i.e. it
    was not encrypted: some ``{`` near the start opens a JSON document to the end."""
    start = 0
    while (start := state.find(b"{", start, 128)) != -1:
        try:
            json.loads(state[start:])
            return True
        except ValueError:
            start += 1
    return False
