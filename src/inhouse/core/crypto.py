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


def derived_key(secret_key: str) -> str:
    """The key used when INHOUSE_ENCRYPTION_KEYS is empty; list it as the old key when you
    start configuring keys (`inhouse secret --derived-key` prints it)."""
    derived = hashlib.sha256(("inhouse-encryption:" + secret_key).encode()).digest()
    return base64.urlsafe_b64encode(derived).decode()


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...], secret_key: str) -> tuple[MultiFernet, Fernet]:
    """(every key, the newest key alone)."""
    ferns = [Fernet(k.encode()) for k in (keys or (derived_key(secret_key),))]
    return MultiFernet(ferns), ferns[0]


def _current() -> MultiFernet:
    return _fernets(tuple(settings.ENCRYPTION_KEYS), settings.SECRET_KEY)[0]


def _newest() -> Fernet:
    return _fernets(tuple(settings.ENCRYPTION_KEYS), settings.SECRET_KEY)[1]


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


# --- re-encryption after a key rotation ---------------------------------------------------------
# A model field holding ciphertext from this module is named ``<something>_encrypted``; that
# name is how `inhouse secret reencrypt` finds every stored secret without a list to maintain.
ENCRYPTED_SUFFIX = "_encrypted"


def encrypted_fields() -> list[tuple[type, list[str]]]:
    """Every installed model with its ``*_encrypted`` text fields, in app order."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [f.name for f in model._meta.concrete_fields
                 if f.name.endswith(ENCRYPTED_SUFFIX) and f.get_internal_type() in ("TextField", "CharField")]
        if names:
            found.append((model, names))
    return found


def is_current(ciphertext: str) -> bool:
    """True when ``ciphertext`` was written with the newest key (re-encrypting it would be a no-op)."""
    try:
        _newest().decrypt(ciphertext.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def check(ciphertext: str) -> None:
    """Raise DecryptionError unless some configured key decrypts ``ciphertext``."""
    try:
        _current().decrypt(ciphertext.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise DecryptionError("cannot be decrypted with any key in INHOUSE_ENCRYPTION_KEYS") from exc


def reencrypt(ciphertext: str) -> str:
    """``rotate`` that raises DecryptionError (not InvalidToken) for a value no key reads."""
    try:
        return rotate(ciphertext)
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise DecryptionError("cannot be decrypted with any key in INHOUSE_ENCRYPTION_KEYS") from exc
