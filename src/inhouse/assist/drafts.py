"""Drafts from the model, grounded and traced; ``None`` of them is ever sent by itself.

Each function gathers the sources the draft may rest on, refuses to call the model when there
are none (a consultation without a knowledge-base entry above the threshold goes to a person
or an expert, never to a guess), calls the provider within the day's budget, traces every
claim back to the sources, and records the outcome — including "AI is off" — as an
``AssistDraft`` with an audit entry. People then use, edit or drop the text through the same
reply and approval actions as their own words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from inhouse.assist import budget, grounding, prompts
from inhouse.assist.actions import provider_of, record_draft
from inhouse.assist.models import AssistDraft, DraftKind, Outcome
from inhouse.assist.provider import AIUnavailable, ChatClient, ProviderConfig
from inhouse.core.models import Item, Workspace

MAX_TOKENS = 600
EVIDENCE_LIMIT = 8  # evidence items sent for a statement or a summary


def client_for(workspace: Workspace) -> ChatClient:
    """The workspace's configured client; AIUnavailable(OFF) when assistance is off."""
    provider = provider_of(workspace)
    if not provider.usable:
        raise AIUnavailable(AIUnavailable.OFF)
    return ChatClient(ProviderConfig(provider.base_url, provider.model, provider.api_key,
                                     timeout=float(provider.timeout)))


def names_of(workspace: Workspace) -> list[str]:
    """Brand and product names: stating one is a fact the sources must carry."""
    names = list(workspace.dictionary or ())
    keynote = getattr(workspace, "keynote", None)
    if keynote is not None:
        for product, aliases in (keynote.products or {}).items():
            names += [product, *aliases]
    return sorted({n for n in names if isinstance(n, str) and len(n) >= 2}, key=len, reverse=True)


def generate(workspace: Workspace, actor, kind: str, subject: str, sources: Sequence[grounding.Source],
             about: str = "", client: ChatClient | None = None) -> AssistDraft:
    """Call the model on ``sources`` and record the traced outcome (see the module docstring)."""
    sent = [{"label": s.label, "kind": s.kind, "ref": s.ref, "text": s.text} for s in sources]
    if not sources:
        return record_draft(workspace, actor, kind=kind, subject=subject, outcome=Outcome.NO_SOURCE,
                            reason=_("Nothing the workspace holds supports a draft; "
                                     "answer in person or ask an expert."))
    provider = provider_of(workspace)
    try:
        if client is None:
            client = client_for(workspace)
        elif not provider.enabled:
            raise AIUnavailable(AIUnavailable.OFF)
        budget.check(provider, MAX_TOKENS * 2)
        keynote = getattr(workspace, "keynote", None)
        completion = client.complete(prompts.messages(kind, sources, about,
                                                      keynote.voice if keynote else ""),
                                     max_tokens=MAX_TOKENS)
        budget.charge(provider, completion.total_tokens)
    except AIUnavailable as exc:
        return record_draft(workspace, actor, kind=kind, subject=subject,
                            outcome=Outcome.UNAVAILABLE, reason=exc.message, sources=sent)
    text = completion.text
    if not text or "NO_ANSWER" in text:
        return record_draft(workspace, actor, kind=kind, subject=subject, outcome=Outcome.NO_SOURCE,
                            reason=_("The model found nothing in the sources to answer with."),
                            sources=sent, model=completion.model, tokens=completion.total_tokens)
    trace = grounding.trace(text, sources, names_of(workspace))
    outcome = Outcome.TRACED if trace.ok and trace.cited else Outcome.UNTRACED
    reason = "" if outcome == Outcome.TRACED else (
        _("Claims trace to no source; check them before use.") if trace.untraced
        else _("The draft cites no source."))
    return record_draft(workspace, actor, kind=kind, subject=subject, outcome=outcome, text=text,
                        reason=reason, sources=sent, trace=trace.as_dict(),
                        model=completion.model, tokens=completion.total_tokens)


def draft_reply(conversation, actor, client: ChatClient | None = None) -> AssistDraft:
    """A reply to a consultation from the knowledge-base entries the suggestion step found."""
    from inhouse.knowledge.suggest import suggest_for

    customer_words = [link.item.text for link in conversation.links.select_related("item")
                      .filter(from_customer=True).order_by("item__created_at")][-3:]
    question = customer_words[-1] if customer_words else conversation.preview
    found = suggest_for(conversation.workspace, question, top=3) if question else []
    sources = [grounding.Source(f"S{n}", "kb", str(s.entry.pk),
                                f"问：{s.entry.question} 答：{s.entry.answer}")
               for n, s in enumerate(found, 1)]
    return generate(conversation.workspace, actor, DraftKind.REPLY,
                    f"conversation:{conversation.pk}", sources,
                    about="\n".join(customer_words), client=client)


def evidence_items(incident, limit: int = EVIDENCE_LIMIT) -> list[Item]:
    """The incident's evidence: the items its alerts named, the spreading ones first."""
    ids: list[str] = []
    for alert in incident.alerts.order_by("detected_at"):
        ids += [i for i in alert.item_ids if i not in ids]
    by_id = {i.platform_id: i for i in Item.objects.filter(workspace=incident.workspace,
                                                            platform_id__in=ids[:200])}
    return [by_id[i] for i in ids if i in by_id][:limit]


