"""The weekly report's narrative drafted by the AI from the report's own figures (issue 10)."""

from __future__ import annotations

import httpx
from django.urls import reverse

from inhouse.assist import actions, drafts
from inhouse.assist.fake_chat import FakeChat, Rule
from inhouse.assist.models import AssistDraft, Outcome
from inhouse.assist.provider import ChatClient, ProviderConfig
from tests.analytics.conftest import END


def _client(fake: FakeChat) -> ChatClient:
    return ChatClient(ProviderConfig("http://fake/v1", "m"), transport=httpx.WSGITransport(app=fake))


def test_the_narrative_cites_the_figures_posts_and_incidents_behind_it(demo, users):
    from inhouse.analytics.periods import Period

    workspace = demo.workspace
    actions.save_provider(workspace, users["owner"], enabled=True, base_url="http://fake/v1", model="m")
    period = Period.report("weekly", END)
    sources = drafts.week_facts(workspace, period)
    kinds = [s.kind for s in sources]
    assert kinds[:2] == ["fact", "fact"] and "item" in kinds  # figures, then top posts/incidents
    fake = FakeChat()
    draft = drafts.summarize_week(workspace, users["operator"], "weekly", period, client=_client(fake))
    assert draft.outcome == Outcome.TRACED, draft.trace
    assert draft.subject == f"report:weekly:{period.start}"
    sent = fake.requests[0]["messages"][-1]["content"]
    assert "TASK: summary" in sent and sources[0].text[:20] in sent

    fake.rules.append(Rule("TASK: summary", reply="本周负面占比降到3%[S1]，粉丝大涨[S2]。"))
    invented = drafts.summarize_week(workspace, users["operator"], "weekly", period,
                                     client=_client(fake))
    assert invented.outcome == Outcome.UNTRACED and not invented.approvable
    assert invented.trace["untraced"][0]["missing"] == ["3"]  # the invented share


def test_the_report_page_offers_the_narrative_only_to_those_who_read_the_items(client, demo, users):
    url = reverse("analytics:report", args=["weekly"]) + f"?end={END}"
    client.force_login(users["operator"])
    assert b'data-testid="ai-report-summary"' in client.get(url).content
    answer = client.post(reverse("assist:report_summary", args=["weekly"]), {"end": str(END)})
    assert answer.status_code == 302 and "#ai-summary" in answer["Location"]
    assert AssistDraft.objects.filter(workspace=demo.workspace, kind="summary").exists()  # AI off
    client.force_login(users["agency"])
    assert b"ai-report-summary" not in client.get(url).content
    assert client.post(reverse("assist:report_summary", args=["weekly"]),
                       {"end": str(END)}).status_code == 403
