"""What the property suites share: one settings profile and strategies for outside input.

``FUZZ`` keeps `make test` modest: 150 examples a property, no deadline (the machine is
shared). The PostgreSQL pass of `make test` repeats the suites after the SQLite pass has
searched them, so there each property takes 30 (enough for the receiver view and anything
that touches the database to meet PostgreSQL). ``INHOUSE_FUZZ_EXAMPLES=5000`` runs a deeper
search by hand. No example database is written into the checkout.
"""

from __future__ import annotations

import csv
import io
import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=int(os.environ.get("INHOUSE_FUZZ_EXAMPLES") or (
        30 if os.environ.get("DATABASE_URL", "").startswith("postgres") else 150)),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.function_scoped_fixture],
)

# Scalars the crawlers really write, and the awkward ones around them.
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**15, max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["", "0", "null", "None", "1.2万", "10万+", "100+", "1,234", "4.6e+15",
                     "2026-11-20 10:00", "2026-11-20T10:00:00+08:00", "Tue May 31 17:46:55 +0800 2011",
                     "1700000000", "1700000000000", "99999999999999999999", "-5", "\t123", "False",
                     "True", "蓝V", "<img alt=[笑cry]>", "&amp;", "0000-00-00"]),
)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=8)
# A field's value: mostly a scalar, sometimes a shallow list or object (cheap to generate).
field_values = st.one_of(scalars, st.lists(scalars, max_size=3),
                         st.dictionaries(st.text(max_size=8), scalars, max_size=3))


def objects_with(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects drawing on the field names a format reads, with any values (and a few extras)."""
    return st.dictionaries(st.one_of(st.sampled_from(keys), st.text(max_size=8)), field_values,
                           max_size=min(len(keys) + 2, 10))


def text_rows(keys: list[str]) -> st.SearchStrategy[dict[str, str]]:
    """CSV rows as the reader yields them: every value a string."""
    values = st.one_of(st.text(max_size=20), scalars.map(lambda v: "" if v is None else str(v)))
    return st.dictionaries(st.sampled_from(keys), values, max_size=len(keys))


def dump_jsonl(values: list[Any]) -> bytes:
    return "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in values).encode()


def dump_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """``data`` with a few bytes flipped, cut, repeated or inserted: a damaged real file."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "dup"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if op == "flip" and out:
            out[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del out[at: at + draw(st.integers(1, 8))]
        elif op == "insert":
            out[at:at] = draw(st.sampled_from([b"\x00", b'"', b",", b"\n", b"[", b"{", b"}", b"\xff\xfe",
                                               b"\xe4\xb8", b"1" * 5000, b"[" * 3000, b"\r"]))
        elif op == "truncate":
            del out[at:]
        elif op == "dup":
            out[at:at] = out[at: at + draw(st.integers(1, 30))]
    return bytes(out)

# Properties that go through a view and the database: fewer examples, each costs a request.
FUZZ_VIEW = settings(FUZZ, max_examples=max(FUZZ.max_examples // 3, 10))
