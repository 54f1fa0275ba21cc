"""A keynote and knowledge base for the demo brand, and a helper to walk a draft forward."""

from __future__ import annotations

import pytest

from inhouse.content import actions
from inhouse.knowledge.models import Entry


@pytest.fixture
def keynote(workspace, cast):
    Entry.objects.create(workspace=workspace, question="鹿角脆多少钱？",
                         answer="鹿角脆（80g/袋）官方旗舰店售价12.9元（80g/袋），活动价以店铺页面为准。")
    return actions.save_keynote(
        workspace, cast["owner"], voice="亲切、俏皮，不夸大",
        banned_words=["最便宜", "秒杀全网"], sensitive_words=["第一"],
        required_tags={"*": ["#小鹿零食#"]}, products={"鹿角脆": ["鹿角脆脆"]})


def draft_in(state: str, workspace, cast, text: str = "冬天追剧来一袋鹿角脆，12.9元一袋") -> object:
    """A draft by the agency, moved by the owner to ``state``."""
    import datetime as dt

    from django.utils import timezone

    draft = actions.create_draft(workspace, cast["agency"], text, hashtags=["小鹿零食"])
    steps = ["in_review", "approved", "scheduled"]
    if state in steps or state == "rejected":
        actions.submit_for_review(draft, cast["agency"])
    if state == "rejected":
        actions.reject_draft(draft, cast["operator"], "语气太硬")
    if state in steps[1:]:
        actions.approve_draft(draft, cast["owner"])
    if state == "scheduled":
        actions.schedule_draft(draft, cast["owner"], timezone.now() + dt.timedelta(hours=1))
    return draft
