from __future__ import annotations

import datetime as dt

import pytest

from inhouse.campaigns import actions
from inhouse.partners import actions as partners
from tests.content.conftest import keynote  # noqa: F401  (the keynote and knowledge base)

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def partner(workspace, cast):
    return partners.add_contact(workspace, cast["owner"], name="暖风家电", category="partner",
                                weibo_uid="2002", weibo_name="暖风家电官方", owner=cast["operator"])


@pytest.fixture
def campaign(workspace, cast, partner):
    """Planned by the agency; the operator on duty."""
    made = actions.create_campaign(workspace, cast["agency"], name="暖冬零食节", goal="礼盒预售",
                                   hashtag="小鹿暖冬零食节", starts_at=T0, ends_at=T0 + dt.timedelta(days=3),
                                   partners=[partner])
    actions.set_on_duty(made, cast["owner"], [cast["operator"]])
    return made
