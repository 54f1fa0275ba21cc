"""The desk's AI buttons and settings; with AI off (the default) every page still works."""

from __future__ import annotations

import httpx
import pytest
from django.urls import reverse

from inhouse.assist import actions, drafts
from inhouse.assist.fake_chat import FakeChat, Rule
from inhouse.assist.models import AssistDraft, Outcome
from inhouse.assist.provider import ChatClient
from inhouse.content.models import Draft, State
from tests.assist.test_drafts import incident_with_evidence

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def fake(monkeypatch) -> FakeChat:
    """The workspace's configured provider answers through the in-process fake."""
    fake = FakeChat()
    real = drafts.client_for

    def client_for(workspace):
        made = real(workspace)
        return ChatClient(made.config, transport=httpx.WSGITransport(app=fake))

    monkeypatch.setattr(drafts, "client_for", client_for)
    return fake


def test_with_ai_off_the_incident_page_works_and_the_button_says_why(client, workspace, cast):
    incident = incident_with_evidence(workspace)
    client.force_login(cast["operator"])
    page = client.get(reverse("monitoring:incident", args=[incident.pk]), **EN)
    assert page.status_code == 200
    answer = client.post(reverse("assist:statement", args=[incident.pk]), follow=True, **EN)
    assert answer.status_code == 200 and b"AI assistance is off" in answer.content
    assert AssistDraft.objects.get().outcome == Outcome.UNAVAILABLE


def test_the_owner_turns_ai_on_and_the_key_is_kept_secret(client, workspace, cast):
    client.force_login(cast["owner"])
    url = reverse("assist:settings")
    refused = client.post(url, {"enabled": "on", "timeout": 30, "daily_token_budget": 1000}, **EN)
    assert b"give the API base URL" in refused.content
    client.post(url, {"enabled": "on", "base_url": "http://127.0.0.1:8901/v1", "model": "m",
                      "api_key": "sk-abc", "timeout": 30, "daily_token_budget": 1000})
    provider = actions.provider_of(workspace)
    assert provider.usable and provider.api_key == "sk-abc"
    page = client.get(url, **EN).content.decode()
    assert "sk-abc" not in page and "On" in page
    client.post(url, {"enabled": "on", "base_url": "http://127.0.0.1:8901/v1", "model": "m2",
                      "timeout": 30, "daily_token_budget": 1000})
    assert actions.provider_of(workspace).api_key == "sk-abc"  # an empty field keeps the key


def test_a_traced_statement_is_approved_in_one_click(client, workspace, cast, fake):
    actions.save_provider(workspace, cast["owner"], enabled=True, base_url="http://f/v1", model="m")
    incident = incident_with_evidence(workspace)
    client.force_login(cast["operator"])
    client.post(reverse("assist:statement", args=[incident.pk]))
    draft = AssistDraft.objects.get(kind="statement")
    assert draft.outcome == Outcome.TRACED
    page = client.get(reverse("monitoring:incident", args=[incident.pk])).content.decode()
    if "ai-statement-approve" in page:  # shown where the incident page includes the partial
        assert 'class="cite"' in page
    answer = client.post(reverse("assist:statement_use", args=[draft.pk]), {"approve": "1"})
    post = Draft.objects.get()
    assert answer.status_code == 302 and post.state == State.APPROVED
    assert "[S1]" not in post.text and "苍蝇" in post.text


def test_an_untraced_statement_cannot_be_approved_in_one_click(client, workspace, cast, fake):
    actions.save_provider(workspace, cast["owner"], enabled=True, base_url="http://f/v1", model="m")
    fake.rules.append(Rule("TASK: statement", reply="该批次已100%召回[S1]。"))
    incident = incident_with_evidence(workspace)
    client.force_login(cast["operator"])
    client.post(reverse("assist:statement", args=[incident.pk]))
    draft = AssistDraft.objects.get(kind="statement")
    assert draft.outcome == Outcome.UNTRACED
    answer = client.post(reverse("assist:statement_use", args=[draft.pk]), {"approve": "1"},
                         follow=True, **EN)
    assert b"trace to no source" in answer.content and not Draft.objects.exists()
    client.post(reverse("assist:statement_use", args=[draft.pk]))  # as a draft for review
    assert Draft.objects.get().state == State.DRAFT


def test_the_agency_gets_no_ai_draft_of_what_it_may_not_read(client, workspace, cast, fake):
    actions.save_provider(workspace, cast["owner"], enabled=True, base_url="http://f/v1", model="m")
    incident = incident_with_evidence(workspace)
    client.force_login(cast["agency"])
    assert client.post(reverse("assist:statement", args=[incident.pk])).status_code == 403
    assert client.get(reverse("assist:settings")).status_code == 403
    assert not AssistDraft.objects.exists() and fake.requests == []


def test_the_reply_draft_shows_on_the_conversation_with_its_citation(client, workspace, cast, fake):
    from inhouse.knowledge.actions import create_entry
    from tests.assist.test_drafts import conversation_asking

    actions.save_provider(workspace, cast["owner"], enabled=True, base_url="http://f/v1", model="m")
    entry = create_entry(workspace, cast["owner"], question="鹿角脆含有花生吗？",
                         answer="鹿角脆不含花生，但与含花生产品共用生产线。", variants=[], tags=[])
    conversation = conversation_asking(workspace, "请问鹿角脆含有花生吗？")
    client.force_login(cast["operator"])
    url = reverse("inbox:conversation", args=[conversation.pk])
    assert b'data-testid="ai-reply"' in client.get(url).content
    page = client.post(reverse("assist:reply", args=[conversation.pk]), follow=True).content.decode()
    assert 'data-outcome="traced"' in page and "不含花生" in page
    assert f'href="/knowledge/{entry.pk}/"' in page  # the citation links to its entry
