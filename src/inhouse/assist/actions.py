"""Every change to the assist app's state, audited."""

from __future__ import annotations

from django.db import transaction

from inhouse.access.actions import audit
from inhouse.assist.models import AssistDraft, ProviderSettings
from inhouse.core.models import Workspace

FIELDS = ("enabled", "base_url", "model", "timeout", "daily_token_budget")


def provider_of(workspace: Workspace) -> ProviderSettings:
    return ProviderSettings.objects.get_or_create(workspace=workspace)[0]


@transaction.atomic
def save_provider(workspace: Workspace, actor, *, api_key: str | None = None,
                  **changes) -> ProviderSettings:
    """Change the provider settings; ``api_key=None`` keeps the stored key, "" removes it.
    The audit entry records that the key changed, never the key."""
    provider = ProviderSettings.objects.select_for_update().get_or_create(workspace=workspace)[0]
    before = {f: getattr(provider, f) for f in FIELDS} | {"api_key": bool(provider.api_key_encrypted)}
    for name, value in changes.items():
        if name not in FIELDS:
            raise ValueError(f"unknown provider setting: {name}")
        setattr(provider, name, value)
    if api_key is not None:
        provider.api_key = api_key
    provider.updated_by = actor
    provider.save()
    after = {f: getattr(provider, f) for f in FIELDS} | {"api_key": bool(provider.api_key_encrypted)}
    if api_key:
        after["api_key"] = "changed"
    audit(workspace, actor, "assist.provider", f"ai_provider:{provider.pk}",
          before=before, after=after)
    return provider


def record_draft(workspace: Workspace, actor, **fields) -> AssistDraft:
    draft = AssistDraft.objects.create(workspace=workspace, requested_by=actor, **fields)
    audit(workspace, actor, f"assist.{draft.kind}", f"ai_draft:{draft.pk}",
          after={"subject": draft.subject, "outcome": draft.outcome, "model": draft.model,
                 "tokens": draft.tokens, "sources": [s["label"] + ":" + s["kind"] + ":" + s["ref"]
                                                     for s in draft.sources]})
    return draft


def strip_citations(text: str) -> str:
    """The words as they would be posted: the [S1] markers are for the desk, not the public."""
    from inhouse.assist.grounding import CITE

    return " ".join(CITE.sub("", text).split())


@transaction.atomic
def statement_to_content(draft: AssistDraft, actor, *, approve: bool = False):
    """Hand a holding statement to the content workflow as a draft; with ``approve`` (one
    click), also submit and approve it — refused unless every claim traced to a source."""
    from inhouse.content import actions as content

    if draft.kind != "statement" or not draft.text:
        raise ValueError("only a holding statement with text can become a post draft")
    if approve and not draft.approvable:
        raise PermissionError("claims in this statement trace to no source: edit it as a "
                              "draft and send it through review instead")
    post = content.create_draft(draft.workspace, actor, strip_citations(draft.text))
    audit(draft.workspace, actor, "assist.statement.to_content", f"ai_draft:{draft.pk}",
          after={"content_draft": post.pk, "approve": approve, "outcome": draft.outcome})
    if approve:
        content.submit_for_review(post, actor)
        content.approve_draft(post, actor)
    return post
