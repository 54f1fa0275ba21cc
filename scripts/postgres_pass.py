"""Run pytest against the real PostgreSQL, or say plainly why not.

Used by `make test`: when PostgreSQL is unreachable the pass is skipped with a visible reason,
unless INHOUSE_REQUIRE_SERVICES=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

URL = os.environ.get("INHOUSE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/inhouse")


def reachable(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), timeout=2):
            return True
    except OSError:
        return False


def main() -> int:
    if not reachable(URL):
        message = f"PostgreSQL pass SKIPPED: nothing answers at {URL} (set INHOUSE_TEST_POSTGRES_URL)"
        if os.environ.get("INHOUSE_REQUIRE_SERVICES") == "1":
            print(message.replace("SKIPPED", "FAILED") + " and INHOUSE_REQUIRE_SERVICES=1", file=sys.stderr)
            return 1
        print(message, file=sys.stderr)
        return 0
    env = {**os.environ, "DATABASE_URL": URL}
    return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], env=env)


if __name__ == "__main__":
    sys.exit(main())