def approved_statements(workspace: Workspace, limit: int = 3) -> list[str]:
    """The enterprise's own approved or published words, newest first."""
    from inhouse.content.models import Draft, State

    return list(Draft.objects.filter(workspace=workspace,
                                     state__in=[State.APPROVED, State.PUBLISHED])
                .order_by("-updated_at").values_list("text", flat=True)[:limit])


def draft_statement(incident, actor, client: ChatClient | None = None) -> AssistDraft:
    """A crisis holding statement from the incident's evidence and approved statements."""
    sources = [grounding.Source(f"S{n}", "item", item.platform_id, item.text)
               for n, item in enumerate(evidence_items(incident), 1)]
    if sources:  # statements alone are no ground: without evidence there is nothing to answer
        sources += [grounding.Source(f"S{len(sources) + n}", "statement", f"approved-{n}", text)
                    for n, text in enumerate(approved_statements(incident.workspace), 1)]
    return generate(incident.workspace, actor, DraftKind.STATEMENT, f"incident:{incident.pk}",
                    sources, about=incident.title, client=client)


def summarize_incident(incident, actor, client: ChatClient | None = None) -> AssistDraft:
    """The incident's timeline in a few sentences, each linked to the entries behind it."""
    events = list(incident.events.order_by("at")[:20])
    sources = [grounding.Source(f"S{n}", "event", str(e.pk),
                                f"{e.at:%m-%d %H:%M} {e.get_kind_display()} {e.text}".strip())
               for n, e in enumerate(events, 1)]
    offset = len(sources)
    sources += [grounding.Source(f"S{offset + n}", "item", item.platform_id, item.text)
                for n, item in enumerate(evidence_items(incident, 4), 1)]
    return generate(incident.workspace, actor, DraftKind.SUMMARY, f"incident:{incident.pk}",
                    sources, about=incident.title, client=client)


def week_facts(workspace: Workspace, period) -> list[grounding.Source]:
    """The report's figures as sentences, its top posts and the incidents opened in the period:
    every number the narrative may use, each with a source to cite."""
    from inhouse.analytics.kpis import dashboard
    from inhouse.monitoring.models import Incident
    from inhouse.monitoring.wording import incident_title

    d = dashboard(workspace, period)
    now, before = d.now, d.before
    facts = [f"{period.start}至{period.end}：他人发布和评论的内容共{now.items}条，上期{before.items}条；"
             f"官方发博{now.own_posts}条，上期{before.own_posts}条。",
             f"官方微博被转发{now.reposts}次，上期{before.reposts}次；转发者的粉丝总数（传播范围）"
             f"{now.reach}，上期{before.reach}。"]
    if now.negative_share is not None:
        previous = (f"，上期{round(before.negative_share * 100)}%" if before.negative_share is not None
                    else "")
        facts.append(f"负面内容占比{round(now.negative_share * 100)}%{previous}。")
    fans = d.kpi("fans")
    if fans.value is not None:
        facts.append(f"期末粉丝数{int(fans.value)}" + (f"，上期末{int(fans.previous)}。"
                                                    if fans.previous is not None else "。"))
    sources = [grounding.Source(f"S{n}", "fact", f"figure-{n}", text)
               for n, text in enumerate(facts, 1)]
    for post in d.top[:3]:
        sources.append(grounding.Source(
            f"S{len(sources) + 1}", "item", post["platform_id"],
            f"{post['text'][:200]}（互动{post['engagement']}：转发{post['reposts_count']}、"
            f"评论{post['comments_count']}、点赞{post['likes_count']}）"))
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=timezone.get_current_timezone())
    end = dt.datetime.combine(period.end, dt.time.max, tzinfo=timezone.get_current_timezone())
    for incident in Incident.objects.filter(workspace=workspace, opened_at__range=(start, end))[:3]:
        first = evidence_items(incident, 1)
        sources.append(grounding.Source(
            f"S{len(sources) + 1}", "item" if first else "fact",
            first[0].platform_id if first else f"incident-{incident.pk}",
            f"{timezone.localtime(incident.opened_at):%m-%d %H:%M} 舆情事件：{incident_title(incident)}"
            f"（{incident.get_severity_display()}，{incident.get_state_display()}）"
            + (f"；首帖：{first[0].text[:150]}" if first else "")))
    return sources


def summarize_week(workspace: Workspace, actor, kind: str, period,
                   client: ChatClient | None = None) -> AssistDraft:
    """The report's narrative: a few sentences on the period, each citing the figure, post or
    incident behind it (the citations link to the items on the desk)."""
    return generate(workspace, actor, DraftKind.SUMMARY, f"report:{kind}:{period.start}",
                    week_facts(workspace, period), about=f"{kind} report {period.start}–{period.end}",
                    client=client)


def latest(workspace: Workspace, subject: str, kind: str) -> AssistDraft | None:
    return (AssistDraft.objects.filter(workspace=workspace, subject=subject, kind=kind)
            .order_by("-created_at", "-id").first())
