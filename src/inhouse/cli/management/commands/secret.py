"""`inhouse secret`: print a random SECRET_KEY or a Fernet key; re-encrypt stored secrets.

    inhouse secret                 a new SECRET_KEY
    inhouse secret --fernet        a new key for INHOUSE_ENCRYPTION_KEYS
    inhouse secret --derived-key   the key in use while INHOUSE_ENCRYPTION_KEYS is empty
    inhouse secret reencrypt       re-encrypt every stored secret with the newest key

``reencrypt`` finds every ``*_encrypted`` field of every model (``crypto.encrypted_fields``),
first checks that each stored value can be decrypted with some configured key and refuses,
naming every value that cannot, before it writes anything; then rewrites each table in one
transaction. Values already under the newest key are left alone, so a second run writes
nothing, and a run stopped midway is finished by running it again.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from inhouse.core import crypto


class Command(BaseCommand):
    help = ("Print a new random SECRET_KEY (or an encryption key for INHOUSE_ENCRYPTION_KEYS); "
            "`reencrypt` re-encrypts every stored secret with the newest key after a rotation.")

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", choices=["reencrypt"],
                            help="reencrypt: rewrite every stored secret with the newest key")
        parser.add_argument("--fernet", action="store_true", help="print a key for INHOUSE_ENCRYPTION_KEYS")
        parser.add_argument("--derived-key", action="store_true",
                            help="print the key derived from SECRET_KEY (used while INHOUSE_ENCRYPTION_KEYS is empty)")
        parser.add_argument("--dry-run", action="store_true",
                            help="with reencrypt: check and count, write nothing")

    def handle(self, *args, action: str | None, fernet: bool, derived_key: bool, dry_run: bool, **options):
        if action == "reencrypt":
            self.reencrypt(dry_run=dry_run)
        elif fernet:
            from cryptography.fernet import Fernet

            self.stdout.write(Fernet.generate_key().decode())
        elif derived_key:
            self.stdout.write(crypto.derived_key(settings.SECRET_KEY))
        else:
            self.stdout.write(secrets.token_urlsafe(50))

    def reencrypt(self, *, dry_run: bool) -> None:
        tables = crypto.encrypted_fields()
        unreadable: list[str] = []
        for model, names in tables:
            for row in model._default_manager.values("pk", *names).iterator():
                for name in names:
                    if row[name]:
                        try:
                            crypto.check(row[name])
                        except crypto.DecryptionError:
                            unreadable.append(f"{model._meta.label} #{row['pk']} {name}")
        if unreadable:
            shown = "; ".join(unreadable[:20]) + (f"; and {len(unreadable) - 20} more" if len(unreadable) > 20 else "")
            raise CommandError(
                f"nothing re-encrypted: {len(unreadable)} stored value(s) cannot be decrypted with any key in "
                f"INHOUSE_ENCRYPTION_KEYS: {shown}. Add the key they were written with (after the new one) "
                "and run again; if no keys were configured before, that key is `inhouse secret --derived-key`."
            )
        total = 0
        for model, names in tables:
            changed = 0 if dry_run else self._table(model, names)
            if dry_run:
                changed = sum(1 for row in model._default_manager.values(*names).iterator()
                              for name in names if row[name] and not crypto.is_current(row[name]))
            total += changed
            verb = "would re-encrypt" if dry_run else "re-encrypted"
            self.stdout.write(f"{model._meta.label}: {verb} {changed} value(s) in {', '.join(names)}")
        self.stdout.write(f"{'would re-encrypt' if dry_run else 're-encrypted'} {total} value(s) in total")

    def _table(self, model, names: list[str]) -> int:
        """One table in one transaction: all its values move to the newest key, or none do."""
        changed = 0
        with transaction.atomic():
            rows = model._default_manager.select_for_update().values("pk", *names)
            for row in rows.iterator():
                update = {name: crypto.reencrypt(row[name]) for name in names
                          if row[name] and not crypto.is_current(row[name])}
                if update:
                    # A queryset update: no save() signals, no auto_now fields touched.
                    model._default_manager.filter(pk=row["pk"]).update(**update)
                    changed += len(update)
        return changed
