"""The role matrix keeps the enterprise in control (DESIGN.md)."""

import pytest

from inhouse.access.models import Role
from inhouse.access.permissions import MATRIX, Perm, role_has


def test_every_role_has_a_row():
    assert set(MATRIX) == set(Role.values)


def test_owner_can_do_everything():
    assert all(role_has(Role.OWNER, perm) for perm in Perm)


@pytest.mark.parametrize("perm", [
    Perm.CONTENT_PUBLISH, Perm.INBOX_REPLY, Perm.MESSAGES_VIEW, Perm.CUSTOMERS_VIEW,
    Perm.RULES_MANAGE, Perm.CHANNELS_MANAGE, Perm.TOKENS_MANAGE, Perm.MEMBERS_MANAGE,
    Perm.KEYNOTE_MANAGE, Perm.ITEMS_VIEW,
])
def test_agency_never_publishes_replies_or_reads_customers(perm):
    assert not role_has(Role.AGENCY, perm)


def test_agency_drafts_and_plans():
    assert role_has(Role.AGENCY, Perm.DRAFTS_EDIT)
    assert role_has(Role.AGENCY, Perm.CAMPAIGNS_PLAN)


def test_viewer_only_reads():
    writes = {p for p in Perm if not p.value.endswith(".view")}
    assert not any(role_has(Role.VIEWER, p) for p in writes)


def test_only_the_owner_manages_members_tokens_and_keynote():
    for perm in (Perm.MEMBERS_MANAGE, Perm.TOKENS_MANAGE, Perm.KEYNOTE_MANAGE, Perm.AUDIT_VIEW):
        assert [r for r in Role.values if role_has(r, perm)] == [Role.OWNER]


def test_no_role_means_no_permission():
    assert not role_has(None, Perm.DASHBOARD_VIEW)
    assert not role_has("intruder", Perm.DASHBOARD_VIEW)
