"""`inhouse secret reencrypt`: every stored secret moves to the newest key after a rotation."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from inhouse.channels.models import Channel
from inhouse.core import crypto
from inhouse.core.models import Account, Workspace

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("secret", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def secrets_under_old_key(settings, workspace):
    """Two accounts with OAuth tokens, two channels with webhook secrets, one of each without."""
    settings.ENCRYPTION_KEYS = [OLD]
    other = Workspace.objects.create(name="Other", slug="other")
    for n, ws in enumerate((workspace, other)):
        account = Account(workspace=ws, platform_uid=str(100 + n), screen_name=f"acct{n}")
        account.token = f"2.00token{n}"
        account.save()
        channel = Channel(workspace=ws, kind="webhook", name=f"hook{n}", config={"url": "https://example.invalid/"})
        channel.secrets = {"secret": f"signing-{n}"}
        channel.save()
    Account.objects.create(workspace=workspace, platform_uid="999", screen_name="no token")
    Channel.objects.create(workspace=workspace, kind="webhook", name="no secrets")
    return settings


def readable_values() -> dict[str, object]:
    values = {f"account:{a.platform_uid}": a.token for a in Account.objects.order_by("pk")}
    values.update({f"channel:{c.name}": c.secrets for c in Channel.objects.order_by("pk")})
    return values


EXPECTED = {
    "account:100": "2.00token0", "account:101": "2.00token1", "account:999": "",
    "channel:hook0": {"secret": "signing-0"}, "channel:hook1": {"secret": "signing-1"},
    "channel:no secrets": {},
}


def test_every_encrypted_field_is_found_by_its_name():
    found = {(model._meta.label, name) for model, names in crypto.encrypted_fields() for name in names}
    assert {("core.Account", "token_encrypted"), ("channels.Channel", "secrets_encrypted")} <= found
    # Any other app's secret follows the same convention and is found without registration.
    from django.apps import apps

    if apps.is_installed("inhouse.assist"):
        assert any(name.endswith("_encrypted") for label, name in found if label.startswith("assist."))


@pytest.mark.django_db
def test_old_key_to_new_key_then_old_key_removed_everything_still_reads(secrets_under_old_key):
    settings = secrets_under_old_key
    settings.ENCRYPTION_KEYS = [NEW, OLD]
    out = run("reencrypt")
    assert "core.Account: re-encrypted 2 value(s)" in out
    assert "channels.Channel: re-encrypted 2 value(s)" in out
    settings.ENCRYPTION_KEYS = [NEW]
    assert readable_values() == EXPECTED


@pytest.mark.django_db
def test_a_second_run_writes_nothing(secrets_under_old_key):
    settings = secrets_under_old_key
    settings.ENCRYPTION_KEYS = [NEW, OLD]
    run("reencrypt")
    stored = list(Account.objects.values_list("token_encrypted", flat=True))
    assert "re-encrypted 0 value(s) in total" in run("reencrypt")
    assert list(Account.objects.values_list("token_encrypted", flat=True)) == stored


@pytest.mark.django_db
def test_dry_run_counts_and_writes_nothing(secrets_under_old_key):
    settings = secrets_under_old_key
    before = list(Channel.objects.values_list("secrets_encrypted", flat=True))
    settings.ENCRYPTION_KEYS = [NEW, OLD]
    assert "would re-encrypt 4 value(s) in total" in run("reencrypt", "--dry-run")
    assert list(Channel.objects.values_list("secrets_encrypted", flat=True)) == before


@pytest.mark.django_db
def test_refuses_before_writing_anything_when_a_value_no_key_reads(secrets_under_old_key):
    settings = secrets_under_old_key
    stranger = Fernet(Fernet.generate_key()).encrypt(b"lost").decode()
    lost = Account.objects.create(workspace=Account.objects.first().workspace, platform_uid="7",
                                  screen_name="lost", token_encrypted=stranger)
    before = sorted(Account.objects.values_list("token_encrypted", flat=True))
    settings.ENCRYPTION_KEYS = [NEW, OLD]
    with pytest.raises(CommandError) as refused:
        run("reencrypt")
    message = str(refused.value)
    assert f"core.Account #{lost.pk} token_encrypted" in message
    assert "nothing re-encrypted" in message and "--derived-key" in message
    assert sorted(Account.objects.values_list("token_encrypted", flat=True)) == before


@pytest.mark.django_db(transaction=True)
def test_a_crash_midway_loses_nothing_and_a_rerun_finishes(secrets_under_old_key, monkeypatch):
    settings = secrets_under_old_key
    settings.ENCRYPTION_KEYS = [NEW, OLD]
    real = crypto.reencrypt
    calls = {"n": 0}

    def crash_on_third(value: str) -> str:
        calls["n"] += 1
        if calls["n"] == 3:  # the first value of the second table
            raise KeyboardInterrupt("power cut")
        return real(value)

    monkeypatch.setattr(crypto, "reencrypt", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        run("reencrypt")
    monkeypatch.setattr(crypto, "reencrypt", real)
    # Both keys still listed: everything reads, whichever key each value is under.
    assert readable_values() == EXPECTED
    with_values = [stored(model, names) for model, names in crypto.encrypted_fields() if stored(model, names)]
    first, second = with_values  # accounts, then channels (app order)
    assert all(crypto.is_current(v) for v in first)  # the finished table is committed
    assert not any(crypto.is_current(v) for v in second)  # the interrupted one rolled back whole
    out = run("reencrypt")
    assert "re-encrypted 2 value(s) in total" in out
    settings.ENCRYPTION_KEYS = [NEW]
    assert readable_values() == EXPECTED


def stored(model, names: list[str]) -> list[str]:
    return [v for row in model._default_manager.values_list(*names) for v in row if v]


def test_derived_key_is_the_key_used_without_configured_keys(settings):
    settings.ENCRYPTION_KEYS = []
    secret = crypto.encrypt("token")
    settings.ENCRYPTION_KEYS = [NEW, run("--derived-key").strip()]
    assert crypto.decrypt(secret) == "token"


def test_the_plain_command_still_prints_keys():
    assert len(run().strip()) > 40
    Fernet(run("--fernet").strip().encode())  # a valid Fernet key


@pytest.mark.django_db
def test_the_ai_provider_key_moves_too_and_nothing_else_is_touched(settings, workspace):
    pytest.importorskip("inhouse.assist.models")
    from inhouse.assist.models import ProviderSettings

    settings.ENCRYPTION_KEYS = [OLD]
    provider = ProviderSettings(workspace=workspace, base_url="https://api.example.invalid/v1", model="m")
    provider.api_key = "sk-test-123"
    provider.save()
    stamped = ProviderSettings.objects.get().updated_at
    settings.ENCRYPTION_KEYS = [NEW, OLD]
    assert "assist.ProviderSettings: re-encrypted 1 value(s)" in run("reencrypt")
    settings.ENCRYPTION_KEYS = [NEW]
    again = ProviderSettings.objects.get()
    assert again.api_key == "sk-test-123" and again.updated_at == stamped  # no save(), no auto_now
