"""Grounded drafts with the fake provider (issue 10's done-when), and AI off."""

from __future__ import annotations

import httpx
import pytest
from django.utils import translation

from inhouse.access.models import AuditEntry
from inhouse.assist import actions, drafts
from inhouse.assist.fake_chat import FakeChat, Rule
from inhouse.assist.models import AssistDraft, Outcome, TokenUsage
from inhouse.assist.provider import ChatClient, ProviderConfig
from inhouse.inbox.intake import intake
from inhouse.inbox.models import Conversation
from inhouse.knowledge.actions import create_entry
from inhouse.monitoring.actions import record_alert
from inhouse.monitoring.detect.base import Alert as Found
from inhouse.monitoring.models import Topic
from inhouse.pipeline.route import route_items
from tests.inbox import factories as f


@pytest.fixture
def fake() -> FakeChat:
    return FakeChat()


@pytest.fixture
def ai(workspace, cast, fake):
    actions.save_provider(workspace, cast["owner"], enabled=True, base_url="http://fake/v1",
                          model="fake-chat-1", api_key="sk-test")
    return ChatClient(ProviderConfig("http://fake/v1", "fake-chat-1", "sk-test"),
                      transport=httpx.WSGITransport(app=fake))


@pytest.fixture
def entry(workspace, cast):
    return create_entry(workspace, cast["owner"], question="鹿角脆含有花生吗？",
                        answer="鹿角脆不含花生，但与含花生产品共用生产线。",
                        variants=["鹿角脆有没有花生"], tags=["鹿角脆"])


def conversation_asking(workspace, text: str) -> Conversation:
    post = f.item(workspace, "post", 0, "新品鹿角脆上市啦！", by=f.official(workspace))
    ask = f.item(workspace, "comment", 5, text, by=f.author("1002", "宝妈日记"), parent=post,
                 intent="consultation")
    route_items([post.pk, ask.pk], registry=[("inbox", intake)])
    return Conversation.objects.get(links__item=ask)


def test_a_consultation_with_a_matching_entry_gets_a_cited_draft(workspace, cast, ai, fake, entry):
    conversation = conversation_asking(workspace, "请问鹿角脆含有花生吗？")
    draft = drafts.draft_reply(conversation, cast["operator"], client=ai)
    assert draft.outcome == Outcome.TRACED and draft.approvable
    assert "不含花生" in draft.text and "[S1]" in draft.text
    assert draft.sources[0]["kind"] == "kb" and draft.sources[0]["ref"] == str(entry.pk)
    sent = fake.requests[0]["messages"][-1]["content"]
    assert "请问鹿角脆含有花生吗" in sent and "宝妈日记" not in sent and "1002" not in sent
    assert TokenUsage.objects.get(workspace=workspace).tokens == draft.tokens > 0
    assert AuditEntry.objects.filter(action="assist.reply", target=f"ai_draft:{draft.pk}").exists()


def test_a_consultation_without_an_entry_gets_no_draft_and_no_call(workspace, cast, ai, fake, entry):
    conversation = conversation_asking(workspace, "你们招聘仓库管理员吗？工资多少")
    with translation.override("zh-hans"):
        draft = drafts.draft_reply(conversation, cast["operator"], client=ai)
    assert draft.outcome == Outcome.NO_SOURCE and draft.text == "" and not draft.approvable
    assert "专家" in draft.reason  # in the reader's language
    assert fake.requests == []


def incident_with_evidence(workspace):
    topic = Topic.objects.create(workspace=workspace, name="品牌", query="小鹿零食")
    posts = [f.item(workspace, "post", n, text, by=f.author(f"20{n}", f"网友{n}"))
             for n, text in enumerate(["小鹿零食鹿角脆里吃出苍蝇，批次LC2026-11，太恶心了",
                                       "转发：小鹿零食苍蝇事件，已经有300人转发"], 1)]
    found = Found(topic="品牌", kind="viral", ts=posts[0].created_at.timestamp(), offset=0,
                  severity="high", reason="一条帖子快速扩散", item_ids=[p.platform_id for p in posts],
                  key=posts[0].platform_id)
    alert, _ = record_alert(topic, found)
    return alert.incident


def test_an_invented_fact_in_a_statement_is_caught_and_blocks_approval(workspace, cast, ai, fake):
    incident = incident_with_evidence(workspace)
    fake.rules.append(Rule("TASK: statement",
                           reply="我们已关注到批次LC2026-11的反馈[S1]。经检测该批次合格率99.8%[S1]，"
                                 "已有300人转发[S2]。"))
    draft = drafts.draft_statement(incident, cast["operator"], client=ai)
    assert draft.outcome == Outcome.UNTRACED and not draft.approvable
    [invented] = draft.trace["untraced"]
    assert invented["missing"] == ["99.8%"] or "99.8" in invented["missing"][0]
    assert draft.text[invented["start"]:invented["end"]].startswith("经检测该批次合格率99.8%")


def test_a_grounded_statement_is_approvable(workspace, cast, ai, fake):
    incident = incident_with_evidence(workspace)
    draft = drafts.draft_statement(incident, cast["operator"], client=ai)
    assert draft.outcome == Outcome.TRACED, draft.trace
    assert draft.sources[0]["kind"] == "item"


def test_with_ai_off_no_call_is_made_and_the_reason_is_plain(workspace, cast, fake, entry):
    conversation = conversation_asking(workspace, "请问鹿角脆含有花生吗？")
    offline = ChatClient(ProviderConfig("http://fake/v1", "m"), transport=httpx.WSGITransport(app=fake))
    draft = drafts.draft_reply(conversation, cast["operator"], client=offline)
    assert draft.outcome == Outcome.UNAVAILABLE and fake.requests == []
    with pytest.raises(Exception, match="off"):
        drafts.client_for(workspace)


def test_the_daily_budget_stops_calls(workspace, cast, ai, fake, entry):
    actions.save_provider(workspace, cast["owner"], daily_token_budget=100)
    conversation = conversation_asking(workspace, "请问鹿角脆含有花生吗？")
    with translation.override("en"):
        draft = drafts.draft_reply(conversation, cast["operator"], client=ai)
    assert draft.outcome == Outcome.UNAVAILABLE and "token budget is spent" in draft.reason
    assert fake.requests == []


def test_the_provider_key_is_encrypted_and_never_audited(workspace, cast):
    provider = actions.save_provider(workspace, cast["owner"], enabled=True, api_key="sk-very-secret")
    assert "sk-very-secret" not in provider.api_key_encrypted and provider.api_key == "sk-very-secret"
    entry = AuditEntry.objects.filter(action="assist.provider").latest("id")
    assert "sk-very-secret" not in str(entry.before) + str(entry.after)
    assert entry.after["api_key"] == "changed"


def test_a_model_that_declines_gives_no_draft(workspace, cast, ai, fake, entry):
    fake.rules.append(Rule("TASK: reply", reply="NO_ANSWER"))
    conversation = conversation_asking(workspace, "请问鹿角脆含有花生吗？")
    draft = drafts.draft_reply(conversation, cast["operator"], client=ai)
    assert draft.outcome == Outcome.NO_SOURCE and AssistDraft.objects.count() == 1
