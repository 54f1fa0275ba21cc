"""Tokens are encrypted at rest and survive a key rotation."""

import pytest
from cryptography.fernet import Fernet

from inhouse.core import crypto
from inhouse.core.models import Account


@pytest.mark.django_db
def test_account_token_is_stored_encrypted(workspace):
    account = Account(workspace=workspace, platform_uid="1", screen_name="官方")
    account.token = "2.00AbCdEfGh0123456789"
    account.save()
    stored = Account.objects.get().token_encrypted
    assert "2.00AbCdEfGh" not in stored
    assert Account.objects.get().token == "2.00AbCdEfGh0123456789"


def test_rotation_keeps_old_secrets_readable(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [old]
    secret = crypto.encrypt("token")
    settings.ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(secret) == "token"
    rotated = crypto.rotate(secret)
    settings.ENCRYPTION_KEYS = [new]
    assert crypto.decrypt(rotated) == "token"
    with pytest.raises(crypto.DecryptionError, match="lacks the key"):
        crypto.decrypt(secret)
