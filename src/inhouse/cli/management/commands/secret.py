"""`inhouse secret`: print a random SECRET_KEY, or a Fernet key with --fernet."""

from __future__ import annotations

import secrets

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new random SECRET_KEY (or an encryption key for INHOUSE_ENCRYPTION_KEYS)."

    def add_arguments(self, parser):
        parser.add_argument("--fernet", action="store_true", help="print a key for INHOUSE_ENCRYPTION_KEYS")

    def handle(self, *args, fernet: bool, **options):
        if fernet:
            from cryptography.fernet import Fernet

            self.stdout.write(Fernet.generate_key().decode())
        else:
            self.stdout.write(secrets.token_urlsafe(50))
