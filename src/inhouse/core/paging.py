"""Pagination that does not count a million rows to show fifty.

Django's ``Paginator`` runs ``COUNT(*)`` over the whole filtered table on every page view; at a
million items that one query costs more than the rest of the page together. This paginator
counts only as far as it needs: up to ``cap`` rows, or to one row past the requested page,
whichever is more, so "next" still works everywhere and the count is exact below the cap.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

DEFAULT_CAP = 10_000


class CappedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` stops one row past ``limit``.

    ``capped`` says the true count is larger than ``limit``: templates then write
    "more than N" instead of a number the database never computed."""

    def __init__(self, object_list: Any, per_page: int, *, page: Any = 1,
                 cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        cap = DEFAULT_CAP if cap is None else cap
        try:
            wanted = max(int(page), 1)
        except (TypeError, ValueError):
            wanted = 1
        self.limit = max(cap, (wanted + 1) * per_page)

    @cached_property
    def count(self) -> int:
        # A sliced queryset counts in a LIMITed subquery, unordered so the database may stop
        # at any limit + 1 matching rows; lists are simply measured.
        rows = self.object_list
        if hasattr(rows, "order_by"):
            return rows.order_by()[: self.limit + 1].count()
        return len(rows[: self.limit + 1])

    @property
    def capped(self) -> bool:
        return self.count > self.limit

    @property
    def known_pages(self) -> int:
        """Whole pages known to exist: all of them, or those under the cap ("more than")."""
        return self.limit // self.per_page if self.capped else self.num_pages


def capped_page(object_list: Any, per_page: int, page: Any, *, cap: int | None = None):
    """The requested page from a ``CappedPaginator``: a number that is not one, or under 1,
    gives the first page; one past the end gives the last (as ``Paginator.get_page``). Django
    sends a negative number to the last page, which a capped count does not know."""
    try:
        number = max(int(page), 1)
    except (TypeError, ValueError):
        number = 1
    return CappedPaginator(object_list, per_page, page=number, cap=cap).get_page(number)
