"""Encryption at rest for OAuth tokens and webhook secrets.

Fernet keys come from ``INHOUSE_ENCRYPTION_KEYS`` (newest first, so old keys still decrypt
during a rotation); without it a key is derived from SECRET_KEY so development just works.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(ValueError):
    """A stored secret cannot be decrypted with any configured key."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(("inhouse-encryption:" + secret_key).encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(ciphertext: str) -> str:
    try:
        return _current().decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError(
            "a stored secret cannot be decrypted: INHOUSE_ENCRYPTION_KEYS lacks the key it "
            "was written with (keep the old key in the list during a rotation)"
        ) from exc


def rotate(ciphertext: str) -> str:
    """Re-encrypt with the newest key."""
    return _current().rotate(ciphertext.encode("ascii")).decode("ascii")
