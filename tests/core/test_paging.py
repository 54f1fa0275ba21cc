"""The capped paginator: exact below its cap, "more than" above it, and "next" always right."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inhouse.core.paging import CappedPaginator, capped_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    User = get_user_model()
    User.objects.bulk_create([User(username=f"u{i:02d}") for i in range(30)])
    return User.objects.order_by("username")


def test_exact_below_the_cap(users):
    paginator = CappedPaginator(users, 5, cap=100)
    assert paginator.count == 30 and not paginator.capped
    assert paginator.num_pages == paginator.known_pages == 6


def test_counts_only_to_the_cap_and_says_more(users):
    page = capped_page(users, 5, "1", cap=10)
    assert page.paginator.capped and page.paginator.known_pages == 2
    assert page.has_next() and [u.username for u in page] == [f"u{i:02d}" for i in range(5)]
    with CaptureQueriesContext(connection) as queries:
        CappedPaginator(users, 5, cap=10).count  # noqa: B018 - the property runs the query
    assert "LIMIT 11" in queries.captured_queries[0]["sql"].upper()


def test_next_works_past_the_cap_up_to_the_last_row(users):
    page = capped_page(users, 5, 4, cap=10)  # beyond the cap: counting reaches page 5
    assert page.number == 4 and page.has_next()
    last = capped_page(users, 5, 6, cap=10)
    assert last.number == 6 and not last.has_next()
    assert [u.username for u in last] == [f"u{i:02d}" for i in range(25, 30)]
    assert not last.paginator.capped


@pytest.mark.parametrize("raw", ["", "abc", None, "-3", "999"])
def test_bad_page_numbers_behave_like_django(users, raw):
    page = capped_page(users, 5, raw, cap=10)
    assert page.number >= 1 and len(page) == 5
